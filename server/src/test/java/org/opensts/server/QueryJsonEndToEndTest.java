package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.protocol.testing.MutableClock;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A real node on a loopback port answering Query calls in JSON when the client sends {@code Accept: application/json}
 * (docs/WIRE.md, "Answers in JSON"): the presigned GetCallerIdentity an EKS-style authenticator sends and parses,
 * credentials with AWS's epoch-second {@code Expiration}, IAM's lists, errors, and XML as before for anyone else.
 */
class QueryJsonEndToEndTest {
    private static final String ACCOUNT = "123456789012";
    private static final Path QUICKSTART = Path.of("..", "examples", "quickstart.yaml");
    /** How Java, and AWS, write an epoch second as a double: {@code 1.514869445E9}. */
    private static final Pattern EPOCH_SECONDS_AS_DOUBLE = Pattern.compile("1\\.[0-9]{1,9}E9");
    private static final String CLUSTER_ID_HEADER = "x-k8s-aws-id";

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(Instant.now());
    private final HttpClient http = HttpClient.newHttpClient();
    private OpenStsNode node;
    private AccessKeyCredentials admin;

    @BeforeEach
    void start() throws Exception {
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir, new InetSocketAddress("127.0.0.1", 0), ACCOUNT)
                .withBootstrapFile(QUICKSTART)
                .withClock(clock));
        admin = node.initialAdmin().orElseThrow();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    /**
     * The token check of an EKS-style authenticator: a GetCallerIdentity URL presigned with the cluster id header
     * signed, sent as a GET with that header and {@code accept: application/json}, and read as the JSON envelope
     * {@code GetCallerIdentityResponse.GetCallerIdentityResult.{Account,Arn,UserId}}.
     */
    @Test
    void presignedGetCallerIdentity_withAcceptJson_isTheJsonAnAuthenticatorParses() throws Exception {
        URI url = presignedGetCallerIdentity("my-cluster");

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).GET()
                .header(CLUSTER_ID_HEADER, "my-cluster")
                .header("accept", "application/json")
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        String requestId = response.headers().firstValue("x-amzn-RequestId").orElseThrow();
        JsonNode json = ConsoleJson.MAPPER.readTree(response.body());
        JsonNode result = json.path("GetCallerIdentityResponse").path("GetCallerIdentityResult");
        String userId = result.path("UserId").textValue();
        assertThat(userId).startsWith("AIDA").doesNotContain(":");
        assertThat(response.body()).isEqualTo("{\"GetCallerIdentityResponse\":{\"GetCallerIdentityResult\":{"
                + "\"Account\":\"123456789012\",\"Arn\":\"arn:aws:iam::123456789012:user/admin\",\"UserId\":\""
                + userId + "\"},\"ResponseMetadata\":{\"RequestId\":\"" + requestId + "\"}}}");
    }

    @Test
    void presignedGetCallerIdentity_withoutAnAcceptHeader_isTheXmlAsBefore() throws Exception {
        URI url = presignedGetCallerIdentity("my-cluster");

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).GET()
                .header(CLUSTER_ID_HEADER, "my-cluster")
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/xml");
        String requestId = response.headers().firstValue("x-amzn-RequestId").orElseThrow();
        var userId = Pattern.compile("<UserId>(AIDA[A-Z0-9]+)</UserId>").matcher(response.body()).results()
                .map(match -> match.group(1)).findFirst().orElseThrow();
        assertThat(response.body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                + "<GetCallerIdentityResult><UserId>" + userId + "</UserId><Account>123456789012</Account>"
                + "<Arn>arn:aws:iam::123456789012:user/admin</Arn></GetCallerIdentityResult>"
                + "<ResponseMetadata><RequestId>" + requestId + "</RequestId></ResponseMetadata>"
                + "</GetCallerIdentityResponse>");
    }

    @Test
    void otherAcceptValues_keepXml() throws Exception {
        for (String accept : new String[] {"*/*", "text/xml", "application/xml", "application/json;q=0"}) {
            HttpResponse<String> response = send(signed(form("Action=GetCallerIdentity&Version=2011-06-15"),
                    "sts"), accept);

            assertThat(response.statusCode()).as(accept).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).as(accept).contains("text/xml");
            assertThat(response.body()).as(accept).startsWith("<?xml");
        }
    }

    @Test
    void assumeRole_inJson_hasTheCredentialsWithAnEpochSecondExpiration_thatWork() throws Exception {
        HttpResponse<String> response = send(signed(form("Action=AssumeRole&Version=2011-06-15"
                + "&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=json-session"),
                "sts"), "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode result = ConsoleJson.MAPPER.readTree(response.body()).path("AssumeRoleResponse")
                .path("AssumeRoleResult");
        assertThat(result.path("AssumedRoleUser").path("Arn").textValue())
                .isEqualTo("arn:aws:sts::123456789012:assumed-role/demo/json-session");
        assertThat(result.path("AssumedRoleUser").path("AssumedRoleId").textValue()).startsWith("AROA")
                .endsWith(":json-session");
        JsonNode credentials = result.path("Credentials");
        assertThat(fieldNames(credentials)).containsExactly("AccessKeyId", "Expiration", "SecretAccessKey",
                "SessionToken");
        assertExpiration(response.body(), credentials, clock.instant().plus(Duration.ofHours(1)));
        try (StsClient session = SdkClients.sts(node, AwsSessionCredentials.create(
                credentials.path("AccessKeyId").textValue(), credentials.path("SecretAccessKey").textValue(),
                credentials.path("SessionToken").textValue()))) {
            assertThat(session.getCallerIdentity().arn())
                    .isEqualTo("arn:aws:sts::123456789012:assumed-role/demo/json-session");
        }
    }

    @Test
    void getSessionToken_inJson_hasAnEpochSecondExpiration() throws Exception {
        HttpResponse<String> response = send(signed(form("Action=GetSessionToken&Version=2011-06-15"
                + "&DurationSeconds=900"), "sts"), "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode credentials = ConsoleJson.MAPPER.readTree(response.body()).path("GetSessionTokenResponse")
                .path("GetSessionTokenResult").path("Credentials");
        assertThat(credentials.path("AccessKeyId").textValue()).startsWith("ASIA");
        assertExpiration(response.body(), credentials, clock.instant().plus(Duration.ofSeconds(900)));
    }

    @Test
    void iamList_inJson_isAnArrayOfMembers_withBooleansAndTimestampsAsJsonValues() throws Exception {
        HttpResponse<String> response = send(signed(form("Action=ListUsers&Version=2010-05-08"), "iam"),
                "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode result = ConsoleJson.MAPPER.readTree(response.body()).path("ListUsersResponse")
                .path("ListUsersResult");
        assertThat(result.path("IsTruncated").isBoolean()).isTrue();
        assertThat(result.path("IsTruncated").booleanValue()).isFalse();
        JsonNode users = result.path("Users");
        assertThat(users.isArray()).isTrue();
        JsonNode adminUser = users.get(0);
        assertThat(adminUser.path("UserName").textValue()).isEqualTo("admin");
        assertThat(adminUser.path("Arn").textValue()).isEqualTo("arn:aws:iam::123456789012:user/admin");
        assertThat(adminUser.path("CreateDate").isNumber()).isTrue();
    }

    @Test
    void emptyIamList_inJson_isAnEmptyArray() throws Exception {
        HttpResponse<String> response = send(signed(form("Action=ListUserTags&Version=2010-05-08&UserName=admin"),
                "iam"), "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode result = ConsoleJson.MAPPER.readTree(response.body()).path("ListUserTagsResponse")
                .path("ListUserTagsResult");
        assertThat(result.path("Tags").isArray()).isTrue();
        assertThat(result.path("Tags")).isEmpty();
    }

    @Test
    void unsignedCall_inJson_isTheJsonErrorWithTheRequestIdBesideIt() throws Exception {
        HttpResponse<String> response = send(form("Action=GetCallerIdentity&Version=2011-06-15"),
                "application/json");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        String requestId = response.headers().firstValue("x-amzn-RequestId").orElseThrow();
        assertThat(response.body()).isEqualTo("{\"Error\":{\"Code\":\"MissingAuthenticationToken\","
                + "\"Message\":\"Request is missing Authentication Token\",\"Type\":\"Sender\"},"
                + "\"RequestId\":\"" + requestId + "\"}");
    }

    @Test
    void unknownAction_inJson_isInvalidActionInJson() throws Exception {
        HttpResponse<String> response = send(form("Action=Nope&Version=2011-06-15"), "application/json");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = ConsoleJson.MAPPER.readTree(response.body()).path("Error");
        assertThat(error.path("Code").textValue()).isEqualTo("InvalidAction");
        assertThat(error.path("Type").textValue()).isEqualTo("Sender");
        assertThat(error.path("Message").textValue()).isEqualTo("Could not find operation Nope for version 2011-06-15");
    }

    @Test
    void refusalBeforeDispatch_inJson_isJsonToo() throws Exception {
        HttpResponse<String> response = send(form("Action=GetCallerIdentity&Version=2011-06-15&Version=2011-06-15"),
                "application/json");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(ConsoleJson.MAPPER.readTree(response.body()).path("Error").path("Code").textValue())
                .isEqualTo("MalformedQueryString");
    }

    @Test
    void expiredPresignedUrl_inJson_isSignatureDoesNotMatchInJson() throws Exception {
        URI url = presignedGetCallerIdentity("my-cluster");
        clock.advance(Duration.ofMinutes(20));

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).GET()
                .header(CLUSTER_ID_HEADER, "my-cluster")
                .header("accept", "application/json")
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(ConsoleJson.MAPPER.readTree(response.body()).path("Error").path("Code").textValue())
                .isEqualTo("SignatureDoesNotMatch");
    }

    /** {@code Expiration} is a JSON number, the epoch second written as a double, as AWS writes it. */
    private static void assertExpiration(String body, JsonNode credentials, Instant expected) {
        JsonNode expiration = credentials.path("Expiration");
        assertThat(expiration.isNumber()).isTrue();
        long expectedSecond = expected.truncatedTo(ChronoUnit.SECONDS).getEpochSecond();
        assertThat(expiration.asLong()).isBetween(expectedSecond - 1, expectedSecond + 1);
        assertThat(body).contains("\"Expiration\":" + Double.toString(expiration.asLong()) + ",");
        assertThat(Double.toString(expiration.asLong())).matches(EPOCH_SECONDS_AS_DOUBLE);
    }

    private static List<String> fieldNames(JsonNode object) {
        var names = new ArrayList<String>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private URI presignedGetCallerIdentity(String clusterId) {
        SignableRequest presigned = SigV4Signer.create().presign(SignableRequest.builder()
                        .method("GET").path("/").query("Action=GetCallerIdentity&Version=2011-06-15")
                        .addHeader("Host", "127.0.0.1:" + node.address().getPort())
                        .addHeader(CLUSTER_ID_HEADER, clusterId)
                        .build(),
                adminCredentials(), "us-east-1", "sts", clock.instant(), Duration.ofSeconds(60));
        assertThat(presigned.query()).contains("X-Amz-SignedHeaders=host%3B" + CLUSTER_ID_HEADER);
        return URI.create("http://127.0.0.1:" + node.address().getPort() + "/?" + presigned.query());
    }

    private SigningCredentials adminCredentials() {
        return SigningCredentials.of(admin.accessKey().accessKeyId(), admin.secretAccessKey().revealBytes());
    }

    private SignableRequest form(String body) {
        return SignableRequest.builder()
                .method("POST").path("/").query("")
                .addHeader("Host", "127.0.0.1:" + node.address().getPort())
                .addHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .body(body.getBytes(UTF_8))
                .build();
    }

    private SignableRequest signed(SignableRequest request, String service) {
        return SigV4Signer.create().sign(request, adminCredentials(), "us-east-1", service, clock.instant());
    }

    /** Sends {@code request} with an {@code Accept} header added after signing, as such clients add it. */
    private HttpResponse<String> send(SignableRequest request, String accept) throws IOException,
            InterruptedException {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.address().getPort() + "/"));
        for (int i = 0; i < request.headerCount(); i++) {
            String name = request.headerName(i);
            if (!name.equalsIgnoreCase("Host")) {
                builder.header(name, request.headerValue(i));
            }
        }
        builder.header("Accept", accept);
        byte[] body = new byte[request.bodyLength()];
        request.body().get(body);
        return http.send(builder.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
