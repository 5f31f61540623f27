package org.opensts.client.agent;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The container credentials endpoint: the AWS SDK for Java v2's container provider, configured with the full URI and
 * the token file as in ECS or EKS Pod Identity, gets working credentials and refreshed ones; the token is checked.
 */
class ContainerCredentialsServerTest {
    private static final String TOKEN = "s3cr3t-container-token";

    @TempDir
    Path dir;

    private AgentFixture fixture;
    private Path tokenFile;
    private ContainerCredentialsServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        fixture = new AgentFixture(dir);
        // No line break at the end: the SDKs send the file as it is, and a line break is not allowed in a header.
        tokenFile = Files.writeString(dir.resolve("container-token"), TOKEN, UTF_8);
        server = ContainerCredentialsServer.start(new InetSocketAddress("127.0.0.1", 0), fixture.credentials,
                tokenFile);
    }

    @AfterEach
    void stop() {
        server.close();
        fixture.close();
    }

    /** Runs {@code body} with the SDK's container system properties set, then restores them. */
    private <T> T withSystemProperties(Map<String, String> properties, Supplier<T> body) {
        Map<String, String> previous = new HashMap<>();
        properties.forEach((name, value) -> {
            previous.put(name, System.getProperty(name));
            System.setProperty(name, value);
        });
        try {
            return body.get();
        } finally {
            previous.forEach((name, value) -> {
                if (value == null) {
                    System.clearProperty(name);
                } else {
                    System.setProperty(name, value);
                }
            });
        }
    }

    private AwsCredentials sdkResolve() {
        return withSystemProperties(Map.of(
                "aws.containerCredentialsFullUri", server.credentialsUri().toString(),
                "aws.containerAuthorizationTokenFile", tokenFile.toString()), () -> {
                    try (ContainerCredentialsProvider sdk = ContainerCredentialsProvider.builder().build()) {
                        AwsCredentials credentials = sdk.resolveCredentials();
                        assertThat(fixture.callerArn(sdk))
                                .isEqualTo("arn:aws:sts::123456789012:assumed-role/app/agent");
                        return credentials;
                    }
                });
    }

    @Test
    void sdkContainerProvider_fullUriAndTokenFile_getsRoleCredentials() {
        AwsCredentials credentials = sdkResolve();

        assertThat(credentials.accessKeyId()).isEqualTo(fixture.provider.resolveCredentials().accessKeyId());
        assertThat(credentials.expirationTime()).isEqualTo(fixture.provider.resolveCredentials().expirationTime());
    }

    @Test
    void slowCallers_moreThanTheWorkerThreads_doNotKeepTheSdkFromItsCredentials() throws Exception {
        server.close();
        // Time limits far beyond the test's length: the callers below are held however slow the machine is.
        server = ContainerCredentialsServer.start(new InetSocketAddress("127.0.0.1", 0), fixture.credentials,
                tokenFile, new AgentHttpServer.Limits(Duration.ofMinutes(10), 256));
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                Socket socket = new Socket();
                slow.add(socket);
                socket.connect(server.address());
                socket.getOutputStream().write("GET /v1/credentials HTTP/1.1\r\nHost: x\r\n".getBytes(UTF_8));
            }

            assertThat(sdkResolve().accessKeyId()).isEqualTo(fixture.provider.resolveCredentials().accessKeyId());
            for (Socket socket : slow) { // held, not dropped: each finishes its request and is answered
                socket.setSoTimeout(30_000);
                socket.getOutputStream().write(("Authorization: " + TOKEN + "\r\n\r\n").getBytes(UTF_8));
                assertThat(new String(socket.getInputStream().readAllBytes(), UTF_8)).startsWith("HTTP/1.1 200 ");
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "http://127.0.0.1:8792/v1/credentials, true",
        "http://127.9.9.9:8792/v1/credentials, true",
        "http://[::1]:8792/v1/credentials, true",
        "http://localhost:8792/v1/credentials, true",
        "http://169.254.170.2/v1/credentials, true",
        "http://169.254.170.23/v1/credentials, true",
        "http://[fd00:ec2::23]/v1/credentials, true",
        "http://[fd00:ec2:0:0:0:0:0:23]/v1/credentials, true",
        "http://10.1.2.3:8792/v1/credentials, false",
        "http://169.254.169.254/v1/credentials, false",
        "http://[fe80::1]:8792/v1/credentials, false",
        "http://agent.internal:8792/v1/credentials, false"})
    void acceptedOverHttp_isLoopbackOrTheEcsAndEksHosts(String uri, boolean accepted) {
        assertThat(ContainerCredentialsServer.acceptedOverHttp(URI.create(uri))).isEqualTo(accepted);
    }

    @Test
    void sdkContainerProvider_afterTheAgentRefreshed_getsTheNewCredentials() {
        String first = sdkResolve().accessKeyId();

        fixture.clock.advance(Duration.ofMinutes(11));
        fixture.provider.resolveCredentials();

        assertThat(sdkResolve().accessKeyId()).isNotEqualTo(first);
    }

    @Test
    void sdkDefaultChain_withTheContainerProperties_findsTheAgent() {
        String arn = withSystemProperties(Map.of(
                "aws.containerCredentialsFullUri", server.credentialsUri().toString(),
                "aws.containerAuthorizationTokenFile", tokenFile.toString()), () -> {
                    try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build()) {
                        return fixture.callerArn(chain);
                    }
                });

        assertThat(arn).isEqualTo("arn:aws:sts::123456789012:assumed-role/app/agent");
    }

    @Test
    void response_hasTheContainerShape() throws Exception {
        HttpResponse<String> response = get(ContainerCredentialsServer.PATH, TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.body()).contains("\"AccessKeyId\" : \"ASIA").contains("\"Token\" : \"")
                .contains("\"RoleArn\" : \"arn:aws:iam::123456789012:role/app\"")
                .containsPattern("\"Expiration\" : \"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\"")
                .doesNotContain("\"Code\"");
    }

    @Test
    void request_withoutAuthorization_is401() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.credentialsUri()).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).doesNotContain("ASIA");
    }

    @Test
    void request_withAWrongOrPrefixedToken_is403() throws Exception {
        assertThat(get(ContainerCredentialsServer.PATH, "wrong").statusCode()).isEqualTo(403);
        assertThat(get(ContainerCredentialsServer.PATH, TOKEN + "x").statusCode()).isEqualTo(403);
        assertThat(get(ContainerCredentialsServer.PATH, TOKEN.substring(1)).statusCode()).isEqualTo(403);
    }

    @Test
    void request_otherPath_is404() throws Exception {
        assertThat(get("/v2/credentials", TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void tokenFile_rotated_theNewTokenIsAcceptedAndTheOldRefused() throws Exception {
        Files.writeString(tokenFile, "rotated-token-value", UTF_8);
        Files.setLastModifiedTime(tokenFile, FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(get(ContainerCredentialsServer.PATH, "rotated-token-value").statusCode()).isEqualTo(200);
        assertThat(get(ContainerCredentialsServer.PATH, TOKEN).statusCode()).isEqualTo(403);
    }

    @Test
    void tokenFile_rotatedWithinOneTimestampTickToTheSameLength_theOldTokenIsRefused() throws Exception {
        assertThat(get(ContainerCredentialsServer.PATH, TOKEN).statusCode()).isEqualTo(200);
        FileTime modified = Files.getLastModifiedTime(tokenFile);
        String rotated = "r0t4t3-container-token";
        assertThat(rotated).hasSameSizeAs(TOKEN);

        // Tokens have one length, and a file system's timestamps have a granularity (a second on some): a rewrite
        // soon after the last one can leave both size and modification time as they were.
        Files.writeString(tokenFile, rotated, UTF_8);
        Files.setLastModifiedTime(tokenFile, modified);

        assertThat(get(ContainerCredentialsServer.PATH, TOKEN).statusCode()).isEqualTo(403);
        assertThat(get(ContainerCredentialsServer.PATH, rotated).statusCode()).isEqualTo(200);
    }

    @Test
    void tokenFile_emptied_refusesEveryone() throws Exception {
        Files.writeString(tokenFile, "", UTF_8);

        assertThat(get(ContainerCredentialsServer.PATH, TOKEN).statusCode()).isEqualTo(403);
    }

    /**
     * A FIFO in the token file's place would hold each request in its open until some writer came, until no worker
     * was left: it refuses everyone at once, as an empty file does, and the endpoint serves again once the file is.
     */
    @Test
    void tokenFile_replacedByAFifo_refusesEveryoneAtOnce_andServesAgainOnceItIsAFile() throws Exception {
        Files.delete(tokenFile);
        assertThat(new ProcessBuilder("mkfifo", tokenFile.toString()).start().waitFor()).isZero();

        for (int i = 0; i < 8; i++) { // twice the endpoint's worker threads
            assertThat(get(ContainerCredentialsServer.PATH, TOKEN).statusCode()).isEqualTo(403);
        }

        Files.delete(tokenFile);
        Files.writeString(tokenFile, TOKEN, UTF_8);
        assertThat(get(ContainerCredentialsServer.PATH, TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void tokenOutsideAscii_sentAsItsFilesUtf8_isAcceptedAndAsOtherBytesRefused() throws Exception {
        String token = "jeton-été-ключ-42";
        Files.writeString(tokenFile, token, UTF_8);

        assertThat(rawGet(token.getBytes(UTF_8))).startsWith("HTTP/1.1 200");
        // The same characters in another encoding are other bytes, and not the token.
        assertThat(rawGet("jeton-été-".getBytes(StandardCharsets.ISO_8859_1))).startsWith("HTTP/1.1 403");
    }

    /** A GET of the credentials path whose {@code Authorization} value is {@code authorization}, byte for byte. */
    private String rawGet(byte[] authorization) throws IOException {
        InetSocketAddress address = server.address();
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(10_000);
            var request = new ByteArrayOutputStream();
            request.writeBytes(("GET " + ContainerCredentialsServer.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\nAuthorization: ").getBytes(StandardCharsets.ISO_8859_1));
            request.writeBytes(authorization);
            request.writeBytes("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(request.toByteArray());
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void start_withAnEmptyTokenFile_fails() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty"), "\n", UTF_8);

        assertThatThrownBy(() -> ContainerCredentialsServer.start(new InetSocketAddress("127.0.0.1", 0),
                fixture.credentials, empty)).isInstanceOf(IOException.class).hasMessageContaining("empty");
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        // Bounded, so that an endpoint that holds a request fails the test rather than hanging the build.
        return http.send(HttpRequest.newBuilder(server.credentialsUri().resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
