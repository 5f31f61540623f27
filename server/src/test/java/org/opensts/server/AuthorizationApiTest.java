package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.protocol.shape.ViolationWording;
import org.opensts.sigv4.SigV2;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;
import org.opensts.token.AccessKeyIds;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The authorization API through a node on loopback: a service user signs its calls for {@code opensts}, and submits
 * S3 requests signed by a role session, as a resource service that received them would.
 */
class AuthorizationApiTest {
    /** How a body the parser refuses is answered: where it stopped, or that it is past the parser's limits. */
    private static final String NOT_JSON = "The body is not valid JSON( \\(line \\d+, column \\d+\\))?\\."
            + "|The body is not valid JSON: it nests deeper than 1,000 levels or holds a value longer than the parser"
            + " takes\\.";
    private static final String ACCOUNT = "123456789012";
    private static final String HOST = "bucket.s3.us-east-1.amazonaws.com";
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SigV4Signer S3_SIGNER = SigV4Signer.create(SigV4Signer.Options.defaults()
            .withNormalizePath(false).withDoubleEncodePath(false).withAddContentSha256(true));
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Headers the JDK's client sets itself (from the URI and the body), with the same values as signed. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length");

    @TempDir
    static Path dataDir;

    private static OpenStsNode node;
    private static IamClient admin;
    private static AwsCredentials adminCredentials;
    private static AwsBasicCredentials service;
    private static AwsBasicCredentials bystander;
    private static AwsSessionCredentials reader;

    @BeforeAll
    static void start() throws Exception {
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir.resolve("node"),
                new InetSocketAddress("127.0.0.1", 0), ACCOUNT));
        adminCredentials = SdkClients.credentials(node.initialAdmin().orElseThrow());
        admin = SdkClients.iam(node, adminCredentials);
        service = createUser("storage-service", policy("opensts:Authorize", "*"));
        bystander = createUser("bystander", policy("sts:AssumeRole", "*"));
        admin.createRole(r -> r.roleName("reader").assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                        + "arn:aws:iam::" + ACCOUNT + ":root\"},\"Action\":\"sts:AssumeRole\"}]}"));
        admin.putRolePolicy(r -> r.roleName("reader").policyName("read").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"ReadBucket\",\"Effect\":\"Allow\","
                        + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\"}]}"));
        try (StsClient sts = SdkClients.sts(node, bystander)) {
            Credentials credentials = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + ACCOUNT + ":role/reader")
                    .roleSessionName("app")).credentials();
            reader = AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                    credentials.sessionToken());
        }
    }

    @AfterAll
    static void stop() {
        admin.close();
        node.close();
    }

    private static String policy(String action, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"" + action
                + "\",\"Resource\":\"" + resource + "\"}]}";
    }

    private static AwsBasicCredentials createUser(String name, String policy) {
        admin.createUser(r -> r.userName(name));
        admin.putUserPolicy(r -> r.userName(name).policyName("permissions").policyDocument(policy));
        var key = admin.createAccessKey(r -> r.userName(name)).accessKey();
        return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
    }

    private static SigningCredentials signing(AwsCredentials credentials) {
        byte[] secret = credentials.secretAccessKey().getBytes(UTF_8);
        return credentials instanceof AwsSessionCredentials session
                ? SigningCredentials.of(session.accessKeyId(), secret, session.sessionToken())
                : SigningCredentials.of(credentials.accessKeyId(), secret);
    }

    /** An S3 GET as a client would send it to the resource service, signed with {@code credentials}. */
    private static SignableRequest receivedGet(AwsCredentials credentials, String path) {
        return S3_SIGNER.sign(SignableRequest.builder().method("GET").path(path).addHeader("Host", HOST).build(),
                signing(credentials), "us-east-1", "s3", Instant.now());
    }

    /** The API's body for a received request: its signing material and the question. */
    private static ObjectNode body(SignableRequest received, String action, String resource) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode request = body.putObject("request");
        request.put("method", received.method());
        request.put("path", received.path());
        request.put("query", received.query());
        ArrayNode headers = request.putArray("headers");
        for (int i = 0; i < received.headerCount(); i++) {
            headers.addArray().add(received.headerName(i)).add(received.headerValue(i));
        }
        request.put("sourceIp", "203.0.113.7");
        request.put("secureTransport", true);
        body.put("action", action);
        body.put("resource", resource);
        return body;
    }

    /** Calls the API as {@code caller}, the call signed for {@code opensts}. */
    private static HttpResponse<String> call(AwsCredentials caller, byte[] body) throws Exception {
        return call(node, caller, body);
    }

    private static HttpResponse<String> call(OpenStsNode at, AwsCredentials caller, byte[] body) throws Exception {
        URI endpoint = at.endpoint().resolve(AuthorizationApi.PATH);
        SignableRequest signed = SigV4Signer.create().sign(SignableRequest.builder().method("POST")
                .path(AuthorizationApi.PATH).addHeader("Host", endpoint.getAuthority())
                .addHeader("Content-Type", "application/json").body(body).build(),
                signing(caller), "us-east-1", "opensts", Instant.now());
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofByteArray(
                body));
        for (int i = 0; i < signed.headerCount(); i++) {
            if (!RESTRICTED.contains(signed.headerName(i).toLowerCase(Locale.ROOT))) {
                request.header(signed.headerName(i), signed.headerValue(i));
            }
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ask(ObjectNode body) throws Exception {
        return ask(node, service, body);
    }

    private static JsonNode ask(OpenStsNode at, AwsCredentials caller, ObjectNode body) throws Exception {
        HttpResponse<String> response = call(at, caller, JSON.writeValueAsBytes(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return JSON.readTree(response.body());
    }

    @Test
    void auditLogCannotRecordTheCall_isServiceUnavailable() throws Exception {
        byte[] body = JSON.writeValueAsBytes(body(receivedGet(reader, "/key.txt"), "s3:GetObject",
                "arn:aws:s3:::bucket/key.txt"));
        AuditLog.sendTo(event -> {
            throw new AuditUnavailableException("No space left on device");
        });
        HttpResponse<String> response;
        try {
            response = call(service, body);
        } finally {
            AuditLog.sendToLogger();
        }

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(response.body()).at("/error/code").asText()).isEqualTo("ServiceUnavailable");
        assertThat(response.body()).doesNotContain("Allow");
    }

    @Test
    void allowedRequest_answersWithTheCallerAndAllow() throws Exception {
        JsonNode answer = ask(body(receivedGet(reader, "/key.txt"), "s3:GetObject", "arn:aws:s3:::bucket/key.txt"));

        assertThat(answer.get("authenticated").asBoolean()).isTrue();
        assertThat(answer.get("decision").asText()).isEqualTo("Allow");
        assertThat(answer.get("allowed").asBoolean()).isTrue();
        assertThat(answer.get("reasons").get(0).asText()).contains("ReadBucket");
        assertThat(answer.has("encodedMessage")).isFalse();
        assertThat(answer.get("payload").asText()).isEqualTo("UNCHECKED");
        JsonNode caller = answer.get("caller");
        assertThat(caller.get("account").asText()).isEqualTo(ACCOUNT);
        assertThat(caller.get("arn").asText()).isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/reader/app");
        assertThat(caller.get("userId").asText()).startsWith("AROA").endsWith(":app");
        assertThat(caller.get("principalId").asText()).startsWith("AROA").doesNotContain(":");
        assertThat(caller.get("accessKeyId").asText()).isEqualTo(reader.accessKeyId());
        assertThat(caller.get("sessionName").asText()).isEqualTo("app");
        assertThat(caller.get("mfaAuthenticated").asBoolean()).isFalse();
        assertThat(Instant.parse(caller.get("expiration").asText()))
                .isAfter(Instant.parse(caller.get("issuedAt").asText()));
        assertThat(answer.toString()).doesNotContain(reader.secretAccessKey()).doesNotContain(reader.sessionToken());
    }

    @Test
    void presignedGet_isAuthenticatedFromItsQuery_andItsBodyIsUnsigned() throws Exception {
        SignableRequest presigned = SigV4Signer.create(SigV4Signer.Options.defaults().withNormalizePath(false)
                .withDoubleEncodePath(false).withUnsignedPayload(true)).presign(SignableRequest.builder()
                .method("GET").path("/key.txt").addHeader("Host", HOST).build(), signing(reader), "us-east-1", "s3",
                Instant.now(), Duration.ofMinutes(5));

        JsonNode answer = ask(body(presigned, "s3:GetObject", "arn:aws:s3:::bucket/key.txt"));

        assertThat(presigned.query()).contains("X-Amz-Signature=");
        assertThat(answer.get("authenticated").asBoolean()).as(answer.toString()).isTrue();
        assertThat(answer.get("payload").asText()).isEqualTo("UNSIGNED");
        assertThat(answer.get("decision").asText()).isEqualTo("Allow");
    }

    /** SigV4 documents a presigned URL as good for its X-Amz-Expires; only STS answers one for the clock skew. */
    @Test
    void presignedUrlOfAServiceOtherThanSts_livesForItsXAmzExpires() throws Exception {
        SignableRequest receiveMessage = SignableRequest.builder().method("GET").path("/")
                .query("Action=ReceiveMessage").addHeader("Host", "sqs.us-east-1.amazonaws.com").build();
        String queue = "arn:aws:sqs:us-east-1:" + ACCOUNT + ":jobs";
        SignableRequest forAMinute = SigV4Signer.create().presign(receiveMessage, signing(reader), "us-east-1", "sqs",
                Instant.now().minus(Duration.ofMinutes(5)), Duration.ofSeconds(60));
        SignableRequest forAnHour = SigV4Signer.create().presign(receiveMessage, signing(reader), "us-east-1", "sqs",
                Instant.now().minus(Duration.ofMinutes(50)), Duration.ofHours(1));

        JsonNode expired = ask(body(forAMinute, "sqs:ReceiveMessage", queue));
        JsonNode current = ask(body(forAnHour, "sqs:ReceiveMessage", queue));

        assertThat(expired.get("authenticated").asBoolean()).as(expired.toString()).isFalse();
        assertThat(expired.at("/error/message").asText()).startsWith("Signature expired: ");
        assertThat(current.get("authenticated").asBoolean()).as(current.toString()).isTrue();
    }

    @Test
    void refusedRequest_answersImplicitDeny_withAMessageStsDecodes() throws Exception {
        JsonNode answer = ask(body(receivedGet(reader, "/key.txt"), "s3:PutObject", "arn:aws:s3:::bucket/key.txt"));

        assertThat(answer.get("authenticated").asBoolean()).isTrue();
        assertThat(answer.get("decision").asText()).isEqualTo("ImplicitDeny");
        assertThat(answer.get("allowed").asBoolean()).isFalse();
        assertThat(answer.get("reasons").get(0).asText())
                .isEqualTo("No statement allows s3:PutObject on arn:aws:s3:::bucket/key.txt.");
        String message = answer.get("encodedMessage").asText();
        try (StsClient sts = SdkClients.sts(node, adminCredentials)) {
            JsonNode decoded = JSON.readTree(sts.decodeAuthorizationMessage(r -> r.encodedMessage(message))
                    .decodedMessage());
            assertThat(decoded.at("/context/action").asText()).isEqualTo("s3:PutObject");
            assertThat(decoded.at("/context/principal/arn").asText()).endsWith(":assumed-role/reader/app");
            assertThat(decoded.at("/context/conditions/items").findValuesAsText("key")).contains("aws:SourceIp");
        }
    }

    @Test
    void resourcePolicyAndContext_takePart() throws Exception {
        ObjectNode body = body(receivedGet(reader, "/"), "s3:ListBucket", "arn:aws:s3:::bucket");
        body.put("resourcePolicy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"HomeOnly\","
                + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":role/reader\"},"
                + "\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::bucket\","
                + "\"Condition\":{\"StringLike\":{\"s3:prefix\":\"home/*\"}}}]}");
        body.putObject("context").putArray("s3:prefix").add("home/app/");
        ObjectNode outside = body.deepCopy();
        outside.putObject("context").putArray("s3:prefix").add("etc/");

        assertThat(ask(body).get("decision").asText()).isEqualTo("Allow");
        assertThat(ask(outside).get("decision").asText()).isEqualTo("ImplicitDeny");
    }

    /**
     * Thousands of wildcard patterns against a long context value, within the body's limit: about a second of a core
     * to evaluate, which a few such calls at once would take from every other caller. It is refused unevaluated.
     */
    @Test
    void requestTooCostlyToEvaluate_isValidationError_withoutADecision() throws Exception {
        ObjectNode body = body(receivedGet(reader, "/"), "s3:ListBucket", "arn:aws:s3:::bucket");
        var patterns = new StringBuilder();
        for (int i = 0; i < 4_000; i++) {
            patterns.append(i == 0 ? "" : ",").append("\"*a?z").append(i).append("*\"");
        }
        body.put("resourcePolicy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":\"s3:ListBucket\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringLike\":{\"s3:prefix\":[" + patterns + "]}}}]}");
        body.putObject("context").putArray("s3:prefix").add("a".repeat(60_000));

        HttpResponse<String> response = call(service, JSON.writeValueAsBytes(body));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("ValidationError");
        assertThat(error.get("message").asText()).startsWith("The request is too costly to evaluate");
    }

    /** An IPv4 client that a dual-stack socket reports as {@code ::ffff:a.b.c.d} is its IPv4 address to a policy. */
    @Test
    void ipv4MappedSourceIp_isMatchedByAnIpv4Range() throws Exception {
        ObjectNode body = body(receivedGet(reader, "/key.txt"), "s3:GetObject", "arn:aws:s3:::bucket/key.txt");
        body.put("resourcePolicy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                + "\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\","
                + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"203.0.113.0/24\"}}}]}");
        ObjectNode mapped = body.deepCopy();
        ((ObjectNode) mapped.get("request")).put("sourceIp", "::ffff:203.0.113.7");
        ObjectNode elsewhere = body.deepCopy();
        ((ObjectNode) elsewhere.get("request")).put("sourceIp", "::ffff:198.51.100.7");

        assertThat(ask(body).get("decision").asText()).isEqualTo("ExplicitDeny");
        assertThat(ask(mapped).get("decision").asText()).isEqualTo("ExplicitDeny");
        assertThat(ask(elsewhere).get("decision").asText()).isEqualTo("Allow");
    }

    @Test
    void tamperedSubmittedRequest_answersNotAuthenticated_withTheErrorToReturn() throws Exception {
        SignableRequest signed = receivedGet(reader, "/key.txt");
        SignableRequest tampered = signed.toBuilder().path("/other.txt").build();

        JsonNode answer = ask(body(tampered, "s3:GetObject", "arn:aws:s3:::bucket/other.txt"));

        assertThat(answer.get("authenticated").asBoolean()).isFalse();
        assertThat(answer.at("/error/code").asText()).isEqualTo("SignatureDoesNotMatch");
        assertThat(answer.at("/error/s3Code").asText()).isEqualTo("SignatureDoesNotMatch");
        assertThat(answer.at("/error/httpStatus").asInt()).isEqualTo(403);
        assertThat(answer.has("caller")).isFalse();
        assertThat(answer.has("decision")).isFalse();
    }

    /** The credential scope binds a signature to a region: a service in another one must refuse it, as AWS does. */
    @Test
    void requestSignedForAnotherRegionThanTheServices_answersNotAuthenticated() throws Exception {
        ObjectNode body = body(receivedGet(reader, "/key.txt"), "s3:GetObject", "arn:aws:s3:::bucket/key.txt");
        ObjectNode elsewhere = body.deepCopy().put("region", "eu-west-1");
        ObjectNode here = body.deepCopy().put("region", "us-east-1");
        byte[] form = "Action=SendMessage&MessageBody=hello".getBytes(UTF_8);
        ObjectNode queryElsewhere = queryCall(form, Optional.of(form)).put("region", "eu-west-1");

        JsonNode s3Refusal = ask(elsewhere);
        JsonNode queryRefusal = ask(queryElsewhere);

        assertThat(s3Refusal.get("authenticated").asBoolean()).isFalse();
        assertThat(s3Refusal.at("/error/code").asText()).isEqualTo("AuthorizationHeaderMalformed");
        assertThat(s3Refusal.at("/error/httpStatus").asInt()).isEqualTo(400);
        assertThat(s3Refusal.at("/error/message").asText()).isEqualTo(
                "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'");
        assertThat(queryRefusal.at("/error/code").asText()).isEqualTo("SignatureDoesNotMatch");
        assertThat(queryRefusal.at("/error/httpStatus").asInt()).isEqualTo(403);
        assertThat(queryRefusal.at("/error/message").asText())
                .isEqualTo("Credential should be scoped to a valid region. ");
        assertThat(ask(here).get("authenticated").asBoolean()).isTrue();
    }

    /** S3 blames the clock for a signed request out of time; the Query APIs answer 403 for a bad token. */
    @Test
    void failures_carryTheCodeAndStatusOfTheServicesProtocol() throws Exception {
        SignableRequest stale = S3_SIGNER.sign(SignableRequest.builder().method("GET").path("/key.txt")
                .addHeader("Host", HOST).build(), signing(reader), "us-east-1", "s3",
                Instant.now().minus(Duration.ofMinutes(20)));
        byte[] form = "Action=SendMessage&MessageBody=hello".getBytes(UTF_8);
        ObjectNode badToken = queryCall(form, Optional.of(form));
        ArrayNode headers = (ArrayNode) badToken.at("/request/headers");
        for (JsonNode header : headers) {
            if (header.get(0).asText().equalsIgnoreCase("X-Amz-Security-Token")) {
                String token = header.get(1).asText();
                ((ArrayNode) header).set(1, JSON.getNodeFactory().textNode(
                        token.substring(0, 40) + (token.charAt(40) == 'A' ? 'B' : 'A') + token.substring(41)));
            }
        }

        JsonNode skewed = ask(body(stale, "s3:GetObject", "arn:aws:s3:::bucket/key.txt"));
        JsonNode invalidToken = ask(badToken);

        assertThat(skewed.at("/error/code").asText()).isEqualTo("RequestTimeTooSkewed");
        assertThat(skewed.at("/error/httpStatus").asInt()).isEqualTo(403);
        assertThat(invalidToken.at("/error/code").asText()).isEqualTo("InvalidClientTokenId");
        assertThat(invalidToken.at("/error/s3Code").asText()).isEqualTo("InvalidToken");
        assertThat(invalidToken.at("/error/httpStatus").asInt()).isEqualTo(403);
    }

    /** S3 does not know a temporary key without its token, whichever service the request is asked about as. */
    @Test
    void temporaryKeyWithoutItsToken_hasTheSameCodes_asS3AndAsAQueryService() throws Exception {
        AwsBasicCredentials tokenless = AwsBasicCredentials.create(reader.accessKeyId(), reader.secretAccessKey());
        JsonNode asS3 = ask(body(receivedGet(tokenless, "/key.txt"), "s3:GetObject", "arn:aws:s3:::bucket/key.txt"));
        SignableRequest sqs = SigV4Signer.create().sign(SignableRequest.builder().method("GET").path("/")
                .query("Action=ListQueues").addHeader("Host", "sqs.us-east-1.amazonaws.com").build(),
                signing(tokenless), "us-east-1", "sqs", Instant.now());
        JsonNode asSqs = ask(body(sqs, "sqs:ListQueues", "*"));

        for (JsonNode answer : List.of(asS3, asSqs)) {
            assertThat(answer.get("authenticated").asBoolean()).isFalse();
            assertThat(answer.at("/error/s3Code").asText()).as(answer.toString()).isEqualTo("InvalidAccessKeyId");
            assertThat(answer.at("/error/queryCode").asText()).isEqualTo("InvalidClientTokenId");
        }
        assertThat(asSqs.at("/error/code").asText()).isEqualTo("InvalidClientTokenId");
        assertThat(asSqs.at("/error/httpStatus").asInt()).isEqualTo(403);
    }

    /**
     * An S3 GET signed with Signature Version 2 in its {@code Authorization} header, sent to {@code host} at
     * {@code path}, its signature over {@code signedResource}: a client signs {@code /bucket/key} whether it sends the
     * request path style or virtual-hosted.
     */
    private static SignableRequest sigV2Get(AwsCredentials credentials, String host, String path,
            String signedResource) {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        Map<String, List<String>> amzHeaders = new TreeMap<>();
        if (credentials instanceof AwsSessionCredentials session) {
            amzHeaders.put("x-amz-security-token", List.of(session.sessionToken()));
        }
        String signature = SigV2.sign("HmacSHA1", credentials.secretAccessKey().getBytes(UTF_8),
                SigV2.s3StringToSign("GET", "", "", date, amzHeaders, null, signedResource, ""));
        SignableRequest.Builder request = SignableRequest.builder().method("GET").path(path).addHeader("Host", host)
                .addHeader("Date", date);
        amzHeaders.forEach((name, values) -> request.addHeader(name, values.get(0)));
        return request.addHeader("Authorization", "AWS " + credentials.accessKeyId() + ":" + signature).build();
    }

    /** The same as a presigned URL ({@code AWSAccessKeyId}, {@code Expires}, {@code Signature}), boto3's default. */
    private static SignableRequest sigV2Presigned(AwsCredentials credentials, String host, String path,
            String signedResource) {
        String expires = Long.toString(Instant.now().plus(Duration.ofMinutes(5)).getEpochSecond());
        Map<String, List<String>> amzHeaders = new TreeMap<>();
        var query = new StringBuilder("AWSAccessKeyId=" + credentials.accessKeyId() + "&Expires=" + expires);
        if (credentials instanceof AwsSessionCredentials session) {
            amzHeaders.put("x-amz-security-token", List.of(session.sessionToken()));
            query.append("&x-amz-security-token=").append(URLEncoder.encode(session.sessionToken(), UTF_8));
        }
        String signature = SigV2.sign("HmacSHA1", credentials.secretAccessKey().getBytes(UTF_8),
                SigV2.s3StringToSign("GET", "", "", expires, amzHeaders, null, signedResource, ""));
        query.append("&Signature=").append(URLEncoder.encode(signature, UTF_8));
        return SignableRequest.builder().method("GET").path(path).query(query.toString()).addHeader("Host", host)
                .build();
    }

    /**
     * Signature Version 2 does not sign {@code Host}: a path-style URL for bucket {@code a.csv} (ListObjects) replayed
     * at {@code bucket.s3.example.com/a.csv} would stand for object {@code a.csv} of {@code bucket}, a resource its
     * signer never signed. With or without the service's base hosts it is not authentic.
     */
    @Test
    void sigV2PathStyleUrl_replayedAtAVirtualHostedBucket_isNotAuthentic() throws Exception {
        List<SignableRequest> replays = List.of(
                sigV2Presigned(reader, "bucket.s3.example.com", "/a.csv", "/a.csv"),
                sigV2Get(reader, "bucket.s3.example.com", "/a.csv", "/a.csv"));

        for (SignableRequest replay : replays) {
            ObjectNode body = body(replay, "s3:GetObject", "arn:aws:s3:::bucket/a.csv");
            ObjectNode withBaseHosts = body.deepCopy();
            withBaseHosts.putArray("s3BaseHosts").add("s3.example.com");
            for (ObjectNode question : List.of(body, withBaseHosts)) {
                JsonNode answer = ask(question);
                assertThat(answer.get("authenticated").asBoolean()).as(question.toString()).isFalse();
                assertThat(answer.at("/error/code").asText()).isEqualTo("SignatureDoesNotMatch");
                assertThat(answer.at("/error/httpStatus").asInt()).isEqualTo(403);
                assertThat(answer.has("decision")).isFalse();
            }
        }
    }

    /** A SigV2 signature stands for the resource it signed only: the decision's resource must be that one. */
    @Test
    void sigV2PathStyleRequest_isAuthenticForTheResourceItSigned_only() throws Exception {
        SignableRequest get = sigV2Get(reader, "s3.example.com", "/bucket/key%20one.txt", "/bucket/key%20one.txt");
        SignableRequest list = sigV2Presigned(reader, "s3.example.com", "/bucket", "/bucket/");

        assertThat(ask(body(get, "s3:GetObject", "arn:aws:s3:::bucket/key one.txt")).get("decision").asText())
                .isEqualTo("Allow");
        assertThat(ask(body(list, "s3:ListBucket", "arn:aws:s3:::bucket")).get("authenticated").asBoolean())
                .isTrue();
        for (String other : List.of("arn:aws:s3:::bucket/other.txt", "arn:aws:s3:::bucket", "arn:aws:s3:::other/key"
                + " one.txt", "*", "arn:aws:sqs:us-east-1:" + ACCOUNT + ":jobs")) {
            JsonNode answer = ask(body(get, "s3:GetObject", other));
            assertThat(answer.get("authenticated").asBoolean()).as(other).isFalse();
            assertThat(answer.at("/error/code").asText()).isEqualTo("SignatureDoesNotMatch");
        }
        assertThat(ask(body(list, "s3:ListBucket", "arn:aws:s3:::bucket/x")).get("authenticated").asBoolean())
                .isFalse();
    }

    /**
     * A genuine virtual-hosted SigV2 request signs {@code /bucket/key}: authentic when the service names the host
     * names it serves S3 at, path style and virtual-hosted alike, header-signed and presigned.
     */
    @Test
    void sigV2VirtualHostedRequest_isAuthentic_whenTheServiceNamesItsS3BaseHosts() throws Exception {
        List<SignableRequest> virtualHosted = List.of(
                sigV2Get(reader, "bucket.s3.example.com", "/key.txt", "/bucket/key.txt"),
                sigV2Presigned(reader, "bucket.s3.example.com", "/key.txt", "/bucket/key.txt"),
                sigV2Presigned(reader, "bucket.s3.example.com:8443", "/key.txt", "/bucket/key.txt"));
        SignableRequest pathStyle = sigV2Presigned(reader, "s3.example.com", "/bucket/key.txt", "/bucket/key.txt");

        for (SignableRequest request : virtualHosted) {
            ObjectNode body = body(request, "s3:GetObject", "arn:aws:s3:::bucket/key.txt");
            ObjectNode withBaseHosts = body.deepCopy();
            withBaseHosts.putArray("s3BaseHosts").add("s3.other.example").add("S3.Example.com");
            JsonNode served = ask(withBaseHosts);
            assertThat(served.get("decision").asText()).as(served.toString()).isEqualTo("Allow");
            assertThat(ask(body).at("/error/code").asText()).isEqualTo("SignatureDoesNotMatch");
        }
        ObjectNode pathBody = body(pathStyle, "s3:GetObject", "arn:aws:s3:::bucket/key.txt");
        pathBody.putArray("s3BaseHosts").add("s3.example.com");
        assertThat(ask(pathBody).get("decision").asText()).isEqualTo("Allow");
    }

    /**
     * SigV2 names no region: with the service's region it is served there (aws:RequestedRegion), but S3 refuses it
     * in the regions that accept only SigV4; without the region, aws:RequestedRegion is not guessed.
     */
    @Test
    void sigV2Request_isServedInTheServicesRegion_butRefusedWhereOnlySigV4IsAccepted() throws Exception {
        ObjectNode body = body(sigV2Get(reader, "s3.example.com", "/bucket/key.txt", "/bucket/key.txt"),
                "s3:GetObject", "arn:aws:s3:::bucket/key.txt");
        body.put("resourcePolicy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                + "\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringNotEquals\":{\"aws:RequestedRegion\":\"eu-west-1\"}}}]}");

        JsonNode inIreland = ask(body.deepCopy().put("region", "eu-west-1"));
        JsonNode inOregon = ask(body.deepCopy().put("region", "us-west-2"));
        JsonNode inFrankfurt = ask(body.deepCopy().put("region", "eu-central-1"));
        JsonNode inPrivateRegion = ask(body.deepCopy().put("region", "on-prem-1"));
        JsonNode unsaid = ask(body);

        assertThat(inIreland.get("decision").asText()).as(inIreland.toString()).isEqualTo("Allow");
        assertThat(inIreland.get("region").asText()).isEqualTo("eu-west-1");
        assertThat(inOregon.get("decision").asText()).isEqualTo("ExplicitDeny");
        assertThat(inOregon.get("region").asText()).isEqualTo("us-west-2");
        assertThat(inFrankfurt.get("authenticated").asBoolean()).isFalse();
        assertThat(inFrankfurt.at("/error/code").asText()).isEqualTo("InvalidRequest");
        assertThat(inFrankfurt.at("/error/s3Code").asText()).isEqualTo("InvalidRequest");
        assertThat(inFrankfurt.at("/error/httpStatus").asInt()).isEqualTo(400);
        assertThat(inFrankfurt.at("/error/message").asText()).isEqualTo(
                "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
        assertThat(inPrivateRegion.get("region").asText()).isEqualTo("on-prem-1");
        assertThat(unsaid.get("authenticated").asBoolean()).isTrue();
        assertThat(unsaid.has("region")).isFalse();
        // An absent aws:RequestedRegion: StringNotEquals matches, so a Deny outside a region list still denies.
        assertThat(unsaid.get("decision").asText()).isEqualTo("ExplicitDeny");
    }

    /**
     * S3 serves a request by one authentication mechanism: with two, which one a service or a log believed would be
     * anyone's guess (a URL naming one principal, a header another's), so S3 refuses it, and so does the node.
     */
    @Test
    void requestWithTwoAuthMechanisms_isInvalidArgument_whicheverTheyAre() throws Exception {
        SignableRequest sigV4Query = SigV4Signer.create(SigV4Signer.Options.defaults().withNormalizePath(false)
                .withDoubleEncodePath(false).withUnsignedPayload(true)).presign(SignableRequest.builder()
                .method("GET").path("/bucket/key.txt").addHeader("Host", "s3.example.com").build(), signing(reader),
                "us-east-1", "s3", Instant.now(), Duration.ofMinutes(5));
        SignableRequest sigV4Header = S3_SIGNER.sign(SignableRequest.builder().method("GET").path("/bucket/key.txt")
                .addHeader("Host", "s3.example.com").build(), signing(bystander), "us-east-1", "s3", Instant.now());
        SignableRequest sigV2Query = sigV2Presigned(reader, "s3.example.com", "/bucket/key.txt", "/bucket/key.txt");
        SignableRequest sigV2Header = sigV2Get(bystander, "s3.example.com", "/bucket/key.txt", "/bucket/key.txt");
        String authorizationV2 = sigV2Header.firstHeader("Authorization").orElseThrow();
        String authorizationV4 = sigV4Header.firstHeader("Authorization").orElseThrow();
        List<SignableRequest> mixed = List.of(
                sigV4Query.toBuilder().addHeader("Authorization", authorizationV2).addHeader("Date",
                        sigV2Header.firstHeader("Date").orElseThrow()).build(),
                sigV2Query.toBuilder().addHeader("Authorization", authorizationV4).build(),
                sigV2Query.toBuilder().addHeader("Authorization", authorizationV2).build(),
                sigV4Query.toBuilder().query(sigV4Query.query() + "&" + sigV2Query.query()).build());

        for (SignableRequest request : mixed) {
            JsonNode answer = ask(body(request, "s3:GetObject", "arn:aws:s3:::bucket/key.txt"));
            assertThat(answer.get("authenticated").asBoolean()).as(answer.toString()).isFalse();
            assertThat(answer.at("/error/code").asText()).isEqualTo("InvalidArgument");
            assertThat(answer.at("/error/s3Code").asText()).isEqualTo("InvalidArgument");
            assertThat(answer.at("/error/queryCode").asText()).isEqualTo("IncompleteSignature");
            assertThat(answer.at("/error/httpStatus").asInt()).isEqualTo(400);
            assertThat(answer.at("/error/message").asText()).isEqualTo("Only one auth mechanism allowed; only the"
                    + " X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header"
                    + " should be specified");
        }
    }

    /**
     * The details of a decision are its caller's account's (DecodeAuthorizationMessage): a service asking about a
     * caller of another account hears the decision and its own resource policy's statements, never the names or
     * statement ids of the caller's policies, nor the caller's principal tags. Same-account answers keep them.
     */
    @Test
    void callerOfAnotherAccount_isAnsweredWithoutItsPolicyNamesAndTags() throws Exception {
        String otherAccount = "210987654321";
        AwsBasicCredentials storage = TestNodes.knownKey("storage");
        AwsBasicCredentials local = TestNodes.knownKey("local");
        AwsBasicCredentials outsider = AwsBasicCredentials.create(AccessKeyIds.newLongTerm(otherAccount,
                new SecureRandom()), "outsider-secret-0123456789abcdef");
        Path dir = Files.createDirectories(dataDir.resolve("two-accounts"));
        try (OpenStsNode twoAccounts = TestNodes.start(dir, """
                accounts:
                  - id: "123456789012"
                    users:
                      - name: storage
                        policies:
                          - name: AskNode
                            document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "opensts:Authorize", \
                Resource: "*"}]}
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                      - name: local
                        tags: {team: blue}
                        policies:
                          - name: LocalReads
                            document: {Version: "2012-10-17", Statement: [{Sid: LocalGet, Effect: Allow, \
                Action: "s3:GetObject", Resource: "*"}]}
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                  - id: "%s"
                    users:
                      - name: outsider
                        tags: {clearance: secret}
                        policies:
                          - name: OutsiderSecrets
                            document: {Version: "2012-10-17", Statement: [{Sid: OutsiderGet, Effect: Allow, \
                Action: "s3:*", Resource: "*"}, {Sid: OutsiderNoDelete, Effect: Deny, Action: "s3:DeleteObject", \
                Resource: "*"}]}
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                """.formatted(storage.accessKeyId(), storage.secretAccessKey(), local.accessKeyId(),
                local.secretAccessKey(), otherAccount, outsider.accessKeyId(), outsider.secretAccessKey()))) {
            SignableRequest fromOutsider = receivedGet(outsider, "/key.txt");
            ObjectNode ownResource = body(fromOutsider, "s3:GetObject", "arn:aws:s3:::bucket/key.txt")
                    .put("resourceAccount", otherAccount);
            ObjectNode deleteOwn = body(fromOutsider, "s3:DeleteObject", "arn:aws:s3:::bucket/key.txt")
                    .put("resourceAccount", otherAccount);
            ObjectNode servicesBucket = body(fromOutsider, "s3:GetObject", "arn:aws:s3:::bucket/key.txt")
                    .put("resourceAccount", ACCOUNT).put("resourcePolicy", "{\"Version\":\"2012-10-17\","
                            + "\"Statement\":[{\"Sid\":\"LetPartnersRead\",\"Effect\":\"Allow\",\"Principal\":"
                            + "{\"AWS\":\"arn:aws:iam::" + otherAccount + ":user/outsider\"},\"Action\":"
                            + "\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\"}]}");

            JsonNode allowed = ask(twoAccounts, storage, ownResource);
            JsonNode denied = ask(twoAccounts, storage, deleteOwn);
            JsonNode viaBucketPolicy = ask(twoAccounts, storage, servicesBucket);
            JsonNode sameAccount = ask(twoAccounts, storage, body(receivedGet(local, "/key.txt"), "s3:GetObject",
                    "arn:aws:s3:::bucket/key.txt"));

            assertThat(allowed.get("decision").asText()).isEqualTo("Allow");
            assertThat(denied.get("decision").asText()).isEqualTo("ExplicitDeny");
            assertThat(viaBucketPolicy.get("decision").asText()).isEqualTo("Allow");
            for (JsonNode answer : List.of(allowed, denied, viaBucketPolicy)) {
                assertThat(answer.get("reasons").toString()).as(answer.toString()).doesNotContain("Outsider")
                        .doesNotContain("line");
                assertThat(answer.at("/caller/account").asText()).isEqualTo(otherAccount);
                assertThat(answer.at("/caller").has("tags")).isFalse();
                assertThat(answer.toString()).doesNotContain("clearance").doesNotContain("secret\"");
            }
            assertThat(allowed.get("reasons").get(0).asText())
                    .isEqualTo("Allowed by the policies of the caller's account.");
            assertThat(denied.get("reasons").get(0).asText())
                    .isEqualTo("Explicitly denied by a policy of the caller's account.");
            assertThat(viaBucketPolicy.get("reasons").toString()).contains("LetPartnersRead");
            assertThat(sameAccount.get("reasons").get(0).asText()).contains("LocalGet").contains("LocalReads");
            assertThat(sameAccount.at("/caller/tags/team").asText()).isEqualTo("blue");
        }
    }

    @Test
    void payloadHashOtherThanTheSignedOne_answersNotAuthenticated() throws Exception {
        ObjectNode body = body(receivedGet(reader, "/key.txt"), "s3:GetObject", "arn:aws:s3:::bucket/key.txt");
        ((ObjectNode) body.get("request")).put("payloadHash", "0".repeat(64));
        ObjectNode same = body(receivedGet(reader, "/key.txt"), "s3:GetObject", "arn:aws:s3:::bucket/key.txt");
        ((ObjectNode) same.get("request")).put("payloadHash", EMPTY_SHA256);

        JsonNode answer = ask(body);

        assertThat(answer.get("authenticated").asBoolean()).isFalse();
        assertThat(answer.at("/error/code").asText()).isEqualTo("XAmzContentSHA256Mismatch");
        assertThat(ask(same).get("payload").asText()).isEqualTo("VERIFIED");
    }

    /** A Query API call with a form body, signed as AWS SDKs sign it: the body's hash only inside the signature. */
    private static ObjectNode queryCall(byte[] form, Optional<byte[]> hashedBody) {
        SignableRequest signed = SigV4Signer.create().sign(SignableRequest.builder().method("POST").path("/")
                .addHeader("Host", "sqs.us-east-1.amazonaws.com")
                .addHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .addHeader("Content-Length", Integer.toString(form.length)).body(form).build(),
                signing(reader), "us-east-1", "sqs", Instant.now());
        ObjectNode body = body(signed, "sqs:SendMessage", "arn:aws:sqs:us-east-1:" + ACCOUNT + ":jobs");
        hashedBody.ifPresent(bytes -> ((ObjectNode) body.get("request")).put("payloadHash", sha256Hex(bytes)));
        return body;
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void queryCallWithABody_isCheckedWithThePayloadHash_andNeedsIt() throws Exception {
        byte[] form = "Action=SendMessage&MessageBody=hello".getBytes(UTF_8);
        byte[] other = "Action=SendMessage&MessageBody=jello".getBytes(UTF_8);

        JsonNode verified = ask(queryCall(form, Optional.of(form)));
        JsonNode altered = ask(queryCall(form, Optional.of(other)));
        HttpResponse<String> withoutHash = call(service,
                JSON.writeValueAsBytes(queryCall(form, Optional.empty())));

        assertThat(verified.get("authenticated").asBoolean()).isTrue();
        assertThat(verified.get("payload").asText()).isEqualTo("VERIFIED");
        assertThat(verified.get("decision").asText()).isEqualTo("ImplicitDeny");
        assertThat(altered.get("authenticated").asBoolean()).isFalse();
        assertThat(altered.at("/error/code").asText()).isEqualTo("SignatureDoesNotMatch");
        assertThat(withoutHash.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(withoutHash.body()).at("/error/message").asText()).contains("payloadHash");
    }

    @Test
    void sessionIssuedBeforeARevocation_isExplicitlyDenied_oneIssuedAfterIsAllowed() throws Exception {
        admin.createRole(r -> r.roleName("revocable").assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                        + "arn:aws:iam::" + ACCOUNT + ":root\"},\"Action\":\"sts:AssumeRole\"}]}"));
        admin.putRolePolicy(r -> r.roleName("revocable").policyName("read").policyDocument(
                policy("s3:GetObject", "arn:aws:s3:::bucket/*")));
        AwsSessionCredentials before = assume("revocable");
        assertThat(ask(body(receivedGet(before, "/k"), "s3:GetObject", "arn:aws:s3:::bucket/k")).get("decision")
                .asText()).isEqualTo("Allow");

        admin.putRolePolicy(r -> r.roleName("revocable").policyName("AWSRevokeOlderSessions").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":"
                        + "\"*\",\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"" + Instant.now()
                        + "\"}}}}"));
        JsonNode refused = ask(body(receivedGet(before, "/k"), "s3:GetObject", "arn:aws:s3:::bucket/k"));
        AwsSessionCredentials after = assume("revocable");
        JsonNode allowed = ask(body(receivedGet(after, "/k"), "s3:GetObject", "arn:aws:s3:::bucket/k"));

        assertThat(refused.get("decision").asText()).isEqualTo("ExplicitDeny");
        assertThat(refused.get("reasons").get(0).asText()).isEqualTo(
                "Explicitly denied by the statement at line 1 of iam policy role_revocable_AWSRevokeOlderSessions.");
        assertThat(refused.has("encodedMessage")).isTrue();
        assertThat(allowed.get("decision").asText()).isEqualTo("Allow");
    }

    @Test
    void resourcePolicyNamingADeletedRole_grantsItsSessionsNothing_norAfterARoleOfTheSameNameIsCreated()
            throws Exception {
        String roleArn = "arn:aws:iam::" + ACCOUNT + ":role/gone";
        createAssumableRole("gone", "/");
        AwsSessionCredentials old = assume("gone");
        String sessionArn = "arn:aws:sts::" + ACCOUNT + ":assumed-role/gone/app";
        assertThat(decisionUnder(old, roleArn)).isEqualTo("Allow");
        assertThat(decisionUnder(old, sessionArn)).isEqualTo("Allow");

        admin.deleteRolePolicy(r -> r.roleName("gone").policyName("identify"));
        admin.deleteRole(r -> r.roleName("gone"));
        String afterDeletion = decisionUnder(old, roleArn);
        JsonNode bySessionArn = ask(withPolicyNaming(sessionArn, receivedGet(old, "/k")));
        createAssumableRole("gone", "/");
        AwsSessionCredentials reborn = assume("gone");

        assertThat(afterDeletion).isEqualTo("ImplicitDeny");
        assertThat(bySessionArn.get("decision").asText()).isEqualTo("ImplicitDeny");
        assertThat(bySessionArn.get("reasons").get(0).asText()).contains("no longer exists");
        assertThat(decisionUnder(old, roleArn)).isEqualTo("ImplicitDeny");
        assertThat(decisionUnder(old, sessionArn)).isEqualTo("ImplicitDeny");
        assertThat(decisionUnder(reborn, roleArn)).isEqualTo("Allow");
    }

    @Test
    void resourcePolicyNamingADeletedUser_grantsItsSessionsAndFederatedUsersNothing() throws Exception {
        String userArn = "arn:aws:iam::" + ACCOUNT + ":user/goneuser";
        AwsBasicCredentials key = createUser("goneuser", policy("sts:GetFederationToken", "*"));
        AwsSessionCredentials session;
        AwsSessionCredentials federated;
        try (StsClient sts = SdkClients.sts(node, key)) {
            session = sessionCredentials(sts.getSessionToken().credentials());
            federated = sessionCredentials(sts.getFederationToken(r -> r.name("fed")).credentials());
        }
        String federatedArn = "arn:aws:sts::" + ACCOUNT + ":federated-user/fed";
        assertThat(decisionUnder(session, userArn)).isEqualTo("Allow");
        assertThat(decisionUnder(federated, federatedArn)).isEqualTo("Allow");

        admin.deleteAccessKey(r -> r.userName("goneuser").accessKeyId(key.accessKeyId()));
        admin.deleteUserPolicy(r -> r.userName("goneuser").policyName("permissions"));
        admin.deleteUser(r -> r.userName("goneuser"));

        assertThat(decisionUnder(session, userArn)).isEqualTo("ImplicitDeny");
        assertThat(decisionUnder(federated, federatedArn)).isEqualTo("ImplicitDeny");
        assertThat(decisionUnder(federated, userArn)).isEqualTo("ImplicitDeny");
    }

    @Test
    void resourcePolicyNamingARoleOrUser_matchesOnlyTheExactArn_pathIncluded() throws Exception {
        createAssumableRole("pathy", "/team/");
        AwsSessionCredentials role = assume("/team/", "pathy");
        admin.createUser(r -> r.userName("pathu").path("/team/"));
        var key = admin.createAccessKey(r -> r.userName("pathu")).accessKey();
        AwsSessionCredentials user;
        try (StsClient sts = SdkClients.sts(node, AwsBasicCredentials.create(key.accessKeyId(),
                key.secretAccessKey()))) {
            user = sessionCredentials(sts.getSessionToken().credentials());
        }
        String iam = "arn:aws:iam::" + ACCOUNT + ":";

        assertThat(decisionUnder(role, iam + "role/team/pathy")).isEqualTo("Allow");
        assertThat(decisionUnder(role, iam + "role/pathy")).isEqualTo("ImplicitDeny");
        assertThat(decisionUnder(role, iam + "role/other/pathy")).isEqualTo("ImplicitDeny");
        assertThat(decisionUnder(user, iam + "user/team/pathu")).isEqualTo("Allow");
        assertThat(decisionUnder(user, iam + "user/pathu")).isEqualTo("ImplicitDeny");
        assertThat(decisionUnder(user, iam + "user/other/pathu")).isEqualTo("ImplicitDeny");
    }

    @Test
    void resourcePolicyNamingNoExistingPrincipal_isNotRefused_itsOtherStatementsApply() throws Exception {
        ObjectNode body = body(receivedGet(reader, "/k"), "s3:GetObject", "arn:aws:s3:::bucket/k");
        body.put("resourceAccount", ACCOUNT);
        body.put("resourcePolicy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                + "\"Principal\":{\"AWS\":[\"arn:aws:iam::" + ACCOUNT + ":role/never\",\"arn:aws:iam::" + ACCOUNT
                + ":role/reader\"]},\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}");

        assertThat(ask(body).get("decision").asText()).isEqualTo("ExplicitDeny");
    }

    /** A role that the bystander may assume, allowed only sts:GetCallerIdentity by its own policy. */
    private static void createAssumableRole(String name, String path) {
        admin.createRole(r -> r.roleName(name).path(path).assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                        + "arn:aws:iam::" + ACCOUNT + ":root\"},\"Action\":\"sts:AssumeRole\"}]}"));
        admin.putRolePolicy(r -> r.roleName(name).policyName("identify").policyDocument(
                policy("sts:GetCallerIdentity", "*")));
    }

    /** The decision on {@code caller}'s GetObject under a resource policy that grants it to {@code principal} alone. */
    private static String decisionUnder(AwsCredentials caller, String principal) throws Exception {
        return ask(withPolicyNaming(principal, receivedGet(caller, "/k"))).get("decision").asText();
    }

    private static ObjectNode withPolicyNaming(String principal, SignableRequest received) {
        ObjectNode body = body(received, "s3:GetObject", "arn:aws:s3:::bucket/k");
        body.put("resourceAccount", ACCOUNT);
        body.put("resourcePolicy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"" + principal + "\"},\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::bucket/k\"}]}");
        return body;
    }

    private static AwsSessionCredentials sessionCredentials(Credentials credentials) {
        return AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                credentials.sessionToken());
    }

    private static AwsSessionCredentials assume(String roleName) {
        return assume("/", roleName);
    }

    private static AwsSessionCredentials assume(String path, String roleName) {
        try (StsClient sts = SdkClients.sts(node, bystander)) {
            Credentials credentials = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + ACCOUNT + ":role" + path
                    + roleName).roleSessionName("app")).credentials();
            return AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                    credentials.sessionToken());
        }
    }

    @Test
    void callerWithoutOpenStsAuthorize_isAccessDenied() throws Exception {
        byte[] body = JSON.writeValueAsBytes(body(receivedGet(reader, "/k"), "s3:GetObject", "arn:aws:s3:::bucket/k"));

        HttpResponse<String> response = call(bystander, body);

        assertThat(response.statusCode()).isEqualTo(403);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.at("/error/code").asText()).isEqualTo("AccessDenied");
        assertThat(error.at("/error/message").asText()).contains("opensts:Authorize");
        assertThat(error.get("requestId").asText()).isNotEmpty();
    }

    @Test
    void sessionCallingForItself_needsThePermissionToo() throws Exception {
        byte[] body = JSON.writeValueAsBytes(body(receivedGet(reader, "/k"), "s3:GetObject", "arn:aws:s3:::bucket/k"));

        assertThat(call(reader, body).statusCode()).isEqualTo(403);
    }

    @Test
    void unsignedCall_isMissingAuthenticationToken() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(node.endpoint().resolve(AuthorizationApi.PATH))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(response.body()).at("/error/code").asText()).isEqualTo("MissingAuthenticationToken");
    }

    record Malformed(String name, String body, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A refusal names an offending member as a bounded prefix: a 40 KB name is not a 40 KB answer. */
    @Test
    void hugeUnknownMemberName_isQuotedAsABoundedPrefix() throws Exception {
        ObjectNode body = body(receivedGet(reader, "/k"), "s3:GetObject", "arn:aws:s3:::bucket/k");
        body.put("m".repeat(40_000), 1); // JSON names are read up to 50,000 characters

        HttpResponse<String> response = call(service, JSON.writeValueAsBytes(body));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body().length()).isLessThan(6_000);
        assertThat(JSON.readTree(response.body()).at("/error/message").asText())
                .contains("m".repeat(ViolationWording.MAX_QUOTED_LENGTH) + "...");
    }

    /** {@code body} with one member of its {@code request} replaced, as JSON. */
    private static String withRequest(ObjectNode body, String member, String value) throws Exception {
        ObjectNode copy = body.deepCopy();
        ((ObjectNode) copy.get("request")).put(member, value);
        return JSON.writeValueAsString(copy);
    }

    /** {@code body} with header fields added until its request has {@code count}. */
    private static String withHeaders(ObjectNode body, int count) throws Exception {
        ObjectNode copy = body.deepCopy();
        ArrayNode headers = (ArrayNode) copy.at("/request/headers");
        for (int i = headers.size(); i < count; i++) {
            headers.addArray().add("x-h" + i).add("v");
        }
        return JSON.writeValueAsString(copy);
    }

    /** A context of {@code keys} keys, {@code s3:k0} to {@code s3:k(keys-1)}, one value each. */
    private static ObjectNode context(int keys) {
        ObjectNode context = JSON.createObjectNode();
        for (int i = 0; i < keys; i++) {
            context.putArray("s3:k" + i).add("v");
        }
        return context;
    }

    /** The bound docs/AUTHORIZATION_API.md gives: 256 context keys are taken, one more is refused (above). */
    @Test
    void contextOfTheDocumentedMostKeys_isTaken() throws Exception {
        ObjectNode body = body(receivedGet(reader, "/key.txt"), "s3:GetObject", "arn:aws:s3:::bucket/key.txt");
        body.set("context", context(256));

        assertThat(ask(body).get("decision").asText()).isEqualTo("Allow");
    }

    @Test
    void malformedBodies_areRefusedWith400_sayingWhat() throws Exception {
        ObjectNode good = body(receivedGet(reader, "/k"), "s3:GetObject", "arn:aws:s3:::bucket/k");
        String goodJson = JSON.writeValueAsString(good);
        var cases = List.of(
                new Malformed("not JSON", "{\"request\":", "SerializationException"),
                new Malformed("duplicate member", goodJson.replaceFirst("\\{", "{\"action\":\"s3:PutObject\","),
                        "SerializationException"),
                new Malformed("trailing tokens", goodJson + " {}", "SerializationException"),
                new Malformed("an array", "[]", "SerializationException"),
                new Malformed("unknown member", goodJson.replaceFirst("\\{", "{\"extra\":1,"), "ValidationError"),
                new Malformed("no action", JSON.writeValueAsString(good.deepCopy().without("action")),
                        "ValidationError"),
                new Malformed("headers not pairs", goodJson.replaceFirst("\"headers\":\\[", "\"headers\":[\"x\","),
                        "ValidationError"),
                new Malformed("context value not a list", JSON.writeValueAsString(good.deepCopy()
                        .set("context", JSON.createObjectNode().put("s3:prefix", "a"))), "ValidationError"),
                new Malformed("context setting an authorizer's key", JSON.writeValueAsString(good.deepCopy()
                        .set("context", JSON.valueToTree(Map.of("aws:PrincipalArn", List.of("x"))))),
                        "ValidationError"),
                new Malformed("resource policy that does not parse", JSON.writeValueAsString(good.deepCopy()
                        .put("resourcePolicy", "{\"Version\":")), "MalformedPolicyDocument"),
                new Malformed("an action longer than IAM's 128 characters", JSON.writeValueAsString(good.deepCopy()
                        .put("action", "s3:" + "G".repeat(126))), "ValidationError"),
                new Malformed("an empty resource", JSON.writeValueAsString(good.deepCopy().put("resource", "")),
                        "ValidationError"),
                new Malformed("a resource longer than IAM's 2,048 characters", JSON.writeValueAsString(good
                        .deepCopy().put("resource", "arn:aws:s3:::bucket/" + "k".repeat(2_029))), "ValidationError"),
                new Malformed("a query longer than the node's request line", withRequest(good, "query",
                        "q=" + "v".repeat(HttpLimits.DEFAULT_MAX_REQUEST_LINE_BYTES)), "ValidationError"),
                new Malformed("more header fields than the node takes", withHeaders(good,
                        HttpLimits.DEFAULT_MAX_HEADER_COUNT + 1), "ValidationError"),
                new Malformed("an empty method", withRequest(good, "method", ""), "ValidationError"),
                new Malformed("a method that is no token", withRequest(good, "method", "GE T"), "ValidationError"),
                new Malformed("a path with its query", withRequest(good, "path", "/k?x=1"), "ValidationError"),
                new Malformed("a source that is no address", withRequest(good, "sourceIp", "not-an-ip"),
                        "ValidationError"),
                new Malformed("an empty source", withRequest(good, "sourceIp", ""), "ValidationError"),
                new Malformed("a source that is a range", withRequest(good, "sourceIp", "203.0.113.0/24"),
                        "ValidationError"),
                new Malformed("context setting aws:ResourceAccount, which resourceAccount gives",
                        JSON.writeValueAsString(good.deepCopy().set("context",
                                JSON.valueToTree(Map.of("aws:ResourceAccount", List.of("111122223333"))))),
                        "ValidationError"),
                new Malformed("a resource account that is no account ID", JSON.writeValueAsString(good.deepCopy()
                        .put("resourceAccount", "abc")), "ValidationError"),
                new Malformed("a region that is no region name", JSON.writeValueAsString(good.deepCopy()
                        .put("region", "US East 1")), "ValidationError"),
                new Malformed("a context of more than 256 keys", JSON.writeValueAsString(good.deepCopy()
                        .set("context", context(257))), "ValidationError"),
                new Malformed("s3BaseHosts that is no list", JSON.writeValueAsString(good.deepCopy()
                        .put("s3BaseHosts", "s3.example.com")), "ValidationError"),
                new Malformed("an S3 base host with a port", JSON.writeValueAsString(good.deepCopy()
                        .set("s3BaseHosts", JSON.valueToTree(List.of("s3.example.com:443")))), "ValidationError"),
                new Malformed("more than 16 S3 base hosts", JSON.writeValueAsString(good.deepCopy()
                        .set("s3BaseHosts", JSON.valueToTree(Collections.nCopies(17, "s3.example.com")))),
                        "ValidationError"));
        for (Malformed c : cases) {
            HttpResponse<String> response = call(service, c.body().getBytes(UTF_8));

            assertThat(response.statusCode()).as(c.name()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).at("/error/code").asText()).as(c.name()).isEqualTo(c.code());
        }
    }

    @Test
    void everyCall_isAudited_withoutTheSubmittedCredentials() throws Exception {
        Logger audit = (Logger) LoggerFactory.getLogger("opensts.audit");
        Level level = audit.getLevel();
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        audit.addAppender(appender);
        audit.setLevel(Level.INFO);
        SignableRequest received = receivedGet(reader, "/key.txt");
        try {
            ask(body(received, "s3:GetObject", "arn:aws:s3:::bucket/key.txt"));
            call(bystander, "{}".getBytes(UTF_8));
        } finally {
            audit.detachAppender(appender);
            audit.setLevel(level);
        }

        List<JsonNode> events = new ArrayList<>();
        for (var event : appender.list) {
            JsonNode parsed = JSON.readTree(event.getFormattedMessage());
            if (parsed.get("eventSource").asText().equals("opensts")) {
                events.add(parsed);
            }
        }
        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("eventName").asText()).isEqualTo("Authorize");
        assertThat(events.get(0).at("/userIdentity/arn").asText()).endsWith(":user/storage-service");
        assertThat(events.get(0).at("/requestParameters/action").asText()).isEqualTo("s3:GetObject");
        assertThat(events.get(0).at("/responseElements/decision").asText()).isEqualTo("Allow");
        assertThat(events.get(0).toString()).doesNotContain(reader.sessionToken())
                .doesNotContain(received.firstHeader("Authorization").orElseThrow());
        assertThat(events.get(1).get("errorCode").asText()).isEqualTo("AccessDenied");
    }

    /** The parser's own words name its classes and settings; the answer says only where the body goes wrong. */
    @Test
    void body_thatTheParserRefuses_isSerializationException_withoutTheParsersWords() throws Exception {
        for (String body : List.of("[".repeat(2000) + "]".repeat(2000), "{\"request\":" + "9".repeat(5000) + "}",
                "\u0000", "{\"a\":1,\"a\":2}")) {
            HttpResponse<String> response = call(service, body.getBytes(UTF_8));

            assertThat(response.statusCode()).isEqualTo(400);
            JsonNode error = JSON.readTree(response.body()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("SerializationException");
            assertThat(error.get("message").asText())
                    .matches(NOT_JSON);
        }
    }

    @Test
    void bodyOverTheNodesLimit_isAnsweredInTheApisJsonShape() throws Exception {
        byte[] body = new byte[2 * 1024 * 1024 + 1];
        Arrays.fill(body, (byte) ' ');

        HttpResponse<String> response = call(service, body);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(response.body()).at("/error/code").asText()).isEqualTo("RequestEntityTooLarge");
    }

    @Test
    void oversizedBody_is413_beforeAnyCheck() throws Exception {
        byte[] body = new byte[AuthorizationApi.MAX_BODY_BYTES + 1];
        Arrays.fill(body, (byte) ' ');

        HttpResponse<String> response = call(service, body);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).at("/error/code").asText()).isEqualTo("RequestEntityTooLarge");
    }
}
