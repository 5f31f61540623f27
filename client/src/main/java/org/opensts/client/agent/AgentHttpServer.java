package org.opensts.client.agent;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The small HTTP/1.1 server under both agent endpoints, built so that no caller can keep the others from their
 * credentials (the SDKs give an endpoint about a second):
 *
 * <ul>
 *   <li>One selector thread reads every connection without blocking, so a caller that sends its request slowly, or
 *       not at all, holds no thread. Only whole requests go to the few worker threads.
 *   <li>A caller has {@link Limits#requestTimeout()} from connecting to send the whole request (head and body), and as
 *       long again to take the answer; then the connection is closed. Heads over 16 KiB are refused with 431, bodies
 *       over 64 KiB with 413, bodies sent without a Content-Length (chunked) with 411, as RFC 9112 allows.
 *   <li>At most {@link Limits#maxConnections()} connections are open. At the cap, a new connection displaces a
 *       waiting one rather than being refused: one already answered, else the oldest that has sent nothing, else the
 *       oldest. Whoever holds connections open to exhaust the endpoint loses them to the next caller, whose request
 *       (sent at once by every SDK) is read first, and a flood of idle connections displaces itself before a caller
 *       in the middle of its request. Running out of file descriptors below the cap is met the same way, and with
 *       nothing to displace the listener rests a moment instead of spinning.
 *   <li>Every answer carries {@code Connection: close}: callers ask a few times an hour, and no idle connection is
 *       left to hold a place.
 * </ul>
 *
 * <p>Why not the JDK's {@code com.sun.net.httpserver}: it reads a request's head on a worker thread, blocking, so as
 * many slow callers as there are workers starve everyone; its only time limits and connection cap are {@code
 * sun.net.httpserver.*} / {@code jdk.httpserver.*} system properties, read once per process (so one embedding program
 * could not set them for its agent endpoints alone, nor a test per server), counted in whole seconds, and the cap is
 * missing from older Java 17 builds. Why not Netty, as the node's listeners use: this module is the client library
 * that Java programs embed, and it stays free of Netty for them; the two endpoints need only this much HTTP.
 */
final class AgentHttpServer implements AutoCloseable {

    /**
     * How long a caller has to send a request (and then to take the answer), and how many connections may be open.
     */
    record Limits(Duration requestTimeout, int maxConnections) {
        /** Ten seconds is long beyond any local caller, which sends at once; 256 at once is more than a host runs. */
        static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), 256);

        Limits {
            if (requestTimeout.isNegative() || requestTimeout.isZero() || maxConnections < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }
    }

    /** A request as received: its method, request target as sent, and headers (names in any case). */
    record Request(String method, String target, Map<String, List<String>> headers) {
        /** The first value of header {@code name}, or null. */
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** The header names only: their values include the container token and IMDS session tokens. */
        @Override
        public String toString() {
            return "Request[" + method + " " + target + ", headers " + headers.keySet() + "]";
        }
    }

    /** An answer: its status, content type, body and any further headers. */
    record Response(int status, String contentType, String body, Map<String, String> headers) {
        static Response of(int status, String contentType, String body) {
            return new Response(status, contentType, body, Map.of());
        }

        Response withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Response(status, contentType, body, Collections.unmodifiableMap(more));
        }

        /** Without the body, which may be the role's credentials or a session token. */
        @Override
        public String toString() {
            return "Response[" + status + " " + contentType + ", " + body.length() + " characters]";
        }
    }

    /** Answers one request; runs on a worker thread and may block (a credentials refresh). */
    @FunctionalInterface
    interface Handler {
        Response handle(Request request);
    }

    static final int MAX_HEAD_BYTES = 16 * 1024;
    /** The fields that may appear once: those the endpoints read, and those that frame the request. */
    private static final List<String> SINGLETON_FIELDS = List.of("Host", "Authorization", "Content-Length",
            "X-aws-ec2-metadata-token", "X-aws-ec2-metadata-token-ttl-seconds");
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int WORKERS = 4;
    /** Accepted per turn of the loop, so that reading the requests already in keeps pace with a flood of connects. */
    private static final int ACCEPTS_PER_TURN = 16;
    /** The listen backlog, per connection of the cap. */
    private static final int BACKLOG_PER_CONNECTION = 4;
    /** How long to stop accepting when a connection cannot be accepted and none can be closed to make room. */
    private static final Duration ACCEPT_PAUSE = Duration.ofMillis(50);
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(ISO_8859_1);
    private static final Map<Integer, String> REASONS = Map.ofEntries(Map.entry(200, "OK"),
            Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"), Map.entry(411, "Length Required"),
            Map.entry(413, "Content Too Large"), Map.entry(431, "Request Header Fields Too Large"),
            Map.entry(500, "Internal Server Error"), Map.entry(503, "Service Unavailable"),
            Map.entry(505, "HTTP Version Not Supported"));

    private final ServerSocketChannel listener;
    private final Selector selector;
    private final Limits limits;
    private final Handler handler;
    private final ExecutorService workers;
    private final Thread loop;
    /** Answers the workers have made, for the selector thread to write. */
    private final Queue<Connection> answered = new ConcurrentLinkedQueue<>();
    /**
     * Connections waiting on their caller (to send the request or take the answer), oldest first. Every deadline is
     * the same timeout after the connection joined, so this order is also the order of their deadlines.
     */
    private final LinkedHashSet<Connection> waiting = new LinkedHashSet<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(8 * 1024);
    private final SelectionKey listenerKey;
    /** When to watch the listener again after a failed accept ({@link System#nanoTime()}), or 0. */
    private long acceptResumesAt;
    private int open;
    private volatile boolean closing;

    private AgentHttpServer(ServerSocketChannel listener, SelectionKey listenerKey, Selector selector, Limits limits,
            Handler handler, String name) {
        this.listener = listener;
        this.listenerKey = listenerKey;
        this.selector = selector;
        this.limits = limits;
        this.handler = handler;
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(WORKERS, runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.loop = new Thread(this::run, name + "-io");
        this.loop.setDaemon(true);
    }

    /**
     * Binds {@code listen} and starts serving; its threads are named after {@code name}. An IPv4 address, the wildcard
     * {@code 0.0.0.0} included, is bound with an IPv4 socket: a dual-stack one would take {@code 0.0.0.0} for every
     * IPv6 address too, which an operator who firewalls IPv4 does not expect of an endpoint without a secret.
     */
    static AgentHttpServer start(InetSocketAddress listen, String name, Limits limits, Handler handler)
            throws IOException {
        if (listen.isUnresolved()) {
            throw new IOException("cannot resolve " + listen.getHostString());
        }
        ServerSocketChannel listener = listen.getAddress() instanceof Inet4Address
                ? ServerSocketChannel.open(StandardProtocolFamily.INET) : ServerSocketChannel.open();
        Selector selector = null;
        SelectionKey listenerKey;
        try {
            // A backlog beyond the cap: a burst of connects waits in the kernel for the loop to accept (and displace)
            // rather than having its SYNs dropped, which costs a caller the second a retransmission waits.
            try {
                listener.bind(listen, BACKLOG_PER_CONNECTION * limits.maxConnections());
            } catch (BindException e) {
                throw new BindException("cannot listen on " + hostLiteral(listen.getAddress()) + ':' + listen.getPort()
                        + ": " + e.getMessage());
            }
            listener.configureBlocking(false);
            selector = Selector.open();
            listenerKey = listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            listener.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
        AgentHttpServer server = new AgentHttpServer(listener, listenerKey, selector, limits, handler, name);
        server.loop.start();
        return server;
    }

    InetSocketAddress address() {
        return new InetSocketAddress(listener.socket().getInetAddress(), listener.socket().getLocalPort());
    }

    /**
     * {@code http://HOST:PORT} for the programs on this host to call: the bound address, or 127.0.0.1 when bound to
     * the wildcard address (which has no meaning as a destination).
     */
    String baseUri() {
        InetSocketAddress address = address();
        String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : hostLiteral(address.getAddress());
        return "http://" + host + ':' + address.getPort();
    }

    /** {@code HOST:PORT} as bound, as a URL writes it: {@code 0.0.0.0:8791}, {@code [::]:8791}, {@code [::1]:8791}. */
    String listenAuthority() {
        InetSocketAddress address = address();
        return hostLiteral(address.getAddress()) + ':' + address.getPort();
    }

    /**
     * An address as a URL's host: IPv4 dotted, IPv6 in brackets in RFC 5952's form (lower-case hexadecimal, leading
     * zeros dropped, the longest run of two or more zero groups, the first of equals, as {@code ::}), a zone as
     * {@code %25} and its name (RFC 6874).
     */
    static String hostLiteral(InetAddress address) {
        if (!(address instanceof Inet6Address v6)) {
            return address.getHostAddress();
        }
        byte[] bytes = v6.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int end = i;
            while (end < 8 && groups[end] == 0) {
                end++;
            }
            if (end - i > bestLength) {
                bestStart = i;
                bestLength = end - i;
            }
            i = end == i ? i + 1 : end;
        }
        var text = new StringBuilder("[");
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 1 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        String scoped = address.getHostAddress();
        int zone = scoped.indexOf('%');
        if (zone >= 0) {
            text.append("%25").append(scoped, zone + 1, scoped.length());
        }
        return text.append(']').toString();
    }

    private void run() {
        try {
            while (!closing) {
                long timeoutMillis = closeExpired();
                if (acceptResumesAt != 0) {
                    long untilResume = acceptResumesAt - System.nanoTime();
                    if (untilResume <= 0) {
                        acceptResumesAt = 0;
                        listenerKey.interestOps(SelectionKey.OP_ACCEPT);
                    } else {
                        long resumeMillis = Math.max(1, untilResume / 1_000_000);
                        timeoutMillis = timeoutMillis == 0 ? resumeMillis : Math.min(timeoutMillis, resumeMillis);
                    }
                }
                selector.select(timeoutMillis);
                for (Connection connection; (connection = answered.poll()) != null; ) {
                    startWriting(connection);
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    try {
                        if (key.channel() == listener) {
                            accept();
                        } else if (key.isReadable()) {
                            read((Connection) key.attachment());
                        } else if (key.isWritable()) {
                            write((Connection) key.attachment());
                        }
                    } catch (CancelledKeyException e) {
                        // the connection was closed meanwhile; so is the key
                    } catch (RuntimeException e) {
                        // A fault with one connection must not end the loop that serves every other caller.
                        if (key.attachment() instanceof Connection connection) {
                            drop(connection);
                        }
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            // the server is unusable; what follows closes it
        } finally {
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key);
            }
            try {
                selector.close();
            } catch (IOException e) {
                // nothing more to release
            }
        }
    }

    /** Closes the connections whose caller ran out of time; returns how long until the next deadline (0: none). */
    private long closeExpired() {
        long now = System.nanoTime();
        Iterator<Connection> oldest = waiting.iterator();
        while (oldest.hasNext()) {
            Connection connection = oldest.next();
            long left = connection.deadline - now;
            if (left > 0) {
                return Math.max(1, (left + 999_999) / 1_000_000);
            }
            oldest.remove();
            close(connection);
        }
        return 0;
    }

    private void accept() {
        for (int i = 0; i < ACCEPTS_PER_TURN; i++) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                // Out of file descriptors, most likely: the process's limit is below the cap. Free one as the cap
                // would, or, with none to free, stop accepting for a moment rather than spin on a readable listener.
                if (!displaceOne()) {
                    pauseAccepting();
                }
                return;
            }
            if (channel == null) {
                return;
            }
            if (open >= limits.maxConnections() && !displaceOne()) {
                closeQuietly(channel); // every connection is being answered; this caller may retry
                continue;
            }
            Connection connection = new Connection(channel);
            try {
                channel.configureBlocking(false);
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
            } catch (IOException e) {
                closeQuietly(channel);
                continue;
            }
            open++;
            await(connection);
            read(connection); // its request is usually in already
        }
    }

    /**
     * Closes one waiting connection to make room for a new caller, choosing the one whose loss costs least: one
     * already answered (only its caller's close is awaited), else the oldest that has sent nothing, else the oldest.
     * A flood of idle connections then displaces itself before it displaces a caller in the middle of its request.
     *
     * @return false if no connection waits (every open one is being answered)
     */
    private boolean displaceOne() {
        Connection choice = null;
        for (Connection connection : waiting) {
            if (connection.draining) {
                choice = connection;
                break;
            }
            if (choice == null && !connection.heard) {
                choice = connection;
            }
        }
        if (choice == null) {
            Iterator<Connection> oldest = waiting.iterator();
            if (!oldest.hasNext()) {
                return false;
            }
            choice = oldest.next();
        }
        waiting.remove(choice);
        close(choice);
        return true;
    }

    /** Stops watching the listener until {@link #ACCEPT_PAUSE} has passed; {@link #run} resumes it. */
    private void pauseAccepting() {
        listenerKey.interestOps(0);
        acceptResumesAt = System.nanoTime() + ACCEPT_PAUSE.toNanos();
    }

    private void await(Connection connection) {
        connection.deadline = System.nanoTime() + limits.requestTimeout().toNanos();
        waiting.add(connection);
    }

    private void read(Connection connection) {
        if (!connection.key.isValid()) {
            return;
        }
        readBuffer.clear();
        int read;
        try {
            read = connection.channel.read(readBuffer);
        } catch (IOException e) {
            drop(connection);
            return;
        }
        if (read < 0) {
            drop(connection);
            return;
        }
        connection.heard |= read > 0;
        if (connection.draining) {
            return; // what a caller sends after its answer is dropped
        }
        readBuffer.flip();
        Object outcome = connection.parser.consume(readBuffer);
        if (outcome == null) {
            if (connection.parser.wantsContinue()) {
                try {
                    connection.channel.write(ByteBuffer.wrap(CONTINUE));
                } catch (IOException e) {
                    drop(connection);
                }
            }
            return;
        }
        waiting.remove(connection);
        connection.key.interestOps(0);
        if (outcome instanceof Integer status) {
            connection.answer(encode(Response.of(status, "text/plain", REASONS.get(status)), false));
            startWriting(connection);
            return;
        }
        Request request = (Request) outcome;
        try {
            workers.execute(() -> answer(connection, request));
        } catch (RejectedExecutionException e) {
            drop(connection); // the server is closing
        }
    }

    /**
     * Runs on a worker: the handler's answer, queued for the selector thread to write. Whatever fails on the way, the
     * connection goes back with a 500: one left with the worker would hold its place under the cap for good.
     */
    private void answer(Connection connection, Request request) {
        ByteBuffer out;
        try {
            out = encode(handler.handle(request), "HEAD".equals(request.method()));
        } catch (RuntimeException | Error e) {
            out = encode(Response.of(500, "text/plain", REASONS.get(500)), false);
        }
        connection.answer(out);
        answered.add(connection);
        selector.wakeup();
    }

    private void startWriting(Connection connection) {
        if (!connection.key.isValid()) {
            return;
        }
        await(connection);
        write(connection);
    }

    private void write(Connection connection) {
        try {
            connection.channel.write(connection.out);
        } catch (IOException e) {
            drop(connection);
            return;
        }
        if (connection.out.hasRemaining()) {
            connection.key.interestOps(SelectionKey.OP_WRITE);
            return;
        }
        // Closing at once with unread input (the rest of a refused request) would reset the connection, and the
        // caller's TCP may then discard the answer before it is read (RFC 9112, section 9.6). So the answer ends with
        // a FIN, and the connection stays, reading and dropping, until the caller closes it or its time is up.
        try {
            connection.channel.shutdownOutput();
        } catch (IOException e) {
            drop(connection);
            return;
        }
        connection.draining = true;
        connection.key.interestOps(SelectionKey.OP_READ);
    }

    private void drop(Connection connection) {
        waiting.remove(connection);
        close(connection);
    }

    private void close(Connection connection) {
        if (connection.key.isValid()) {
            open--;
        }
        closeQuietly(connection.key);
    }

    private static void closeQuietly(SelectionKey key) {
        key.cancel();
        closeQuietly(key.channel());
    }

    private static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing is all that was asked
        }
    }

    private static ByteBuffer encode(Response response, boolean head) {
        byte[] body = response.body().getBytes(UTF_8);
        StringBuilder text = new StringBuilder(256 + body.length);
        text.append("HTTP/1.1 ").append(response.status()).append(' ')
                .append(REASONS.getOrDefault(response.status(), "Unknown")).append("\r\n")
                .append("Date: ").append(HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC)))
                .append("\r\nContent-Type: ").append(response.contentType())
                .append("\r\nContent-Length: ").append(body.length)
                .append("\r\nConnection: close\r\n");
        response.headers().forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
        text.append("\r\n");
        byte[] headBytes = text.toString().getBytes(ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(headBytes.length + (head ? 0 : body.length));
        out.put(headBytes);
        if (!head) {
            out.put(body);
        }
        return out.flip();
    }

    /** Stops serving: the port is released and open connections are closed when this returns. */
    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        try {
            loop.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            listener.close();
        } catch (IOException e) {
            // nothing more to release
        }
        workers.shutdownNow();
    }

    /** One connection's state; touched by the selector thread, except the answer a worker hands over. */
    private static final class Connection {
        final SocketChannel channel;
        final RequestParser parser = new RequestParser();
        SelectionKey key;
        long deadline;
        /** The answer is sent; whatever still arrives is read and dropped until the caller closes. */
        boolean draining;
        /** The caller has sent at least one byte. */
        boolean heard;
        /** Written by a worker before it queues the connection; the queue hands it over to the selector thread. */
        ByteBuffer out;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        void answer(ByteBuffer bytes) {
            out = bytes;
        }
    }

    /**
     * Reads one request as its bytes arrive: the head up to its empty line, then a Content-Length body, which is
     * skipped (neither endpoint reads one).
     */
    static final class RequestParser {
        private byte[] head = new byte[512];
        private int length;
        private int lineStart;
        private Request request;
        private long bodyLeft = -1;
        private boolean continueSent;
        private boolean expectsContinue;

        /**
         * Takes what {@code data} holds; returns null while the request is incomplete, the {@link Request} when it is
         * whole, or an Integer status to answer with when it is malformed or too large.
         */
        Object consume(ByteBuffer data) {
            while (data.hasRemaining()) {
                if (request != null) {
                    int skip = (int) Math.min(bodyLeft, data.remaining());
                    data.position(data.position() + skip);
                    bodyLeft -= skip;
                    if (bodyLeft == 0) {
                        return request;
                    }
                    continue;
                }
                if (length == head.length) {
                    if (length == MAX_HEAD_BYTES) {
                        return 431;
                    }
                    head = Arrays.copyOf(head, Math.min(MAX_HEAD_BYTES, length * 2));
                }
                byte next = data.get();
                head[length++] = next;
                if (next != '\n') {
                    continue;
                }
                int end = length - 1;
                if (end > lineStart && head[end - 1] == '\r') {
                    end--;
                }
                if (end > lineStart) {
                    lineStart = length;
                } else if (lineStart == 0) {
                    length = 0; // an empty line before the request line is ignored (RFC 9112, section 2.2)
                } else {
                    Object parsed = parseHead(new String(head, 0, lineStart, ISO_8859_1));
                    if (!(parsed instanceof Request whole)) {
                        return parsed;
                    }
                    request = whole;
                    if (bodyLeft == 0) {
                        return request;
                    }
                }
            }
            return null;
        }

        /** Whether the caller waits for {@code 100 Continue} before its body; true once, when it is due. */
        boolean wantsContinue() {
            if (request != null && expectsContinue && bodyLeft > 0 && !continueSent) {
                continueSent = true;
                return true;
            }
            return false;
        }

        private Object parseHead(String text) {
            String[] lines = text.split("\r?\n");
            String[] requestLine = lines[0].split(" ", -1);
            if (requestLine.length != 3 || !isToken(requestLine[0]) || requestLine[1].isEmpty()
                    || !isVisible(requestLine[1])) {
                return 400;
            }
            if (!requestLine[2].equals("HTTP/1.1") && !requestLine[2].equals("HTTP/1.0")) {
                return requestLine[2].startsWith("HTTP/") ? 505 : 400;
            }
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                // No space before the colon and no folded lines: RFC 9112 has servers refuse both.
                if (colon <= 0 || !isToken(lines[i].substring(0, colon))) {
                    return 400;
                }
                String value = trimOws(lines[i].substring(colon + 1));
                for (int c = 0; c < value.length(); c++) {
                    char ch = value.charAt(c);
                    if (ch < 0x20 && ch != '\t' || ch == 0x7f) {
                        return 400;
                    }
                }
                headers.computeIfAbsent(lines[i].substring(0, colon), name -> new ArrayList<>()).add(value);
            }
            if (headers.containsKey("Transfer-Encoding")) {
                return 411;
            }
            // RFC 9112, section 3.2: exactly one Host in an HTTP/1.1 request. The other fields these endpoints read
            // hold one value each; two would leave which one counts to the reader.
            List<String> hosts = headers.get("Host");
            if (requestLine[2].equals("HTTP/1.1") && (hosts == null || hosts.size() != 1)) {
                return 400;
            }
            for (String singleton : SINGLETON_FIELDS) {
                List<String> values = headers.get(singleton);
                if (values != null && values.size() > 1) {
                    return 400;
                }
            }
            bodyLeft = 0;
            List<String> lengths = headers.get("Content-Length");
            if (lengths != null) {
                String first = null;
                for (String listed : lengths) {
                    for (String each : listed.split(",", -1)) {
                        String trimmed = trimOws(each);
                        if (trimmed.isEmpty() || trimmed.length() > 18 || !trimmed.chars().allMatch(Character::isDigit)
                                || first != null && !first.equals(trimmed)) {
                            return 400;
                        }
                        first = trimmed;
                    }
                }
                bodyLeft = Long.parseLong(first);
                if (bodyLeft > MAX_BODY_BYTES) {
                    return 413;
                }
            }
            List<String> expect = headers.get("Expect");
            // An interim answer is for HTTP/1.1 clients only (RFC 9110, section 10.1.1).
            expectsContinue = expect != null && requestLine[2].equals("HTTP/1.1")
                    && expect.stream().anyMatch(value -> value.equalsIgnoreCase("100-continue"));
            Map<String, List<String>> frozen = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.forEach((name, values) -> frozen.put(name, List.copyOf(values)));
            return new Request(requestLine[0], requestLine[1], Collections.unmodifiableMap(frozen));
        }

        /** A field value without the spaces and tabs around it (RFC 9110's OWS), and nothing else removed. */
        private static String trimOws(String value) {
            int start = 0;
            int end = value.length();
            while (start < end && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
                start++;
            }
            while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
                end--;
            }
            return value.substring(start, end);
        }

        private static boolean isToken(String text) {
            if (text.isEmpty()) {
                return false;
            }
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                boolean alphanumeric = ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9';
                if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(ch) < 0) {
                    return false;
                }
            }
            return true;
        }

        private static boolean isVisible(String text) {
            return text.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f);
        }
    }
}
