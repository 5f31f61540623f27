package org.opensts.client.agent;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

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

    private final HttpServer server;
    private final AgentCredentials credentials;
    private final Path tokenFile;

    private ContainerCredentialsServer(HttpServer server, AgentCredentials credentials, Path tokenFile) {
        this.server = server;
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
        requireNonNull(listen, "listen");
        requireNonNull(credentials, "credentials");
        requireNonNull(tokenFile, "tokenFile");
        HttpServer server = Exchanges.server(listen, "opensts-container");
        ContainerCredentialsServer container = new ContainerCredentialsServer(server, credentials, tokenFile);
        if (container.currentToken() == null) {
            Exchanges.stop(server);
            throw new IOException("the container token file " + tokenFile + " is empty or unreadable");
        }
        server.createContext("/", container::handle);
        server.start();
        return container;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The full URI to give as {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}. */
    public URI credentialsUri() {
        InetSocketAddress address = address();
        String host = address.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ':' + address.getPort() + PATH);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            if (!PATH.equals(exchange.getRequestURI().getRawPath())) {
                Exchanges.respond(exchange, 404, JSON, error("NotFound", "no such path"));
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                Exchanges.respond(exchange, 405, JSON, error("MethodNotAllowed", "use GET"));
                return;
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || authorization.isEmpty()) {
                Exchanges.respond(exchange, 401, JSON, error("Unauthorized", "the Authorization header is missing"));
                return;
            }
            byte[] expected = currentToken();
            if (expected == null || !MessageDigest.isEqual(expected,
                    authorization.strip().getBytes(StandardCharsets.UTF_8))) {
                Exchanges.respond(exchange, 403, JSON, error("AccessDenied", "the Authorization header is wrong"));
                return;
            }
            AgentCredentials.Snapshot snapshot;
            try {
                snapshot = credentials.current();
            } catch (RuntimeException e) {
                Exchanges.respond(exchange, 503, JSON, error("ServiceUnavailable", "no credentials are available"));
                return;
            }
            Map<String, String> body = new LinkedHashMap<>();
            body.put("AccessKeyId", snapshot.accessKeyId());
            body.put("SecretAccessKey", snapshot.secretAccessKey());
            body.put("Token", snapshot.sessionToken());
            body.put("Expiration", AgentCredentials.TIMESTAMP.format(snapshot.expiration()));
            body.put("RoleArn", credentials.roleArn());
            body.put("AccountId", credentials.accountId());
            Exchanges.respond(exchange, 200, JSON, Json.object(body));
        } catch (RuntimeException e) {
            Exchanges.respond(exchange, 500, JSON, error("InternalError", "internal error"));
        }
    }

    /**
     * Returns the token file's content; null if it is unreadable, empty or too large. Read on every request (a few
     * bytes, and callers ask rarely): a cache keyed by modification time and size would keep accepting a rotated-out
     * token whenever the new one has the same length and lands within one tick of the file system's timestamps.
     */
    private byte[] currentToken() {
        byte[] read;
        try (InputStream in = Files.newInputStream(tokenFile)) {
            read = in.readNBytes(MAX_TOKEN_BYTES + 1);
        } catch (IOException e) {
            return null;
        }
        String text = new String(read, StandardCharsets.UTF_8).strip();
        return read.length > MAX_TOKEN_BYTES || text.isEmpty() ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static String error(String code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        return Json.object(body);
    }

    @Override
    public void close() {
        Exchanges.stop(server);
    }
}
