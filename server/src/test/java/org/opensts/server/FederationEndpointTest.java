package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opensts.protocol.testing.MutableClock;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The federation endpoint through a node on loopback, as an identity broker and a browser use it: credentials minted
 * with the AWS SDK's STS client, exchanged for a sign-in token, redeemed at {@code Action=login}, and the handoff
 * cookie redeemed at {@code /console/session} for credentials that work.
 */
class FederationEndpointTest {
    private static final String ACCOUNT = TestNodes.ACCOUNT;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final MutableClock CLOCK = new MutableClock(Instant.now());
    private static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/console-admin";
    private static final String GET_CALLER_IDENTITY = "Action=GetCallerIdentity&Version=2011-06-15";

    @TempDir
    static Path dataDir;

    private static OpenStsNode node;
    private static AwsCredentials adminCredentials;
    private static IamClient admin;

    @BeforeAll
    static void start() throws Exception {
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir.resolve("node"),
                new InetSocketAddress("127.0.0.1", 0), ACCOUNT).withClock(CLOCK)
                // The clock stands still, so buckets would never refill: throttling is tested on a node of its own.
                .withRateLimit(RateLimit.DISABLED));
        adminCredentials = SdkClients.credentials(node.initialAdmin().orElseThrow());
        admin = SdkClients.iam(node, adminCredentials);
        admin.createRole(r -> r.roleName("console-admin").maxSessionDuration(43_200).assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                        + "arn:aws:iam::" + ACCOUNT + ":root\"},\"Action\":\"sts:AssumeRole\"}]}"));
        admin.putRolePolicy(r -> r.roleName("console-admin").policyName("all").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
                        + "\"Resource\":\"*\"}]}"));
        admin.createRole(r -> r.roleName("console-tagging").assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                        + "arn:aws:iam::" + ACCOUNT + ":root\"},"
                        + "\"Action\":[\"sts:AssumeRole\",\"sts:TagSession\"]}]}"));
    }

    @AfterAll
    static void stop() {
        admin.close();
        node.close();
    }

    private static Credentials assumeRole(int durationSeconds) {
        try (StsClient sts = SdkClients.sts(node, adminCredentials)) {
            return sts.assumeRole(r -> r.roleArn(ROLE_ARN).roleSessionName("broker-user")
                    .durationSeconds(durationSeconds)).credentials();
        }
    }

    private static Credentials getFederationToken() {
        try (StsClient sts = SdkClients.sts(node, adminCredentials)) {
            return sts.getFederationToken(r -> r.name("Bob").policy("{\"Version\":\"2012-10-17\",\"Statement\":["
                    + "{\"Effect\":\"Allow\",\"Action\":\"sts:GetCallerIdentity\",\"Resource\":\"*\"}]}"))
                    .credentials();
        }
    }

    private static String session(String accessKeyId, String secret, String token) throws Exception {
        var session = new LinkedHashMap<String, String>();
        session.put("sessionId", accessKeyId);
        session.put("sessionKey", secret);
        if (token != null) {
            session.put("sessionToken", token);
        }
        return JSON.writeValueAsString(session);
    }

    private static String session(Credentials credentials) throws Exception {
        return session(credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken());
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(node.endpoint().resolve(pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code Action=getSigninToken} with the session JSON form-encoded as the AWS documentation's examples do. */
    private static HttpResponse<String> getSigninToken(String sessionJson, String extra) throws Exception {
        return get("/federation?Action=getSigninToken" + extra + "&Session="
                + URLEncoder.encode(sessionJson, UTF_8));
    }

    private static String signinToken(String sessionJson, String extra) throws Exception {
        HttpResponse<String> response = getSigninToken(sessionJson, extra);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("SigninToken").asText();
    }

    private static HttpResponse<String> login(String token, String destination) throws Exception {
        return get("/federation?Action=login&Issuer=" + URLEncoder.encode("https://broker.example.com/", UTF_8)
                + "&Destination=" + URLEncoder.encode(destination, UTF_8) + "&SigninToken=" + token);
    }

    /** The handoff cookie's {@code name=value} from a login answer. */
    private static String handoffCookie(HttpResponse<String> login) {
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static HttpResponse<String> consoleSession(Optional<String> cookie, Optional<String> origin)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.endpoint().resolve("/console/session"))
                .POST(HttpRequest.BodyPublishers.noBody());
        cookie.ifPresent(c -> request.header("Cookie", c));
        origin.ifPresent(o -> request.header("Origin", o));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode signIn(String sessionJson, String extra) throws Exception {
        HttpResponse<String> login = login(signinToken(sessionJson, extra), "/console/");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(302);
        HttpResponse<String> session = consoleSession(Optional.of(handoffCookie(login)), Optional.empty());
        assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
        return JSON.readTree(session.body());
    }

    // The whole flow

    @Test
    void getSigninToken_principalOverItsRate_isThrottled() throws Exception {
        // A clock that does not move: the buckets never refill. The account's 40 outlast the principal's 20.
        try (OpenStsNode limited = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir.resolve("limited"),
                new InetSocketAddress("127.0.0.1", 0), ACCOUNT).withClock(new MutableClock(Instant.now()))
                .withRateLimit(new RateLimit(1, 40)))) {
            AwsCredentials limitedAdmin = SdkClients.credentials(limited.initialAdmin().orElseThrow());
            Credentials credentials;
            try (IamClient iam = SdkClients.iam(limited, limitedAdmin);
                    StsClient sts = SdkClients.sts(limited, limitedAdmin)) {
                iam.createRole(r -> r.roleName("console-admin").assumeRolePolicyDocument(
                        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                                + "\"arn:aws:iam::" + ACCOUNT + ":root\"},\"Action\":\"sts:AssumeRole\"}]}"));
                credentials = sts.assumeRole(r -> r.roleArn(ROLE_ARN).roleSessionName("broker-user")).credentials();
            }
            URI federation = limited.endpoint().resolve("/federation?Action=getSigninToken&Session="
                    + URLEncoder.encode(session(credentials), UTF_8));
            var statuses = new java.util.ArrayList<Integer>();
            HttpResponse<String> last = null;
            for (int n = 0; n < 21; n++) {
                last = HTTP.send(HttpRequest.newBuilder(federation).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                statuses.add(last.statusCode());
            }

            assertThat(statuses.subList(0, 20)).containsOnly(200);
            assertThat(last.statusCode()).isEqualTo(400);
            JsonNode error = JSON.readTree(last.body()).get("Error");
            assertThat(error.get("Code").asText()).isEqualTo("Throttling");
            assertThat(error.get("Message").asText()).isEqualTo("Rate exceeded");
        }
    }

    @Test
    void login_issuerLongerThan512Characters_isRefusedWithoutSpendingTheToken() throws Exception {
        String token = signinToken(session(assumeRole(3600)), "");
        String longIssuer = "https://broker.example.com/" + "a".repeat(FederationEndpoint.MAX_ISSUER_LENGTH);

        HttpResponse<String> refused = get("/federation?Action=login&Issuer=" + URLEncoder.encode(longIssuer, UTF_8)
                + "&SigninToken=" + token);
        HttpResponse<String> accepted = login(token, "/console/");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("Issuer must be at most 512 characters");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(302);
    }

    @Test
    void signIn_roleSession_landsInTheConsoleWithCredentialsThatWork() throws Exception {
        Credentials role = assumeRole(3600);

        HttpResponse<String> tokenResponse = getSigninToken(session(role), "&SessionType=json");
        assertThat(tokenResponse.statusCode()).as(tokenResponse.body()).isEqualTo(200);
        assertThat(tokenResponse.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(tokenResponse.headers().firstValue("Cache-Control")).hasValue("no-store");
        String token = JSON.readTree(tokenResponse.body()).get("SigninToken").asText();
        assertThat(token).matches("[A-Za-z0-9_-]+").doesNotContain(role.secretAccessKey())
                .doesNotContain(role.accessKeyId());

        // AWS's console home, which brokers written for AWS land their users on, lands on the console's page.
        HttpResponse<String> login = login(token, "https://console.aws.amazon.com/console/home?region=us-east-1");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).hasValue("/console/");
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("opensts-console-handoff=")
                .contains("; Path=/console/session").contains("; HttpOnly").contains("; SameSite=Strict")
                .contains("; Max-Age=60").doesNotContain("Secure").doesNotContain(role.secretAccessKey());

        HttpResponse<String> session = consoleSession(Optional.of(handoffCookie(login)),
                Optional.of(SdkClients.endpoint(node).toString().replaceAll("/$", "")));
        assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
        assertThat(session.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(session.headers().firstValue("Set-Cookie")).get().asString()
                .startsWith("opensts-console-handoff=;").contains("Max-Age=0");
        JsonNode credentials = JSON.readTree(session.body());
        assertThat(credentials.get("AccessKeyId").asText()).startsWith("ASIA").isNotEqualTo(role.accessKeyId());
        assertThat(credentials.get("SecretAccessKey").asText()).isNotEqualTo(role.secretAccessKey());
        assertThat(credentials.get("SessionToken").asText()).isNotEqualTo(role.sessionToken());
        assertThat(session.body()).doesNotContain(role.accessKeyId()).doesNotContain(role.secretAccessKey())
                .doesNotContain(role.sessionToken());
        assertThat(credentials.get("Issuer").asText()).isEqualTo("https://broker.example.com/");
        assertThat(Instant.parse(credentials.get("Expiration").asText())).isEqualTo(role.expiration());

        var console = AwsSessionCredentials.create(credentials.get("AccessKeyId").asText(),
                credentials.get("SecretAccessKey").asText(), credentials.get("SessionToken").asText());
        try (StsClient sts = SdkClients.sts(node, console)) {
            assertThat(sts.getCallerIdentity().arn())
                    .isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/console-admin/broker-user");
        }
    }

    private static HttpResponse<String> post(String pathAndQuery, Optional<String> contentType, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.endpoint().resolve(pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        contentType.ifPresent(type -> request.header("Content-Type", type));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * AWS's own toolkits send getSigninToken as a form {@code POST} (which keeps the credentials out of URLs and
     * access logs); the token it gives signs in, and a login may be posted too.
     */
    @Test
    void signIn_withParametersPostedAsAForm_landsInTheConsole() throws Exception {
        Credentials role = assumeRole(3600);
        String form = "Action=getSigninToken&SessionDuration=900&Session=" + URLEncoder.encode(session(role), UTF_8);

        HttpResponse<String> tokenResponse = post("/federation",
                Optional.of("application/x-www-form-urlencoded; charset=utf-8"), form);
        assertThat(tokenResponse.statusCode()).as(tokenResponse.body()).isEqualTo(200);
        assertThat(tokenResponse.headers().firstValue("Cache-Control")).hasValue("no-store");
        String token = JSON.readTree(tokenResponse.body()).get("SigninToken").asText();

        // The media type in any case, with optional white space before its parameters (RFC 9110 §8.3.1).
        HttpResponse<String> login = post("/federation",
                Optional.of("Application/X-WWW-Form-URLEncoded ; charset=UTF-8"),
                "Action=login&Destination=%2Fconsole%2F&SigninToken=" + token);
        assertThat(login.statusCode()).as(login.body()).isEqualTo(302);
        HttpResponse<String> console = consoleSession(Optional.of(handoffCookie(login)), Optional.empty());
        assertThat(console.statusCode()).as(console.body()).isEqualTo(200);
    }

    /** A POST must be a form, with its parameters in the body alone; other methods are not allowed. */
    @Test
    void federation_postNotAFormOrWithAQuery_isBadRequest_andOtherMethodsNotAllowed() throws Exception {
        String form = "Action=getSigninToken&Session=" + URLEncoder.encode(session(assumeRole(3600)), UTF_8);

        assertThat(post("/federation", Optional.of("application/json"), form).statusCode()).isEqualTo(400);
        assertThat(post("/federation", Optional.empty(), form).statusCode()).isEqualTo(400);
        assertThat(post("/federation?Action=getSigninToken", Optional.of("application/x-www-form-urlencoded"),
                form).statusCode()).isEqualTo(400);
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(node.endpoint().resolve("/federation"))
                .PUT(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("GET, POST");
    }

    @Test
    void signIn_federatedUser_landsInTheConsole() throws Exception {
        Credentials federated = getFederationToken();

        JsonNode credentials = signIn(session(federated), "");

        assertThat(credentials.get("AccessKeyId").asText()).isNotEqualTo(federated.accessKeyId());
        assertThat(Instant.parse(credentials.get("Expiration").asText())).isEqualTo(federated.expiration());
        HttpResponse<String> identity = call(console(credentials), "sts", GET_CALLER_IDENTITY);
        assertThat(identity.statusCode()).as(identity.body()).isEqualTo(200);
        assertThat(identity.body()).contains("<Arn>arn:aws:sts::" + ACCOUNT + ":federated-user/Bob</Arn>");
        // The broker's session policy allows GetCallerIdentity only; the console's credentials are held to it too.
        HttpResponse<String> listRoles = call(console(credentials), "iam", "Action=ListRoles&Version=2010-05-08");
        assertThat(listRoles.statusCode()).as(listRoles.body()).isEqualTo(403);
        assertThat(listRoles.body()).contains("<Code>AccessDenied</Code>");
    }

    // The console's own credentials

    @Test
    void consoleCredentials_afterTheConsoleSessionEnds_areExpiredTokenWhileTheBrokersStillWork() throws Exception {
        Credentials role = assumeRole(3600);
        JsonNode credentials = signIn(session(role), "&SessionDuration=900");
        Instant end = Instant.parse(credentials.get("Expiration").asText());
        String getCallerIdentity = GET_CALLER_IDENTITY;
        assertThat(call(console(credentials), "sts", getCallerIdentity).statusCode()).isEqualTo(200);

        Duration untilTheEnd = Duration.between(CLOCK.instant(), end);
        CLOCK.advance(untilTheEnd);
        try {
            HttpResponse<String> refused = call(console(credentials), "sts", getCallerIdentity);
            HttpResponse<String> broker = call(console(role), "sts", getCallerIdentity);

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(refused.body()).contains("<Code>ExpiredToken</Code>");
            assertThat(broker.statusCode()).as("the broker's own credentials live on").isEqualTo(200);
        } finally {
            CLOCK.advance(untilTheEnd.negated());
        }
    }

    @Test
    void consoleCredentials_carryTheBrokerSessionsTagsSourceIdentityAndSessionPolicy() throws Exception {
        admin.createRole(r -> r.roleName("console-tagged").assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                        + "arn:aws:iam::" + ACCOUNT + ":root\"},\"Action\":[\"sts:AssumeRole\",\"sts:TagSession\","
                        + "\"sts:SetSourceIdentity\"]}]}"));
        admin.putRolePolicy(r -> r.roleName("console-tagged").policyName("all-but").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":["
                        + "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
                        + "{\"Effect\":\"Deny\",\"Action\":\"iam:ListUsers\",\"Resource\":\"*\",\"Condition\":"
                        + "{\"StringEquals\":{\"aws:PrincipalTag/team\":\"blocked\"}}},"
                        + "{\"Effect\":\"Deny\",\"Action\":\"iam:ListGroups\",\"Resource\":\"*\",\"Condition\":"
                        + "{\"StringEquals\":{\"aws:SourceIdentity\":\"alice\"}}}]}"));
        Credentials role;
        try (StsClient sts = SdkClients.sts(node, adminCredentials)) {
            role = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + ACCOUNT + ":role/console-tagged")
                    .roleSessionName("tagged").sourceIdentity("alice")
                    .tags(software.amazon.awssdk.services.sts.model.Tag.builder().key("team").value("blocked")
                            .build())
                    .policy("{\"Version\":\"2012-10-17\",\"Statement\":["
                            + "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
                            + "{\"Effect\":\"Deny\",\"Action\":\"iam:ListPolicies\",\"Resource\":\"*\"}]}"))
                    .credentials();
        }

        JsonNode credentials = signIn(session(role), "");

        assertThat(credentials.get("AccessKeyId").asText()).isNotEqualTo(role.accessKeyId());
        HttpResponse<String> identity = call(console(credentials), "sts", GET_CALLER_IDENTITY);
        assertThat(identity.body())
                .contains("<Arn>arn:aws:sts::" + ACCOUNT + ":assumed-role/console-tagged/tagged</Arn>");
        for (String denied : List.of("ListUsers", "ListGroups", "ListPolicies")) {
            HttpResponse<String> response = call(console(credentials), "iam", "Action=" + denied
                    + "&Version=2010-05-08");
            assertThat(response.statusCode()).as(denied + ": " + response.body()).isEqualTo(403);
            assertThat(response.body()).contains("<Code>AccessDenied</Code>");
        }
        HttpResponse<String> allowed = call(console(credentials), "iam", "Action=ListRoles&Version=2010-05-08");
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
    }

    @Test
    void consoleCredentials_keepTheSessionsIssueTime_soRevokingOlderSessionsRevokesThem() throws Exception {
        admin.createRole(r -> r.roleName("console-revoked").assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                        + "arn:aws:iam::" + ACCOUNT + ":root\"},\"Action\":\"sts:AssumeRole\"}]}"));
        admin.putRolePolicy(r -> r.roleName("console-revoked").policyName("all").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
                        + "\"Resource\":\"*\"}]}"));
        Credentials role;
        try (StsClient sts = SdkClients.sts(node, adminCredentials)) {
            role = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + ACCOUNT + ":role/console-revoked")
                    .roleSessionName("revoked")).credentials();
        }
        JsonNode credentials = signIn(session(role), "");
        String listRoles = "Action=ListRoles&Version=2010-05-08";
        assertThat(call(console(credentials), "iam", listRoles).statusCode()).isEqualTo(200);

        // The IAM console's "Revoke active sessions": deny everything to sessions issued before now. The console's
        // credentials were minted after the broker's session was issued, but carry its issue time.
        String cutOff = CLOCK.instant().plusSeconds(1).toString();
        admin.putRolePolicy(r -> r.roleName("console-revoked").policyName("AWSRevokeOlderSessions").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"],"
                        + "\"Resource\":[\"*\"],\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\""
                        + cutOff + "\"}}}]}"));

        HttpResponse<String> refused = call(console(credentials), "iam", listRoles);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("<Code>AccessDenied</Code>");
    }

    @Test
    void consoleLogin_auditEvent_namesTheBrokersKeyAndTheConsolesButNoSecret() throws Exception {
        Credentials role = assumeRole(900);
        var events = AuditCapture.start();
        JsonNode credentials;
        try {
            credentials = signIn(session(role), "");
        } finally {
            events.stop();
        }

        JsonNode login = events.lines().stream().filter(line -> line.contains("\"eventName\":\"ConsoleLogin\""))
                .map(FederationEndpointTest::json).findFirst().orElseThrow();
        assertThat(login.at("/userIdentity/accessKeyId").asText()).isEqualTo(role.accessKeyId());
        assertThat(login.at("/responseElements/ConsoleLogin").asText()).isEqualTo("Success");
        assertThat(login.at("/responseElements/credentials/accessKeyId").asText())
                .isEqualTo(credentials.get("AccessKeyId").asText());
        assertThat(Instant.parse(login.at("/responseElements/credentials/expiration").asText()))
                .isEqualTo(Instant.parse(credentials.get("Expiration").asText()));
        assertThat(String.join("\n", events.lines())).doesNotContain(credentials.get("SecretAccessKey").asText())
                .doesNotContain(credentials.get("SessionToken").asText());
    }

    /** About 2,100 characters of session token still fit the handoff cookie; about 3,000 do not. */
    @ParameterizedTest(name = "a session with {0} session tags of 256 random characters signs in: {1}")
    @org.junit.jupiter.params.provider.CsvSource({"0, true", "4, true", "8, true", "12, false"})
    void getSigninToken_givesATokenOnlyWhenTheHandoffCookieOfTheConsolesCredentialsFits(int tags, boolean fits)
            throws Exception {
        var random = new java.util.Random(tags);
        var sessionTags = new java.util.ArrayList<software.amazon.awssdk.services.sts.model.Tag>();
        for (int n = 0; n < tags; n++) {
            var value = new StringBuilder();
            while (value.length() < 256) {
                value.append((char) ('a' + random.nextInt(26)));
            }
            sessionTags.add(software.amazon.awssdk.services.sts.model.Tag.builder().key("tag" + n)
                    .value(value.toString()).build());
        }
        Credentials role;
        try (StsClient sts = SdkClients.sts(node, adminCredentials)) {
            role = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + ACCOUNT + ":role/console-tagging")
                    .roleSessionName("large").tags(sessionTags)).credentials();
        }

        HttpResponse<String> token = getSigninToken(session(role), "");

        if (fits) {
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
            HttpResponse<String> login = login(JSON.readTree(token.body()).get("SigninToken").asText(), "/console/");
            assertThat(login.statusCode()).isEqualTo(302);
            assertThat(("Set-Cookie: " + login.headers().firstValue("Set-Cookie").orElseThrow()).length())
                    .isLessThanOrEqualTo(FederationEndpoint.MAX_COOKIE_BYTES);
        } else {
            assertThat(token.statusCode()).isEqualTo(400);
            assertThat(token.body()).contains("too large to sign in to the console");
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static SigningCredentials console(JsonNode credentials) {
        return SigningCredentials.of(credentials.get("AccessKeyId").asText(),
                credentials.get("SecretAccessKey").asText().getBytes(UTF_8), credentials.get("SessionToken").asText());
    }

    private static SigningCredentials console(Credentials credentials) {
        return SigningCredentials.of(credentials.accessKeyId(), credentials.secretAccessKey().getBytes(UTF_8),
                credentials.sessionToken());
    }

    /** A Query API call signed at the node's clock, so that it stays in time however far the clock was moved. */
    private static HttpResponse<String> call(SigningCredentials credentials, String service, String body)
            throws Exception {
        SignableRequest signed = SigV4Signer.create().sign(SignableRequest.builder()
                .method("POST").path("/").query("")
                .addHeader("Host", "127.0.0.1:" + node.address().getPort())
                .addHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .body(body.getBytes(UTF_8))
                .build(), credentials, "us-east-1", service, CLOCK.instant());
        var request = HttpRequest.newBuilder(node.endpoint().resolve("/"));
        for (int i = 0; i < signed.headerCount(); i++) {
            if (!signed.headerName(i).equalsIgnoreCase("Host")) {
                request.header(signed.headerName(i), signed.headerValue(i));
            }
        }
        return HTTP.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // Which credentials sign in

    @Test
    void getSigninToken_longTermKeys_areRefused() throws Exception {
        HttpResponse<String> response = getSigninToken(session(adminCredentials.accessKeyId(),
                adminCredentials.secretAccessKey(), null), "");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("Long-term access keys");
    }

    @Test
    void getSigninToken_getSessionTokenCredentials_areRefused() throws Exception {
        Credentials sessionUser;
        try (StsClient sts = SdkClients.sts(node, adminCredentials)) {
            sessionUser = sts.getSessionToken(r -> r.durationSeconds(900)).credentials();
        }

        HttpResponse<String> response = getSigninToken(session(sessionUser), "");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("GetSessionToken");
    }

    @Test
    void getSigninToken_wrongSecret_isRefused() throws Exception {
        Credentials role = assumeRole(900);
        String secret = role.secretAccessKey();
        String wrongSecret = (secret.charAt(0) == 'x' ? "y" : "x") + secret.substring(1);

        HttpResponse<String> response = getSigninToken(session(role.accessKeyId(), wrongSecret, role.sessionToken()),
                "");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("not valid").doesNotContain(role.secretAccessKey());
    }

    @Test
    void getSigninToken_tokenOfAnotherAccessKey_isRefused() throws Exception {
        Credentials one = assumeRole(900);
        Credentials other = assumeRole(900);

        HttpResponse<String> response = getSigninToken(session(one.accessKeyId(), one.secretAccessKey(),
                other.sessionToken()), "");

        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void getSigninToken_expiredCredentials_areRefused() throws Exception {
        Credentials role = assumeRole(900);
        CLOCK.advance(Duration.ofSeconds(901));
        try {
            HttpResponse<String> response = getSigninToken(session(role), "");

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).contains("expired");
        } finally {
            CLOCK.advance(Duration.ofSeconds(-901));
        }
    }

    record Case(String name, String query, int status) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> badGetSigninTokens() {
        return Stream.of(
                new Case("no Session", "/federation?Action=getSigninToken", 400),
                new Case("Session not JSON", "/federation?Action=getSigninToken&Session=%7Bnot", 400),
                new Case("Session a JSON list", "/federation?Action=getSigninToken&Session=%5B%5D", 400),
                new Case("Session given twice", "/federation?Action=getSigninToken&Session=%7B%7D&Session=%7B%7D",
                        400),
                new Case("another SessionType", "/federation?Action=getSigninToken&SessionType=xml&Session=%7B%7D",
                        400),
                new Case("no Action", "/federation?Session=%7B%7D", 400),
                new Case("an unknown Action", "/federation?Action=logout", 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badGetSigninTokens")
    void federation_malformedRequest_isBadRequest(Case c) throws Exception {
        assertThat(get(c.query()).statusCode()).isEqualTo(c.status());
    }

    // How long the console session lasts

    @Test
    void signIn_sessionDurationLongerThanTheCredentials_endsWithTheCredentials() throws Exception {
        Credentials role = assumeRole(3600);

        JsonNode credentials = signIn(session(role), "&SessionDuration=43200");

        assertThat(Instant.parse(credentials.get("Expiration").asText())).isEqualTo(role.expiration());
    }

    @Test
    void signIn_sessionDurationShorterThanTheCredentials_endsAfterTheDuration() throws Exception {
        Credentials role = assumeRole(43_200);
        Instant before = CLOCK.instant();

        JsonNode credentials = signIn(session(role), "&SessionDuration=900");

        assertThat(Instant.parse(credentials.get("Expiration").asText()))
                .isBetween(before.plusSeconds(899), CLOCK.instant().plusSeconds(900));
    }

    static Stream<String> badSessionDurations() {
        return Stream.of("899", "43201", "0", "-900", "900.5", "abc", "", "1e3", "0000000900");
    }

    @ParameterizedTest(name = "SessionDuration={0}")
    @MethodSource("badSessionDurations")
    void getSigninToken_sessionDurationOutside900To43200_isRefused(String value) throws Exception {
        HttpResponse<String> response = getSigninToken(session(assumeRole(900)), "&SessionDuration=" + value);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("SessionDuration");
    }

    @Test
    void getSigninToken_sessionDurationWithFederatedUserCredentials_isRefused() throws Exception {
        HttpResponse<String> response = getSigninToken(session(getFederationToken()), "&SessionDuration=3600");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("GetFederationToken");
    }

    @Test
    void getSigninToken_sessionDurationWithRoleChainingCredentials_isRefused() throws Exception {
        Credentials first = assumeRole(900);
        Credentials chained;
        try (StsClient sts = SdkClients.sts(node, AwsSessionCredentials.create(first.accessKeyId(),
                first.secretAccessKey(), first.sessionToken()))) {
            chained = sts.assumeRole(r -> r.roleArn(ROLE_ARN).roleSessionName("chained")).credentials();
        }

        assertThat(getSigninToken(session(chained), "&SessionDuration=3600").statusCode()).isEqualTo(400);
        assertThat(getSigninToken(session(chained), "").statusCode()).isEqualTo(200);
    }

    @Test
    void signIn_durationSecondsWithFederatedUserCredentials_endsAfterTheDuration() throws Exception {
        Instant before = CLOCK.instant();

        JsonNode credentials = signIn(session(getFederationToken()), "&DurationSeconds=900");

        assertThat(Instant.parse(credentials.get("Expiration").asText()))
                .isBetween(before.plusSeconds(899), CLOCK.instant().plusSeconds(900));
    }

    /**
     * DurationSeconds is GetFederationToken's: with a role's credentials it is ignored, so that it cannot lift
     * SessionDuration's rules (a chained role's console session cannot be given a length), while SessionDuration
     * still applies.
     */
    @Test
    void signIn_durationSecondsWithRoleCredentials_isIgnored() throws Exception {
        Credentials role = assumeRole(3600);
        Instant before = CLOCK.instant();

        JsonNode ignored = signIn(session(role), "&DurationSeconds=900");
        JsonNode withSessionDuration = signIn(session(role), "&SessionDuration=1800&DurationSeconds=900");

        assertThat(Instant.parse(ignored.get("Expiration").asText())).isEqualTo(role.expiration());
        assertThat(Instant.parse(withSessionDuration.get("Expiration").asText()))
                .isBetween(before.plusSeconds(1799), CLOCK.instant().plusSeconds(1800));
    }

    // The sign-in token

    @Test
    void login_sameTokenTwice_isRefusedTheSecondTime() throws Exception {
        String token = signinToken(session(assumeRole(900)), "");

        assertThat(login(token, "/console/").statusCode()).isEqualTo(302);
        HttpResponse<String> again = login(token, "/console/");

        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void login_tokenWithOneCharacterChanged_isRefused() throws Exception {
        String token = signinToken(session(assumeRole(900)), "");
        int middle = token.length() / 2;
        String changed = token.substring(0, middle) + (token.charAt(middle) == 'A' ? 'B' : 'A')
                + token.substring(middle + 1);

        assertThat(login(changed, "/console/").statusCode()).isEqualTo(400);
        assertThat(login(token, "/console/").statusCode()).isEqualTo(302);
    }

    @Test
    void login_tokenOlderThanFifteenMinutes_isRefused() throws Exception {
        String token = signinToken(session(assumeRole(3600)), "");
        CLOCK.advance(Duration.ofMinutes(15));
        try {
            assertThat(login(token, "/console/").statusCode()).isEqualTo(400);
        } finally {
            CLOCK.advance(Duration.ofMinutes(-15));
        }
    }

    @Test
    void login_tokenJustUnderFifteenMinutesOld_isAccepted() throws Exception {
        String token = signinToken(session(assumeRole(3600)), "");
        CLOCK.advance(Duration.ofMinutes(15).minusSeconds(1));
        try {
            assertThat(login(token, "/console/").statusCode()).isEqualTo(302);
        } finally {
            CLOCK.advance(Duration.ofMinutes(-15).plusSeconds(1));
        }
    }

    @Test
    void login_withoutToken_isRefused() throws Exception {
        assertThat(get("/federation?Action=login&Destination=%2Fconsole%2F").statusCode()).isEqualTo(400);
    }

    // Where login sends the browser

    static Stream<Case> destinations() {
        return Stream.of(
                new Case("the console", "/console/", 0),
                new Case("another site's page", "https://evil.example.com/phish", 0),
                new Case("a scheme-relative other site", "//evil.example.com/console/", 0),
                new Case("a path outside the console", "/metrics", 0),
                new Case("a dot segment out of the console", "/console/../metrics", 0),
                new Case("an escaped dot segment", "/console/%2e%2e/metrics", 0),
                new Case("a javascript URL", "javascript:alert(1)", 0),
                new Case("a console look-alike", "/consoleevil", 0),
                new Case("a header injection", "/console/\r\nSet-Cookie: x=y", 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("destinations")
    void login_anyDestination_staysOnThisNode(Case c) throws Exception {
        String token = signinToken(session(assumeRole(900)), "");

        HttpResponse<String> login = login(token, c.query());

        assertThat(login.statusCode()).isEqualTo(302);
        String location = login.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/console").doesNotStartWith("//").doesNotContain("\r")
                .doesNotContain("\n").doesNotContain("..").doesNotContain("evil");
    }

    static Stream<Map.Entry<String, String>> destinationRules() {
        return Stream.of(
                Map.entry("/console/", "/console/"),
                Map.entry("/console", "/console"),
                Map.entry("/console/?name=a#/roles/a", "/console/?name=a#/roles/a"),
                Map.entry("/console/roles?name=a#frag", "/console/"),
                Map.entry("https://console.aws.amazon.com/console/home?region=us-east-1", "/console/"),
                Map.entry("https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1#", "/console/"),
                Map.entry("/console/app.js", "/console/"),
                Map.entry("https://console.aws.amazon.com/", "/console/"),
                Map.entry("http://127.0.0.1:8790/console/#/activity", "/console/#/activity"),
                Map.entry("https://evil.example.com/console/#/roles", "/console/#/roles"),
                Map.entry("https://evil.example.com/console/x", "/console/"),
                Map.entry("//evil.example.com/x", "/console/"),
                Map.entry("/console/../x", "/console/"),
                Map.entry("/console/.%2e/x", "/console/"),
                Map.entry("/console//evil.example.com", "/console/"),
                Map.entry("ftp://host/console/", "/console/"),
                Map.entry("mailto:a@example.com", "/console/"),
                Map.entry("/console/a b", "/console/"),
                Map.entry("/console/?name=r\u00f4le#caf\u00e9", "/console/?name=r%C3%B4le#caf%C3%A9"),
                Map.entry("/console/r\u00f4les", "/console/"),
                Map.entry("", "/console/"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("destinationRules")
    void destination_isThePathUnderTheConsoleOrTheConsoleItself(Map.Entry<String, String> rule) {
        assertThat(FederationEndpoint.destination(Optional.of(rule.getKey()))).isEqualTo(rule.getValue());
    }

    // The handoff to the console page

    @Test
    void consoleSession_withoutCookie_isUnauthorized() throws Exception {
        HttpResponse<String> response = consoleSession(Optional.empty(), Optional.empty());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(response.body()).at("/Error/Code").asText()).isEqualTo("MissingAuthenticationToken");
    }

    @Test
    void consoleSession_cookieUsedTwice_isUnauthorizedTheSecondTime() throws Exception {
        HttpResponse<String> login = login(signinToken(session(assumeRole(900)), ""), "/console/");
        String cookie = handoffCookie(login);

        assertThat(consoleSession(Optional.of(cookie), Optional.empty()).statusCode()).isEqualTo(200);
        HttpResponse<String> again = consoleSession(Optional.of(cookie), Optional.empty());

        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(again.body()).at("/Error/Code").asText()).isEqualTo("InvalidClientTokenId");
    }

    @Test
    void consoleSession_tamperedCookie_isUnauthorized() throws Exception {
        String cookie = handoffCookie(login(signinToken(session(assumeRole(900)), ""), "/console/"));
        int middle = cookie.length() - 20;
        String changed = cookie.substring(0, middle) + (cookie.charAt(middle) == 'A' ? 'B' : 'A')
                + cookie.substring(middle + 1);

        assertThat(consoleSession(Optional.of(changed), Optional.empty()).statusCode()).isEqualTo(401);
    }

    @Test
    void consoleSession_signinTokenAsCookie_isUnauthorized() throws Exception {
        String token = signinToken(session(assumeRole(900)), "");

        HttpResponse<String> response = consoleSession(Optional.of("opensts-console-handoff=" + token),
                Optional.empty());

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void consoleSession_cookieOlderThanSixtySeconds_isUnauthorized() throws Exception {
        String cookie = handoffCookie(login(signinToken(session(assumeRole(3600)), ""), "/console/"));
        CLOCK.advance(Duration.ofSeconds(60));
        try {
            assertThat(consoleSession(Optional.of(cookie), Optional.empty()).statusCode()).isEqualTo(401);
        } finally {
            CLOCK.advance(Duration.ofSeconds(-60));
        }
    }

    @Test
    void consoleSession_fromAnotherOrigin_isForbiddenAndLeavesTheHandoffUnused() throws Exception {
        String cookie = handoffCookie(login(signinToken(session(assumeRole(900)), ""), "/console/"));

        HttpResponse<String> response = consoleSession(Optional.of(cookie), Optional.of("https://evil.example.com"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(consoleSession(Optional.of(cookie), Optional.empty()).statusCode()).isEqualTo(200);
    }

    static Stream<String> otherOrigins() {
        int port = node.address().getPort();
        return Stream.of("https://127.0.0.1:" + port, "http://127.0.0.1", "http://localhost:" + port,
                "http://127.0.0.1:" + (port + 1), "null", "http://user@127.0.0.1:" + port, "ftp://127.0.0.1:" + port);
    }

    @ParameterizedTest(name = "Origin: {0}")
    @MethodSource("otherOrigins")
    void consoleSession_fromAnotherSchemeHostOrPort_isForbiddenAndLeavesTheHandoffUnused(String origin)
            throws Exception {
        String cookie = handoffCookie(login(signinToken(session(assumeRole(900)), ""), "/console/"));

        HttpResponse<String> response = consoleSession(Optional.of(cookie), Optional.of(origin));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(consoleSession(Optional.of(cookie),
                Optional.of("HTTP://127.0.0.1:" + node.address().getPort())).statusCode()).isEqualTo(200);
    }

    @Test
    void behindAnHttpsProxy_handoffCookieIsSecureAndTheOriginIsThePublicUrls() throws Exception {
        try (OpenStsNode proxied = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir.resolve("proxied"),
                new InetSocketAddress("127.0.0.1", 0), ACCOUNT).withClock(CLOCK).withRateLimit(RateLimit.DISABLED)
                .withPublicUrl(URI.create("https://sts.example.com")))) {
            AwsCredentials proxiedAdmin = SdkClients.credentials(proxied.initialAdmin().orElseThrow());
            Credentials role;
            try (IamClient iam = SdkClients.iam(proxied, proxiedAdmin);
                    StsClient sts = SdkClients.sts(proxied, proxiedAdmin)) {
                iam.createRole(r -> r.roleName("console-admin").assumeRolePolicyDocument(
                        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                                + "\"arn:aws:iam::" + ACCOUNT + ":root\"},\"Action\":\"sts:AssumeRole\"}]}"));
                role = sts.assumeRole(r -> r.roleArn(ROLE_ARN).roleSessionName("proxied")).credentials();
            }
            URI base = proxied.endpoint();
            HttpResponse<String> token = HTTP.send(HttpRequest.newBuilder(base.resolve(
                    "/federation?Action=getSigninToken&Session=" + URLEncoder.encode(session(role), UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(base.resolve("/federation?Action=login"
                    + "&SigninToken=" + JSON.readTree(token.body()).get("SigninToken").asText())).build(),
                    HttpResponse.BodyHandlers.ofString());
            String cookie = handoffCookie(login);
            var plainOrigin = "http://127.0.0.1:" + proxied.address().getPort();
            java.util.function.Function<String, HttpResponse<String>> redeem = origin -> {
                try {
                    return HTTP.send(HttpRequest.newBuilder(base.resolve("/console/session"))
                            .POST(HttpRequest.BodyPublishers.noBody()).header("Cookie", cookie)
                            .header("Origin", origin).build(), HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };

            assertThat(login.headers().firstValue("Set-Cookie")).get().asString().endsWith("; Secure");
            assertThat(redeem.apply(plainOrigin).statusCode()).as("the node is served over https").isEqualTo(403);
            HttpResponse<String> redeemed = redeem.apply("https://sts.example.com");
            assertThat(redeemed.statusCode()).as(redeemed.body()).isEqualTo(200);
            assertThat(redeemed.headers().firstValue("Set-Cookie")).get().asString().endsWith("; Secure");
        }
    }

    @Test
    void consoleSession_get_isMethodNotAllowed() throws Exception {
        HttpResponse<String> response = get("/console/session");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    // Headers and static files

    static Stream<String> consolePaths() {
        return Stream.of("/console", "/console/", "/console/missing.js", "/console/session",
                "/federation?Action=getSigninToken", "/federation?Action=login&SigninToken=x");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("consolePaths")
    void everyConsoleAndFederationAnswer_carriesTheSecurityHeaders(String path) throws Exception {
        HttpResponse<String> response = get(path);

        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'none'; "
                + "script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
        assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(response.headers().firstValue("Cache-Control")).isPresent();
    }

    @ParameterizedTest(name = "HEAD {0}")
    @ValueSource(strings = {"/console/", "/console/app.js", "/console/views/iam.js"})
    void head_consoleFile_answersAsGetWithoutTheBody(String path) throws Exception {
        HttpResponse<String> get = get(path);
        HttpResponse<String> head = HTTP.send(HttpRequest.newBuilder(node.endpoint().resolve(path))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(get.body()).isNotEmpty();
        assertThat(head.headers().firstValue("Content-Length"))
                .hasValue(String.valueOf(get.body().getBytes(UTF_8).length));
        for (String header : List.of("Content-Type", "ETag", "Cache-Control", "Content-Security-Policy")) {
            assertThat(head.headers().firstValue(header)).as(header).isEqualTo(get.headers().firstValue(header));
        }
    }

    @Test
    void putOnAConsoleFile_isMethodNotAllowedNamingGetAndHead() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(node.endpoint().resolve("/console/app.js"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void console_withoutSlash_redirectsToTheFolder() throws Exception {
        HttpResponse<String> response = get("/console");

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValue("/console/");
    }

    @Test
    void console_unknownFileOrTraversal_isNotFound() throws Exception {
        assertThat(get("/console/missing.js").statusCode()).isEqualTo(404);
        assertThat(get("/console/..%2fmaster-key.json").statusCode()).isEqualTo(404);
        assertThat(get("/console/../admin-credentials").statusCode()).isEqualTo(404);
    }

    @Test
    void signinTokenAndHandoff_neverReachTheAuditLogInClear() throws Exception {
        Credentials role = assumeRole(900);
        var events = AuditCapture.start();
        try {
            signIn(session(role), "");
        } finally {
            events.stop();
        }

        List<String> lines = events.lines();
        assertThat(lines).anyMatch(line -> line.contains("\"eventName\":\"GetSigninToken\""))
                .anyMatch(line -> line.contains("\"eventName\":\"ConsoleLogin\"")
                        && line.contains("\"ConsoleLogin\":\"Success\""));
        assertThat(String.join("\n", lines)).doesNotContain(role.secretAccessKey())
                .doesNotContain(role.sessionToken());
    }

    /** The audit events written while it runs, from the {@code opensts.audit} logger. */
    private static final class AuditCapture {
        private final Logger audit = (Logger) LoggerFactory.getLogger("opensts.audit");
        private final Level level = audit.getLevel();
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        static AuditCapture start() {
            var capture = new AuditCapture();
            capture.appender.start();
            capture.audit.addAppender(capture.appender);
            capture.audit.setLevel(Level.INFO);
            return capture;
        }

        void stop() {
            audit.detachAppender(appender);
            audit.setLevel(level);
        }

        List<String> lines() {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }
}
