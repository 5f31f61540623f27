package org.opensts.client.agent;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An IMDSv2-compatible instance metadata endpoint serving one role's credentials, as EC2's does ("Use the Instance
 * Metadata Service to access instance metadata", "Retrieve security credentials from instance metadata"):
 *
 * <ul>
 *   <li>{@code PUT /latest/api/token} with {@code X-aws-ec2-metadata-token-ttl-seconds} (1 to 21600) returns a
 *       session token; a missing or invalid TTL is 400.
 *   <li>Every {@code GET} needs {@code X-aws-ec2-metadata-token} with an unexpired token: none is 401 unless IMDSv1 is
 *       allowed; a bad or expired one is 401 always.
 *   <li>Any request with {@code X-Forwarded-For} (or its standard form {@code Forwarded}) is refused with 403: IMDS
 *       answers only programs on this host, not requests relayed by a proxy (EC2 refuses such token requests). So is
 *       any request a web browser marks as its own ({@code Origin}, {@code Sec-Fetch-*}), against web pages that
 *       rebind their host name to this address.
 *   <li>{@code /latest/meta-data/iam/security-credentials/} lists the role name; {@code …/ROLE} returns the
 *       credentials (Code, LastUpdated, Type, AccessKeyId, SecretAccessKey, Token, Expiration);
 *       {@code /latest/meta-data/iam/security-credentials-extended/} and {@code …/ROLE} do the same with the
 *       AccountId, as newer SDKs ask; {@code /latest/meta-data/iam/info} describes the instance profile. Other paths
 *       are 404.
 * </ul>
 *
 * <p>OpenSTS has no instance profiles, so {@code iam/info} names one after the role: {@code
 * arn:aws:iam::ACCOUNT:instance-profile/ROLE}, with an id derived from the role's ARN.
 */
public final class ImdsServer implements AutoCloseable {

    static final String TOKEN_PATH = "/latest/api/token";
    static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
    static final String TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
    private static final String IAM = "/latest/meta-data/iam/";
    private static final String CREDENTIALS = IAM + "security-credentials";
    private static final String EXTENDED = IAM + "security-credentials-extended";
    private static final String TEXT = "text/plain";

    private final HttpServer server;
    private final AgentCredentials credentials;
    private final ImdsTokens tokens;
    private final boolean allowV1;

    private ImdsServer(HttpServer server, AgentCredentials credentials, boolean allowV1) {
        this.server = server;
        this.credentials = credentials;
        this.allowV1 = allowV1;
        this.tokens = new ImdsTokens(new SecureRandom(), credentials.clock());
    }

    /**
     * Starts serving on {@code listen}.
     *
     * @param allowV1 whether a GET without a session token is answered (IMDSv1); refused by default
     * @throws IOException if the address cannot be bound
     */
    public static ImdsServer start(InetSocketAddress listen, AgentCredentials credentials, boolean allowV1)
            throws IOException {
        requireNonNull(listen, "listen");
        requireNonNull(credentials, "credentials");
        HttpServer server = Exchanges.server(listen, "opensts-imds");
        ImdsServer imds = new ImdsServer(server, credentials, allowV1);
        server.createContext("/", imds::handle);
        server.start();
        return imds;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * The base URL, e.g. {@code http://127.0.0.1:8791}. For {@code AWS_EC2_METADATA_SERVICE_ENDPOINT} add a slash: some
     * SDKs append {@code latest/...} to it as it is; the others' double slash is served as one.
     */
    public URI endpoint() {
        InetSocketAddress address = address();
        String host = address.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ':' + address.getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            // Forwarded is the standard form of X-Forwarded-For (RFC 7239); proxies may send it instead.
            if (exchange.getRequestHeaders().containsKey("X-Forwarded-For")
                    || exchange.getRequestHeaders().containsKey("Forwarded") || fromBrowser(exchange)) {
                Exchanges.respond(exchange, 403, TEXT, "Forbidden");
                return;
            }
            String method = exchange.getRequestMethod();
            String path = path(exchange.getRequestURI());
            if ("PUT".equals(method)) {
                if (!TOKEN_PATH.equals(path)) {
                    Exchanges.respond(exchange, 404, TEXT, "Not Found");
                    return;
                }
                issueToken(exchange);
                return;
            }
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD, PUT");
                Exchanges.respond(exchange, 405, TEXT, "Method Not Allowed");
                return;
            }
            String token = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
            if (token == null ? !allowV1 : !tokens.isValid(token)) {
                Exchanges.respond(exchange, 401, TEXT, "Unauthorized");
                return;
            }
            if (token != null) {
                exchange.getResponseHeaders().set(TTL_HEADER, Long.toString(tokens.secondsLeft(token)));
            }
            serveMetadata(exchange, path);
        } catch (RuntimeException e) {
            Exchanges.respond(exchange, 500, TEXT, "Internal Server Error");
        }
    }

    /**
     * Whether a web browser sent the request: it carries {@code Origin} or a {@code Sec-Fetch-*} header, which browsers
     * add and SDKs never send. A page whose host name an attacker rebinds to this address (DNS rebinding) is
     * same-origin to its own scripts, so they could otherwise PUT for a token and read the credentials; a local agent
     * on a workstation would hand them to any web page its user opens.
     */
    private static boolean fromBrowser(HttpExchange exchange) {
        for (String name : exchange.getRequestHeaders().keySet()) {
            if (name.equalsIgnoreCase("Origin") || name.regionMatches(true, 0, "Sec-Fetch-", 0, 10)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The request's path with runs of slashes as one: an endpoint configured with a trailing slash (as some SDKs need
     * it) makes others ask for {@code //latest/...}, which the JDK's server reads as an authority and a path.
     */
    static String path(URI target) {
        String raw = target.getRawPath() == null ? "" : target.getRawPath();
        if (target.getScheme() == null && target.getRawAuthority() != null) {
            raw = "/" + target.getRawAuthority() + raw;
        }
        return raw.replaceAll("/{2,}", "/");
    }

    private void issueToken(HttpExchange exchange) throws IOException {
        String ttlHeader = exchange.getRequestHeaders().getFirst(TTL_HEADER);
        int ttl;
        try {
            ttl = ttlHeader == null ? -1 : Integer.parseInt(ttlHeader.strip());
        } catch (NumberFormatException e) {
            ttl = -1;
        }
        if (ttl < ImdsTokens.MIN_TTL_SECONDS || ttl > ImdsTokens.MAX_TTL_SECONDS) {
            Exchanges.respond(exchange, 400, TEXT, "Bad Request");
            return;
        }
        exchange.getResponseHeaders().set(TTL_HEADER, Integer.toString(ttl));
        Exchanges.respond(exchange, 200, TEXT, tokens.issue(Duration.ofSeconds(ttl)));
    }

    private void serveMetadata(HttpExchange exchange, String path) throws IOException {
        String role = credentials.roleName();
        if (path.equals(IAM)) {
            Exchanges.respond(exchange, 200, TEXT, "info\nsecurity-credentials/");
        } else if (path.equals(IAM + "info")) {
            Exchanges.respond(exchange, 200, TEXT, info());
        } else if (path.equals(CREDENTIALS) || path.equals(CREDENTIALS + "/")
                || path.equals(EXTENDED) || path.equals(EXTENDED + "/")) {
            Exchanges.respond(exchange, 200, TEXT, role);
        } else if (path.equals(CREDENTIALS + "/" + role)) {
            serveCredentials(exchange, /* extended= */ false);
        } else if (path.equals(EXTENDED + "/" + role)) {
            serveCredentials(exchange, /* extended= */ true);
        } else {
            Exchanges.respond(exchange, 404, TEXT, "Not Found");
        }
    }

    private void serveCredentials(HttpExchange exchange, boolean extended) throws IOException {
        AgentCredentials.Snapshot snapshot;
        try {
            snapshot = credentials.current();
        } catch (RuntimeException e) {
            // The agent's own output says why; a local caller learns only that there are none now.
            Exchanges.respond(exchange, 503, TEXT, "Service Unavailable");
            return;
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("Code", "Success");
        body.put("LastUpdated", AgentCredentials.TIMESTAMP.format(snapshot.lastUpdated()));
        body.put("Type", "AWS-HMAC");
        body.put("AccessKeyId", snapshot.accessKeyId());
        body.put("SecretAccessKey", snapshot.secretAccessKey());
        body.put("Token", snapshot.sessionToken());
        body.put("Expiration", AgentCredentials.TIMESTAMP.format(snapshot.expiration()));
        if (extended) {
            body.put("AccountId", credentials.accountId());
        }
        Exchanges.respond(exchange, 200, TEXT, Json.object(body));
    }

    private String info() {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("Code", "Success");
        body.put("LastUpdated", AgentCredentials.TIMESTAMP.format(credentials.clock().instant()));
        body.put("InstanceProfileArn", "arn:aws:iam::" + credentials.accountId() + ":instance-profile/"
                + credentials.roleName());
        body.put("InstanceProfileId", instanceProfileId(credentials.roleArn()));
        return Json.object(body);
    }

    /** {@code AIPA} and 17 characters of base32 of the role ARN's SHA-256: stable for a role, shaped like AWS's ids. */
    static String instanceProfileId(String roleArn) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(roleArn.getBytes(UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder id = new StringBuilder("AIPA");
        long bits = 0;
        int available = 0;
        int index = 0;
        while (id.length() < 21) {
            if (available < 5) {
                bits = (bits << 8) | (digest[index++] & 0xff);
                available += 8;
            }
            id.append(alphabet.charAt((int) (bits >>> (available - 5)) & 31));
            available -= 5;
        }
        return id.toString();
    }

    @Override
    public void close() {
        Exchanges.stop(server);
    }
}
