package org.opensts.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SigningCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * What the node refuses before a request reaches an action, over real sockets on loopback, with requests no SDK
 * sends: request lines of other HTTP versions, a missing {@code Host}, {@code Expect} with an oversized body,
 * oversized request lines, headers and bodies, too many parameters, an {@code Authorization} header bent out of its
 * canonical form, and connections beyond the cap. Every refusal closes the connection, so a test reads the whole
 * answer up to the close.
 */
class HttpHardeningEndToEndTest {
    /** How long a read waits for the node before the test fails; far beyond any answer's time. */
    private static final int GIVE_UP_MILLIS = 30_000;

    @TempDir
    static Path dataDir;
    private static OpenStsNode node;
    private static AwsBasicCredentials user;

    @BeforeAll
    static void start() throws Exception {
        user = TestNodes.knownKey("caller");
        node = TestNodes.start(dataDir, """
                accounts:
                  - id: "123456789012"
                    users:
                      - name: caller
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                """.formatted(user.accessKeyId(), user.secretAccessKey()));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    // ---- HTTP versions (RFC 9112 §2.3, RFC 9110 §15.6.6)

    record VersionCase(String version, int status) {
        @Override
        public String toString() {
            return version + " -> " + status;
        }
    }

    static Stream<VersionCase> versions() {
        return Stream.of(
                new VersionCase("HTTP/2.0", 505),
                new VersionCase("HTTP/9.9", 505),
                new VersionCase("HTTP/0.9", 505),
                new VersionCase("HTTP/1", 400),
                new VersionCase("HTTP/01.1", 400),
                new VersionCase("HTTP/1.10", 400),
                new VersionCase("FOO/1.1", 400),
                new VersionCase("HTTP/1.1 extra", 400),
                new VersionCase("http/1.1", 400),
                new VersionCase("Http/1.0", 400),
                new VersionCase("HTTP/1.2", 200),
                new VersionCase("HTTP/1.0", 200));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("versions")
    void requestLineVersion_isServedOrRefusedAsHttpSays(VersionCase c) throws IOException {
        Answer answer = exchange("GET /healthz " + c.version() + "\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(answer.status()).isEqualTo(c.status());
        assertThat(answer.closed()).isTrue();
    }

    // ---- Host (RFC 9112 §3.2)

    @Test
    void http11RequestWithoutHost_is400() throws IOException {
        Answer answer = exchange("GET /healthz HTTP/1.1\r\n\r\n");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.closed()).isTrue();
    }

    @Test
    void requestWithTwoHostFields_is400() throws IOException {
        assertThat(exchange("GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").status()).isEqualTo(400);
    }

    @Test
    void http10RequestWithoutHost_isServed() throws IOException {
        assertThat(exchange("GET /healthz HTTP/1.0\r\n\r\n").status()).isEqualTo(200);
    }

    // ---- Expect (RFC 9110 §10.1.1) and the body limit

    @Test
    void expectContinueWithAnOversizedLength_is413WithoutContinueFirst() throws IOException {
        Answer answer = exchange("POST / HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3000000\r\n\r\n");

        assertThat(answer.text()).startsWith("HTTP/1.1 413 ").doesNotContain("100 Continue");
        assertThat(answer.body()).contains("<Code>RequestEntityTooLarge</Code>", "<Type>Sender</Type>",
                "<RequestId>");
        assertThat(answer.closed()).isTrue();
    }

    @Test
    void expectContinueWithinTheLimit_getsContinueThenTheAnswer() throws IOException {
        try (Socket socket = connect()) {
            String body = "Action=GetCallerIdentity&Version=2011-06-15";
            send(socket, "POST / HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nConnection: close\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
                    + "\r\n\r\n");
            String interim = readLine(socket.getInputStream());
            assertThat(interim).isEqualTo("HTTP/1.1 100 Continue");
            send(socket, body);
            String rest = new String(readToClose(socket.getInputStream()).bytes(), UTF_8);

            // Unsigned: the action is reached and refuses to authenticate, which is the point.
            assertThat(rest).contains("HTTP/1.1 403 ").contains("<Code>MissingAuthenticationToken</Code>");
        }
    }

    @Test
    void unknownExpectation_is417() throws IOException {
        Answer answer = exchange("POST / HTTP/1.1\r\nHost: localhost\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\n");

        assertThat(answer.status()).isEqualTo(417);
        assertThat(answer.closed()).isTrue();
    }

    @Test
    void declaredLengthOverTheLimit_is413RequestEntityTooLargeBeforeTheBodyIsRead() throws IOException {
        Answer answer = exchange("POST / HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                + (ServerConfig.DEFAULT_MAX_BODY_BYTES + 1) + "\r\n\r\n");

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.text().toLowerCase(Locale.ROOT)).contains("\r\ncontent-type: text/xml\r\n",
                "\r\nx-amzn-requestid: ");
        assertThat(answer.body()).contains("<ErrorResponse", "<Code>RequestEntityTooLarge</Code>",
                "<Message>The request body is larger than the 2097152 bytes this endpoint accepts.</Message>");
        assertThat(answer.closed()).isTrue();
    }

    @Test
    void declaredLengthOverTheLimit_withTheBodyOnItsWay_stillReachesTheClientAs413() throws IOException {
        try (Socket socket = connect()) {
            // The head and a first MiB of the body in one go, as a client that does not wait for 100 Continue sends
            // them: the node refuses by the head, with that body still arriving. Closing on it at once would make the
            // kernel reset the connection, and the client could lose the 413 to the reset.
            send(socket, "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: " + (ServerConfig.DEFAULT_MAX_BODY_BYTES + 1) + "\r\n\r\n"
                    + "x".repeat(1024 * 1024));
            socket.shutdownOutput();

            Answer answer = readToClose(socket);

            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.body()).contains("<Code>RequestEntityTooLarge</Code>");
            assertThat(answer.closed()).isTrue();
        }
    }

    // ---- request line, header and parameter bounds

    @Test
    void requestLineOver16KiB_is414() throws IOException {
        Answer answer = exchange("GET /?Action=" + "a".repeat(HttpLimits.DEFAULT_MAX_REQUEST_LINE_BYTES)
                + " HTTP/1.1\r\nHost: localhost\r\n\r\n");

        assertThat(answer.status()).isEqualTo(414);
        assertThat(answer.closed()).isTrue();
    }

    @Test
    void requestLineJustUnder16KiB_isRead() throws IOException {
        String target = "/healthz?x=";
        String padding = "a".repeat(HttpLimits.DEFAULT_MAX_REQUEST_LINE_BYTES - 100);
        Answer answer = exchange("GET " + target + padding
                + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(answer.status()).isEqualTo(200);
    }

    @Test
    void headerSectionOver64KiB_is431() throws IOException {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            headers.append("X-Big-").append(i).append(": ").append("b".repeat(8 * 1024)).append("\r\n");
        }
        Answer answer = exchange("GET /healthz HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n");

        assertThat(answer.status()).isEqualTo(431);
        assertThat(answer.closed()).isTrue();
    }

    @Test
    void oneHeaderFieldOver16KiB_is431() throws IOException {
        Answer answer = exchange("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Long: "
                + "l".repeat(HttpLimits.DEFAULT_MAX_FIELD_BYTES + 1) + "\r\n\r\n");

        assertThat(answer.status()).isEqualTo(431);
    }

    @Test
    void moreThan100HeaderFields_is431() throws IOException {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < HttpLimits.DEFAULT_MAX_HEADER_COUNT; i++) {
            headers.append("X-H-").append(i).append(": v\r\n");
        }
        Answer answer = exchange("GET /healthz HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n");

        assertThat(answer.status()).isEqualTo(431);
    }

    @Test
    void moreThan10000Parameters_isMalformedQueryString() throws IOException {
        String body = "Action=GetCallerIdentity&Version=2011-06-15" + "&a=".repeat(HttpLimits.DEFAULT_MAX_PARAMETERS);
        Answer answer = exchange("POST / HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n"
                + body);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body()).contains("<Code>MalformedQueryString</Code>",
                "<Message>The request has more than 10000 parameters.</Message>");
        assertThat(answer.closed()).isTrue();
    }

    /**
     * A refusal in the pipeline is answered once its audit event is recorded, on another thread: a request pipelined
     * behind it must still never be answered, as the connection closes after the refusal.
     */
    @Test
    void requestsPipelinedBehindARefusalInThePipeline_areNotAnswered() throws IOException {
        String tooMany = "Action=GetCallerIdentity&Version=2011-06-15"
                + "&a=".repeat(HttpLimits.DEFAULT_MAX_PARAMETERS);
        String chunk = "x".repeat(ServerConfig.DEFAULT_MAX_BODY_BYTES + 1);
        String healthz = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n";
        for (String refused : List.of(
                "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: " + tooMany.length() + "\r\n\r\n" + tooMany,
                "POST /?Action=GetCallerIdentity&Version=2011-06-15 HTTP/1.1\r\nHost: localhost\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk
                        + "\r\n0\r\n\r\n")) {
            try (Socket socket = connect()) {
                send(socket, refused + healthz);

                Answer answer = readToClose(socket);

                assertThat(answer.status()).isIn(404, 413);
                assertThat(answer.text()).doesNotContain("HTTP/1.1 200");
                assertThat(answer.closed()).isTrue();
            }
        }
    }

    /**
     * A chunk extension past the codec's bounds fails the body mid-stream, while the client is still sending it: the
     * refusal is followed by a lingering close, so that what the client still sends is read and dropped instead of
     * being answered with a reset that could destroy the refusal before the client reads it.
     */
    @Test
    void chunkExtensionPastTheBounds_isBadRequest_andTheRestOfTheBodyIsDrainedNotReset() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5;ext="
                    + "x".repeat(100_000));
            Thread.sleep(200); // the node has refused by now; the client has not noticed and sends on
            for (int i = 0; i < 32; i++) {
                send(socket, "x".repeat(8192));
            }
            socket.shutdownOutput();

            Answer answer = readToClose(socket);

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body()).isEqualTo("Bad Request\n");
        }
    }

    // ---- the Authorization header, as strict as AWS

    @Test
    void signedRequest_asSigned_isAnswered() throws IOException {
        Answer answer = exchange(signedGetCallerIdentity(UnaryOperator.identity()));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("<GetCallerIdentityResult>", ":user/caller");
    }

    record AuthorizationCase(String name, UnaryOperator<String> change, int status, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<AuthorizationCase> bentAuthorizations() {
        return Stream.of(
                new AuthorizationCase("signature in upper-case hex",
                        a -> a.substring(0, a.indexOf("Signature=")) + "Signature="
                                + a.substring(a.indexOf("Signature=") + 10).toUpperCase(Locale.ROOT),
                        403, "SignatureDoesNotMatch"),
                new AuthorizationCase("SignedHeaders reordered",
                        a -> a.replace("SignedHeaders=content-type;host;x-amz-date",
                                "SignedHeaders=host;content-type;x-amz-date"),
                        403, "SignatureDoesNotMatch"),
                new AuthorizationCase("SignedHeaders with a name twice",
                        a -> a.replace(";host;", ";host;host;"), 403, "SignatureDoesNotMatch"),
                new AuthorizationCase("SignedHeaders with an empty entry",
                        a -> a.replace(";host;", ";host;;"), 403, "SignatureDoesNotMatch"),
                new AuthorizationCase("SignedHeaders with an upper-case name",
                        a -> a.replace(";host;", ";Host;"), 403, "SignatureDoesNotMatch"),
                new AuthorizationCase("Signature given twice",
                        a -> a + ", Signature=" + "0".repeat(64), 400, "IncompleteSignature"),
                new AuthorizationCase("Credential given twice",
                        a -> a + ", Credential=" + a.substring(a.indexOf("Credential=") + 11, a.indexOf(',')),
                        400, "IncompleteSignature"),
                new AuthorizationCase("no SignedHeaders",
                        a -> a.replaceAll("SignedHeaders=[^,]*, ", ""), 400, "IncompleteSignature"),
                new AuthorizationCase("a space inside the credential",
                        a -> a.replaceFirst("/", " /"), 400, "IncompleteSignature"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bentAuthorizations")
    void bentAuthorizationHeader_isRefusedAsAwsRefusesIt(AuthorizationCase c) throws IOException {
        Answer answer = exchange(signedGetCallerIdentity(c.change()));

        assertThat(answer.status()).isEqualTo(c.status());
        assertThat(answer.body()).contains("<Code>" + c.code() + "</Code>").doesNotContain("GetCallerIdentityResult");
    }

    @Test
    void extraSpacesAndCommasBetweenFields_areAccepted() throws IOException {
        Answer answer = exchange(signedGetCallerIdentity(a -> a.replace(", ", " ,,  ") + ","));

        assertThat(answer.status()).isEqualTo(200);
    }

    /** A GetCallerIdentity POST signed for {@code caller} now, its Authorization header put through {@code change}. */
    private static String signedGetCallerIdentity(UnaryOperator<String> change) {
        byte[] body = "Action=GetCallerIdentity&Version=2011-06-15".getBytes(UTF_8);
        SignableRequest request = SignableRequest.builder()
                .method("POST")
                .path("/")
                .addHeader("Host", "127.0.0.1:" + node.address().getPort())
                .addHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .body(body)
                .build();
        SignableRequest signed = SigV4Signer.create().sign(request, SigningCredentials.of(user.accessKeyId(),
                user.secretAccessKey().getBytes(UTF_8)), "us-east-1", "sts", Instant.now());
        StringBuilder http = new StringBuilder("POST / HTTP/1.1\r\n");
        for (int i = 0; i < signed.headerCount(); i++) {
            String value = signed.headerValue(i);
            if (signed.headerName(i).equalsIgnoreCase("Authorization")) {
                value = change.apply(value);
            }
            http.append(signed.headerName(i)).append(": ").append(value).append("\r\n");
        }
        ByteBuffer content = signed.body();
        return http.append("Content-Length: ").append(content.remaining()).append("\r\nConnection: close\r\n\r\n")
                .append(UTF_8.decode(content)).toString();
    }

    // ---- pipelining (RFC 9112 §9.3.2)

    /**
     * Requests sent without waiting for answers are answered in their order, though calls run on several threads and
     * {@code /healthz} is answered at once: each call's answer names the session name it was given.
     */
    @Test
    void pipelinedRequests_areAnsweredInTheOrderTheyWereSent() throws IOException {
        int calls = 40;
        var requests = new StringBuilder();
        for (int i = 0; i < calls; i++) {
            if (i % 4 == 3) {
                requests.append("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
            } else {
                requests.append(invalidSessionNameCall(i));
            }
        }
        try (Socket socket = connect()) {
            send(socket, requests.toString());
            InputStream in = socket.getInputStream();
            for (int i = 0; i < calls; i++) {
                String answer = RawHttpAnswers.readOne(in);
                if (i % 4 == 3) {
                    assertThat(answer).as("answer %d", i).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nok\n");
                } else {
                    assertThat(answer).as("answer %d", i).startsWith("HTTP/1.1 400 ")
                            .contains("<Code>ValidationError</Code>", "call %04d".formatted(i));
                }
            }
        }
    }

    /**
     * A pipelined request that the node refuses by its head (and then closes the connection) is answered after the
     * call sent before it, which is not lost to the close.
     */
    @Test
    void pipelinedRequestRefusedByItsHead_isAnsweredAfterTheCallBeforeIt() throws IOException {
        try (Socket socket = connect()) {
            send(socket, invalidSessionNameCall(0) + "GET /healthz HTTP/1.1\r\n\r\n");
            Answer answers = readToClose(socket);

            String text = answers.text();
            int second = text.indexOf("HTTP/1.1 ", 1);
            assertThat(second).as("two answers").isPositive();
            assertThat(text.substring(0, second)).as("the call's answer comes first").startsWith("HTTP/1.1 400 ")
                    .contains("<Code>ValidationError</Code>", "call 0000");
            assertThat(text.substring(second)).as("then the refusal").startsWith("HTTP/1.1 400 ")
                    .doesNotContain("ValidationError");
            assertThat(answers.closed()).isTrue();
        }
    }

    /** An unsigned call that fails validation with a message that echoes {@code call NNNN}. */
    private static String invalidSessionNameCall(int i) {
        String body = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn:aws:iam::123456789012:role/r"
                + "&WebIdentityToken=x&RoleSessionName=call%20" + "%04d".formatted(i);
        return "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    // ---- a client that half-closes (RFC 9112 §9.6)

    /**
     * A client that sends its request and its FIN together (as some clients and proxies do) still reads the answer:
     * the node answers on the direction still open and only then closes. (Whether the answer says it is the last
     * depends on whether the FIN was read before it was written: either way the client reads it whole.)
     */
    @Test
    void requestThenHalfClose_isAnsweredOnTheDirectionStillOpen_thenClosed() throws IOException {
        try (Socket socket = connect()) {
            send(socket, signedGetCallerIdentity(UnaryOperator.identity()).replace("Connection: close\r\n", ""));
            socket.shutdownOutput();
            Answer answer = readToClose(socket);

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).contains("<GetCallerIdentityResult>", ":user/caller");
            assertThat(answer.closed()).isTrue();
        }
    }

    @Test
    void http10RequestThenHalfClose_isAnswered() throws IOException {
        try (Socket socket = connect()) {
            send(socket, signedGetCallerIdentity(UnaryOperator.identity()).replaceFirst("HTTP/1.1", "HTTP/1.0"));
            socket.shutdownOutput();
            Answer answer = readToClose(socket);

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.closed()).isTrue();
        }
    }

    /** Every request sent whole before the FIN is answered, in order, calls run on other threads included. */
    @Test
    void pipelinedRequestsThenHalfClose_areAllAnsweredInOrder_thenClosed() throws IOException {
        try (Socket socket = connect()) {
            send(socket, invalidSessionNameCall(0) + invalidSessionNameCall(1)
                    + "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n" + invalidSessionNameCall(3));
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();

            for (int i : new int[] {0, 1}) {
                assertThat(RawHttpAnswers.readOne(in)).as("answer %d", i).startsWith("HTTP/1.1 400 ")
                        .contains("<Code>ValidationError</Code>", "call %04d".formatted(i));
            }
            assertThat(RawHttpAnswers.readOne(in)).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nok\n");
            assertThat(RawHttpAnswers.readOne(in)).as("the last answer").startsWith("HTTP/1.1 400 ")
                    .contains("call 0003").containsIgnoringCase("connection: close\r\n");
            Answer rest = readToClose(in);
            assertThat(rest.text()).as("after the last answer").isEmpty();
            assertThat(rest.closed()).isTrue();
        }
    }

    /** A request whose body the FIN cut short never arrives: nothing runs, and the connection is closed unanswered. */
    @Test
    void halfCloseInTheMiddleOfABody_closesTheConnectionWithoutAnAnswer() throws IOException {
        try (Socket socket = connect()) {
            send(socket, invalidSessionNameCall(0).substring(0, invalidSessionNameCall(0).length() - 10));
            socket.shutdownOutput();
            Answer answer = readToClose(socket);

            assertThat(answer.text()).isEmpty();
            assertThat(answer.closed()).isTrue();
        }
    }

    /** One answered call, then a FIN: the node closes the connection rather than keep it until the idle timeout. */
    @Test
    void halfCloseAfterTheAnswers_closesTheConnection() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(RawHttpAnswers.readOne(socket.getInputStream())).startsWith("HTTP/1.1 200 ");
            socket.shutdownOutput();
            Answer answer = readToClose(socket);

            assertThat(answer.text()).isEmpty();
            assertThat(answer.closed()).isTrue();
        }
    }

    // ---- the connection cap

    @Test
    void connectionsBeyondTheCap_get503ServiceUnavailableAndAreClosed(@TempDir Path capped) throws Exception {
        try (OpenStsNode small = OpenStsNode.start(OpenStsNode.Config.embedded(capped,
                new InetSocketAddress("127.0.0.1", 0), TestNodes.ACCOUNT).withMaxConnections(2))) {
            List<Socket> held = new ArrayList<>();
            try {
                // Each held connection is answered once, so that the node has surely admitted it before the third.
                held.add(answeredAndKeptOpen(connect(small)));
                held.add(answeredAndKeptOpen(connect(small)));
                Answer refused = readToClose(connect(small));

                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.body()).contains("<Type>Receiver</Type>", "<Code>ServiceUnavailable</Code>",
                        "<Message>" + ConnectionLimiter.MESSAGE + "</Message>");
                assertThat(refused.closed()).isTrue();

                // The SDK retries a refused call (by its 503, or as a failed connection) before giving up.
                try (StsClient sts = SdkClients.sts(small, user)) {
                    SdkException e = catchThrowableOfType(SdkException.class, sts::getCallerIdentity);
                    assertThat(e.numAttempts()).isGreaterThan(1);
                }
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
            assertThat(healthzOnceAConnectionIsFree(small)).isEqualTo(200);
        }
    }

    /** Asks {@code /healthz} on a kept-alive connection and reads the whole answer, {@code ok}, leaving it open. */
    private static Socket answeredAndKeptOpen(Socket socket) throws IOException {
        send(socket, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var answer = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        while (!answer.toString(US_ASCII).endsWith("\r\n\r\nok\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + answer.toString(US_ASCII));
            }
            answer.write(b);
        }
        assertThat(answer.toString(US_ASCII)).startsWith("HTTP/1.1 200 ");
        return socket;
    }

    /** Asks {@code /healthz} until the node has seen the held connections close and admits one again. */
    private static int healthzOnceAConnectionIsFree(OpenStsNode small) throws IOException {
        int status = 0;
        for (int attempt = 0; attempt < 10_000 && status != 200; attempt++) {
            try (Socket socket = connect(small)) {
                send(socket, "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
                status = readToClose(socket).status();
            } catch (IOException refusedBeforeTheRequestWasSent) {
                status = 0;
            }
        }
        return status;
    }

    // ---- raw HTTP

    /** What came back on a connection, and whether the node closed it. */
    record Answer(byte[] bytes, boolean closed) {
        String text() {
            return new String(bytes, UTF_8);
        }

        int status() {
            String text = text();
            return text.length() < 12 ? -1 : Integer.parseInt(text.substring(9, 12));
        }

        String body() {
            String text = text();
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? "" : text.substring(end + 4);
        }
    }

    private static Answer exchange(String request) throws IOException {
        try (Socket socket = connect()) {
            send(socket, request);
            return readToClose(socket);
        }
    }

    private static Socket connect() throws IOException {
        return connect(node);
    }

    private static Socket connect(OpenStsNode target) throws IOException {
        var socket = new Socket();
        socket.connect(target.address());
        socket.setSoTimeout(GIVE_UP_MILLIS);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(UTF_8));
        out.flush();
    }

    private static Answer readToClose(Socket socket) throws IOException {
        try (socket) {
            return readToClose(socket.getInputStream());
        }
    }

    /** Reads until the node closes the connection; an answer to a kept-alive connection is read to its length. */
    private static Answer readToClose(InputStream in) throws IOException {
        var bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                bytes.write(buffer, 0, n);
            }
            return new Answer(bytes.toByteArray(), true);
        } catch (SocketTimeoutException e) {
            return new Answer(bytes.toByteArray(), false);
        } catch (IOException reset) {
            return new Answer(bytes.toByteArray(), true);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            if (b != '\r') {
                line.write(b);
            }
        }
        String text = line.toString(US_ASCII);
        // The 100 Continue is followed by an empty line that ends its (empty) header section.
        readEmptyLine(in);
        return text;
    }

    private static void readEmptyLine(InputStream in) throws IOException {
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            // '\r'
        }
    }
}
