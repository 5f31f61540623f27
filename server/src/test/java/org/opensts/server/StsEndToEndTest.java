package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.protocol.shape.ViolationWording;
import org.opensts.protocol.testing.MutableClock;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;
import org.w3c.dom.Document;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * A real node on an ephemeral loopback port, driven by the AWS SDK for Java v2 and by plain HTTP: the quick start,
 * the error envelope, the headers SDKs rely on, presigned requests and restarts.
 */
class StsEndToEndTest {
    private static final String ACCOUNT = "123456789012";
    private static final Path QUICKSTART = Path.of("..", "examples", "quickstart.yaml");

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(Instant.now());
    private OpenStsNode node;
    private AccessKeyCredentials admin;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        node = startNode();
        admin = node.initialAdmin().orElseThrow();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private OpenStsNode startNode() throws IOException, InterruptedException {
        return OpenStsNode.start(OpenStsNode.Config.embedded(dataDir, new InetSocketAddress("127.0.0.1", 0), ACCOUNT)
                .withBootstrapFile(QUICKSTART)
                .withClock(clock));
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + node.address().getPort());
    }

    private StsClient sts(AwsCredentials credentials) {
        return SdkClients.sts(node, credentials);
    }

    private StsClient adminSts() {
        return sts(AwsBasicCredentials.create(admin.accessKey().accessKeyId(),
                admin.secretAccessKey().revealUtf8()));
    }

    private AssumeRoleResponse assumeDemo(String sessionName) {
        try (StsClient sts = adminSts()) {
            return sts.assumeRole(request -> request
                    .roleArn("arn:aws:iam::123456789012:role/demo")
                    .roleSessionName(sessionName));
        }
    }

    private static AwsSessionCredentials sessionCredentials(Credentials credentials) {
        return AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                credentials.sessionToken());
    }

    @Test
    void sdk_assumeDemo_thenGetCallerIdentityWithTheSession_isTheAssumedRoleArn() {
        AssumeRoleResponse assumed = assumeDemo("sdk-session");

        assertThat(assumed.assumedRoleUser().arn())
                .isEqualTo("arn:aws:sts::123456789012:assumed-role/demo/sdk-session");
        assertThat(assumed.credentials().accessKeyId()).startsWith("ASIA").hasSize(20);
        assertThat(assumed.credentials().expiration()).isAfter(clock.instant().plus(Duration.ofMinutes(59)));
        try (StsClient session = sts(sessionCredentials(assumed.credentials()))) {
            GetCallerIdentityResponse identity = session.getCallerIdentity();

            assertThat(identity.arn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/demo/sdk-session");
            assertThat(identity.account()).isEqualTo(ACCOUNT);
            assertThat(identity.userId()).isEqualTo(assumed.assumedRoleUser().assumedRoleId());
        }
    }

    @Test
    void sdk_getCallerIdentityWithLongTermKey_isTheAdminUser() {
        try (StsClient sts = adminSts()) {
            GetCallerIdentityResponse identity = sts.getCallerIdentity();

            assertThat(identity.arn()).isEqualTo("arn:aws:iam::123456789012:user/admin");
            assertThat(identity.userId()).startsWith("AIDA");
        }
    }

    @Test
    void sdk_tamperedSessionToken_isRefusedWith403() {
        Credentials credentials = assumeDemo("tamper").credentials();
        String token = credentials.sessionToken();
        int middle = token.length() / 2;
        String tampered = token.substring(0, middle) + (token.charAt(middle) == 'A' ? 'B' : 'A')
                + token.substring(middle + 1);

        try (StsClient session = sts(AwsSessionCredentials.create(credentials.accessKeyId(),
                credentials.secretAccessKey(), tampered))) {
            StsException e = catchThrowableOfType(StsException.class, session::getCallerIdentity);

            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
        }
    }

    @Test
    void sdk_roleThatDoesNotTrustTheCaller_isAccessDenied() {
        try (StsClient sts = adminSts()) {
            StsException e = catchThrowableOfType(StsException.class, () -> sts.assumeRole(request -> request
                    .roleArn("arn:aws:iam::123456789012:role/missing").roleSessionName("nope")));

            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(e.awsErrorDetails().errorMessage()).startsWith("User: arn:aws:iam::123456789012:user/admin is "
                    + "not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/missing. "
                    + "Encoded authorization failure message: ");
        }
    }

    @Test
    void sdk_assumeRoleDenied_messageDecodesForAnAllowedCallerOnly() throws Exception {
        AwsSessionCredentials demo = sessionCredentials(assumeDemo("reader").credentials());
        String message;
        try (StsClient sts = sts(demo)) {
            // The demo role's trust policy names admin, not demo's own sessions: an implicit deny.
            StsException e = catchThrowableOfType(StsException.class, () -> sts.assumeRole(request -> request
                    .roleArn("arn:aws:iam::123456789012:role/demo").roleSessionName("chained")));
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            message = encodedMessage(e.awsErrorDetails().errorMessage());

            // demo may read IAM and call GetCallerIdentity, nothing more: not DecodeAuthorizationMessage.
            StsException denied = catchThrowableOfType(StsException.class,
                    () -> sts.decodeAuthorizationMessage(request -> request.encodedMessage(message)));
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.awsErrorDetails().errorMessage()).startsWith("User: arn:aws:sts::123456789012:"
                    + "assumed-role/demo/reader is not authorized to perform: sts:DecodeAuthorizationMessage because "
                    + "no identity-based policy allows the sts:DecodeAuthorizationMessage action. Encoded "
                    + "authorization failure message: ");
        }

        String decoded;
        try (StsClient sts = adminSts()) {
            decoded = sts.decodeAuthorizationMessage(request -> request.encodedMessage(message)).decodedMessage();
        }
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(decoded);
        assertThat(json.get("allowed").asBoolean(true)).isFalse();
        assertThat(json.get("explicitDeny").asBoolean(true)).isFalse();
        assertThat(json.at("/context/principal/arn").asText())
                .isEqualTo("arn:aws:sts::123456789012:assumed-role/demo/reader");
        assertThat(json.at("/context/action").asText()).isEqualTo("sts:AssumeRole");
        assertThat(json.at("/context/resource").asText()).isEqualTo("arn:aws:iam::123456789012:role/demo");
        assertThat(json.at("/context/conditions/items").findValuesAsText("key"))
                .contains("sts:RoleSessionName", "aws:PrincipalArn", "aws:SourceIp");
        assertThat(decoded).doesNotContain(demo.sessionToken(), demo.secretAccessKey());
    }

    @Test
    void sdk_iamActionDenied_messageDecodesToTheIamAction() throws Exception {
        AwsSessionCredentials demo = sessionCredentials(assumeDemo("writer").credentials());
        String message;
        try (var iam = SdkClients.iam(node, demo)) {
            var e = catchThrowableOfType(software.amazon.awssdk.services.iam.model.IamException.class,
                    () -> iam.createUser(request -> request.userName("intruder")));
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            message = encodedMessage(e.awsErrorDetails().errorMessage());
        }

        try (StsClient sts = adminSts()) {
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    sts.decodeAuthorizationMessage(request -> request.encodedMessage(message)).decodedMessage());
            assertThat(json.at("/context/action").asText()).isEqualTo("iam:CreateUser");
            assertThat(json.at("/context/resource").asText()).isEqualTo("arn:aws:iam::123456789012:user/intruder");
        }
    }

    @Test
    void sdk_decodeMessageNotIssuedHere_isInvalidAuthorizationMessageException() {
        try (StsClient sts = adminSts()) {
            var e = catchThrowableOfType(
                    software.amazon.awssdk.services.sts.model.InvalidAuthorizationMessageException.class,
                    () -> sts.decodeAuthorizationMessage(request -> request.encodedMessage("EXAMPLEWodyRNrtlQARDip")));

            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAuthorizationMessageException");
        }
    }

    /** The text after "Encoded authorization failure message: " in an error message. */
    static String encodedMessage(String errorMessage) {
        String label = "Encoded authorization failure message: ";
        assertThat(errorMessage).contains(label);
        return errorMessage.substring(errorMessage.indexOf(label) + label.length());
    }

    @Test
    void sdk_invalidRoleSessionName_isValidationError() {
        try (StsClient sts = adminSts()) {
            StsException e = catchThrowableOfType(StsException.class, () -> sts.assumeRole(request -> request
                    .roleArn("arn:aws:iam::123456789012:role/demo").roleSessionName("not valid!")));

            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value 'not valid!' "
                    + "at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression "
                    + "pattern: [\\w+=,.@-]*");
        }
    }

    @Test
    void sdk_assumeRoleWithARoleArnThatIsNotAnArn_isValidationError() {
        try (StsClient sts = adminSts()) {
            StsException e = catchThrowableOfType(StsException.class, () -> sts.assumeRole(request -> request
                    .roleArn("nothing-valid-in-here").roleSessionName("Session1")));

            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("nothing-valid-in-here is invalid");
        }
    }

    @Test
    void sdk_assumeRoot_isAccessDeniedAsForAnAccountWithoutCentralizedRootAccess() {
        try (StsClient sts = adminSts()) {
            StsException e = catchThrowableOfType(StsException.class, () -> sts.assumeRoot(request -> request
                    .targetPrincipal("210987654321")
                    .taskPolicyArn(policy -> policy.arn("arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"))
                    .durationSeconds(900)));

            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(StsActions.ASSUME_ROOT_REFUSED);
        }
    }

    @Test
    void sdk_assumeRootWithADurationAboveItsMaximum_isValidationErrorFirst() {
        try (StsClient sts = adminSts()) {
            StsException e = catchThrowableOfType(StsException.class, () -> sts.assumeRoot(request -> request
                    .targetPrincipal("210987654321")
                    .taskPolicyArn(policy -> policy.arn("arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"))
                    .durationSeconds(901)));

            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
            assertThat(e.awsErrorDetails().errorMessage()).contains("durationSeconds");
        }
    }

    @Test
    void sdk_getDelegatedAccessToken_isAccessDeniedAndDoesNotEchoTheToken() {
        try (StsClient sts = adminSts()) {
            StsException e = catchThrowableOfType(StsException.class, () -> sts.getDelegatedAccessToken(request -> request
                    .tradeInToken("trade-in-token-from-elsewhere")));

            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(StsActions.GET_DELEGATED_ACCESS_TOKEN_REFUSED)
                    .doesNotContain("trade-in-token-from-elsewhere");
        }
    }

    @Test
    void http_assumeRootUnsigned_isRefusedBeforeTheOrganizationCheck() throws Exception {
        HttpResponse<String> response = send(post("Action=AssumeRoot&Version=2011-06-15&TargetPrincipal=210987654321"
                + "&TaskPolicyArn.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2Froot-task%2FIAMAuditRootUserCredentials"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(error(response)).doesNotContainEntry("Message", StsActions.ASSUME_ROOT_REFUSED);
    }

    @Test
    void sdk_getFederationTokenWithoutSessionPolicy_reportsPackedPolicySizeZero() {
        try (StsClient sts = adminSts()) {
            var response = sts.getFederationToken(r -> r.name("Bob"));

            assertThat(response.packedPolicySize()).isZero();
        }
    }

    @Test
    void sdk_getAccessKeyInfo_namesTheAccountOfTemporaryAndLongTermKeys() {
        String temporary = assumeDemo("info").credentials().accessKeyId();
        try (StsClient sts = adminSts()) {
            assertThat(sts.getAccessKeyInfo(r -> r.accessKeyId(temporary)).account()).isEqualTo(ACCOUNT);
            assertThat(sts.getAccessKeyInfo(r -> r.accessKeyId(admin.accessKey().accessKeyId())).account())
                    .isEqualTo(ACCOUNT);
        }
    }

    @Test
    void sdk_getSessionToken_isTheUserItself_butCannotCallIamWithoutMfa() {
        Credentials credentials;
        try (StsClient sts = adminSts()) {
            credentials = sts.getSessionToken(r -> r.durationSeconds(900)).credentials();
        }

        try (StsClient session = sts(sessionCredentials(credentials))) {
            assertThat(session.getCallerIdentity().arn()).isEqualTo("arn:aws:iam::123456789012:user/admin");
        }
        try (var iam = SdkClients.iam(node, sessionCredentials(credentials))) {
            var e = catchThrowableOfType(software.amazon.awssdk.services.iam.model.IamException.class,
                    iam::listUsers);
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
        }
    }

    @Test
    void sdk_getFederationToken_isAFederatedUserLimitedToItsSessionPolicy() {
        Credentials credentials;
        try (StsClient sts = adminSts()) {
            var response = sts.getFederationToken(r -> r.name("Bob").policy("{\"Version\":\"2012-10-17\","
                    + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:ListAllMyBuckets\",\"Resource\":\"*\"}]}"));
            assertThat(response.federatedUser().arn()).isEqualTo("arn:aws:sts::123456789012:federated-user/Bob");
            assertThat(response.federatedUser().federatedUserId()).isEqualTo("123456789012:Bob");
            assertThat(response.packedPolicySize()).isPositive();
            credentials = response.credentials();
        }

        try (StsClient federated = sts(sessionCredentials(credentials))) {
            assertThat(federated.getCallerIdentity().arn()).isEqualTo("arn:aws:sts::123456789012:federated-user/Bob");
            StsException e = catchThrowableOfType(StsException.class, () -> federated.assumeRole(r -> r
                    .roleArn("arn:aws:iam::123456789012:role/demo").roleSessionName("nope")));
            assertThat(e.statusCode()).isEqualTo(403);
        }
    }

    @Test
    void http_expiredSessionCredentials_areExpiredToken403() throws Exception {
        Credentials credentials;
        try (StsClient sts = adminSts()) {
            credentials = sts.assumeRole(r -> r.roleArn("arn:aws:iam::123456789012:role/demo")
                    .roleSessionName("short").durationSeconds(900)).credentials();
        }
        clock.advance(Duration.ofSeconds(901));

        HttpResponse<String> response = send(sign(post("Action=GetCallerIdentity&Version=2011-06-15"),
                SigningCredentials.of(credentials.accessKeyId(), credentials.secretAccessKey().getBytes(UTF_8),
                        credentials.sessionToken())));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(error(response)).containsEntry("Code", "ExpiredToken")
                .containsEntry("Message", "The security token included in the request is expired");
    }

    @Test
    void http_unsignedRequest_isMissingAuthenticationTokenInTheAwsEnvelope() throws Exception {
        HttpResponse<String> response = send(post("Action=GetCallerIdentity&Version=2011-06-15"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/xml");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(response.headers().firstValue("Date")).isPresent();
        Document document = parse(response.body());
        assertThat(document.getDocumentElement().getTagName()).isEqualTo("ErrorResponse");
        assertThat(document.getDocumentElement().getNamespaceURI())
                .isEqualTo("https://sts.amazonaws.com/doc/2011-06-15/");
        assertThat(error(response)).containsEntry("Type", "Sender")
                .containsEntry("Code", "MissingAuthenticationToken")
                .containsEntry("Message", "Request is missing Authentication Token");
        assertThat(document.getElementsByTagName("RequestId").item(0).getTextContent())
                .isEqualTo(response.headers().firstValue("x-amzn-RequestId").orElseThrow());
    }

    @Test
    void http_presignedGetCallerIdentity_isAccepted() throws Exception {
        SignableRequest presigned = SigV4Signer.create().presign(SignableRequest.builder()
                        .method("GET").path("/").query("Action=GetCallerIdentity&Version=2011-06-15")
                        .addHeader("Host", "127.0.0.1:" + node.address().getPort()).build(),
                SigningCredentials.of(admin.accessKey().accessKeyId(), admin.secretAccessKey().revealBytes()),
                "us-east-1", "sts", clock.instant(), Duration.ofMinutes(5));

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                endpoint().resolve("/?" + presigned.query())).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(parse(response.body()).getElementsByTagName("Arn").item(0).getTextContent())
                .isEqualTo("arn:aws:iam::123456789012:user/admin");
    }

    /**
     * STS answers a presigned request for 15 minutes after its X-Amz-Date whatever its X-Amz-Expires says: a token of
     * {@code aws eks get-token} carries {@code X-Amz-Expires=60} and is used for 14 minutes, and one of a week is not
     * good for a week.
     */
    @Test
    void http_presignedUrl_isGoodForFifteenMinutesWhateverItsExpiresSays() throws Exception {
        SignableRequest forAMinute = presignedGetCallerIdentity(Duration.ofSeconds(60));
        SignableRequest forAWeek = presignedGetCallerIdentity(Duration.ofDays(7));

        clock.advance(Duration.ofMinutes(14));
        assertThat(get(forAMinute).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        for (SignableRequest presigned : List.of(forAMinute, forAWeek)) {
            HttpResponse<String> response = get(presigned);
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(error(response)).containsEntry("Code", "SignatureDoesNotMatch");
            assertThat(error(response).get("Message")).startsWith("Signature expired: ").endsWith("- 15 min.)");
        }
    }

    private SignableRequest presignedGetCallerIdentity(Duration expires) {
        return SigV4Signer.create().presign(SignableRequest.builder()
                        .method("GET").path("/").query("Action=GetCallerIdentity&Version=2011-06-15")
                        .addHeader("Host", "127.0.0.1:" + node.address().getPort()).build(),
                SigningCredentials.of(admin.accessKey().accessKeyId(), admin.secretAccessKey().revealBytes()),
                "us-east-1", "sts", clock.instant(), expires);
    }

    private HttpResponse<String> get(SignableRequest presigned) throws Exception {
        return http.send(HttpRequest.newBuilder(endpoint().resolve("/?" + presigned.query())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void http_aParameterGivenTwice_isRefusedRatherThanOneValueTaken() throws Exception {
        HttpResponse<String> response = send(post("Action=AssumeRole&Version=2011-06-15&RoleArn="
                + "arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fa&RoleSessionName=s1&RoleArn="
                + "arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fb"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(error(response)).containsEntry("Code", "MalformedQueryString")
                .containsEntry("Message", "The request gives the parameter 'RoleArn' more than once.");
    }

    @Test
    void http_unknownAction_isInvalidAction() throws Exception {
        HttpResponse<String> response = send(post("Action=FlyToTheMoon&Version=2011-06-15"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response)).containsEntry("Code", "InvalidAction")
                .containsEntry("Message", "Could not find operation FlyToTheMoon for version 2011-06-15");
    }

    /** A huge action name or version is echoed as a bounded prefix: a 1.9 MB request is not a 1.9 MB answer. */
    @Test
    void http_hugeUnknownActionAndVersion_areEchoedAsBoundedPrefixes() throws Exception {
        HttpResponse<String> response = send(post("Action=" + "A".repeat(1_900_000) + "&Version=" + "V".repeat(50_000)));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body().length()).isLessThan(12_000);
        assertThat(error(response)).containsEntry("Code", "InvalidAction").containsEntry("Message",
                "Could not find operation " + "A".repeat(ViolationWording.MAX_QUOTED_LENGTH) + "... for version "
                        + "V".repeat(ViolationWording.MAX_QUOTED_LENGTH) + "...");
    }

    @Test
    void http_requestWithoutVersion_isInvalidAction() throws Exception {
        HttpResponse<String> response = send(post("Action=GetCallerIdentity"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response)).containsEntry("Message",
                "Could not find operation GetCallerIdentity for version NO_VERSION_SPECIFIED");
    }

    @Test
    void http_requestWithoutAction_isMissingAction() throws Exception {
        HttpResponse<String> response = send(post("Version=2011-06-15"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response)).containsEntry("Code", "MissingAction");
    }

    @Test
    void http_bodyAboveTheCap_isRefusedBeforeItIsBuffered() throws Exception {
        String body = "Action=GetCallerIdentity&Version=2011-06-15&Padding=" + "x".repeat(
                ServerConfig.DEFAULT_MAX_BODY_BYTES);

        HttpResponse<String> response = send(post(body));

        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void http_healthzAndMetrics_answer() throws Exception {
        adminSts().getCallerIdentity();

        HttpResponse<String> health = http.send(HttpRequest.newBuilder(endpoint().resolve("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(endpoint().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("opensts_requests_seconds_count{action=\"GetCallerIdentity\",api=\"sts\","
                + "outcome=\"OK\"}");
    }

    @Test
    void metrics_auditLogWritable_isZeroWhileTheAuditLogCannotBeWritten_andOneOnceItIsWrittenAgain() throws Exception {
        var sink = new FailingSink();
        AuditLog.sendTo(sink);
        try {
            assertThat(metric("opensts_audit_log_writable")).isOne();

            sink.failing = true;
            try (StsClient sts = adminSts()) {
                StsException refused = catchThrowableOfType(StsException.class, sts::getCallerIdentity);
                assertThat(refused.statusCode()).isEqualTo(503);
            }
            assertThat(metric("opensts_audit_log_writable")).isZero();

            sink.failing = false;
            try (StsClient sts = adminSts()) {
                sts.getCallerIdentity();
            }
            assertThat(metric("opensts_audit_log_writable")).isOne();
        } finally {
            AuditLog.sendToLogger();
        }
    }

    /** An audit sink that refuses every event while told to, and says it is not writable meanwhile. */
    private static final class FailingSink implements AuditSink {
        volatile boolean failing;

        @Override
        public void append(String event) {
            if (failing) {
                throw new AuditUnavailableException("the test's audit log is failing");
            }
        }

        @Override
        public boolean isWritable() {
            return !failing;
        }
    }

    /** The value of a gauge on the node's {@code /metrics} page. */
    private double metric(String name) throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(endpoint().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return page.body().lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(name.length() + 1))).orElseThrow();
    }

    @Test
    void restart_keepsEveryEntityAndDoesNotCreateTheAdminAgain() throws Exception {
        String adminFile = Files.readString(node.adminCredentialsFile());
        node.close();

        node = startNode();

        assertThat(node.initialAdmin()).isEmpty();
        assertThat(node.bootstrapKeys()).isEmpty();
        assertThat(Files.readString(node.adminCredentialsFile())).isEqualTo(adminFile);
        assertThat(assumeDemo("after-restart").assumedRoleUser().arn()).endsWith("/demo/after-restart");
    }

    @Test
    void restart_sessionIssuedBeforeIt_stillAuthenticates() throws Exception {
        Credentials credentials = assumeDemo("before-restart").credentials();
        node.close();

        node = startNode();

        try (StsClient session = sts(sessionCredentials(credentials))) {
            assertThat(session.getCallerIdentity().arn()).endsWith("/demo/before-restart");
        }
    }

    @Test
    void dataDirectory_secretFilesAreReadableByTheOwnerOnly() throws Exception {
        for (String name : new String[] {OpenStsNode.ADMIN_CREDENTIALS_FILE, OpenStsNode.MASTER_KEY_FILE}) {
            assertThat(Files.getPosixFilePermissions(dataDir.resolve(name)))
                    .extracting(Object::toString)
                    .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        }
        assertThat(Files.readString(dataDir.resolve(OpenStsNode.ADMIN_CREDENTIALS_FILE)))
                .startsWith("[default]\naws_access_key_id = " + admin.accessKey().accessKeyId() + "\n");
    }

    private SignableRequest post(String body) {
        return SignableRequest.builder()
                .method("POST").path("/").query("")
                .addHeader("Host", "127.0.0.1:" + node.address().getPort())
                .addHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .body(body.getBytes(UTF_8))
                .build();
    }

    private SignableRequest sign(SignableRequest request, SigningCredentials credentials) {
        return SigV4Signer.create().sign(request, credentials, "us-east-1", "sts", clock.instant());
    }

    private HttpResponse<String> send(SignableRequest request) throws IOException, InterruptedException {
        var builder = HttpRequest.newBuilder(endpoint().resolve(request.path()));
        for (int i = 0; i < request.headerCount(); i++) {
            String name = request.headerName(i);
            if (!name.equalsIgnoreCase("Host")) {
                builder.header(name, request.headerValue(i));
            }
        }
        byte[] body = new byte[request.bodyLength()];
        request.body().get(body);
        return http.send(builder.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Document parse(String xml) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(UTF_8)));
    }

    private static Map<String, String> error(HttpResponse<String> response) throws Exception {
        Document document = parse(response.body());
        var error = new java.util.LinkedHashMap<String, String>();
        for (String name : new String[] {"Type", "Code", "Message"}) {
            Optional.ofNullable(document.getElementsByTagName(name).item(0))
                    .ifPresent(node -> error.put(name, node.getTextContent()));
        }
        return error;
    }
}
