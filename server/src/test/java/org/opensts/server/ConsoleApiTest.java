package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.protocol.ApiException;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The console's JSON APIs through a node on loopback, called as the console page calls them: signed for
 * {@code opensts} with the principal's own credentials. The audit events are lines written into the node's data
 * directory, as {@code opensts serve} writes them, for this account and another.
 */
class ConsoleApiTest {
    /** How a body the parser refuses is answered: where it stopped, or that it is past the parser's limits. */
    private static final String NOT_JSON = "The body is not valid JSON( \\(line \\d+, column \\d+\\))?\\."
            + "|The body is not valid JSON: it nests deeper than 1,000 levels or holds a value longer than the parser"
            + " takes\\.";
    private static final String ACCOUNT = TestNodes.ACCOUNT;
    private static final String OTHER_ACCOUNT = "999999999999";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Set<String> RESTRICTED = Set.of("host", "content-length");
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    static Path dataDir;

    private static OpenStsNode node;
    private static IamClient admin;
    private static AwsBasicCredentials operator;
    private static AwsBasicCredentials bystander;

    @BeforeAll
    static void start() throws Exception {
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir.resolve("node"),
                new InetSocketAddress("127.0.0.1", 0), ACCOUNT));
        admin = SdkClients.iam(node, SdkClients.credentials(node.initialAdmin().orElseThrow()));
        operator = createUser("operator", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":[\"opensts:ListAuditEvents\",\"opensts:DescribeNode\",\"opensts:ValidatePolicy\","
                + "\"sts:GetCallerIdentity\"],\"Resource\":\"*\"}]}");
        bystander = createUser("bystander", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"sts:GetCallerIdentity\",\"Resource\":\"*\"}]}");
        writeAuditFiles(dataDir.resolve("node"));
    }

    @AfterAll
    static void stop() {
        admin.close();
        node.close();
    }

    private static AwsBasicCredentials createUser(String name, String policy) {
        admin.createUser(r -> r.userName(name));
        admin.putUserPolicy(r -> r.userName(name).policyName("permissions").policyDocument(policy));
        var key = admin.createAccessKey(r -> r.userName(name)).accessKey();
        return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
    }

    /**
     * Event {@code n} at T0 + n minutes: even ones of this account, odd ones of the other; every third an AssumeRole
     * by alice that failed with AccessDenied, the rest GetCallerIdentity by bob.
     */
    private static String event(int n) {
        String account = n % 2 == 0 ? ACCOUNT : OTHER_ACCOUNT;
        boolean alice = n % 3 == 0;
        return "{\"eventVersion\":\"1.08\",\"eventTime\":\"" + T0.plusSeconds(60L * n) + "\","
                + "\"eventSource\":\"sts.amazonaws.com\",\"eventName\":\""
                + (alice ? "AssumeRole" : "GetCallerIdentity") + "\",\"userIdentity\":{\"type\":\"IAMUser\","
                + "\"principalId\":\"AIDA" + (alice ? "ALICE" : "BOB")
                + "\",\"arn\":\"arn:aws:iam::" + account + ":user/" + (alice ? "alice" : "bob") + "\",\"accountId\":\""
                + account + "\"}," + (alice ? "\"errorCode\":\"AccessDenied\",\"errorMessage\":\"no\"," : "")
                + "\"requestID\":\"r" + n + "\",\"n\":" + n + ",\"recipientAccountId\":\"" + account + "\"}\n";
    }

    private static void writeAuditFiles(Path dir) throws Exception {
        var rolled = new StringBuilder();
        for (int n = 0; n < 30; n++) {
            rolled.append(event(n));
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(
                "audit.2026-12-01.0.log.gz")))) {
            out.write(rolled.toString().getBytes(UTF_8));
        }
        var live = new StringBuilder();
        for (int n = 30; n < 60; n++) {
            live.append(event(n));
        }
        // The node's own events may go to this file too (as under `opensts serve`); the events above are older.
        Files.writeString(dir.resolve("audit.log"), live.toString(), UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    private static SigningCredentials signing(AwsCredentials credentials) {
        byte[] secret = credentials.secretAccessKey().getBytes(UTF_8);
        return credentials instanceof AwsSessionCredentials session
                ? SigningCredentials.of(session.accessKeyId(), secret, session.sessionToken())
                : SigningCredentials.of(credentials.accessKeyId(), secret);
    }

    private static HttpResponse<String> call(AwsCredentials caller, String service, String path, String body)
            throws Exception {
        URI endpoint = node.endpoint().resolve(path);
        byte[] bytes = body.getBytes(UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofByteArray(
                bytes));
        if (caller != null) {
            SignableRequest signed = SigV4Signer.create().sign(SignableRequest.builder().method("POST").path(path)
                    .addHeader("Host", endpoint.getAuthority()).addHeader("Content-Type", "application/json")
                    .body(bytes).build(), signing(caller), "us-east-1", service, Instant.now());
            for (int i = 0; i < signed.headerCount(); i++) {
                if (!RESTRICTED.contains(signed.headerName(i).toLowerCase(Locale.ROOT))) {
                    request.header(signed.headerName(i), signed.headerValue(i));
                }
            }
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(String path, String body) throws Exception {
        HttpResponse<String> response = call(operator, "opensts", path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        return JSON.readTree(response.body());
    }

    private static List<Integer> ns(JsonNode answer) {
        var ns = new ArrayList<Integer>();
        answer.get("Events").forEach(event -> {
            if (event.has("n")) {
                ns.add(event.get("n").asInt());
            }
        });
        return ns;
    }

    // Who may call

    record Refusal(String name, String path, int status, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Refusal> refusals() {
        return Stream.of(ConsoleApi.AUDIT_EVENTS, ConsoleApi.NODE, ConsoleApi.POLICY_VALIDATION).flatMap(path ->
                Stream.of(new Refusal(path + " unsigned", path, 403, "MissingAuthenticationToken"),
                        new Refusal(path + " signed for sts", path, 403, null),
                        new Refusal(path + " by a principal not allowed", path, 403, "AccessDenied")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void call_notSignedForOpenStsByAnAllowedPrincipal_isRefused(Refusal c) throws Exception {
        HttpResponse<String> response = c.name().endsWith("unsigned") ? call(null, "opensts", c.path(), "{}")
                : c.name().endsWith("sts") ? call(operator, "sts", c.path(), "{}")
                : call(bystander, "opensts", c.path(), "{}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(c.status());
        JsonNode error = JSON.readTree(response.body()).get("Error");
        assertThat(error.get("Message").asText()).isNotEmpty();
        if (c.code() != null) {
            assertThat(error.get("Code").asText()).isEqualTo(c.code());
        }
        assertThat(response.headers().firstValue("Content-Security-Policy")).isPresent();
    }

    @Test
    void call_get_isMethodNotAllowed() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(node.endpoint().resolve("/node")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
    }

    @Test
    void roleSession_allowedByItsRole_mayCall() throws Exception {
        admin.createRole(r -> r.roleName("viewer").assumeRolePolicyDocument("{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + ACCOUNT
                + ":root\"},\"Action\":\"sts:AssumeRole\"}]}"));
        admin.putRolePolicy(r -> r.roleName("viewer").policyName("node").policyDocument("{\"Version\":"
                + "\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"opensts:DescribeNode\","
                + "\"Resource\":\"*\"}]}"));
        admin.updateAssumeRolePolicy(r -> r.roleName("viewer").policyDocument("{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + ACCOUNT
                + ":user/admin\"},\"Action\":\"sts:AssumeRole\"}]}"));
        AwsSessionCredentials session;
        try (StsClient sts = SdkClients.sts(node, SdkClients.credentials(node.initialAdmin().orElseThrow()))) {
            var credentials = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + ACCOUNT + ":role/viewer")
                    .roleSessionName("console")).credentials();
            session = AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                    credentials.sessionToken());
        }

        assertThat(call(session, "opensts", ConsoleApi.NODE, "{}").statusCode()).isEqualTo(200);
        assertThat(call(session, "opensts", ConsoleApi.AUDIT_EVENTS, "{}").statusCode()).isEqualTo(403);
    }

    // POST /audit/events

    @Test
    void auditEvents_newestFirst_onlyOfTheCallersAccount() throws Exception {
        JsonNode answer = ok(ConsoleApi.AUDIT_EVENTS, "{\"MaxResults\":200}");

        List<Integer> ns = ns(answer);
        assertThat(ns).isNotEmpty().allMatch(n -> n % 2 == 0).isSortedAccordingTo((a, b) -> b - a);
        assertThat(ns).startsWith(58, 56).endsWith(2, 0).hasSize(30);
        answer.get("Events").forEach(event -> assertThat(event.toString()).doesNotContain(OTHER_ACCOUNT));
    }

    @Test
    void auditEvents_pagedByTwo_givesEveryEventOnceAcrossTheFiles() throws Exception {
        var ns = new ArrayList<Integer>();
        String token = null;
        int pages = 0;
        do {
            JsonNode answer = ok(ConsoleApi.AUDIT_EVENTS, "{\"MaxResults\":2,\"EventName\":\"GetCallerIdentity\""
                    + (token == null ? "" : ",\"NextToken\":\"" + token + "\"") + "}");
            assertThat(answer.get("Events").size()).isLessThanOrEqualTo(2);
            ns.addAll(ns(answer));
            token = answer.has("NextToken") ? answer.get("NextToken").asText() : null;
        } while (token != null && ++pages < 100);

        assertThat(ns).containsExactly(58, 56, 52, 50, 46, 44, 40, 38, 34, 32, 28, 26, 22, 20, 16, 14, 10, 8, 4, 2);
    }

    @Test
    void auditEvents_asManyReadingAsTheNodeAllows_isThrottled() throws Exception {
        HttpResponse<String> response = whileFull(node.consoleAuditReads(),
                () -> call(operator, "opensts", ConsoleApi.AUDIT_EVENTS, "{}"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).get("Error");
        assertThat(error.get("Code").asText()).isEqualTo("Throttling");
        assertThat(error.get("Message").asText()).isEqualTo("Rate exceeded");
        assertThat(ok(ConsoleApi.AUDIT_EVENTS, "{}").get("Events")).isNotEmpty();
    }

    @FunctionalInterface
    private interface Call<T> {
        T call() throws Exception;
    }

    /** Runs {@code call} while every permit of {@code limit} is held, taking them one by one until it refuses. */
    private static <T> T whileFull(ConcurrencyLimit limit, Call<T> call) {
        try {
            return limit.run(() -> whileFull(limit, call));
        } catch (ApiException full) {
            try {
                return call.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    record Filter(String name, String body, List<Integer> ns) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Filter> filters() {
        return Stream.of(
                new Filter("by principal ARN substring", "{\"Principal\":\"user/alice\"}",
                        List.of(54, 48, 42, 36, 30, 24, 18, 12, 6, 0)),
                new Filter("by principal id", "{\"Principal\":\"AIDAALICE\"}",
                        List.of(54, 48, 42, 36, 30, 24, 18, 12, 6, 0)),
                new Filter("by event name", "{\"EventName\":\"AssumeRole\",\"EndTime\":\"2026-12-01T00:30:00Z\"}",
                        List.of(30, 24, 18, 12, 6, 0)),
                new Filter("by error code", "{\"ErrorCode\":\"AccessDenied\",\"StartTime\":\"2026-12-01T00:40:00Z\"}",
                        List.of(54, 48, 42)),
                new Filter("by time window, ends included", "{\"StartTime\":\"2026-12-01T00:10:00Z\","
                        + "\"EndTime\":\"2026-12-01T01:16:00+01:00\"}", List.of(16, 14, 12, 10)),
                new Filter("by time window given in fractions of a second, the seconds of both ends included",
                        "{\"StartTime\":\"2026-12-01T00:10:00.750Z\",\"EndTime\":\"2026-12-01T00:16:00.250Z\"}",
                        List.of(16, 14, 12, 10)),
                new Filter("nothing of another account by its principal", "{\"Principal\":\"" + OTHER_ACCOUNT
                        + "\"}", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void auditEvents_filter_keepsMatchingEventsOfTheAccount(Filter f) throws Exception {
        assertThat(ns(ok(ConsoleApi.AUDIT_EVENTS, f.body()))).containsExactlyElementsOf(f.ns());
    }

    static Stream<String> invalidAuditQueries() {
        return Stream.of("{\"MaxResults\":0}", "{\"MaxResults\":201}", "{\"MaxResults\":\"5\"}",
                "{\"MaxResults\":1.5}", "{\"StartTime\":\"yesterday\"}", "{\"StartTime\":\"2026-12-01T00:00:00\"}",
                "{\"StartTime\":\"2026-12-02T00:00:00Z\",\"EndTime\":\"2026-12-01T00:00:00Z\"}",
                "{\"NextToken\":\"forged\"}", "{\"Principal\":5}", "{\"Unknown\":1}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidAuditQueries")
    void auditEvents_invalidParameter_isValidationException(String body) throws Exception {
        HttpResponse<String> response = call(operator, "opensts", ConsoleApi.AUDIT_EVENTS, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).at("/Error/Code").asText()).isEqualTo("ValidationException");
    }

    @Test
    void body_notAJsonObject_isSerializationException() throws Exception {
        for (String body : List.of("[]", "{", "{\"a\":1}{}", "{\"a\":1,\"a\":2}")) {
            HttpResponse<String> response = call(operator, "opensts", ConsoleApi.NODE, body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).at("/Error/Code").asText()).as(body)
                    .isEqualTo("SerializationException");
        }
    }

    /** The parser's own words name its classes and settings; the answer says only where the body goes wrong. */
    @Test
    void body_thatTheParserRefuses_isSerializationException_withoutTheParsersWords() throws Exception {
        for (String body : List.of("[".repeat(2000) + "]".repeat(2000), "{\"a\":" + "9".repeat(5000) + "}",
                "\u0000", "{\"a\":1,\"a\":2}", "{\n  \"a\": tru }")) {
            for (String path : List.of(ConsoleApi.NODE, ConsoleApi.AUDIT_EVENTS, ConsoleApi.POLICY_VALIDATION)) {
                HttpResponse<String> response = call(operator, "opensts", path, body);

                assertThat(response.statusCode()).as(path).isEqualTo(400);
                JsonNode error = JSON.readTree(response.body()).get("Error");
                assertThat(error.get("Code").asText()).isEqualTo("SerializationException");
                assertThat(error.get("Message").asText()).as(path)
                        .matches(NOT_JSON);
            }
        }
        HttpResponse<String> response = call(operator, "opensts", ConsoleApi.NODE, "{\n  \"a\": tru }");
        assertThat(JSON.readTree(response.body()).at("/Error/Message").asText())
                .isEqualTo("The body is not valid JSON (line 2, column 8).");
        HttpResponse<String> tooDeep = call(operator, "opensts", ConsoleApi.NODE, "[".repeat(2000) + "]".repeat(2000));
        assertThat(JSON.readTree(tooDeep.body()).at("/Error/Message").asText())
                .isEqualTo("The body is not valid JSON: it nests deeper than 1,000 levels or holds a value longer than"
                        + " the parser takes.");
    }

    @Test
    void body_overTheNodesLimit_isAnsweredInTheApisJsonShape() throws Exception {
        String body = "{\"a\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";

        HttpResponse<String> response = call(operator, "opensts", ConsoleApi.AUDIT_EVENTS, body);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(response.body()).at("/Error/Code").asText()).isEqualTo("RequestEntityTooLarge");
    }

    @Test
    void auditLogCannotRecordTheCall_isServiceUnavailable() throws Exception {
        AuditLog.sendTo(event -> {
            throw new AuditUnavailableException("No space left on device");
        });
        HttpResponse<String> response;
        try {
            response = call(operator, "opensts", ConsoleApi.NODE, "{}");
        } finally {
            AuditLog.sendToLogger();
        }

        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(JSON.readTree(response.body()).at("/Error/Code").asText()).isEqualTo("ServiceUnavailable");
        assertThat(response.body()).doesNotContain("KeyRing");
    }

    // POST /node

    @Test
    void node_describesVersionRegionStoreKeyRingAndRequests() throws Exception {
        try (StsClient sts = SdkClients.sts(node, operator)) {
            sts.getCallerIdentity();
        }

        JsonNode answer = ok(ConsoleApi.NODE, "{}");

        assertThat(answer.get("Version").asText()).isNotEmpty();
        assertThat(answer.get("Region").asText()).isEqualTo("us-east-1");
        assertThat(answer.get("Store").asText()).isEqualTo("embedded");
        assertThat(Instant.parse(answer.get("StartedAt").asText())).isBefore(Instant.now());
        assertThat(answer.at("/KeyRing/Keys").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(Instant.parse(answer.at("/KeyRing/CurrentKeyCreated").asText())).isBefore(Instant.now());
        assertThat(answer.at("/KeyRing/CurrentKeyAgeSeconds").isIntegralNumber()).isTrue();
        assertThat(answer.at("/Requests/Total").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(answer.at("/Requests/Errors").isIntegralNumber()).isTrue();
        assertThat(answer.at("/Requests/PerSecond1m").isNumber()).isTrue();
        assertThat(answer.at("/Requests/ByAction/GetCallerIdentity").asLong()).isGreaterThanOrEqualTo(1);
    }

    // POST /policy/validation

    @Test
    void policyValidation_validPolicy_hasNoFindings() throws Exception {
        JsonNode answer = ok(ConsoleApi.POLICY_VALIDATION, "{\"policyType\":\"IDENTITY_POLICY\",\"policyDocument\":"
                + JSON.writeValueAsString("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}") + "}");

        assertThat(answer.get("findings").isArray()).isTrue();
        assertThat(answer.get("findings")).isEmpty();
    }

    @Test
    void policyValidation_syntaxError_isAnErrorWithItsLineColumnAndOffset() throws Exception {
        String document = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\",,}\n"
                + "  ]\n}";

        JsonNode answer = ok(ConsoleApi.POLICY_VALIDATION, "{\"policyType\":\"IDENTITY_POLICY\",\"policyDocument\":"
                + JSON.writeValueAsString(document) + "}");

        JsonNode finding = answer.get("findings").get(0);
        assertThat(finding.get("findingType").asText()).isEqualTo("ERROR");
        assertThat(finding.get("issueCode").asText()).isEqualTo("JSON_SYNTAX_ERROR");
        assertThat(finding.get("findingDetails").asText()).isNotEmpty();
        JsonNode start = finding.at("/locations/0/span/start");
        assertThat(start.get("line").asInt()).isEqualTo(4);
        int offset = start.get("offset").asInt();
        assertThat(document.lastIndexOf('\n', offset - 1) + 1 + start.get("column").asInt()).isEqualTo(offset);
        assertThat(document.substring(offset)).startsWith(",}");
        assertThat(finding.at("/locations/0/span/end/offset").asInt()).isGreaterThanOrEqualTo(offset);
    }

    record PolicyCase(String name, String type, String document, String issueCode) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<PolicyCase> policyErrors() {
        String allow = "{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\"";
        return Stream.of(
                new PolicyCase("a trust policy without a principal", "TRUST_POLICY",
                        "{\"Version\":\"2012-10-17\",\"Statement\":[" + allow + "}]}", "MISSING_PRINCIPAL"),
                new PolicyCase("an identity policy with a principal", "IDENTITY_POLICY",
                        "{\"Version\":\"2012-10-17\",\"Statement\":[" + allow + ",\"Principal\":\"*\","
                                + "\"Resource\":\"*\"}]}", "UNSUPPORTED_ELEMENT"),
                new PolicyCase("an identity policy without a resource", "IDENTITY_POLICY",
                        "{\"Version\":\"2012-10-17\",\"Statement\":[" + allow + "}]}", "MISSING_RESOURCE"),
                new PolicyCase("a session policy with an action without vendor", "SESSION_POLICY",
                        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"GetObject\","
                                + "\"Resource\":\"*\"}]}", "INVALID_ACTION"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policyErrors")
    void policyValidation_grammarError_isAnErrorWithIamsMessage(PolicyCase c) throws Exception {
        JsonNode answer = ok(ConsoleApi.POLICY_VALIDATION, "{\"policyType\":\"" + c.type()
                + "\",\"policyDocument\":" + JSON.writeValueAsString(c.document()) + "}");

        assertThat(answer.get("findings")).hasSize(1);
        assertThat(answer.at("/findings/0/findingType").asText()).isEqualTo("ERROR");
        assertThat(answer.at("/findings/0/issueCode").asText()).isEqualTo(c.issueCode());
        assertThat(answer.at("/findings/0/locations").isArray()).isTrue();
    }

    @Test
    void policyValidation_unknownTypeOrMissingDocument_isValidationException() throws Exception {
        for (String body : List.of("{\"policyType\":\"BUCKET_POLICY\",\"policyDocument\":\"{}\"}",
                "{\"policyType\":\"IDENTITY_POLICY\"}", "{\"policyDocument\":\"{}\"}")) {
            HttpResponse<String> response = call(operator, "opensts", ConsoleApi.POLICY_VALIDATION, body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).at("/Error/Code").asText()).isEqualTo("ValidationException");
        }
    }

    // Audit

    @Test
    void everyCall_isAudited_withTheCallerAndWithoutThePolicyText() throws Exception {
        Logger audit = (Logger) LoggerFactory.getLogger("opensts.audit");
        Level level = audit.getLevel();
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        audit.addAppender(appender);
        audit.setLevel(Level.INFO);
        try {
            ok(ConsoleApi.NODE, "{}");
            ok(ConsoleApi.POLICY_VALIDATION, "{\"policyType\":\"SESSION_POLICY\",\"policyDocument\":"
                    + JSON.writeValueAsString("{\"Statement\":[{\"Sid\":\"MarkerSid\"}]}") + "}");
            ok(ConsoleApi.AUDIT_EVENTS, "{\"EventName\":\"AssumeRole\",\"MaxResults\":1}");
            call(bystander, "opensts", ConsoleApi.NODE, "{}");
        } finally {
            audit.detachAppender(appender);
            audit.setLevel(level);
        }

        var events = new ArrayList<JsonNode>();
        for (ILoggingEvent event : appender.list) {
            JsonNode parsed = JSON.readTree(event.getFormattedMessage());
            if (parsed.get("eventSource").asText().equals("opensts")) {
                events.add(parsed);
            }
        }
        assertThat(events).extracting(e -> e.get("eventName").asText())
                .containsExactly("DescribeNode", "ValidatePolicy", "ListAuditEvents", "DescribeNode");
        assertThat(events.get(0).at("/userIdentity/arn").asText()).endsWith(":user/operator");
        assertThat(events.get(1).at("/requestParameters/policyType").asText()).isEqualTo("SESSION_POLICY");
        assertThat(events.get(1).toString()).doesNotContain("MarkerSid");
        assertThat(events.get(2).at("/requestParameters/eventName").asText()).isEqualTo("AssumeRole");
        assertThat(events.get(3).get("errorCode").asText()).isEqualTo("AccessDenied");
    }
}
