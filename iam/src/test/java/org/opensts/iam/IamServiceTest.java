package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.AccessKeyIds;
import org.opensts.token.Secret;

class IamServiceTest {
    private static final String ACCOUNT = "123456789012";
    private static final String TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},\
            "Action":"sts:AssumeRole"}]}""";
    private static final String ALLOW_S3 = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    private final JdbcIdentityStore store = TestStores.inMemory(TestStores.newMasterKey(), clock);
    private final IamService iam = new IamService(store, clock, new SecureRandom());

    IamServiceTest() {
        iam.accounts().createAccount(ACCOUNT);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static ApiException rejection(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void createUser_assignsAnAidaIdAndTheArnOfItsPath() {
        User user = iam.users().createUser(ACCOUNT, new CreateUserRequest("alice", Optional.of("/team/"), Optional.empty(),
                List.of(new Tag("Team", "Platform"))));

        assertThat(user.userId()).startsWith("AIDA").hasSize(21);
        assertThat(user.arn()).isEqualTo("arn:aws:iam::123456789012:user/team/alice");
        assertThat(user.createDate()).isEqualTo(clock.instant());
        assertThat(iam.users().getUser(ACCOUNT, "ALICE")).isEqualTo(user);
    }

    @Test
    void createUser_nameTakenInAnotherCase_isEntityAlreadyExists() {
        iam.users().createUser(ACCOUNT, CreateUserRequest.named("alice"));

        ApiException e = rejection(() -> iam.users().createUser(ACCOUNT, CreateUserRequest.named("Alice")));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ENTITY_ALREADY_EXISTS);
        assertThat(e.errorCode().httpStatus()).isEqualTo(409);
        assertThat(e.getMessage()).isEqualTo("User with name Alice already exists.");
    }

    record InvalidName(String name, String value, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<InvalidName> invalidUserNames() {
        return Stream.of(
                new InvalidName("a name with a space breaks the pattern", "al ice",
                        "1 validation error detected: Value 'al ice' at 'userName' failed to satisfy constraint: "
                                + "Member must satisfy regular expression pattern: [\\w+=,.@-]+"),
                new InvalidName("65 characters are one too many", "a".repeat(65),
                        "1 validation error detected: Value '" + "a".repeat(65) + "' at 'userName' failed to satisfy "
                                + "constraint: Member must have length less than or equal to 64"),
                new InvalidName("an empty name is too short and breaks the pattern", "",
                        "2 validation errors detected: Value '' at 'userName' failed to satisfy constraint: Member "
                                + "must have length greater than or equal to 1; Value '' at 'userName' failed to "
                                + "satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUserNames")
    void createUser_invalidName_isValidationErrorInAwsWords(InvalidName testCase) {
        ApiException e = rejection(() -> iam.users().createUser(ACCOUNT, CreateUserRequest.named(testCase.value())));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.getMessage()).isEqualTo(testCase.message());
    }

    @Test
    void createUser_pathWithoutTrailingSlash_isValidationError() {
        ApiException e = rejection(() -> iam.users().createUser(ACCOUNT, new CreateUserRequest("alice",
                Optional.of("/team"), Optional.empty(), List.of())));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.getMessage()).contains("at 'path'");
    }

    @Test
    void createUser_duplicateTagKeysInAnyCase_isInvalidInput() {
        ApiException e = rejection(() -> iam.users().createUser(ACCOUNT, new CreateUserRequest("alice", Optional.empty(),
                Optional.empty(), List.of(new Tag("Team", "a"), new Tag("team", "b")))));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
    }

    @Test
    void createUser_inAnAccountThatDoesNotExist_isNoSuchEntity() {
        assertThat(rejection(() -> iam.users().createUser("999999999999", CreateUserRequest.named("alice"))).errorCode())
                .isEqualTo(ErrorCode.NO_SUCH_ENTITY);
    }

    @Test
    void getUser_unknown_isNoSuchEntity404() {
        ApiException e = rejection(() -> iam.users().getUser(ACCOUNT, "nobody"));

        assertThat(e.errorCode().httpStatus()).isEqualTo(404);
        assertThat(e.getMessage()).isEqualTo("The user with name nobody cannot be found.");
    }

    @Test
    void createAccessKey_generatesAnAkiaIdOfTheAccountAndA40CharacterSecret() {
        iam.users().createUser(ACCOUNT, CreateUserRequest.named("alice"));

        AccessKeyCredentials key = iam.users().createAccessKey(ACCOUNT, "alice");

        assertThat(key.accessKey().accessKeyId()).startsWith("AKIA").hasSize(20);
        assertThat(AccessKeyIds.accountIdOf(key.accessKey().accessKeyId())).contains(ACCOUNT);
        assertThat(key.secretAccessKey().revealUtf8()).hasSize(40);
        assertThat(key.accessKey().status()).isEqualTo(AccessKeyStatus.ACTIVE);
        assertThat(store.findAccessKey(key.accessKey().accessKeyId()).orElseThrow().secretAccessKey()
                .matches(key.secretAccessKey().revealBytes())).isTrue();
    }

    @Test
    void createAccessKey_third_isLimitExceeded() {
        iam.users().createUser(ACCOUNT, CreateUserRequest.named("alice"));
        iam.users().createAccessKey(ACCOUNT, "alice");
        iam.users().createAccessKey(ACCOUNT, "alice");

        ApiException e = rejection(() -> iam.users().createAccessKey(ACCOUNT, "alice"));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThat(e.getMessage()).isEqualTo("Cannot exceed quota for AccessKeysPerUser: 2");
    }

    @Test
    void importAccessKey_idOfAnotherAccount_isInvalidInput() {
        iam.users().createUser(ACCOUNT, CreateUserRequest.named("alice"));
        String foreignId = AccessKeyIds.newLongTerm("210987654321", new SecureRandom());

        ApiException e = rejection(() -> iam.users().importAccessKey(ACCOUNT, "alice", foreignId,
                Secret.ofUtf8("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
    }

    @Test
    void createRole_defaultsToOneHourAndTheRootPath() {
        Role role = iam.roles().createRole(ACCOUNT, CreateRoleRequest.of("demo", TRUST));

        assertThat(role.roleId()).startsWith("AROA").hasSize(21);
        assertThat(role.arn()).isEqualTo("arn:aws:iam::123456789012:role/demo");
        assertThat(role.maxSessionDuration()).isEqualTo(3600);
        assertThat(iam.roles().getRole(ACCOUNT, "DEMO").assumeRolePolicyDocument()).isEqualTo(TRUST);
    }

    @Test
    void createRole_trustPolicyWithoutPrincipal_isMalformedPolicyDocument() {
        ApiException e = rejection(() -> iam.roles().createRole(ACCOUNT, CreateRoleRequest.of("demo", ALLOW_S3)));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.MALFORMED_POLICY_DOCUMENT);
        assertThat(e.errorCode().httpStatus()).isEqualTo(400);
    }

    @Test
    void createRole_trustPolicyNotJson_isMalformedPolicyDocument() {
        assertThat(rejection(() -> iam.roles().createRole(ACCOUNT, CreateRoleRequest.of("demo", "not json"))).errorCode())
                .isEqualTo(ErrorCode.MALFORMED_POLICY_DOCUMENT);
    }

    @Test
    void createRole_trustPolicyAboveItsQuota_isLimitExceeded() {
        var statements = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            statements.append(i == 0 ? "" : ",").append("{\"Sid\":\"S").append(i).append("\",\"Effect\":\"Allow\","
                    + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/u").append(i)
                    .append("\"},\"Action\":\"sts:AssumeRole\"}");
        }
        String large = "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}";

        ApiException e = rejection(() -> iam.roles().createRole(ACCOUNT, CreateRoleRequest.of("demo", large)));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThat(e.getMessage()).isEqualTo("Cannot exceed quota for ACLSizePerRole: 2048");
    }

    @Test
    void createRole_maxSessionDurationOutOfRange_isValidationError() {
        ApiException e = rejection(() -> iam.roles().createRole(ACCOUNT, new CreateRoleRequest("demo", Optional.empty(),
                TRUST, Optional.empty(), Optional.of(43201), Optional.empty(), List.of())));

        assertThat(e.getMessage()).isEqualTo("1 validation error detected: Value '43201' at 'maxSessionDuration' "
                + "failed to satisfy constraint: Member must have value less than or equal to 43200");
    }

    @Test
    void putRolePolicy_replacesAPolicyOfTheSameName() {
        Role role = iam.roles().createRole(ACCOUNT, CreateRoleRequest.of("demo", TRUST));
        iam.roles().putRolePolicy(ACCOUNT, "demo", "s3", ALLOW_S3);
        String other = ALLOW_S3.replace("s3:GetObject", "s3:PutObject");

        iam.roles().putRolePolicy(ACCOUNT, "demo", "s3", other);

        assertThat(store.listInlinePolicies(PolicyOwner.of(role))).containsExactly(new InlinePolicy("s3", other));
    }

    @Test
    void putRolePolicy_identityPolicyWithAPrincipal_isMalformedPolicyDocument() {
        iam.roles().createRole(ACCOUNT, CreateRoleRequest.of("demo", TRUST));

        assertThat(rejection(() -> iam.roles().putRolePolicy(ACCOUNT, "demo", "bad", TRUST)).errorCode())
                .isEqualTo(ErrorCode.MALFORMED_POLICY_DOCUMENT);
    }

    @Test
    void putUserPolicy_aggregateAboveTheUserQuota_isLimitExceeded() {
        iam.users().createUser(ACCOUNT, CreateUserRequest.named("alice"));
        String resources = "\"arn:aws:s3:::" + "b".repeat(1100) + "\"";
        String large = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":" + resources + "}]}";
        iam.users().putUserPolicy(ACCOUNT, "alice", "one", large);

        ApiException e = rejection(() -> iam.users().putUserPolicy(ACCOUNT, "alice", "two", large));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThat(e.getMessage()).isEqualTo("Maximum policy size of 2048 bytes exceeded for user alice");
        iam.users().putUserPolicy(ACCOUNT, "alice", "one", large);
    }

    @Test
    void updateRole_changesOnlyWhatIsGiven() {
        iam.roles().createRole(ACCOUNT, CreateRoleRequest.of("demo", TRUST));

        iam.roles().updateRole(ACCOUNT, "demo", Optional.of("for tests"), Optional.empty());
        iam.roles().updateRole(ACCOUNT, "demo", Optional.empty(), Optional.of(7200));

        Role role = iam.roles().getRole(ACCOUNT, "demo");
        assertThat(role.description()).contains("for tests");
        assertThat(role.maxSessionDuration()).isEqualTo(7200);
    }
}
