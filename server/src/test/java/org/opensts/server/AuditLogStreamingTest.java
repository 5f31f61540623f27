package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.User;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.ListShape;
import org.opensts.protocol.shape.MapShape;
import org.opensts.protocol.shape.ScalarShape;
import org.opensts.protocol.shape.ScalarType;
import org.opensts.protocol.shape.Struct;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.sts.CallerIdentity;
import org.opensts.sts.RequestMetadata;
import org.opensts.sts.StsShapes;
import org.opensts.sts.VerifiedFederatedCaller;
import org.opensts.token.AccessKeyIds;
import org.opensts.token.Session;
import org.opensts.token.SessionType;

/**
 * The audit events written streaming are, byte for byte, those the event maps serialized by databind were
 * ({@link MapAuditEvents}), whatever the call: the event's JSON is what downstream readers of the audit file parse.
 */
class AuditLogStreamingTest {
    /** The event id is random: the oracle is given the one the event under test drew. */
    private static final Pattern EVENT_ID = Pattern.compile("\"eventID\":\"([0-9a-f-]{36})\",\"eventType\"");

    private static final ScalarShape TEXT = ScalarShape.string("text").build();
    private static final ScalarShape SECRET = ScalarShape.string("secret").sensitive().build();
    private static final StructureShape TAG = StructureShape.builder("Tag")
            .required("Key", TEXT)
            .optional("Value", TEXT)
            .optional("Proof", SECRET)
            .build();
    private static final StructureShape INNER = StructureShape.builder("Inner")
            .optional("Name", TEXT)
            .optional("Tags", ListShape.of("tags", TAG))
            .build();
    /** Every kind of member a model has: each scalar type, a sensitive one, lists, structures, a map. */
    private static final StructureShape EVERYTHING = StructureShape.builder("EverythingRequest")
            .optional("RoleArn", TEXT)
            .optional("Text", TEXT)
            .optional("Secret", SECRET)
            .optional("Count", ScalarShape.integer("count").build())
            .optional("Size", ScalarShape.builder("size", ScalarType.LONG).build())
            .optional("Enabled", ScalarShape.builder("enabled", ScalarType.BOOLEAN).build())
            .optional("At", ScalarShape.builder("at", ScalarType.TIMESTAMP).build())
            .optional("Blob", ScalarShape.builder("blob", ScalarType.BLOB).build())
            .optional("Ratio", ScalarShape.builder("ratio", ScalarType.FLOAT).build())
            .optional("Weight", ScalarShape.builder("weight", ScalarType.DOUBLE).build())
            .optional("Keys", ListShape.of("keys", TEXT))
            .optional("Secrets", ListShape.of("secrets", SECRET))
            .optional("Matrix", ListShape.of("matrix", ListShape.of("row", TEXT)))
            .optional("Tags", ListShape.of("tags", TAG))
            .optional("Inner", INNER)
            .optional("Attributes", MapShape.of("attributes", TEXT, TEXT))
            .build();

    private static final RequestMetadata METADATA = new RequestMetadata("c6104cbe-af31-11e0-8154-cbc7ccf896c7",
            Instant.parse("2026-12-06T15:24:56.123Z"), "192.0.2.10", true, Optional.of("aws-cli/2.22.0"),
            "us-east-1");
    private static final CallerIdentity ALICE = CallerIdentity.ofUser(new User("123456789012",
            "AIDAJQABLZS4A3QDU576Q", "alice", "/", Instant.EPOCH, Optional.empty(), List.of()),
            "AKIAIOSFODNN7EXAMPLE");
    private static final CallerIdentity ROLE_SESSION = CallerIdentity.ofSession(Session.builder()
            .accessKeyId(AccessKeyIds.newTemporary("123456789012", new SecureRandom()))
            .accountId("123456789012")
            .type(SessionType.ASSUMED_ROLE)
            .principalArn("arn:aws:sts::123456789012:assumed-role/deploy/build-4711")
            .principalId("AROAY34FZKBOKMUTVV7AB:build-4711")
            .sourceArn("arn:aws:iam::123456789012:role/deploy")
            .sourceUniqueId("AROAY34FZKBOKMUTVV7AB")
            .sessionName("build-4711")
            .issuedAt(Instant.EPOCH)
            .expiration(Instant.EPOCH.plus(Duration.ofHours(1)))
            .build(), Optional.empty());

    /** A session of each kind whose {@code userIdentity} differs: role (plain, web identity, SAML), federated, user. */
    private static final List<Session> SESSIONS = List.of(
            ROLE_SESSION.session().orElseThrow(),
            ROLE_SESSION.session().orElseThrow().toBuilder()
                    .federatedProvider("arn:aws:iam::123456789012:oidc-provider/token.actions.example.com")
                    .sourceIdentity("alice@example.com")
                    .build(),
            ROLE_SESSION.session().orElseThrow().toBuilder()
                    .federatedProvider("arn:aws:iam::123456789012:saml-provider/corp")
                    .build(),
            ROLE_SESSION.session().orElseThrow().toBuilder()
                    .type(SessionType.FEDERATED_USER)
                    .principalArn("arn:aws:sts::123456789012:federated-user/bob")
                    .principalId("123456789012:bob")
                    .sourceArn("arn:aws:iam::123456789012:user/alice")
                    .sourceUniqueId("AIDAJQABLZS4A3QDU576Q")
                    .sessionName("bob")
                    .build(),
            ROLE_SESSION.session().orElseThrow().toBuilder()
                    .type(SessionType.FEDERATED_USER)
                    .principalArn("arn:aws:sts::123456789012:federated-user/bob")
                    .principalId("123456789012:bob")
                    .sourceArn("arn:aws:iam::123456789012:root")
                    .sourceUniqueId("123456789012")
                    .sessionName("bob")
                    .build(),
            ROLE_SESSION.session().orElseThrow().toBuilder()
                    .type(SessionType.SESSION_USER)
                    .principalArn("arn:aws:iam::123456789012:user/alice")
                    .principalId("AIDAJQABLZS4A3QDU576Q")
                    .sourceArn("arn:aws:iam::123456789012:user/alice")
                    .sessionName(null)
                    .build());

    record Case(String name, AuditLog.Call call) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> calls() {
        String emoji = "\uD83D\uDE00";
        String controls = "quote \" backslash \\ slash / newline \n tab \t nul \u0000 unit \u001F del \u007F"
                + " separators \u2028\u2029 accents \u00E9\u00FC cjk \u6F22\u5B57 " + emoji + " lone \uD800 \uDC00";
        Struct tag = Struct.builder(TAG).put("Key", "Project").put("Value", controls).put("Proof", "tag-proof-1")
                .build();
        var elements = new LinkedHashMap<String, Object>();
        elements.put("credentials", Map.of("accessKeyId", "ASIAJEXAMPLEXEG2JICEA",
                "expiration", "2026-12-06T16:24:56Z"));
        elements.put("assumedRoleUser", Map.of("assumedRoleId", "AROA3XFRBF535PLBIFPI4:build-4711",
                "arn", "arn:aws:sts::123456789012:assumed-role/deploy/build-4711"));
        elements.put("packedPolicySize", 6);
        var nested = new LinkedHashMap<String, Object>();
        nested.put("none", null);
        nested.put("empty map", Map.of());
        nested.put("empty list", List.of());
        nested.put("numbers", Arrays.asList(1, -2L, 0.5, 1.0e300, 2.5f, Double.NaN, Float.POSITIVE_INFINITY,
                new BigDecimal("1.50E+3"), new BigInteger("123456789012345678901234567890"), (short) 7, (byte) -8));
        nested.put("flags", List.of(true, false));
        nested.put(controls, List.of(List.of(Map.of("deep", controls)), Collections.singletonList(null)));
        String cutInPair = "p".repeat(AuditLog.MAX_STRING - 1) + emoji + "rest";
        String longMessage = "m".repeat(AuditLog.MAX_MESSAGE - 1) + emoji + "rest";
        return Stream.of(
                new Case("AssumeRole by an IAM user", call(Optional.of(ALICE), StsShapes.ASSUME_ROLE_REQUEST,
                        Struct.builder(StsShapes.ASSUME_ROLE_REQUEST)
                                .put("RoleArn", "arn:aws:iam::123456789012:role/deploy")
                                .put("RoleSessionName", "build-4711")
                                .put("DurationSeconds", 3600)
                                .build(), elements, Optional.empty())),
                new Case("a role session's call", call(Optional.of(ROLE_SESSION), StsShapes.ASSUME_ROLE_REQUEST,
                        Struct.builder(StsShapes.ASSUME_ROLE_REQUEST)
                                .put("RoleArn", "arn:aws:iam::123456789012:role/next")
                                .put("RoleSessionName", "chained")
                                .build(), Map.of(), Optional.empty())),
                new Case("sensitive members left out, at every depth", call(Optional.of(ALICE),
                        StsShapes.ASSUME_ROLE_REQUEST, Struct.builder(StsShapes.ASSUME_ROLE_REQUEST)
                                .put("RoleArn", "arn:aws:iam::123456789012:role/demo")
                                .put("RoleSessionName", "session")
                                .put("SerialNumber", "arn:aws:iam::123456789012:mfa/alice")
                                .put("TokenCode", "123456")
                                .put("ProvidedContexts", List.of(Struct.builder(StsShapes.PROVIDED_CONTEXT)
                                        .put("ProviderArn", "arn:aws:iam::aws:contextProvider/IdentityCenter")
                                        .put("ContextAssertion", "signed-context-assertion-4f1c")
                                        .build()))
                                .build(), Map.of(), Optional.empty())),
                new Case("a string cut, a surrogate pair at the cut", call(Optional.of(ALICE), EVERYTHING,
                        Struct.builder(EVERYTHING).put("Text", cutInPair).build(), Map.of(), Optional.empty())),
                new Case("a list cut", call(Optional.of(ALICE), EVERYTHING, Struct.builder(EVERYTHING)
                        .put("Keys", Collections.nCopies(AuditLog.MAX_ELEMENTS + 1, "key"))
                        .build(), Map.of(), Optional.empty())),
                new Case("a list cut inside a list", call(Optional.of(ALICE), EVERYTHING, Struct.builder(EVERYTHING)
                        .put("Matrix", List.of(List.of("a"), Collections.nCopies(AuditLog.MAX_ELEMENTS + 5, "cell")))
                        .build(), Map.of(), Optional.empty())),
                new Case("a string cut inside a structure in a list", call(Optional.of(ALICE), EVERYTHING,
                        Struct.builder(EVERYTHING).put("Tags", List.of(Struct.builder(TAG).put("Key", cutInPair)
                                .build())).build(), Map.of(), Optional.empty())),
                new Case("a list of exactly the most elements, not cut", call(Optional.of(ALICE), EVERYTHING,
                        Struct.builder(EVERYTHING)
                                .put("Keys", Collections.nCopies(AuditLog.MAX_ELEMENTS, "key"))
                                .put("Text", "t".repeat(AuditLog.MAX_STRING))
                                .build(), Map.of(), Optional.empty())),
                new Case("nested structures, lists, every scalar type", call(Optional.of(ALICE), EVERYTHING,
                        Struct.builder(EVERYTHING)
                                .put("RoleArn", "arn:aws:iam::210987654321:role/ci")
                                .put("Secret", "secret-member-value")
                                .put("Count", -7)
                                .put("Size", 1L << 40)
                                .put("Enabled", true)
                                .put("At", Instant.parse("2026-01-02T03:04:05.678901Z"))
                                .put("Blob", new byte[] {1, 2, 3})
                                .put("Ratio", 0.1f)
                                .put("Weight", -0.0)
                                .put("Secrets", List.of("s1", "s2"))
                                .put("Matrix", List.of(List.of("a", "b"), List.of()))
                                .put("Tags", List.of(tag, Struct.builder(TAG).put("Key", "Team").build()))
                                .put("Inner", Struct.builder(INNER).put("Name", "inner").put("Tags", List.of(tag))
                                        .build())
                                .put("Attributes", Map.of("k", controls))
                                .build(), nested, Optional.empty())),
                new Case("unicode, control characters and quotes everywhere", call(Optional.of(ALICE), EVERYTHING,
                        Struct.builder(EVERYTHING).put("Text", controls).put("Keys", List.of(controls, "")).build(),
                        Map.of(controls, controls), Optional.of(new ApiException(ErrorCode.VALIDATION_ERROR,
                                controls)))),
                new Case("an error, its message cut in a surrogate pair", call(Optional.of(ALICE),
                        StsShapes.ASSUME_ROLE_REQUEST, Struct.empty(StsShapes.ASSUME_ROLE_REQUEST), Map.of(),
                        Optional.of(new ApiException(ErrorCode.ACCESS_DENIED, longMessage)))),
                new Case("unsigned, recorded in the role's account", call(Optional.empty(),
                        StsShapes.ASSUME_ROLE_WITH_WEB_IDENTITY_REQUEST,
                        Struct.builder(StsShapes.ASSUME_ROLE_WITH_WEB_IDENTITY_REQUEST)
                                .put("RoleArn", "arn:aws:iam::210987654321:role/ci")
                                .put("RoleSessionName", "session")
                                .put("WebIdentityToken", "header.payload.signature")
                                .build(), Map.of(), Optional.empty())),
                new Case("unsigned, the role not an ARN", call(Optional.empty(),
                        StsShapes.ASSUME_ROLE_WITH_WEB_IDENTITY_REQUEST,
                        Struct.builder(StsShapes.ASSUME_ROLE_WITH_WEB_IDENTITY_REQUEST)
                                .put("RoleArn", "not-an-arn")
                                .build(), Map.of(), Optional.of(ApiException.validationError("bad")))),
                new Case("no action found: neither shape nor input", new AuditLog.Call(ApiVersion.IAM, "Nope",
                        new RequestMetadata("r", Instant.EPOCH, "::1", false, Optional.empty(), "eu-west-1"),
                        Optional.empty(), Optional.empty(), Optional.empty(), Map.of(),
                        Optional.of(new ApiException(ErrorCode.INVALID_ACTION, "Could not find operation Nope"))))
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void write_isTheMapEventByteForByte(Case c) throws Exception {
        String line = written(() -> AuditLog.write(c.call()));

        assertThat(line).isEqualTo(MapAuditEvents.event(c.call(), eventId(line)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void writeWhenDone_isTheSameLine(Case c) throws Exception {
        var outcome = new AtomicReference<Object>("not called");
        String line = written(() -> AuditLog.write(c.call(), outcome::set));

        assertThat(outcome.get()).isNull();
        assertThat(line).isEqualTo(MapAuditEvents.event(c.call(), eventId(line)));
    }

    @Test
    void sensitiveMembers_areNotInTheLine() {
        Case c = calls().filter(each -> each.name().startsWith("sensitive")).findFirst().orElseThrow();

        String line = written(() -> AuditLog.write(c.call()));

        assertThat(line).doesNotContain("signed-context-assertion-4f1c").doesNotContain("123456\"")
                .contains("\"providerArn\":\"arn:aws:iam::aws:contextProvider/IdentityCenter\"");
    }

    @Test
    void responseElementsOfAnotherKind_areNotRecorded_andTheCallIsToldSo() {
        var call = call(Optional.of(ALICE), StsShapes.ASSUME_ROLE_REQUEST,
                Struct.empty(StsShapes.ASSUME_ROLE_REQUEST), Map.of("when", Instant.EPOCH), Optional.empty());
        var outcome = new AtomicReference<Object>("not called");
        var lines = new ArrayList<String>();

        AuditLog.sendTo(lines::add);
        try {
            assertThatThrownBy(() -> AuditLog.write(call)).isInstanceOf(AuditUnavailableException.class)
                    .hasMessageContaining("cannot be serialized");
            AuditLog.write(call, outcome::set);
        } finally {
            AuditLog.sendToLogger();
        }

        assertThat(lines).isEmpty();
        assertThat(outcome.get()).isInstanceOf(AuditUnavailableException.class);
        // As the map path refused it.
        assertThatThrownBy(() -> MapAuditEvents.event(call, "id")).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void authorizationEvent_isTheMapEventByteForByte() throws Exception {
        var parameters = new LinkedHashMap<String, Object>();
        parameters.put("action", "s3:GetObject");
        parameters.put("resource", "arn:aws:s3:::bucket/\"key\"\n\u00E9");
        parameters.put("resourceAccount", null);
        var response = new LinkedHashMap<String, Object>();
        response.put("authenticated", true);
        response.put("decision", "Allow");

        for (Optional<CallerIdentity> caller : List.of(Optional.of(ALICE), Optional.<CallerIdentity>empty())) {
            String line = written(() -> AuditLog.writeEvent(AuthorizationApi.SIGNING_NAME, "Authorize", METADATA,
                    caller, parameters, response, Optional.of("AccessDenied"), Optional.of("m".repeat(2_000))));

            assertThat(line).isEqualTo(MapAuditEvents.event(AuthorizationApi.SIGNING_NAME, "Authorize", METADATA,
                    caller, parameters, response, Optional.of("AccessDenied"), Optional.of("m".repeat(2_000)),
                    eventId(line)));
        }
    }

    @Property(tries = 300)
    void anyCall_isTheMapEventByteForByte(@ForAll("anyCalls") AuditLog.Call call) throws Exception {
        String line = written(() -> AuditLog.write(call));

        assertThat(line).isEqualTo(MapAuditEvents.event(call, eventId(line)));
    }

    @Property(tries = 200)
    void anyAuthorizationEvent_isTheMapEventByteForByte(@ForAll("texts") String eventName,
            @ForAll("metadata") RequestMetadata metadata, @ForAll("callers") Optional<CallerIdentity> caller,
            @ForAll("elements") Map<String, Object> parameters, @ForAll("elements") Map<String, Object> response,
            @ForAll("optionalTexts") Optional<String> errorCode, @ForAll("optionalTexts") Optional<String> message)
            throws Exception {
        String line = written(() -> AuditLog.writeEvent(AuthorizationApi.SIGNING_NAME, eventName, metadata, caller,
                parameters, response, errorCode, message));

        assertThat(line).isEqualTo(MapAuditEvents.event(AuthorizationApi.SIGNING_NAME, eventName, metadata, caller,
                parameters, response, errorCode, message, eventId(line)));
    }

    @Provide
    Arbitrary<AuditLog.Call> anyCalls() {
        Arbitrary<Optional<ApiException>> errors = Combinators.combine(Arbitraries.of(ErrorCode.class), texts())
                .as(ApiException::new).optional(0.3);
        Arbitrary<String> actions = Arbitraries.oneOf(texts(),
                Arbitraries.of("AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"));
        return Combinators.combine(Arbitraries.of(ApiVersion.class), actions, metadata(), callers(),
                        inputs().optional(0.8), federationElements(), errors, federatedCallers().optional(0.3))
                .as((api, action, metadata, caller, input, elements, error, federated) -> new AuditLog.Call(api,
                        action, metadata, caller, Optional.of(EVERYTHING), input, elements, error, federated));
    }

    /** Who a verified token or assertion names, as a federation call refused after verifying it carries. */
    Arbitrary<VerifiedFederatedCaller> federatedCallers() {
        return Arbitraries.oneOf(
                Combinators.combine(texts(), texts(), texts()).as(VerifiedFederatedCaller.WebIdentity::new),
                Combinators.combine(texts(), texts()).as(VerifiedFederatedCaller.Saml::new));
    }

    @Provide
    Arbitrary<RequestMetadata> metadata() {
        return Combinators.combine(texts(), Arbitraries.longs().between(0, 253_402_300_799L),
                        Arbitraries.integers().between(0, 999_999_999), texts(), optionalTexts(), texts())
                .as((requestId, seconds, nanos, sourceIp, agent, region) -> new RequestMetadata(requestId,
                        Instant.ofEpochSecond(seconds, nanos), sourceIp, false, agent, region));
    }

    @Provide
    Arbitrary<Optional<CallerIdentity>> callers() {
        Arbitrary<CallerIdentity> users = Combinators.combine(texts(), texts(), texts(), texts())
                .as((account, arn, userId, keyId) -> new CallerIdentity(account, arn, userId, keyId,
                        ALICE.user(), Optional.empty()));
        // Each kind of session, issued at any millisecond a token allows, with MFA proven or not.
        Arbitrary<CallerIdentity> sessions = Combinators.combine(Arbitraries.of(SESSIONS),
                        Arbitraries.longs().between(0, Instant.parse("9999-12-31T22:59:59Z").toEpochMilli()),
                        Arbitraries.of(true, false))
                .as((session, issued, mfa) -> CallerIdentity.ofSession(session.toBuilder()
                        .issuedAt(Instant.ofEpochMilli(issued))
                        .expiration(Instant.ofEpochMilli(issued).plus(Duration.ofHours(1)))
                        .mfaAuthenticatedAt(mfa ? Instant.ofEpochMilli(issued) : null)
                        .build(), Optional.empty()));
        return Arbitraries.frequencyOf(Tuple.of(3, users), Tuple.of(1, Arbitraries.just(ROLE_SESSION)),
                        Tuple.of(3, sessions))
                .optional(0.7);
    }

    /**
     * The response elements of an answered AssumeRoleWithWebIdentity or AssumeRoleWithSAML, of which the event's
     * {@code userIdentity} is made, with any text in them; or any elements.
     */
    @Provide
    Arbitrary<Map<String, Object>> federationElements() {
        Arbitrary<Map<String, Object>> webIdentity = Combinators.combine(texts(), texts(), texts())
                .as((provider, audience, subject) -> {
                    var elements = new LinkedHashMap<String, Object>();
                    elements.put("subjectFromWebIdentityToken", subject);
                    elements.put("provider", provider);
                    elements.put("audience", audience);
                    return elements;
                });
        Arbitrary<Map<String, Object>> saml = Combinators.combine(texts(), texts())
                .as((qualifier, subject) -> {
                    var elements = new LinkedHashMap<String, Object>();
                    elements.put("subject", subject);
                    elements.put("nameQualifier", qualifier);
                    return elements;
                });
        return Arbitraries.oneOf(webIdentity, saml, elements());
    }

    private static Arbitrary<Struct> inputs() {
        Arbitrary<Struct> tags = Builders.withBuilder(() -> Struct.builder(TAG))
                .use(texts()).in((b, v) -> b.put("Key", v))
                .use(texts()).withProbability(0.5).in((b, v) -> b.put("Value", v))
                .use(texts()).withProbability(0.5).in((b, v) -> b.put("Proof", v))
                .build(Struct.Builder::build);
        Arbitrary<Struct> inner = Builders.withBuilder(() -> Struct.builder(INNER))
                .use(texts()).withProbability(0.5).in((b, v) -> b.put("Name", v))
                .use(lists(tags)).withProbability(0.5).in((b, v) -> b.put("Tags", v))
                .build(Struct.Builder::build);
        Arbitrary<String> roleArns = Arbitraries.oneOf(texts(),
                Arbitraries.strings().numeric().ofMaxLength(12).map(account -> "arn:aws:iam::" + account + ":role/r"));
        return Builders.withBuilder(() -> Struct.builder(EVERYTHING))
                .use(roleArns).withProbability(0.5).in((b, v) -> b.put("RoleArn", v))
                .use(texts()).withProbability(0.5).in((b, v) -> b.put("Text", v))
                .use(texts()).withProbability(0.3).in((b, v) -> b.put("Secret", v))
                .use(Arbitraries.integers()).withProbability(0.3).in((b, v) -> b.put("Count", v))
                .use(Arbitraries.longs()).withProbability(0.3).in((b, v) -> b.put("Size", v))
                .use(Arbitraries.of(true, false)).withProbability(0.3).in((b, v) -> b.put("Enabled", v))
                .use(Arbitraries.longs().between(-62_135_596_800L, 253_402_300_799L).map(Instant::ofEpochSecond))
                .withProbability(0.3).in((b, v) -> b.put("At", v))
                .use(Arbitraries.bytes().array(byte[].class).ofMaxSize(8)).withProbability(0.3)
                .in((b, v) -> b.put("Blob", v))
                .use(Arbitraries.floats().withSpecialValue(Float.NaN)).withProbability(0.3)
                .in((b, v) -> b.put("Ratio", v))
                .use(Arbitraries.doubles().withSpecialValue(Double.NEGATIVE_INFINITY)).withProbability(0.3)
                .in((b, v) -> b.put("Weight", v))
                .use(lists(texts())).withProbability(0.5).in((b, v) -> b.put("Keys", v))
                .use(lists(texts())).withProbability(0.2).in((b, v) -> b.put("Secrets", v))
                .use(lists(texts().list().ofMaxSize(3))).withProbability(0.2).in((b, v) -> b.put("Matrix", v))
                .use(lists(tags)).withProbability(0.3).in((b, v) -> b.put("Tags", v))
                .use(inner).withProbability(0.3).in((b, v) -> b.put("Inner", v))
                .use(Arbitraries.maps(texts(), texts()).ofMaxSize(3)).withProbability(0.2)
                .in((b, v) -> b.put("Attributes", v))
                .build(Struct.Builder::build);
    }

    /** Short lists mostly, and some about as long as an event records. */
    private static <T> Arbitrary<List<T>> lists(Arbitrary<T> elements) {
        return Arbitraries.frequencyOf(Tuple.of(4, elements.list().ofMaxSize(4)),
                Tuple.of(1, elements.list().ofMinSize(AuditLog.MAX_ELEMENTS - 1).ofMaxSize(AuditLog.MAX_ELEMENTS + 2)));
    }

    /** Any UTF-16 text (lone surrogates too), and some about as long as an event records whole. */
    @Provide
    static Arbitrary<String> texts() {
        Arbitrary<Integer> aroundTheCut = Arbitraries.integers().between(AuditLog.MAX_STRING - 3,
                AuditLog.MAX_STRING + 1);
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.strings().all().ofMaxLength(20)),
                Tuple.of(3, Arbitraries.strings().withCharRange('\u0000', '\u00FF').ofMaxLength(20)),
                Tuple.of(1, aroundTheCut.map(length -> "p".repeat(length) + "\uD83D\uDE00" + "rest")),
                Tuple.of(1, aroundTheCut.map(length -> "m".repeat(length - AuditLog.MAX_STRING
                        + AuditLog.MAX_MESSAGE) + "\uD83D\uDE00")));
    }

    @Provide
    Arbitrary<Optional<String>> optionalTexts() {
        return texts().optional(0.5);
    }

    @Provide
    Arbitrary<Map<String, Object>> elements() {
        return maps(2);
    }

    private static Arbitrary<Map<String, Object>> maps(int depth) {
        return Arbitraries.maps(texts(), values(depth)).ofMaxSize(4);
    }

    /** What actions put in response elements: maps, lists, strings, numbers, booleans and nulls, nested. */
    private static Arbitrary<Object> values(int depth) {
        Arbitrary<Object> scalars = Arbitraries.oneOf(
                texts().map(Object.class::cast),
                Arbitraries.integers().map(Object.class::cast),
                Arbitraries.longs().map(Object.class::cast),
                Arbitraries.doubles().withSpecialValue(Double.NaN).map(Object.class::cast),
                Arbitraries.floats().map(Object.class::cast),
                Arbitraries.bigDecimals().map(Object.class::cast),
                Arbitraries.bigIntegers().map(Object.class::cast),
                Arbitraries.of(true, false).map(Object.class::cast)).injectNull(0.1);
        if (depth == 0) {
            return scalars;
        }
        return Arbitraries.frequencyOf(Tuple.of(4, scalars),
                Tuple.of(1, values(depth - 1).list().ofMaxSize(3).map(Object.class::cast)),
                Tuple.of(1, maps(depth - 1).map(Object.class::cast)));
    }

    private static AuditLog.Call call(Optional<CallerIdentity> caller, StructureShape shape, Struct input,
            Map<String, Object> elements, Optional<ApiException> error) {
        return new AuditLog.Call(ApiVersion.STS, "AssumeRole", METADATA, caller, Optional.of(shape),
                Optional.of(input), elements, error);
    }

    /** The one line {@code write} sends to the process's sink. */
    private static String written(Runnable write) {
        var lines = new ArrayList<String>();
        AuditLog.sendTo(lines::add);
        try {
            write.run();
        } finally {
            AuditLog.sendToLogger();
        }
        assertThat(lines).hasSize(1);
        return lines.get(0);
    }

    /** The event's own id: the last in the line, as any earlier one is a value the call gave. */
    private static String eventId(String line) {
        Matcher matcher = EVENT_ID.matcher(line);
        String id = null;
        while (matcher.find()) {
            id = matcher.group(1);
        }
        assertThat(id).isNotNull();
        return id;
    }
}
