package org.opensts.federation.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.opts.AllowWeakRSAKey;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real OpenID Connect issuer on loopback HTTPS, for tests: it serves {@code PREFIX/.well-known/openid-configuration}
 * and {@code PREFIX/jwks} from a server certificate signed by a throw-away CA ({@link #caPemFile()}, for
 * {@code opensts serve --trusted-ca-file}), holds RSA and EC signing keys that can be added and retired, mints tokens
 * with any claims and headers (hostile ones too), counts the requests it gets per path, and can be made to misbehave
 * (hang, answer with any status or body, name another issuer or an {@code http} {@code jwks_uri}).
 *
 * <pre>{@code
 * try (TestOidcIssuer issuer = TestOidcIssuer.builder().pathPrefix("/realms/x").start()) {
 *     String token = issuer.mint(issuer.claims(now).subject("alice").build());
 *     // register issuer.url() (thumbprint issuer.caThumbprint()) and trust issuer.caPemFile()
 * }
 * }</pre>
 *
 * <p>It starts with one published key, {@value #DEFAULT_KID} (RS256). Thread-safe. The CA is made once per JVM.
 */
public final class TestOidcIssuer implements AutoCloseable {
    /** The key every issuer starts with and {@link #mint(JWTClaimsSet)} signs with. */
    public static final String DEFAULT_KID = "rsa-1";
    /** The audience of {@link #claims(Instant)}: what AWS's SDKs and EKS ask their IdP for. */
    public static final String DEFAULT_AUDIENCE = "sts.amazonaws.com";
    /** The subject of {@link #claims(Instant)}. */
    public static final String DEFAULT_SUBJECT = "system:serviceaccount:default:app";

    private static final String DISCOVERY = "/.well-known/openid-configuration";
    private static final String JWKS = "/jwks";

    private final TestCertificateAuthority ca;
    private final HttpsServer server;
    private final ExecutorService executor;
    private final String host;
    private final String pathPrefix;
    private final String url;
    private final Map<String, JWK> keys = new ConcurrentHashMap<>();
    private final Map<String, JWK> published = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<String, Response> overrides = new ConcurrentHashMap<>();
    private volatile String discoveryIssuer;
    private volatile String jwksUri;
    private volatile CountDownLatch hang;

    /** A canned answer for one path; {@code chunked} sends the body without a {@code Content-Length}. */
    public record Response(int status, String contentType, byte[] body, boolean chunked) {
        public Response {
            body = body.clone();
        }

        /** An answer with a {@code Content-Length}. */
        public Response(int status, String contentType, byte[] body) {
            this(status, contentType, body, /* chunked= */ false);
        }

        @Override
        public byte[] body() {
            return body.clone();
        }
    }

    /** Where the issuer listens. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private String pathPrefix = "";

        private Builder() {
        }

        /** {@code 127.0.0.1} (the default) or {@code localhost}; both are in the server certificate. */
        public Builder host(String host) {
            if (!host.equals("127.0.0.1") && !host.equals("localhost")) {
                throw new IllegalArgumentException("the certificate names only 127.0.0.1 and localhost: " + host);
            }
            this.host = host;
            return this;
        }

        /** A fixed port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** A path the issuer URL ends with, e.g. {@code /realms/x}; empty by default. */
        public Builder pathPrefix(String pathPrefix) {
            if (!pathPrefix.isEmpty() && (!pathPrefix.startsWith("/") || pathPrefix.endsWith("/"))) {
                throw new IllegalArgumentException("a path prefix starts with / and does not end with one");
            }
            this.pathPrefix = pathPrefix;
            return this;
        }

        public TestOidcIssuer start() {
            return new TestOidcIssuer(this);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** An issuer on {@code https://127.0.0.1:PORT} with a free port and no path. */
    public static TestOidcIssuer start() {
        return builder().start();
    }

    private TestOidcIssuer(Builder builder) {
        ca = TestCertificateAuthority.shared();
        host = builder.host;
        pathPrefix = builder.pathPrefix;
        try {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), builder.port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(ca.serverContext()));
        executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "test-oidc-issuer");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        url = "https://" + host + ":" + server.getAddress().getPort() + pathPrefix;
        addRsaKey(DEFAULT_KID, JWSAlgorithm.RS256);
    }

    // ---- where it is ----

    /** The issuer URL: {@code https://HOST:PORT[PREFIX]}, what a token's {@code iss} and IAM's provider URL are. */
    public String url() {
        return url;
    }

    /** The URL without its scheme, as IAM names the provider in its ARN and condition keys. */
    public String hostPortPath() {
        return url.substring("https://".length());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String discoveryPath() {
        return pathPrefix + DISCOVERY;
    }

    public String jwksPath() {
        return pathPrefix + JWKS;
    }

    /** The absolute URL of any path on this server, e.g. one to name in a hostile {@code jku} header. */
    public URI uri(String path) {
        return URI.create("https://" + host + ":" + port() + path);
    }

    // ---- trust ----

    /** The CA certificate as a PEM file, for {@code --trusted-ca-file}; the same file for every issuer of the JVM. */
    public Path caPemFile() {
        return ca.caPemFile();
    }

    /** Lower-case hex SHA-1 of the CA certificate, which the server presents after its own certificate. */
    public String caThumbprint() {
        return CertificateTexts.thumbprint(ca.caCertificate());
    }

    /** Lower-case hex SHA-1 of the server's own certificate. */
    public String serverCertificateThumbprint() {
        return CertificateTexts.thumbprint(ca.serverCertificate());
    }

    // ---- keys ----

    /** Generates an RSA key (2048 bits) for {@code algorithm} and publishes it. */
    public RSAKey addRsaKey(String kid, JWSAlgorithm algorithm) {
        return (RSAKey) publish(generateRsaKey(kid, algorithm, 2048));
    }

    /** Generates an EC key on the curve of {@code algorithm} (ES256, ES384, ES512) and publishes it. */
    public ECKey addEcKey(String kid, JWSAlgorithm algorithm) {
        return (ECKey) publish(generateEcKey(kid, algorithm));
    }

    /** Generates an RSA key that this issuer can sign with but does not publish. */
    public RSAKey generateRsaKey(String kid, JWSAlgorithm algorithm, int bits) {
        try {
            RSAKey key = new RSAKeyGenerator(bits, /* allowWeakKeys= */ true).keyID(kid).algorithm(algorithm)
                    .keyUse(KeyUse.SIGNATURE).generate();
            keys.put(kid, key);
            return key;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Generates an EC key that this issuer can sign with but does not publish. */
    public ECKey generateEcKey(String kid, JWSAlgorithm algorithm) {
        try {
            ECKey key = new ECKeyGenerator(Curve.forJWSAlgorithm(algorithm).iterator().next()).keyID(kid)
                    .algorithm(algorithm).keyUse(KeyUse.SIGNATURE).generate();
            keys.put(kid, key);
            return key;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes a key in the JWKS (its public part only). Any JWK, also one with odd members. */
    public JWK publish(JWK key) {
        String kid = key.getKeyID() != null ? key.getKeyID() : "(no kid) " + thumbprintOf(key);
        published.put(kid, key);
        if (key.isPrivate()) {
            keys.put(kid, key);
        }
        return key;
    }

    /** Removes a key from the JWKS (a key published without a kid: its RFC 7638 thumbprint); it can still sign. */
    public void retire(String kid) {
        published.remove(kid);
    }

    /** A key this issuer holds, with its private part. */
    public JWK key(String kid) {
        JWK key = keys.get(kid);
        if (key == null) {
            throw new IllegalArgumentException("no key " + kid);
        }
        return key;
    }

    /** The JWKS as served: every published key's public part. */
    public JWKSet jwks() {
        List<JWK> publicKeys = new ArrayList<>();
        for (JWK key : published.values()) {
            publicKeys.add(key.toPublicJWK());
        }
        return new JWKSet(publicKeys);
    }

    // ---- minting ----

    /**
     * Claims of a typical ID token issued at {@code now}: {@code iss} this issuer, {@code sub}
     * {@value #DEFAULT_SUBJECT}, {@code aud} {@value #DEFAULT_AUDIENCE}, {@code iat} now, {@code exp} an hour later.
     */
    public JWTClaimsSet.Builder claims(Instant now) {
        return new JWTClaimsSet.Builder()
                .issuer(url)
                .subject(DEFAULT_SUBJECT)
                .audience(DEFAULT_AUDIENCE)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)));
    }

    /** Signs the claims with {@value #DEFAULT_KID}. */
    public String mint(JWTClaimsSet claims) {
        return mint(DEFAULT_KID, claims);
    }

    /** Signs the claims with a key of this issuer, with a header of the key's {@code alg}, {@code kid} and JWT type. */
    public String mint(String kid, JWTClaimsSet claims) {
        JWK key = key(kid);
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.parse(key.getAlgorithm().getName())).keyID(kid)
                .type(com.nimbusds.jose.JOSEObjectType.JWT).build();
        return mint(header, claims, key);
    }

    /** Signs the claims under any header with any key (RSA, EC or an {@code oct} secret for HMAC). */
    public static String mint(JWSHeader header, JWTClaimsSet claims, JWK key) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /**
     * Signs any header and payload text as given (no parsing, no checks): for tokens no library would make, such as
     * a header with a duplicate or hostile member. The algorithm is the header's {@code alg}.
     */
    public static String signRaw(String headerJson, String payloadJson, JWK key) {
        String signingInput = Base64URL.encode(headerJson.getBytes(UTF_8)) + "."
                + Base64URL.encode(payloadJson.getBytes(UTF_8));
        try {
            JWSAlgorithm algorithm = JWSAlgorithm.parse(JSONObjectUtils.getString(
                    JSONObjectUtils.parse(headerJson), "alg"));
            JWSHeader header = new JWSHeader.Builder(algorithm).build();
            Base64URL signature = signer(key).sign(header, signingInput.getBytes(UTF_8));
            return signingInput + "." + signature;
        } catch (JOSEException | java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsecured token ({@code header.payload.}): pass a header such as {@code {"alg":"none"}}. */
    public static String unsigned(String headerJson, String payloadJson) {
        return Base64URL.encode(headerJson.getBytes(UTF_8)) + "." + Base64URL.encode(payloadJson.getBytes(UTF_8))
                + ".";
    }

    private static String thumbprintOf(JWK key) {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWSSigner signer(JWK key) throws JOSEException {
        if (key instanceof RSAKey rsa) {
            return new RSASSASigner(rsa.toPrivateKey(), Set.of(AllowWeakRSAKey.getInstance()));
        }
        if (key instanceof ECKey ec) {
            return new ECDSASigner(ec);
        }
        if (key instanceof OctetSequenceKey oct) {
            return new MACSigner(oct.toByteArray());
        }
        throw new IllegalArgumentException("cannot sign with a " + key.getKeyType() + " key");
    }

    // ---- misbehaviour ----

    /** Discovery names this {@code issuer} instead of {@link #url()}; {@code null} restores it. */
    public void discoveryIssuer(String issuer) {
        this.discoveryIssuer = issuer;
    }

    /** Discovery names this {@code jwks_uri} (e.g. an {@code http://} one) instead of {@link #jwksPath()}. */
    public void jwksUri(String uri) {
        this.jwksUri = uri;
    }

    /** Answers every request for {@code path} with this response, instead of what it would serve. */
    public void override(String path, Response response) {
        overrides.put(path, response);
    }

    /** Answers {@code path} with a JSON body of exactly {@code bytes} bytes (a valid JSON string). */
    public void serveOversized(String path, int bytes) {
        serveOversized(path, bytes, /* chunked= */ false);
    }

    /** As {@link #serveOversized(String, int)}; when {@code chunked}, without announcing the length. */
    public void serveOversized(String path, int bytes, boolean chunked) {
        byte[] body = new byte[bytes];
        java.util.Arrays.fill(body, (byte) 'a');
        body[0] = '"';
        body[bytes - 1] = '"';
        override(path, new Response(200, "application/json", body, chunked));
    }

    /** Drops every override and restores the discovery document. */
    public void reset() {
        overrides.clear();
        discoveryIssuer = null;
        jwksUri = null;
        release();
    }

    /** From now on every request waits without answering until {@link #release()} or {@link #close()}. */
    public void hang() {
        hang = new CountDownLatch(1);
    }

    /** Lets hanging requests go on; later requests are answered at once. */
    public void release() {
        CountDownLatch latch = hang;
        hang = null;
        if (latch != null) {
            latch.countDown();
        }
    }

    // ---- what it was asked ----

    /** How many requests arrived for this exact path (without query), whatever they were answered. */
    public int requests(String path) {
        AtomicInteger count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    public int discoveryRequests() {
        return requests(discoveryPath());
    }

    public int jwksRequests() {
        return requests(jwksPath());
    }

    /** Every request since start, on any path. */
    public int totalRequests() {
        return requests.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "TestOidcIssuer[" + url + "]";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            CountDownLatch latch = hang;
            if (latch != null) {
                try {
                    latch.await(5, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            Response response = Optional.ofNullable(overrides.get(path)).orElseGet(() -> serve(path));
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            byte[] body = response.body();
            exchange.sendResponseHeaders(response.status(),
                    body.length == 0 ? -1 : response.chunked() ? 0 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            // The client went away (it timed out or refused the body): nothing to answer.
        }
    }

    private Response serve(String path) {
        if (path.equals(discoveryPath())) {
            Map<String, Object> discovery = new LinkedHashMap<>();
            discovery.put("issuer", discoveryIssuer != null ? discoveryIssuer : url);
            discovery.put("jwks_uri", jwksUri != null ? jwksUri : uri(jwksPath()).toString());
            discovery.put("response_types_supported", List.of("id_token"));
            discovery.put("subject_types_supported", List.of("public"));
            discovery.put("id_token_signing_alg_values_supported", List.of("RS256", "ES256"));
            return json(JSONObjectUtils.toJSONString(discovery));
        }
        if (path.equals(jwksPath())) {
            return json(jwks().toString(/* publicKeysOnly= */ true));
        }
        return new Response(404, "text/plain", "not found".getBytes(UTF_8));
    }

    private static Response json(String body) {
        return new Response(200, "application/json", body.getBytes(UTF_8));
    }
}
