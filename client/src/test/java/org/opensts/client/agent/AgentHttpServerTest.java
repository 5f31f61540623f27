package org.opensts.client.agent;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent endpoints' HTTP server on raw sockets: requests it must refuse, and callers that are slow, idle or too
 * many, which must lose their connections rather than hold the endpoint.
 */
class AgentHttpServerTest {
    /** Long enough that no connection a test holds open could time out while the test runs. */
    private static final Duration NEVER = Duration.ofMinutes(10);
    /** Only the failing case waits this long: a read that should see the server's answer or close. */
    private static final int READ_LIMIT_MILLIS = 30_000;

    private AgentHttpServer server;
    private final List<Socket> sockets = new ArrayList<>();

    /** Answers every request with its method and target, so a test sees what the server read. */
    private AgentHttpServer start(Duration timeout, int maxConnections) throws IOException {
        server = AgentHttpServer.start(new InetSocketAddress("127.0.0.1", 0), "test",
                new AgentHttpServer.Limits(timeout, maxConnections),
                request -> AgentHttpServer.Response.of(200, "text/plain", request.method() + " " + request.target()
                        + " " + request.header("x-test")));
        return server;
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.connect(server.address());
        socket.setSoTimeout(READ_LIMIT_MILLIS);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(ISO_8859_1));
        out.flush();
    }

    /** Everything the server sends until it closes the connection. */
    private static String readToClose(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), ISO_8859_1);
    }

    private String exchange(String request) throws IOException {
        Socket socket = connect();
        send(socket, request);
        return readToClose(socket);
    }

    /** Addresses as URLs write them: RFC 5952's shortest IPv6 form, in brackets, a zone as {@code %25} (RFC 6874). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0.0.0.0, 0.0.0.0",
        "127.0.0.1, 127.0.0.1",
        "::, [::]",
        "::1, [::1]",
        "2001:db8:0:0:0:0:2:1, [2001:db8::2:1]",
        "2001:db8:0:1:0:0:0:1, [2001:db8:0:1::1]",
        "2001:0:0:1:0:0:0:1, [2001:0:0:1::1]",
        "2001:db8:0:1:1:1:1:1, [2001:db8:0:1:1:1:1:1]",
        "1:0:0:0:0:0:0:0, [1::]",
        "FE80:0:0:0:0:0:0:AB, [fe80::ab]",
    })
    void hostLiteral_isTheShortestFormAUrlTakes(String address, String literal) throws Exception {
        assertThat(AgentHttpServer.hostLiteral(java.net.InetAddress.getByName(address))).isEqualTo(literal);
    }

    @Test
    void request_isAnsweredWithItsLengthAndConnectionClose() throws Exception {
        start(NEVER, 16);

        String answer = exchange("GET /a?b=c HTTP/1.1\r\nHost: x\r\nX-Test: one\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n")
                .contains("\r\nContent-Type: text/plain\r\n", "\r\nContent-Length: 14\r\n", "\r\nConnection: close\r\n")
                .endsWith("\r\n\r\nGET /a?b=c one");
    }

    @Test
    void head_isAnsweredWithoutTheBody() throws Exception {
        start(NEVER, 16);

        String answer = exchange("HEAD /a HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nContent-Length: 12\r\n")
                .endsWith("\r\n\r\n");
    }

    @Test
    void bodyWithContentLength_isReadBeforeTheAnswer_andExpectContinueGetsAContinue() throws Exception {
        start(NEVER, 16);
        Socket socket = connect();

        send(socket, "PUT /t HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        byte[] interim = socket.getInputStream().readNBytes("HTTP/1.1 100 Continue\r\n\r\n".length());
        send(socket, "hello");

        assertThat(new String(interim, ISO_8859_1)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        assertThat(readToClose(socket)).startsWith("HTTP/1.1 200 OK\r\n").endsWith("PUT /t null");
    }

    @Test
    void expectContinueFromAnHttp10Client_getsNoInterimAnswer() throws Exception {
        start(NEVER, 16);
        Socket socket = connect();

        send(socket, "PUT /t HTTP/1.0\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello");

        assertThat(readToClose(socket)).startsWith("HTTP/1.1 200 OK\r\n").doesNotContain("100 Continue");
    }

    @Test
    void requestAndResponse_toString_leaveOutHeaderValuesAndTheBody() {
        var request = new AgentHttpServer.Request("GET", "/v1/credentials",
                Map.of("Authorization", List.of("container-token-secret")));
        var response = AgentHttpServer.Response.of(200, "application/json", "{\"SecretAccessKey\":\"wJalr\"}");

        assertThat(request.toString()).contains("Authorization").doesNotContain("container-token-secret");
        assertThat(response.toString()).contains("200").doesNotContain("wJalr");
    }

    record Case(String name, String request, int status) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> malformed() {
        return List.of(
                new Case("a request line with two parts is 400", "GET /\r\n\r\n", 400),
                new Case("a request line with a double space is 400", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                new Case("a method that is not a token is 400", "G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                new Case("HTTP/2.0 is 505", "GET / HTTP/2.0\r\n\r\n", 505),
                new Case("a version that is not HTTP is 400", "GET / FTP/1.1\r\n\r\n", 400),
                new Case("a space before a header's colon is 400 (RFC 9112 5.1)",
                        "GET / HTTP/1.1\r\nHost: x\r\nHost : x\r\n\r\n", 400),
                new Case("a folded header line is 400 (RFC 9112 5.2)",
                        "GET / HTTP/1.1\r\nHost: x\r\nX-Test: a\r\n b\r\n\r\n", 400),
                new Case("a header without a colon is 400", "GET / HTTP/1.1\r\nHost: x\r\nHost\r\n\r\n", 400),
                new Case("a control character in a header value is 400",
                        "GET / HTTP/1.1\r\nHost: x\r\nX-Test: a\u0001b\r\n\r\n", 400),
                new Case("two different Content-Lengths are 400",
                        "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400),
                new Case("a Content-Length that is not a number is 400",
                        "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400),
                new Case("a chunked body is 411: a Content-Length is required",
                        "PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 411),
                new Case("a body over 64 KiB is 413",
                        "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: " + (AgentHttpServer.MAX_BODY_BYTES + 1)
                                + "\r\n\r\n", 413),
                new Case("an HTTP/1.1 request without Host is 400 (RFC 9112 3.2)", "GET / HTTP/1.1\r\n\r\n", 400),
                new Case("two Hosts are 400", "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400),
                new Case("two Authorization fields are 400",
                        "GET / HTTP/1.1\r\nHost: x\r\nAuthorization: a\r\nAuthorization: b\r\n\r\n", 400),
                new Case("a vertical tab after a Content-Length is 400, not whitespace",
                        "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\u000b\r\n\r\na", 400),
                new Case("a file separator before a Content-Length is 400, not whitespace",
                        "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: \u001c1\r\n\r\na", 400),
                new Case("a head over 16 KiB is 431",
                        "GET / HTTP/1.1\r\nHost: x\r\nX-Test: " + "a".repeat(AgentHttpServer.MAX_HEAD_BYTES)
                                + "\r\n\r\n", 431));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedRequest_isRefusedWithItsStatus(Case c) throws Exception {
        start(NEVER, 16);

        assertThat(exchange(c.request())).startsWith("HTTP/1.1 " + c.status() + " ");
    }

    @Test
    void slowCaller_isClosedAfterTheRequestTimeout_withoutAnAnswer() throws Exception {
        start(Duration.ofMillis(200), 16);
        Socket slow = connect();

        send(slow, "GET / HTTP/1.1\r\nHost: x\r\nX-Test: ");

        assertThat(readToClose(slow)).isEmpty();
    }

    @Test
    void idleCaller_isClosedAfterTheRequestTimeout() throws Exception {
        start(Duration.ofMillis(200), 16);

        assertThat(readToClose(connect())).isEmpty();
    }

    @Test
    void atTheConnectionCap_aNewCallerDisplacesTheOldestWaitingOne_andIsAnswered() throws Exception {
        start(NEVER, 4);
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            idle.add(connect());
        }
        send(idle.get(3), "GET /"); // the start of a request, to finish once the cap has been reached

        String answer = exchange("GET /new HTTP/1.1\r\nHost: x\r\nX-Test: t\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").endsWith("GET /new t");
        assertThat(readToClose(idle.get(0))).isEmpty();
        send(idle.get(3), " HTTP/1.1\r\nHost: x\r\n\r\n"); // still open: its request completes and is answered
        assertThat(readToClose(idle.get(3))).startsWith("HTTP/1.1 200 OK\r\n");
    }

    @Test
    void atTheConnectionCap_aCallerInTheMiddleOfItsRequest_outlastsOlderIdleConnections() throws Exception {
        start(NEVER, 4);
        Socket midRequest = connect();
        // The interim answer shows the server has read the head: this caller is heard, its body still to come.
        send(midRequest, "PUT /a HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
        assertThat(readHead(midRequest)).startsWith("HTTP/1.1 100 Continue");
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            idle.add(connect());
        }

        String answer = exchange("GET /new HTTP/1.1\r\nHost: x\r\nX-Test: t\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(readToClose(idle.get(0))).isEmpty();
        send(midRequest, "ok");
        assertThat(readToClose(midRequest)).startsWith("HTTP/1.1 200 OK\r\n").endsWith("PUT /a null");
    }

    /** What the server sends up to the first empty line. */
    private static String readHead(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        var head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
