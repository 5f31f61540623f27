package org.opensts.client.agent;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.opensts.client.LocalFile;
import org.opensts.client.agent.AgentHttpServer.Request;
import org.opensts.client.agent.AgentHttpServer.Response;

/**
 * A container credentials endpoint, the form ECS tasks and EKS Pod Identity use: {@code GET /v1/credentials} with an
 * {@code Authorization} header equal to the content of a token file returns the role's credentials as JSON
 * (AccessKeyId, SecretAccessKey, Token, Expiration, RoleArn, AccountId). SDKs find it through
 * {@code AWS_CONTAINER_CREDENTIALS_FULL_URI} and {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE} (or
 * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}).
 *
 * <p>The header is compared in constant time with the file's content (surrounding whitespace removed); the file is
 * read again on every request, so rotating it needs no restart and the old token stops working at once. A missing
 * header is 401, a wrong one 403; an empty or unreadable file refuses everyone. Other paths are 404, other methods
 * 405.
 */
public final class ContainerCredentialsServer implements AutoCloseable {

    /** The one path served. */
    public static final String PATH = "/v1/credentials";
    private static final String JSON = "application/json";
    private static final int MAX_TOKEN_BYTES = 16 * 1024;
    private static final Set<InetAddress> ECS_AND_EKS_HOSTS = Set.of(literal(169, 254, 170, 2),
            literal(169, 254, 170, 23), literal(0xfd, 0, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x23));

    private final AgentCredentials credentials;
    private final Path tokenFile;
    private AgentHttpServer server;

    private ContainerCredentialsServer(AgentCredentials credentials, Path tokenFile) {
        this.credentials = credentials;
        this.tokenFile = tokenFile;
    }

    /**
     * Starts serving on {@code listen}, checking callers against {@code tokenFile}.
     *
     * @throws IOException if the address cannot be bound or the token file cannot be read now
     */
    public static ContainerCredentialsServer start(InetSocketAddress listen, AgentCredentials credentials,
            Path tokenFile) throws IOException {
        return start(listen, credentials, tokenFile, AgentHttpServer.Limits.DEFAULT);
    }

    /** As {@link #start(InetSocketAddress, AgentCredentials, Path)}, with the given time and connection limits. */
    static ContainerCredentialsServer start(InetSocketAddress listen, AgentCredentials credentials, Path tokenFile,
            AgentHttpServer.Limits limits) throws IOException {
        requireNonNull(listen, "listen");
        requireNonNull(credentials, "credentials");
        requireNonNull(tokenFile, "tokenFile");
        ContainerCredentialsServer container = new ContainerCredentialsServer(credentials, tokenFile);
        try {
            container.readToken();
        } catch (IOException e) {
            throw new IOException("container token file " + tokenFile + ": " + e.getMessage(), e);
        }
        container.server = AgentHttpServer.start(listen, "opensts-container", limits, container::handle);
        return container;
    }

    public InetSocketAddress address() {
        return server.address();
    }

    /** The address it listens on, as a URL writes it ({@code [::]:8791}). */
    public String listenAuthority() {
        return server.listenAuthority();
    }

    /**
     * The full URI to give as {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}; its host is 127.0.0.1 when listening on the
     * wildcard address.
     */
    public URI credentialsUri() {
        return URI.create(server.baseUri() + PATH);
    }

    /**
     * Whether the AWS CLI and the Python SDK take {@code uri} (plain HTTP) as {@code
     * AWS_CONTAINER_CREDENTIALS_FULL_URI}: they accept one only on a loopback address or on the hosts ECS and EKS serve
     * credentials from, 169.254.170.2, 169.254.170.23 and fd00:ec2::23 ("Container credential provider", AWS SDKs and
     * Tools Reference Guide).
     */
    public static boolean acceptedOverHttp(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            return false;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            return false; // a name other than localhost; only literal addresses, which need no lookup, are checked
        }
        try {
            InetAddress address = InetAddress.getByName(host);
            return address.isLoopbackAddress() || ECS_AND_EKS_HOSTS.contains(address);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private Response handle(Request request) {
        if (!PATH.equals(ImdsServer.path(request.target()))) {
            return json(404, error("NotFound", "no such path"));
        }
        if (!"GET".equals(request.method())) {
            return json(405, error("MethodNotAllowed", "use GET")).withHeader("Allow", "GET");
        }
        String authorization = request.header("Authorization");
        if (authorization == null || authorization.isEmpty()) {
            return json(401, error("Unauthorized", "the Authorization header is missing"));
        }
        byte[] expected = currentToken();
        // The header's bytes as the client sent them (the parser reads each byte as one ISO-8859-1 character, and
        // has trimmed the optional whitespace around the value): a token outside ASCII arrives as its file's UTF-8.
        if (expected == null || !MessageDigest.isEqual(expected, authorization.getBytes(StandardCharsets.ISO_8859_1))) {
            return json(403, error("AccessDenied", "the Authorization header is wrong"));
        }
        AgentCredentials.Snapshot snapshot;
        try {
            snapshot = credentials.served();
        } catch (RuntimeException e) {
            return json(503, error("ServiceUnavailable", "no credentials are available"));
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("AccessKeyId", snapshot.accessKeyId());
        body.put("SecretAccessKey", snapshot.secretAccessKey());
        body.put("Token", snapshot.sessionToken());
        body.put("Expiration", AgentCredentials.TIMESTAMP.format(snapshot.expiration()));
        body.put("RoleArn", credentials.roleArn());
        body.put("AccountId", credentials.accountId());
        return json(200, Json.object(body));
    }

    private static Response json(int status, String body) {
        return Response.of(status, JSON, body);
    }

    /**
     * Returns the token file's content; null if it cannot be read now (see {@link #readToken}). Read on every request
     * (a few bytes, and callers ask rarely): a cache keyed by modification time and size would keep accepting a
     * rotated-out token whenever the new one has the same length and lands within one tick of the file system's
     * timestamps.
     */
    private byte[] currentToken() {
        try {
            return readToken();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The token: the file's content, surrounding whitespace removed.
     *
     * @throws IOException if the file is not a regular file (a FIFO would hold the request until some writer came),
     *     cannot be read within {@link LocalFile#TIME_LIMIT}, is larger than {@value #MAX_TOKEN_BYTES} bytes or empty
     */
    private byte[] readToken() throws IOException {
        String text = new String(LocalFile.read(tokenFile, MAX_TOKEN_BYTES, LocalFile.Accept.REGULAR_FILES),
                StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            throw new IOException("empty");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static InetAddress literal(int... bytes) {
        byte[] address = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            address[i] = (byte) bytes[i];
        }
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String error(String code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        return Json.object(body);
    }

    @Override
    public void close() {
        server.close();
    }
}
