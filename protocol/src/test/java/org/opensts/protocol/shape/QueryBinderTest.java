package org.opensts.protocol.shape;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/**
 * The binder against AWS's validation messages. The request shape below copies the constraints of STS's
 * {@code AssumeRoleRequest} and {@code GetWebIdentityTokenRequest} from the model (the {@code sts} module's own
 * declarations are compared with the model in {@code StsShapesTest}), plus a few members for the types STS does not
 * use.
 */
class QueryBinderTest {
    private static final String ARN_PATTERN =
            "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+";
    private static final String ROLE_ARN = "arn:aws:iam::123456789012:role/demo";

    private static final ScalarShape ARN = ScalarShape.string("arnType").length(20, 2048).pattern(ARN_PATTERN).build();
    private static final ScalarShape ROLE_SESSION_NAME = ScalarShape.string("roleSessionNameType")
            .length(2, 64).pattern("[\\w+=,.@-]*").build();
    private static final ScalarShape ROLE_DURATION_SECONDS = ScalarShape.integer("roleDurationSecondsType")
            .range(900, 43200).build();
    private static final ScalarShape TOKEN_CODE = ScalarShape.string("tokenCodeType")
            .length(6, 6).pattern("[\\d]*").sensitive().build();
    private static final ScalarShape TAG_KEY = ScalarShape.string("tagKeyType")
            .length(1, 128).pattern("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+").build();
    private static final ScalarShape TAG_VALUE = ScalarShape.string("tagValueType")
            .length(0, 256).pattern("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*").build();
    private static final ScalarShape CONTEXT_ASSERTION = ScalarShape.string("contextAssertionType")
            .length(4, 2048).build();
    private static final ScalarShape JWT_ALGORITHM = ScalarShape.string("jwtAlgorithmType")
            .enumValues("RS256", "ES384").build();
    private static final ScalarShape DESCRIPTION = ScalarShape.string("descriptionType").length(1, 4).build();
    private static final ScalarShape BOOLEAN = ScalarShape.builder("booleanType", ScalarType.BOOLEAN).build();
    private static final ScalarShape TIMESTAMP = ScalarShape.builder("dateType", ScalarType.TIMESTAMP).build();
    private static final ScalarShape BLOB = ScalarShape.builder("blobType", ScalarType.BLOB).build();
    private static final ScalarShape LONG = ScalarShape.builder("longType", ScalarType.LONG).range(-1, 10).build();
    private static final ScalarShape SECRETS_KEY = ScalarShape.string("secretKeyType").build();
    private static final ScalarShape SECRET = ScalarShape.string("secretType").length(8, 16).sensitive().build();

    private static final StructureShape TAG = StructureShape.builder("Tag")
            .required("Key", TAG_KEY)
            .required("Value", TAG_VALUE)
            .build();
    private static final StructureShape PROVIDED_CONTEXT = StructureShape.builder("ProvidedContext")
            .optional("ProviderArn", ARN)
            .optional("ContextAssertion", CONTEXT_ASSERTION)
            .build();
    private static final StructureShape POLICY_DESCRIPTOR = StructureShape.builder("PolicyDescriptorType")
            .optional("arn", ARN)
            .build();

    private static final StructureShape SESSION_NAME_ONLY = StructureShape.builder("SessionNameRequest")
            .required("RoleSessionName", ROLE_SESSION_NAME)
            .build();
    private static final StructureShape REQUEST = StructureShape.builder("TestRequest")
            .required("RoleArn", ARN)
            .required("RoleSessionName", ROLE_SESSION_NAME)
            .optional("DurationSeconds", ROLE_DURATION_SECONDS)
            .optional("Tags", ListShape.ofMax("tagListType", TAG, 50))
            .optional("TransitiveTagKeys", ListShape.ofMax("tagKeyListType", TAG_KEY, 50))
            .optional("TokenCode", TOKEN_CODE)
            .optional("ProvidedContexts", ListShape.of("ProvidedContextsListType", PROVIDED_CONTEXT, 1, 5))
            .optional("TaskPolicyArn", POLICY_DESCRIPTOR)
            .optional("SigningAlgorithm", JWT_ALGORITHM)
            .optional("Description", DESCRIPTION)
            .optional("Enabled", BOOLEAN)
            .optional("NotBefore", TIMESTAMP)
            .optional("Payload", BLOB)
            .optional("Count", LONG)
            .optional("Secrets", MapShape.of("secretMapType", SECRETS_KEY, SECRET))
            .optional("SecretList", ListShape.of("secretListType", SECRET, 0, 1))
            .build();

    /** The two required members, valid, for cases about the others. */
    private static final String VALID = "RoleArn=" + encode(ROLE_ARN) + "&RoleSessionName=session";

    /** A request that {@link QueryBinder} must reject with exactly {@code message}. */
    record Rejection(String name, String form, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Rejection> rejections() {
        return Stream.of(
                new Rejection("a required member that is absent must not be null",
                        "RoleSessionName=session",
                        "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: "
                                + "Member must not be null"),
                new Rejection("a string shorter than min",
                        "RoleArn=" + encode(ROLE_ARN) + "&RoleSessionName=a",
                        "1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: "
                                + "Member must have length greater than or equal to 2"),
                new Rejection("an empty string is present and shorter than min, not null",
                        "RoleArn=" + encode(ROLE_ARN) + "&RoleSessionName=",
                        "1 validation error detected: Value '' at 'roleSessionName' failed to satisfy constraint: "
                                + "Member must have length greater than or equal to 2"),
                new Rejection("a huge value is quoted as its first 4,096 characters, not whole",
                        "RoleArn=" + "a".repeat(100_000) + "&RoleSessionName=session",
                        "1 validation error detected: Value '" + "a".repeat(4_096) + "...' at 'roleArn' failed to "
                                + "satisfy constraint: Member must have length less than or equal to 2048"),
                new Rejection("more than 50 tags are quoted as their keys and values",
                        VALID + IntStream.rangeClosed(1, 51).mapToObj(i -> "&Tags.member." + i + ".Key=k" + i
                                + "&Tags.member." + i + ".Value=v").collect(Collectors.joining()),
                        "1 validation error detected: Value '" + IntStream.rangeClosed(1, 51)
                                .mapToObj(i -> "{Key: k" + i + ", Value: v}")
                                .collect(Collectors.joining(", ", "[", "]"))
                                + "' at 'tags' failed to satisfy constraint: Member must have length less than or "
                                + "equal to 50"),
                new Rejection("a huge list is quoted as its first 4,096 characters, not whole",
                        VALID + IntStream.rangeClosed(1, 2_000).mapToObj(i -> "&TransitiveTagKeys.member." + i + "="
                                + "k".repeat(100)).collect(Collectors.joining()),
                        "1 validation error detected: Value '" + IntStream.rangeClosed(1, 2_000)
                                .mapToObj(i -> "k".repeat(100)).collect(Collectors.joining(", ", "[", "]"))
                                .substring(0, 4_096)
                                + "...' at 'transitiveTagKeys' failed to satisfy constraint: Member must have length "
                                + "less than or equal to 50"),
                new Rejection("a string longer than max",
                        "RoleArn=" + encode(ROLE_ARN) + "&RoleSessionName=" + "s".repeat(65),
                        "1 validation error detected: Value '" + "s".repeat(65) + "' at 'roleSessionName' failed to "
                                + "satisfy constraint: Member must have length less than or equal to 64"),
                new Rejection("length counts code points: five emoji exceed four",
                        VALID + "&Description=" + encode("\uD83D\uDE00".repeat(5)),
                        "1 validation error detected: Value '" + "\uD83D\uDE00".repeat(5) + "' at 'description' "
                                + "failed to satisfy constraint: Member must have length less than or equal to 4"),
                new Rejection("a value outside the pattern",
                        "RoleArn=" + encode(ROLE_ARN) + "&RoleSessionName=bad%21name",
                        "1 validation error detected: Value 'bad!name' at 'roleSessionName' failed to satisfy "
                                + "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"),
                new Rejection("the pattern must match the whole value, not a part of it",
                        "RoleArn=" + encode(ROLE_ARN) + "&RoleSessionName=ok+then",
                        "1 validation error detected: Value 'ok then' at 'roleSessionName' failed to satisfy "
                                + "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"),
                new Rejection("a six-digit escape in the pattern keeps U+0001 out of an ARN",
                        "RoleArn=" + encode(ROLE_ARN + "\u0001") + "&RoleSessionName=session",
                        "1 validation error detected: Value '" + ROLE_ARN + "\u0001' at 'roleArn' failed to satisfy "
                                + "constraint: Member must satisfy regular expression pattern: " + ARN_PATTERN),
                new Rejection("an integer below the range",
                        VALID + "&DurationSeconds=899",
                        "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: "
                                + "Member must have value greater than or equal to 900"),
                new Rejection("an integer above the range",
                        VALID + "&DurationSeconds=43201",
                        "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy "
                                + "constraint: Member must have value less than or equal to 43200"),
                new Rejection("a long below the range",
                        VALID + "&Count=-2",
                        "1 validation error detected: Value '-2' at 'count' failed to satisfy constraint: "
                                + "Member must have value greater than or equal to -1"),
                new Rejection("a value outside the enum",
                        VALID + "&SigningAlgorithm=HS256",
                        "1 validation error detected: Value 'HS256' at 'signingAlgorithm' failed to satisfy "
                                + "constraint: Member must satisfy enum value set: [RS256, ES384]"),
                new Rejection("two members, two violations, in model order",
                        "RoleSessionName=a",
                        "2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: "
                                + "Member must not be null; Value 'a' at 'roleSessionName' failed to satisfy "
                                + "constraint: Member must have length greater than or equal to 2"),
                // STS names a value's pattern before its length, as its real answers do (for AssumeRoleWithSAML:
                // "Value '' at 'roleArn' … regular expression pattern: …; Value '' at 'roleArn' … length greater
                // than or equal to 20").
                new Rejection("one value, two violations: outside the pattern and too long",
                        "RoleArn=" + encode(ROLE_ARN) + "&RoleSessionName=" + "!".repeat(65),
                        "2 validation errors detected: Value '" + "!".repeat(65) + "' at 'roleSessionName' failed to "
                                + "satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*; "
                                + "Value '" + "!".repeat(65) + "' at 'roleSessionName' failed to satisfy constraint: "
                                + "Member must have length less than or equal to 64"),
                new Rejection("a list element's member is named list.N.member.member",
                        VALID + "&Tags.member.1.Key=Project&Tags.member.1.Value=ok&Tags.member.2.Key="
                                + "k".repeat(129) + "&Tags.member.2.Value=x",
                        "1 validation error detected: Value '" + "k".repeat(129) + "' at 'tags.2.member.key' failed "
                                + "to satisfy constraint: Member must have length less than or equal to 128"),
                new Rejection("an empty tag key breaks both its pattern and its length",
                        VALID + "&Tags.member.1.Key=&Tags.member.1.Value=x",
                        "2 validation errors detected: Value '' at 'tags.1.member.key' failed to satisfy constraint: "
                                + "Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+; "
                                + "Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have "
                                + "length greater than or equal to 1"),
                new Rejection("a required member of a list element must not be null",
                        VALID + "&Tags.member.1.Key=Project",
                        "1 validation error detected: Value null at 'tags.1.member.value' failed to satisfy "
                                + "constraint: Member must not be null"),
                new Rejection("a list element whose parts are all unknown misses its required members",
                        VALID + "&Tags.member.1.key=Project&Tags.member.1.value=ok",
                        "2 validation errors detected: Value null at 'tags.1.member.key' failed to satisfy "
                                + "constraint: Member must not be null; Value null at 'tags.1.member.value' failed to "
                                + "satisfy constraint: Member must not be null"),
                new Rejection("a scalar list element is named list.N.member",
                        VALID + "&TransitiveTagKeys.member.1=a&TransitiveTagKeys.member.2=b%21",
                        "1 validation error detected: Value 'b!' at 'transitiveTagKeys.2.member' failed to satisfy "
                                + "constraint: Member must satisfy regular expression pattern: "
                                + "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+"),
                new Rejection("a nested structure member is named outer.inner",
                        VALID + "&TaskPolicyArn.arn=short",
                        "1 validation error detected: Value 'short' at 'taskPolicyArn.arn' failed to satisfy "
                                + "constraint: Member must have length greater than or equal to 20"),
                new Rejection("a list longer than max lists its elements",
                        VALID + IntStream.rangeClosed(1, 51)
                                .mapToObj(i -> "&TransitiveTagKeys.member." + i + "=k" + i)
                                .collect(Collectors.joining()),
                        "1 validation error detected: Value '" + IntStream.rangeClosed(1, 51)
                                .mapToObj(i -> "k" + i).toList() + "' at 'transitiveTagKeys' failed to satisfy "
                                + "constraint: Member must have length less than or equal to 50"),
                new Rejection("an explicitly empty list is present and shorter than min",
                        VALID + "&ProvidedContexts=",
                        "1 validation error detected: Value '[]' at 'providedContexts' failed to satisfy "
                                + "constraint: Member must have length greater than or equal to 1"),
                new Rejection("a sensitive value is not echoed when too short",
                        VALID + "&TokenCode=12345",
                        "1 validation error detected: Value at 'tokenCode' failed to satisfy constraint: "
                                + "Member must have length greater than or equal to 6"),
                new Rejection("a sensitive value is not echoed when outside the pattern",
                        VALID + "&TokenCode=12345x",
                        "1 validation error detected: Value at 'tokenCode' failed to satisfy constraint: "
                                + "Member must satisfy regular expression pattern: [\\d]*"),
                new Rejection("a sensitive map value is not echoed",
                        VALID + "&Secrets.entry.1.key=db&Secrets.entry.1.value=hunter2",
                        "1 validation error detected: Value at 'secrets.entry.1.value' failed to satisfy "
                                + "constraint: Member must have length greater than or equal to 8"),
                new Rejection("a list of sensitive values longer than max is not echoed",
                        VALID + "&SecretList.member.1=correct-horse&SecretList.member.2=battery-staple",
                        "1 validation error detected: Value '[redacted]' at 'secretList' failed to satisfy "
                                + "constraint: Member must have length less than or equal to 1"),
                new Rejection("an integer that is not a number",
                        VALID + "&DurationSeconds=3600s",
                        "1 validation error detected: Value '3600s' at 'durationSeconds' failed to satisfy "
                                + "constraint: Member must be an integer"),
                new Rejection("an integer that overflows 32 bits",
                        VALID + "&DurationSeconds=2147483648",
                        "1 validation error detected: Value '2147483648' at 'durationSeconds' failed to satisfy "
                                + "constraint: Member must be an integer"),
                new Rejection("an integer written with Devanagari digits is not an integer",
                        VALID + "&DurationSeconds=" + encode("\u0967\u0968\u0966\u0966"),
                        "1 validation error detected: Value '\u0967\u0968\u0966\u0966' at 'durationSeconds' "
                                + "failed to satisfy constraint: Member must be an integer"),
                new Rejection("an integer written with full-width digits is not an integer",
                        VALID + "&DurationSeconds=" + encode("\uff19\u0966\u0966"),
                        "1 validation error detected: Value '\uff19\u0966\u0966' at 'durationSeconds' "
                                + "failed to satisfy constraint: Member must be an integer"),
                new Rejection("an integer written with a plus sign is not an integer",
                        VALID + "&DurationSeconds=" + encode("+900"),
                        "1 validation error detected: Value '+900' at 'durationSeconds' "
                                + "failed to satisfy constraint: Member must be an integer"),
                new Rejection("an integer written with a leading space is not an integer",
                        VALID + "&DurationSeconds=" + encode(" 900"),
                        "1 validation error detected: Value ' 900' at 'durationSeconds' "
                                + "failed to satisfy constraint: Member must be an integer"),
                new Rejection("an integer written with a trailing space is not an integer",
                        VALID + "&DurationSeconds=" + encode("900 "),
                        "1 validation error detected: Value '900 ' at 'durationSeconds' "
                                + "failed to satisfy constraint: Member must be an integer"),
                new Rejection("an integer written with 25 leading zeros is not an integer",
                        VALID + "&DurationSeconds=" + encode("0000000000000000000000000900"),
                        "1 validation error detected: Value '0000000000000000000000000900' at 'durationSeconds' "
                                + "failed to satisfy constraint: Member must be an integer"),
                new Rejection("an integer written with one leading zero is not an integer",
                        VALID + "&DurationSeconds=" + encode("0900"),
                        "1 validation error detected: Value '0900' at 'durationSeconds' "
                                + "failed to satisfy constraint: Member must be an integer"),
                new Rejection("an integer written with a lone minus sign is not an integer",
                        VALID + "&DurationSeconds=" + encode("-"),
                        "1 validation error detected: Value '-' at 'durationSeconds' "
                                + "failed to satisfy constraint: Member must be an integer"),
                new Rejection("a boolean that is neither true nor false",
                        VALID + "&Enabled=yes",
                        "1 validation error detected: Value 'yes' at 'enabled' failed to satisfy constraint: "
                                + "Member must be a boolean"),
                new Rejection("a timestamp that is not ISO 8601",
                        VALID + "&NotBefore=yesterday",
                        "1 validation error detected: Value 'yesterday' at 'notBefore' failed to satisfy "
                                + "constraint: Member must be an ISO 8601 timestamp"),
                new Rejection("a timestamp without an offset",
                        VALID + "&NotBefore=2015-01-25T08%3A00%3A00",
                        "1 validation error detected: Value '2015-01-25T08:00:00' at 'notBefore' failed to satisfy "
                                + "constraint: Member must be an ISO 8601 timestamp"),
                new Rejection("epoch seconds beyond a long",
                        VALID + "&NotBefore=99999999999999999999",
                        "1 validation error detected: Value '99999999999999999999' at 'notBefore' failed to "
                                + "satisfy constraint: Member must be an ISO 8601 timestamp"),
                new Rejection("epoch seconds beyond the last instant",
                        VALID + "&NotBefore=99999999999999999",
                        "1 validation error detected: Value '99999999999999999' at 'notBefore' failed to satisfy "
                                + "constraint: Member must be an ISO 8601 timestamp"),
                new Rejection("a blob that is not base64",
                        VALID + "&Payload=%21%21%21",
                        "1 validation error detected: Value '!!!' at 'payload' failed to satisfy constraint: "
                                + "Member must be base64 text"));
    }

    /**
     * IAM's shapes for the cases below: a tag key list whose member IAM declares non-null, and one whose it does not.
     */
    private static final ScalarShape IAM_TAG_KEY = ScalarShape.string("tagKeyType")
            .length(1, 128).pattern("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+").nonNull().build();
    private static final StructureShape IAM_TAG = StructureShape.builder("Tag")
            .required("Key", IAM_TAG_KEY)
            .required("Value", TAG_VALUE)
            .build();
    private static final StructureShape IAM_REQUEST = StructureShape.builder("IamTestRequest")
            .optional("Tags", ListShape.ofMax("tagListType", IAM_TAG, 50))
            .optional("TagKeys", ListShape.ofMax("tagKeyListType", IAM_TAG_KEY, 50))
            .optional("ClientIDList", ListShape.of("clientIDListType",
                    ScalarShape.string("clientIDType").length(1, 255).build()))
            .optional("Status", ScalarShape.string("statusType").enumValues("Active", "Inactive").build())
            .optional("MaxSessionDuration", ROLE_DURATION_SECONDS)
            .build();

    /**
     * IAM's wording, as AWS's real responses show it: the value is never quoted, an enum's set is not listed, and the
     * elements of a list of strings are reported once, at the list, with every constraint of its member.
     */
    static Stream<Rejection> iamRejections() {
        return Stream.of(
                new Rejection("more than 50 tags",
                        IntStream.rangeClosed(1, 51).mapToObj(i -> "Tags.member." + i + ".Key=k" + i + "&Tags.member."
                                + i + ".Value=v").collect(Collectors.joining("&")),
                        "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have "
                                + "length less than or equal to 50"),
                new Rejection("a tag key longer than 128",
                        "Tags.member.1.Key=" + "0".repeat(129) + "&Tags.member.1.Value=",
                        "1 validation error detected: Value at 'tags.1.member.key' failed to satisfy constraint: "
                                + "Member must have length less than or equal to 128"),
                new Rejection("a tag key outside the pattern",
                        "Tags.member.1.Key=NOWAY%21&Tags.member.1.Value=",
                        "1 validation error detected: Value at 'tags.1.member.key' failed to satisfy constraint: "
                                + "Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+"),
                new Rejection("a tag key to remove that is too long, reported at the list",
                        "TagKeys.member.1=ok&TagKeys.member.2=" + "k".repeat(129),
                        "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must "
                                + "satisfy constraint: [Member must have length less than or equal to 128, Member must "
                                + "have length greater than or equal to 1, Member must satisfy regular expression "
                                + "pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+, Member must not be null]"),
                new Rejection("an empty client id, reported at the list without not-null",
                        "ClientIDList.member.1=",
                        "1 validation error detected: Value at 'clientIDList' failed to satisfy constraint: Member "
                                + "must satisfy constraint: [Member must have length less than or equal to 255, Member "
                                + "must have length greater than or equal to 1]"),
                new Rejection("a value outside the enum",
                        "Status=Expired",
                        "1 validation error detected: Value at 'status' failed to satisfy constraint: Member must "
                                + "satisfy enum value set"),
                new Rejection("an integer above the range",
                        "MaxSessionDuration=43201",
                        "1 validation error detected: Value at 'maxSessionDuration' failed to satisfy constraint: "
                                + "Member must have value less than or equal to 43200"));
    }

    /** IAM's shapes of the two requests whose several violations AWS's recorded answers list. */
    private static final StructureShape IAM_OIDC_REQUEST = StructureShape.builder("CreateOpenIDConnectProviderRequest")
            .required("Url", ScalarShape.string("OpenIDConnectProviderUrlType").length(1, 255).build())
            .optional("ClientIDList", ListShape.of("clientIDListType",
                    ScalarShape.string("clientIDType").length(1, 255).build()))
            .optional("ThumbprintList", ListShape.of("thumbprintListType",
                    ScalarShape.string("thumbprintType").length(40, 40).build()))
            .build();
    private static final StructureShape IAM_PASSWORD_POLICY_REQUEST =
            StructureShape.builder("UpdateAccountPasswordPolicyRequest")
                    .optional("MinimumPasswordLength", ScalarShape.integer("minimumPasswordLengthType").range(6, 128)
                            .build())
                    .optional("MaxPasswordAge", ScalarShape.integer("maxPasswordAgeType").range(1, 1095).build())
                    .optional("PasswordReusePrevention", ScalarShape.integer("passwordReusePreventionType")
                            .range(1, 24).build())
                    .build();

    record Ordering(String name, StructureShape shape, String form, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Several IAM violations, in the order AWS's recorded answers list them: neither the model's order nor
     * alphabetical, but that of a hash table of the members' names; STS keeps the model's order.
     */
    static Stream<Ordering> iamOrderings() {
        return Stream.of(
                new Ordering("CreateOpenIDConnectProvider: clientIDList, thumbprintList, url (recorded)",
                        IAM_OIDC_REQUEST, "Url=" + "b".repeat(256) + "&ThumbprintList.member.1=" + "b".repeat(41)
                                + "&ClientIDList.member.1=" + "b".repeat(256),
                        "3 validation errors detected: Value at 'clientIDList' failed to satisfy constraint: Member "
                                + "must satisfy constraint: [Member must have length less than or equal to 255, "
                                + "Member must have length greater than or equal to 1]; Value at 'thumbprintList' "
                                + "failed to satisfy constraint: Member must satisfy constraint: [Member must have "
                                + "length less than or equal to 40, Member must have length greater than or equal to "
                                + "40]; Value at 'url' failed to satisfy constraint: Member must have length less than "
                                + "or equal to 255"),
                new Ordering("UpdateAccountPasswordPolicy: minimumPasswordLength, passwordReusePrevention, "
                        + "maxPasswordAge (recorded)", IAM_PASSWORD_POLICY_REQUEST,
                        "MinimumPasswordLength=129&PasswordReusePrevention=25&MaxPasswordAge=1096",
                        "3 validation errors detected: Value at 'minimumPasswordLength' failed to satisfy "
                                + "constraint: Member must have value less than or equal to 128; Value at "
                                + "'passwordReusePrevention' failed to satisfy constraint: Member must have value less "
                                + "than or equal to 24; Value at 'maxPasswordAge' failed to satisfy constraint: Member "
                                + "must have value less than or equal to 1095"),
                new Ordering("an empty url after a long thumbprint: thumbprintList, url",
                        IAM_OIDC_REQUEST, "Url=&ThumbprintList.member.1=" + "b".repeat(41),
                        "2 validation errors detected: Value at 'thumbprintList' failed to satisfy constraint: Member "
                                + "must satisfy constraint: [Member must have length less than or equal to 40, Member "
                                + "must have length greater than or equal to 40]; Value at 'url' failed to satisfy "
                                + "constraint: Member must have length greater than or equal to 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("iamOrderings")
    void bind_severalIamViolations_areListedInAwsOrder(Ordering ordering) {
        assertThatThrownBy(() -> QueryBinder.bind(ordering.shape(), QueryParameters.builder()
                .addForm(ordering.form()).build(), ViolationWording.OMIT_VALUE))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage())
                        .isEqualTo(ordering.message()));
    }

    @Test
    void inIamOrder_manyMembers_growsTheTableAsAHashTableDoes_andKeepsEveryViolation() {
        var paths = IntStream.range(0, 40).mapToObj(i -> "member" + i).toList();

        List<String> ordered = QueryBinder.inIamOrder(paths, paths);

        assertThat(ordered).hasSize(40).containsExactlyInAnyOrderElementsOf(paths);
        var table = new java.util.HashMap<String, String>();
        paths.forEach(path -> table.put(path, path));
        assertThat(ordered).containsExactlyElementsOf(table.keySet());
    }

    @Test
    void bind_severalStsViolations_keepTheModelsOrder() {
        StructureShape sts = StructureShape.builder("StsTestRequest")
                .required("Url", ScalarShape.string("urlType").length(1, 255).build())
                .optional("ClientId", ScalarShape.string("clientIdType").length(1, 255).build())
                .build();

        assertThatThrownBy(() -> QueryBinder.bind(sts, QueryParameters.builder().addForm("Url=&ClientId=").build()))
                .hasMessageStartingWith("2 validation errors detected: Value '' at 'url'");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("iamRejections")
    void bind_invalidIamRequest_isValidationErrorWithoutTheValue(Rejection rejection) {
        assertThatThrownBy(() -> QueryBinder.bind(IAM_REQUEST, QueryParameters.builder().addForm(rejection.form())
                .build(), ViolationWording.OMIT_VALUE))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.getMessage()).isEqualTo(rejection.message());
                });
    }

    @Test
    void checkList_tagKeyTooLong_isReportedAtTheListInIamWords() {
        assertThatThrownBy(() -> QueryBinder.check(ListShape.ofMax("tagKeyListType", IAM_TAG_KEY, 50),
                List.of("ok", ""), "tagKeys"))
                .hasMessage("1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member "
                        + "must satisfy constraint: [Member must have length less than or equal to 128, Member must "
                        + "have length greater than or equal to 1, Member must satisfy regular expression pattern: "
                        + "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+, Member must not be null]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void bind_invalidRequest_isValidationErrorInAwsWords(Rejection rejection) {
        assertThatThrownBy(() -> bind(rejection.form()))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.getMessage()).isEqualTo(rejection.message());
                });
    }

    @Test
    void bind_thousandsOfBadListElements_areCountedAllButQuotedAtMostAHundredTimes() {
        var form = new StringBuilder(VALID);
        for (int i = 1; i <= 5_000; i++) {
            form.append("&Tags.member.").append(i).append(".Key=%01&Tags.member.").append(i).append(".Value=v");
        }

        assertThatThrownBy(() -> bind(form.toString()))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    // The list's own length first, as AWS lists it, then its elements in order.
                    assertThat(e.getMessage()).startsWith("5001 validation errors detected: Value '[")
                            .contains("at 'tags' failed to satisfy constraint: Member must have length less than or "
                                    + "equal to 50; Value '\u0001' at 'tags.1.member.key' failed to satisfy "
                                    + "constraint: Member must satisfy regular expression pattern");
                    assertThat(e.getMessage().split("; ")).hasSize(100);
                    assertThat(e.getMessage().length()).isLessThan(form.length() / 10);
                });
    }

    @Test
    void bind_sensitiveValues_neverAppearInTheMessage() {
        assertThatThrownBy(() -> bind(VALID + "&TokenCode=98765&Secrets.entry.1.key=k&Secrets.entry.1.value=pw"
                + "&SecretList.member.1=swordfish1&SecretList.member.2=swordfish2"))
                .hasMessageStartingWith("3 validation errors detected")
                .hasMessageNotContainingAny("98765", "'pw'", "swordfish");
    }

    @Test
    void bind_validRequest_givesEveryMemberInItsType() {
        Struct struct = bind(VALID + "&DurationSeconds=3600&Enabled=true&Count=-1&Payload=dmFsdWU%3D"
                + "&NotBefore=2015-01-25T08%3A00%3A00Z&SigningAlgorithm=ES384&TokenCode=123456"
                + "&TaskPolicyArn.arn=" + encode("arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials")
                + "&Secrets.entry.1.key=db&Secrets.entry.1.value=longenough");

        assertThat(struct.requiredString("RoleArn")).isEqualTo(ROLE_ARN);
        assertThat(struct.string("RoleSessionName")).contains("session");
        assertThat(struct.integer("DurationSeconds")).contains(3600);
        assertThat(struct.bool("Enabled")).contains(true);
        assertThat(struct.longValue("Count")).contains(-1L);
        assertThat(struct.blob("Payload")).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo("value"
                .getBytes(UTF_8)));
        assertThat(struct.timestamp("NotBefore")).contains(Instant.parse("2015-01-25T08:00:00Z"));
        assertThat(struct.string("SigningAlgorithm")).contains("ES384");
        assertThat(struct.string("TokenCode")).contains("123456");
        assertThat(struct.struct("TaskPolicyArn").flatMap(policy -> policy.string("arn")))
                .contains("arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials");
        assertThat(struct.stringMap("Secrets")).containsExactly(Map.entry("db", "longenough"));
        assertThat(struct.asMap().keySet()).as("model order").containsExactly("RoleArn", "RoleSessionName",
                "DurationSeconds", "TokenCode", "TaskPolicyArn", "SigningAlgorithm", "Enabled", "NotBefore", "Payload",
                "Count", "Secrets");
    }

    /** A request that binds, and what must hold of the result. */
    record Binding(String name, String form, Map<String, Object> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Binding> bindings() {
        return Stream.of(
                new Binding("unknown parameters are ignored",
                        VALID + "&Action=AssumeRole&Version=2011-06-15&Unknown=1&roleArn=lower&TaskPolicyArn=x",
                        Map.of("RoleArn", ROLE_ARN, "RoleSessionName", "session")),
                new Binding("an explicitly empty list is an empty list",
                        VALID + "&Tags=",
                        Map.of("RoleArn", ROLE_ARN, "RoleSessionName", "session", "Tags", List.of())),
                new Binding("list elements come in index order, not text order",
                        VALID + IntStream.rangeClosed(1, 11)
                                .mapToObj(i -> "&TransitiveTagKeys.member." + i + "=k" + i)
                                .collect(Collectors.joining()),
                        Map.of("RoleArn", ROLE_ARN, "RoleSessionName", "session", "TransitiveTagKeys",
                                IntStream.rangeClosed(1, 11).mapToObj(i -> "k" + i).toList())),
                new Binding("sparse indexes keep their order and close the gaps",
                        VALID + "&TransitiveTagKeys.member.3=c&TransitiveTagKeys.member.1=a"
                                + "&TransitiveTagKeys.member.7=g",
                        Map.of("RoleArn", ROLE_ARN, "RoleSessionName", "session", "TransitiveTagKeys",
                                List.of("a", "c", "g"))),
                new Binding("a parameter of another case than the list's name is an unknown parameter, ignored",
                        VALID + "&TransitiveTagKeys.member.2=b&transitiveTagKeys.member.x=letter"
                                + "&Tags.member.1.Key=k&Tags.member.1.Value=v&Tags.member.1.Unknown=u",
                        Map.of("RoleArn", ROLE_ARN, "RoleSessionName", "session", "TransitiveTagKeys",
                                List.of("b"), "Tags", List.of(Map.of("Key", "k", "Value", "v")))),
                new Binding("a list of structures",
                        VALID + "&Tags.member.1.Key=Project&Tags.member.1.Value=Pegasus"
                                + "&Tags.member.2.Key=Cost-Center&Tags.member.2.Value=",
                        Map.of("RoleArn", ROLE_ARN, "RoleSessionName", "session", "Tags", List.of(
                                Map.of("Key", "Project", "Value", "Pegasus"),
                                Map.of("Key", "Cost-Center", "Value", "")))),
                new Binding("values keep spaces, plus signs and non-ASCII letters",
                        VALID + "&Tags.member.1.Key=caf%C3%A9+key&Tags.member.1.Value=a%2Bb+%E6%97%A5%E6%9C%AC",
                        Map.of("RoleArn", ROLE_ARN, "RoleSessionName", "session", "Tags", List.of(
                                Map.of("Key", "café key", "Value", "a+b 日本")))),
                new Binding("length counts code points: four emoji are four characters",
                        VALID + "&Description=" + encode("\uD83D\uDE00".repeat(4)),
                        Map.of("RoleArn", ROLE_ARN, "RoleSessionName", "session", "Description",
                                "\uD83D\uDE00".repeat(4))),
                new Binding("an ARN may hold characters beyond the Basic Multilingual Plane",
                        "RoleArn=" + encode(ROLE_ARN + "\uD83D\uDE00") + "&RoleSessionName=session",
                        Map.of("RoleArn", ROLE_ARN + "\uD83D\uDE00", "RoleSessionName", "session")),
                new Binding("timestamps take an offset or epoch seconds",
                        VALID + "&NotBefore=2019-12-16T22%3A48%3A18-01%3A00",
                        Map.of("RoleArn", ROLE_ARN, "RoleSessionName", "session", "NotBefore",
                                Instant.parse("2019-12-16T23:48:18Z"))),
                new Binding("fractional epoch seconds keep their fraction",
                        VALID + "&NotBefore=946845296.123",
                        Map.of("RoleArn", ROLE_ARN, "RoleSessionName", "session", "NotBefore",
                                Instant.parse("2000-01-02T20:34:56.123Z"))));
    }

    /**
     * An element numbered 0, with a leading zero or with ten digits or more is refused as AWS refuses index 0
     * ({@code MalformedInput}), not ignored: the request would otherwise succeed without it (a session policy, an
     * audience, a tag to remove).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TransitiveTagKeys.member.0=zero", "TransitiveTagKeys.member.01=padded",
            "Tags.member.0.Key=k", "Tags.member.0001.Value=v", "TransitiveTagKeys.member.2147483648=big",
            "TransitiveTagKeys.member.1000000000=ten-digits", "Secrets.entry.0.key=k", "TransitiveTagKeys.member.x=x",
            "TransitiveTagKeys.member.%2B1=plus", "TransitiveTagKeys.member.%201=space",
            "TransitiveTagKeys.member.-1=m",
            "TransitiveTagKeys.member.3x=mixed", "TransitiveTagKeys.member.\uFF11=fullwidth",
            "Tags.member.\u0661.Key=arabic-indic", "TransitiveTagKeys.member.2%0DKey=line-break"})
    void bind_elementIndexNoClientWrites_isMalformedInput(String parameter) {
        String index = URLDecoder.decode(parameter.substring(0, parameter.indexOf('=')), UTF_8).split("\\.")[2]
                .replaceAll("[^\\x20-\\x7e]", "?");

        assertThatThrownBy(() -> bind(VALID + "&" + parameter))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.MALFORMED_INPUT);
                    assertThat(e.errorCode().httpStatus()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo(index + " is not a valid index");
                });
    }

    /**
     * A list or map written in another structure than its model's, or an element named with nothing it is made of,
     * is refused ({@code MalformedInput} "Start of list found where not expected", AWS's words for a list written
     * in the wrong structure), not ignored: the request would otherwise succeed without the element.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TransitiveTagKeys.1=flattened", "TransitiveTagKeys.Member.1=case",
            "TransitiveTagKeys.member=no-index", "TransitiveTagKeys.member..x=empty-index",
            "TransitiveTagKeys.member.1.x=a-scalar-with-a-part", "Tags.entry.1.Key=a-map-entry",
            "Tags.member.1=a-value-for-a-structure", "Secrets.1.key=k", "Secrets.entry.1.key=no-value",
            "Secrets.entry.1.value=no-key", "TransitiveTagKeys=a-value-for-the-list", "Tags=k", "Secrets=s"})
    void bind_listInAnotherStructure_isMalformedInput(String parameter) {
        assertThatThrownBy(() -> bind(VALID + "&" + parameter))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.MALFORMED_INPUT);
                    assertThat(e.getMessage()).isEqualTo("Start of list found where not expected");
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bindings")
    void bind_validRequest_givesTheValuesSent(Binding binding) {
        assertThat(plain(bind(binding.form()))).isEqualTo(binding.expected());
    }

    @Test
    void bind_emptyStructure_acceptsAnything() {
        StructureShape empty = StructureShape.empty("GetCallerIdentityRequest");

        Struct struct = QueryBinder.bind(empty, QueryParameters.builder().addForm("Action=GetCallerIdentity&x=1")
                .build());

        assertThat(struct.asMap()).isEmpty();
    }

    @Test
    void check_null_isMemberMustNotBeNull() {
        assertThatThrownBy(() -> QueryBinder.check(ROLE_SESSION_NAME, null, "roleName"))
                .hasMessage("1 validation error detected: Value null at 'roleName' failed to satisfy constraint: "
                        + "Member must not be null");
    }

    @Test
    void check_invalidValue_usesTheGivenMemberName_andLeavesTheValueOutAsIamDoes() {
        assertThatThrownBy(() -> QueryBinder.check(ROLE_SESSION_NAME, "x", "userName"))
                .isInstanceOf(ApiException.class)
                .hasMessage("1 validation error detected: Value at 'userName' failed to satisfy constraint: "
                        + "Member must have length greater than or equal to 2");
    }

    @Property
    void check_rejectsExactlyWhatBindRejects_withTheSameMessage(@ForAll("sessionNameCandidates") String name) {
        // A value bind accepts comes back as it was sent; check must then accept it too. check words violations as
        // IAM does, without the value.
        String fromBind = rejection(() -> assertThat(QueryBinder.bind(SESSION_NAME_ONLY,
                QueryParameters.of(Map.of("RoleSessionName", name)), ViolationWording.OMIT_VALUE)
                .requiredString("RoleSessionName"))
                .isEqualTo(name));
        String fromCheck = rejection(() -> QueryBinder.check(ROLE_SESSION_NAME, name, "roleSessionName"));

        assertThat(fromCheck).isEqualTo(fromBind);
    }

    @Property
    void anIntegerBinds_exactlyWhenInsideTheRange(@ForAll int seconds) {
        boolean inRange = seconds >= 900 && seconds <= 43200;

        if (inRange) {
            assertThat(bind(VALID + "&DurationSeconds=" + seconds).integer("DurationSeconds")).contains(seconds);
        } else {
            assertThatThrownBy(() -> bind(VALID + "&DurationSeconds=" + seconds))
                    .hasMessageContaining("Value '" + seconds + "' at 'durationSeconds'");
        }
    }

    @Property
    void aValidSessionName_comesBackAsSent(@ForAll("sessionNames") String name) {
        assertThat(bind("RoleArn=" + encode(ROLE_ARN) + "&RoleSessionName=" + encode(name))
                .string("RoleSessionName")).contains(name);
    }

    @Property
    void aTokenCodeOfTheWrongLength_givesTheSameRedactedMessage(@ForAll("wrongLengthCodes") String code) {
        String constraint = code.length() < 6 ? "greater than or equal to 6" : "less than or equal to 6";

        assertThatThrownBy(() -> bind(VALID + "&TokenCode=" + code))
                .hasMessage("1 validation error detected: Value at 'tokenCode' failed to satisfy constraint: "
                        + "Member must have length " + constraint);
    }

    @Property
    void listElements_comeBackInIndexOrder(@ForAll @Size(max = 50) List<@IntRange(min = 0, max = 999) Integer> keys) {
        String form = VALID + IntStream.range(0, keys.size())
                .mapToObj(i -> "&TransitiveTagKeys.member." + (i + 1) + "=k" + keys.get(i))
                .collect(Collectors.joining());

        assertThat(bind(form).strings("TransitiveTagKeys"))
                .containsExactlyElementsOf(keys.stream().map(key -> "k" + key).toList());
    }

    @Provide
    Arbitrary<String> sessionNames() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars("_+=,.@-")
                .ofMinLength(2).ofMaxLength(64);
    }

    /** Session names, valid or not: too short or long, or with a character the pattern refuses. */
    @Provide
    Arbitrary<String> sessionNameCandidates() {
        return Arbitraries.oneOf(sessionNames(), Arbitraries.strings().withCharRange('a', 'z')
                .withCharRange('0', '9').withChars("_+=,.@- /:é").ofMinLength(0).ofMaxLength(70));
    }

    /** The message of the {@code ValidationError} {@code call} throws, or null when it throws nothing. */
    private static String rejection(Runnable call) {
        try {
            call.run();
            return null;
        } catch (ApiException e) {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            return e.getMessage();
        }
    }

    @Provide
    Arbitrary<String> wrongLengthCodes() {
        return Arbitraries.strings().numeric().ofMaxLength(40).filter(code -> code.length() != 6);
    }

    private static Struct bind(String form) {
        return QueryBinder.bind(REQUEST, QueryParameters.builder().addForm(form).build());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, UTF_8);
    }

    /** A struct as nested maps and lists, for comparison. */
    private static Object plain(Object value) {
        if (value instanceof Struct struct) {
            return struct.asMap().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, entry -> plain(entry.getValue())));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(QueryBinderTest::plain).toList();
        }
        return value;
    }
}
