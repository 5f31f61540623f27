package org.opensts.client.agent;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.InstanceProfileRegionProvider;

/**
 * The IMDSv2 endpoint: the AWS SDK for Java v2's instance profile provider and default chain get working credentials
 * from it and pick up refreshed ones; EC2's rules on tokens, TTLs, forwarded requests and IMDSv1 hold.
 */
class ImdsServerTest {
    private static final String ROLE_PATH = "/latest/meta-data/iam/security-credentials/app";
    private static final String REGION = "eu-central-1";

    @TempDir
    Path dir;

    private AgentFixture fixture;
    private ImdsServer imds;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        fixture = new AgentFixture(dir);
        imds = ImdsServer.start(new InetSocketAddress("127.0.0.1", 0), fixture.credentials, REGION,
                /* allowV1= */ false);
    }

    @AfterEach
    void stop() {
        imds.close();
        fixture.close();
    }

    private InstanceProfileCredentialsProvider sdkProvider() {
        return InstanceProfileCredentialsProvider.builder().endpoint(imds.endpoint().toString()).build();
    }

    @Test
    void sdkInstanceProfileProvider_getsRoleCredentialsThatCallAsTheRole() {
        try (InstanceProfileCredentialsProvider sdk = sdkProvider()) {
            AwsCredentials credentials = sdk.resolveCredentials();

            assertThat(credentials.accessKeyId()).isEqualTo(fixture.provider.resolveCredentials().accessKeyId());
            assertThat(fixture.callerArn(sdk)).isEqualTo("arn:aws:sts::123456789012:assumed-role/app/agent");
        }
    }

    /**
     * What an instance's region is found by when none is configured: the AWS CLI and the SDK for Python read the zone
     * and drop its letter, the SDK for Go reads the region, the SDK for Java the identity document.
     */
    @Test
    void placement_namesTheAgentsRegion_asEc2NamesAnInstancesPlace() throws Exception {
        String token = token(60);

        assertThat(get("/latest/meta-data/placement/region", token).body()).isEqualTo(REGION);
        assertThat(get("/latest/meta-data/placement/availability-zone/", token).body()).isEqualTo(REGION + "a");
        assertThat(get("/latest/meta-data/placement/", token).body()).isEqualTo("availability-zone\nregion");
        assertThat(get("/latest/dynamic/instance-identity/document", token).body()).isEqualTo("""
                {
                  "accountId" : "123456789012",
                  "availabilityZone" : "eu-central-1a",
                  "region" : "eu-central-1",
                  "version" : "2017-09-30"
                }""");
    }

    @Test
    void sdkInstanceProfileRegionProvider_findsTheAgentsRegion() {
        String property = SdkSystemSetting.AWS_EC2_METADATA_SERVICE_ENDPOINT.property();
        String before = System.getProperty(property);
        System.setProperty(property, imds.endpoint().toString());
        try {
            assertThat(new InstanceProfileRegionProvider().getRegion()).isEqualTo(Region.of(REGION));
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
    }

    @Test
    void sdkInstanceProfileProvider_afterTheAgentRefreshed_getsTheNewCredentials() {
        String first;
        try (InstanceProfileCredentialsProvider sdk = sdkProvider()) {
            first = sdk.resolveCredentials().accessKeyId();
        }

        fixture.clock.advance(Duration.ofMinutes(11)); // the agent's provider refreshes on the next resolve
        fixture.provider.resolveCredentials();
        try (InstanceProfileCredentialsProvider sdk = sdkProvider()) {
            AwsCredentials refreshed = sdk.resolveCredentials();

            assertThat(refreshed.accessKeyId()).isNotEqualTo(first);
            assertThat(fixture.callerArn(sdk)).isEqualTo("arn:aws:sts::123456789012:assumed-role/app/agent");
        }
    }

    @Test
    void slowCallers_moreThanTheWorkerThreads_doNotKeepTheSdkFromItsCredentials() throws Exception {
        // Each holds a connection with a half-sent request, as a caller that trickles its headers does; the SDK gives
        // the endpoint about a second before it looks elsewhere.
        List<Socket> slow = new ArrayList<>();
        // Time limits far beyond the test's length: the callers below are held however slow the machine is.
        try (ImdsServer patient = ImdsServer.start(new InetSocketAddress("127.0.0.1", 0), fixture.credentials,
                REGION, /* allowV1= */ false, new AgentHttpServer.Limits(Duration.ofMinutes(10), 256))) {
            for (int i = 0; i < 12; i++) {
                Socket socket = new Socket();
                slow.add(socket);
                socket.connect(patient.address());
                socket.getOutputStream().write(("PUT " + ImdsServer.TOKEN_PATH + " HTTP/1.1\r\nHost: x\r\n")
                        .getBytes(UTF_8));
            }

            try (InstanceProfileCredentialsProvider sdk = InstanceProfileCredentialsProvider.builder()
                    .endpoint(patient.endpoint().toString()).build()) {
                assertThat(sdk.resolveCredentials().accessKeyId())
                        .isEqualTo(fixture.provider.resolveCredentials().accessKeyId());
            }
            // The slow callers were held, not dropped: each finishes its request and gets its token.
            for (Socket socket : slow) {
                socket.setSoTimeout(30_000);
                socket.getOutputStream().write((ImdsServer.TTL_HEADER + ": 60\r\n\r\n").getBytes(UTF_8));
                assertThat(new String(socket.getInputStream().readAllBytes(), UTF_8)).startsWith("HTTP/1.1 200 ");
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void sdkDefaultChain_withTheMetadataEndpointProperty_findsTheAgent() {
        String previous = System.getProperty("aws.ec2MetadataServiceEndpoint");
        System.setProperty("aws.ec2MetadataServiceEndpoint", imds.endpoint() + "/"); // as the agent prints it
        try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build()) {
            assertThat(fixture.callerArn(chain)).isEqualTo("arn:aws:sts::123456789012:assumed-role/app/agent");
        } finally {
            if (previous == null) {
                System.clearProperty("aws.ec2MetadataServiceEndpoint");
            } else {
                System.setProperty("aws.ec2MetadataServiceEndpoint", previous);
            }
        }
    }

    @Test
    void credentials_haveEc2sExactShapeAndTimestamps() throws Exception {
        String body = get(ROLE_PATH, token(21600)).body();
        String key = fixture.provider.resolveCredentials().accessKeyId();
        String expiration = AgentCredentials.TIMESTAMP.format(
                fixture.provider.resolveCredentials().expirationTime().orElseThrow());

        assertThat(body).matches("(?s)\\{\n"
                + "  \"Code\" : \"Success\",\n"
                + "  \"LastUpdated\" : \"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\",\n"
                + "  \"Type\" : \"AWS-HMAC\",\n"
                + "  \"AccessKeyId\" : \"" + key + "\",\n"
                + "  \"SecretAccessKey\" : \"[^\"]+\",\n"
                + "  \"Token\" : \"[^\"]+\",\n"
                + "  \"Expiration\" : \"" + expiration + "\"\n"
                + "}");
    }

    @Test
    void extendedCredentials_addTheAccountId() throws Exception {
        String token = token(60);
        assertThat(get("/latest/meta-data/iam/security-credentials-extended/", token).body()).isEqualTo("app");
        assertThat(get("/latest/meta-data/iam/security-credentials-extended/app", token).body())
                .contains("\"AccountId\" : \"123456789012\"").contains("\"Code\" : \"Success\"");
    }

    @Test
    void roleList_andInfo_describeTheRole() throws Exception {
        String token = token(60);
        assertThat(get("/latest/meta-data/iam/security-credentials/", token).body()).isEqualTo("app");
        assertThat(get("/latest/meta-data/iam/info", token).body())
                .contains("\"Code\" : \"Success\"")
                .contains("\"InstanceProfileArn\" : \"arn:aws:iam::123456789012:instance-profile/app\"")
                .containsPattern("\"InstanceProfileId\" : \"AIPA[A-Z2-7]{17}\"");
    }

    record Case(String name, String method, String path, List<String> headers, int status) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> refusals() {
        return List.of(
                new Case("token request without a TTL is 400", "PUT", ImdsServer.TOKEN_PATH, List.of(), 400),
                new Case("token request with TTL 0 is 400", "PUT", ImdsServer.TOKEN_PATH,
                        List.of(ImdsServer.TTL_HEADER, "0"), 400),
                new Case("token request with TTL 21601 is 400", "PUT", ImdsServer.TOKEN_PATH,
                        List.of(ImdsServer.TTL_HEADER, "21601"), 400),
                new Case("token request with a TTL that is not a number is 400", "PUT", ImdsServer.TOKEN_PATH,
                        List.of(ImdsServer.TTL_HEADER, "ten"), 400),
                new Case("token request with a signed TTL is 400", "PUT", ImdsServer.TOKEN_PATH,
                        List.of(ImdsServer.TTL_HEADER, "+60"), 400),
                new Case("token request through a proxy is 403", "PUT", ImdsServer.TOKEN_PATH,
                        List.of(ImdsServer.TTL_HEADER, "60", "X-Forwarded-For", "203.0.113.9"), 403),
                new Case("token request through a proxy that says so in Forwarded (RFC 7239) is 403", "PUT",
                        ImdsServer.TOKEN_PATH, List.of(ImdsServer.TTL_HEADER, "60", "Forwarded", "for=203.0.113.9"),
                        403),
                // A web page whose host name is rebound to this address is same-origin to its scripts, which may
                // then send the TTL header: browsers mark such requests with Origin and Sec-Fetch-*, SDKs never do.
                new Case("token request from a web page (Origin) is 403", "PUT", ImdsServer.TOKEN_PATH,
                        List.of(ImdsServer.TTL_HEADER, "60", "Origin", "http://rebound.example"), 403),
                new Case("token request from a browser (Sec-Fetch-Site) is 403", "PUT", ImdsServer.TOKEN_PATH,
                        List.of(ImdsServer.TTL_HEADER, "60", "Sec-Fetch-Site", "same-origin"), 403),
                new Case("credentials without a token are 401 (IMDSv1 off)", "GET", ROLE_PATH, List.of(), 401),
                new Case("credentials with a forged token are 401", "GET", ROLE_PATH,
                        List.of(ImdsServer.TOKEN_HEADER, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 401),
                new Case("credentials with garbage for a token are 401", "GET", ROLE_PATH,
                        List.of(ImdsServer.TOKEN_HEADER, "not a token"), 401),
                new Case("a DELETE is 405", "DELETE", ROLE_PATH, List.of(), 405),
                new Case("a PUT elsewhere is 404", "PUT", "/latest/api/other",
                        List.of(ImdsServer.TTL_HEADER, "60"), 404));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refused(Case c) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(c.path()))
                .method(c.method(), HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < c.headers().size(); i += 2) {
            request.header(c.headers().get(i), c.headers().get(i + 1));
        }

        assertThat(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(c.status());
    }

    @Test
    void get_withAValidTokenThroughAProxy_is403() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(ROLE_PATH)).header(ImdsServer.TOKEN_HEADER, token(60))
                .header("X-Forwarded-For", "203.0.113.9").GET().build();

        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
    }

    @Test
    void imdsV1_getFromABrowser_is403() throws Exception {
        try (ImdsServer v1 = ImdsServer.start(new InetSocketAddress("127.0.0.1", 0), fixture.credentials,
                REGION, /* allowV1= */ true)) {
            HttpResponse<String> fromPage = http.send(HttpRequest.newBuilder(v1.endpoint().resolve(ROLE_PATH))
                    .header("Sec-Fetch-Mode", "cors").GET().build(), HttpResponse.BodyHandlers.ofString());

            assertThat(fromPage.statusCode()).isEqualTo(403);
            assertThat(fromPage.body()).doesNotContain("SecretAccessKey");
        }
    }

    /** A same-origin GET from a page that rebound its name here carries neither Origin nor Sec-Fetch in Firefox. */
    @Test
    void imdsV1_getNamingAnotherHost_is403_butTheAddressAndLocalhostAreServed() throws Exception {
        try (ImdsServer v1 = ImdsServer.start(new InetSocketAddress("127.0.0.1", 0), fixture.credentials,
                REGION, /* allowV1= */ true)) {
            int port = v1.address().getPort();

            String rebound = rawGet(v1.address(), "rebind.attacker.example:" + port);
            String byAddress = rawGet(v1.address(), "127.0.0.1:" + port);
            String byLocalhost = rawGet(v1.address(), "localhost:" + port);

            assertThat(rebound).startsWith("HTTP/1.1 403 ").doesNotContain("SecretAccessKey");
            assertThat(byAddress).startsWith("HTTP/1.1 200 ").contains("SecretAccessKey");
            assertThat(byLocalhost).startsWith("HTTP/1.1 200 ");
        }
    }

    private static String rawGet(InetSocketAddress address, String host) throws Exception {
        try (var socket = new Socket()) {
            socket.connect(address);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + ROLE_PATH + " HTTP/1.1\r\nHost: " + host
                    + "\r\nAccept: */*\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101"
                    + " Firefox/133.0\r\n\r\n").getBytes(ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), ISO_8859_1);
        }
    }

    @Test
    void get_unknownPathsAndOtherRoles_are404() throws Exception {
        String token = token(60);
        assertThat(get("/latest/meta-data/iam/security-credentials/other", token).statusCode()).isEqualTo(404);
        assertThat(get("/latest/meta-data/ami-id", token).statusCode()).isEqualTo(404);
        assertThat(get("/", token).statusCode()).isEqualTo(404);
    }

    @Test
    void token_expiresAfterItsTtl() throws Exception {
        String token = token(60);
        assertThat(get(ROLE_PATH, token).statusCode()).isEqualTo(200);

        fixture.clock.advance(Duration.ofSeconds(60));

        assertThat(get(ROLE_PATH, token).statusCode()).isEqualTo(401);
    }

    @Test
    void token_withOneCharacterChanged_isRefused() throws Exception {
        String token = token(60);
        char last = token.charAt(10);
        String tampered = token.substring(0, 10) + (last == 'A' ? 'B' : 'A') + token.substring(11);

        assertThat(get(ROLE_PATH, tampered).statusCode()).isEqualTo(401);
    }

    @Test
    void token_fromAnotherAgent_isRefused() throws Exception {
        try (ImdsServer other = ImdsServer.start(new InetSocketAddress("127.0.0.1", 0), fixture.credentials,
                REGION, /* allowV1= */ false)) {
            String foreign = http.send(HttpRequest.newBuilder(other.endpoint().resolve(ImdsServer.TOKEN_PATH))
                    .header(ImdsServer.TTL_HEADER, "60").PUT(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString()).body();

            assertThat(get(ROLE_PATH, foreign).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void imdsV1_whenAllowed_servesWithoutATokenButStillRefusesABadOne() throws Exception {
        try (ImdsServer v1 = ImdsServer.start(new InetSocketAddress("127.0.0.1", 0), fixture.credentials,
                REGION, /* allowV1= */ true)) {
            HttpResponse<String> plain = http.send(HttpRequest.newBuilder(v1.endpoint().resolve(ROLE_PATH)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(v1.endpoint().resolve(ROLE_PATH))
                    .header(ImdsServer.TOKEN_HEADER, "bad").GET().build(), HttpResponse.BodyHandlers.ofString());

            assertThat(plain.statusCode()).isEqualTo(200);
            assertThat(plain.body()).contains("\"Code\" : \"Success\"");
            assertThat(bad.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void credentials_whenTheNodeIsDownAndNothingValidIsLeft_are503() throws Exception {
        String token = token(21600);
        fixture.provider.resolveCredentials();
        fixture.node.stop();
        fixture.clock.advance(Duration.ofMinutes(16));

        assertThat(get(ROLE_PATH, token).statusCode()).isEqualTo(503);
    }

    private URI uri(String path) {
        return imds.endpoint().resolve(path);
    }

    private String token(int ttlSeconds) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(ImdsServer.TOKEN_PATH))
                .header(ImdsServer.TTL_HEADER, Integer.toString(ttlSeconds))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue(ImdsServer.TTL_HEADER)).contains(Integer.toString(ttlSeconds));
        return response.body();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header(ImdsServer.TOKEN_HEADER, token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/latest/api/token, /latest/api/token",
            "//latest//meta-data/, /latest/meta-data/",
            "/latest/meta-data/iam?x=1, /latest/meta-data/iam",
            "http://169.254.169.254/latest/api/token, /latest/api/token",
            "HTTPS://169.254.169.254/latest/api/token, /latest/api/token",
            "https://169.254.169.254, /"})
    void path_ofAnOriginOrAbsoluteFormTarget_isItsPath(String target, String path) {
        assertThat(ImdsServer.path(target)).isEqualTo(path);
    }
}
