package org.opensts.federation.oidc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches identity-provider documents (OIDC discovery, JWKS) over HTTPS only, trusting a server as AWS does: "AWS
 * secures communication with OIDC identity providers (IdPs) using our library of trusted root certificate authorities
 * (CAs) to verify the JSON Web Key Set (JWKS) endpoint's TLS certificate. If your OIDC IdP relies on a certificate
 * that is not signed by one of these trusted CAs, only then we secure communication using the thumbprints set in the
 * IdP's configuration" (IAM API Reference, CreateOpenIDConnectProvider). Our trusted CAs are the JDK's plus the
 * operator's PEM bundle ({@code opensts serve --trusted-ca-file}); a server they trust is used whatever thumbprints
 * the provider has. Responses are capped in size and fetches in time; every failure is {@code IDPCommunicationError},
 * or {@code InvalidIdentityToken} when no presented certificate has a registered thumbprint, as AWS answers.
 *
 * <p>Design: one JDK {@link HttpClient} (HTTP/1.1, hostname verification on, redirects never followed) trusting the
 * CAs, shared by every fetch. When its handshake fails on the server's certificate and the provider has thumbprints,
 * the fetch is made again, within the same deadline, by a client whose only trust is a {@link ThumbprintTrustManager}
 * for those thumbprints; such clients are kept per thumbprint set, a few at most. Thumbprints are checked inside the
 * handshake, so nothing is sent to a server that fails them. The body is read through a subscriber that counts bytes
 * and cancels the exchange once the cap is passed, and the whole exchange (connect, headers, body, and a pinned
 * retry) runs under one deadline, so a server that trickles bytes cannot hold a request thread.
 */
public final class IdpHttpsClient implements JwksSource {
    /** AWS's answer when no certificate of the IdP's chain has a registered thumbprint (real STS responses). */
    static final String THUMBPRINT_MISMATCH =
            "OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint";
    private static final String DISCOVERY_PATH = "/.well-known/openid-configuration";
    private static final Logger LOG = LoggerFactory.getLogger(IdpHttpsClient.class);

    /** Pinned clients kept at once; providers that rely on thumbprints are few and their fetches rare. */
    private static final int PINNED_CLIENTS = 16;

    private final HttpClient client;
    private final Limits limits;
    /** Clients trusting only a thumbprint set, by that set in lower case; the least recently used goes first. */
    private final Map<Set<String>, HttpClient> pinnedClients = new LinkedHashMap<>(PINNED_CLIENTS, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Set<String>, HttpClient> eldest) {
            return size() > PINNED_CLIENTS;
        }
    };

    /**
     * How long and how much a fetch may take.
     *
     * @param connectTimeout TCP connect and TLS handshake
     * @param responseTimeout the whole exchange, from sending the request to the last byte of the body
     * @param maxResponseBytes the largest body read; a larger one fails the fetch
     */
    public record Limits(Duration connectTimeout, Duration responseTimeout, int maxResponseBytes) {
        public Limits {
            requireNonNull(connectTimeout, "connectTimeout");
            requireNonNull(responseTimeout, "responseTimeout");
            if (connectTimeout.isNegative() || connectTimeout.isZero() || responseTimeout.isNegative()
                    || responseTimeout.isZero() || maxResponseBytes < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }

        /**
         * Three seconds to connect, five for the whole exchange (AWS gives an IdP five seconds: AWS re:Post, "How can
         * I resolve the AWS STS AssumeRoleWithWebIdentity API call error InvalidIdentityToken?"), 1 MiB of body.
         */
        public static Limits defaults() {
            return new Limits(Duration.ofSeconds(3), Duration.ofSeconds(5), 1 << 20);
        }
    }

    private IdpHttpsClient(SSLContext caTrust, Limits limits) {
        this.limits = limits;
        this.client = httpClient(caTrust, limits);
    }

    /** Hostname verification stays on: the JDK client sets endpoint identification on every engine it makes. */
    private static HttpClient httpClient(SSLContext sslContext, Limits limits) {
        return HttpClient.newBuilder()
                .sslContext(sslContext)
                .connectTimeout(limits.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** A client that trusts the JDK's CAs plus, when given, every certificate of a PEM bundle. */
    public static IdpHttpsClient create(Optional<Path> trustedCaFile) {
        return create(trustedCaFile, Limits.defaults());
    }

    /**
     * A client that trusts the JDK's CAs plus, when given, every certificate of a PEM bundle, within these limits.
     *
     * @throws IllegalArgumentException when the bundle cannot be read or holds no certificate, naming the file
     */
    public static IdpHttpsClient create(Optional<Path> trustedCaFile, Limits limits) {
        requireNonNull(trustedCaFile, "trustedCaFile");
        requireNonNull(limits, "limits");
        try {
            TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdk.init((KeyStore) null);
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            int n = 0;
            for (var manager : jdk.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate ca : x509.getAcceptedIssuers()) {
                        anchors.setCertificateEntry("jdk-" + n++, ca);
                    }
                }
            }
            if (trustedCaFile.isPresent()) {
                for (Certificate ca : readBundle(trustedCaFile.get())) {
                    anchors.setCertificateEntry("bundle-" + n++, ca);
                }
            }
            TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            combined.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, combined.getTrustManagers(), null);
            return new IdpHttpsClient(context, limits);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS trust for identity providers", e);
        }
    }

    private static Collection<? extends Certificate> readBundle(Path file) {
        byte[] pem;
        try {
            pem = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the trusted CA file " + file + ": " + e.getMessage(), e);
        }
        Collection<? extends Certificate> certificates;
        try (InputStream in = new java.io.ByteArrayInputStream(pem)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("the trusted CA file " + file + " is not a PEM bundle of X.509"
                    + " certificates: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("the trusted CA file " + file + " holds no certificate");
        }
        return certificates;
    }

    /**
     * Discovers the provider's {@code jwks_uri} from {@code URL/.well-known/openid-configuration} and fetches the key
     * set. The discovery document's {@code issuer} must equal the provider URL and its {@code jwks_uri} be HTTPS.
     *
     * @throws ApiException {@code IDPCommunicationError}, or {@code InvalidIdentityToken} for a thumbprint mismatch
     */
    @Override
    public JWKSet fetchJwks(OidcProvider provider) {
        URI discovery = discoveryUri(provider.url());
        Map<String, Object> document = json(get(discovery, discovery.toString(), provider.thumbprints()),
                "discovery document");
        if (!provider.url().equals(document.get("issuer"))) {
            throw communicationError("the discovery document names another issuer than " + provider.url());
        }
        if (!(document.get("jwks_uri") instanceof String jwksUri)) {
            throw communicationError("the discovery document of " + provider.url() + " has no jwks_uri");
        }
        // The jwks_uri is the IdP's text: errors name it by the registered URL, never echo it (it may carry
        // credentials or be a megabyte long). The reasons are for the operator's log: the key cache tells the caller
        // none of them (ProviderKeyCache.forTheCaller).
        String jwksName = "the jwks_uri of " + provider.url();
        URI jwks = httpsUri(jwksUri, jwksName);
        Map<String, Object> keys = json(get(jwks, jwksName, provider.thumbprints()), "JWKS");
        try {
            return new JWKSet(Jwks.parseLeniently(keys));
        } catch (IllegalArgumentException e) {
            throw communicationError("the JWKS of " + provider.url() + " has no keys array");
        }
    }

    /** {@code https://host:8443/realms/x} → {@code https://host:8443/realms/x/.well-known/openid-configuration}. */
    static URI discoveryUri(String issuer) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return httpsUri(base + DISCOVERY_PATH, "the provider URL " + issuer);
    }

    /** @param name how errors name the URL: the text itself only when the account registered it */
    private static URI httpsUri(String text, String name) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw communicationError(name + " is not a URL");
        }
        if (!"https".equals(uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT))
                || uri.getHost() == null) {
            throw communicationError(name + " is not an https URL; only HTTPS is used");
        }
        return uri;
    }

    private static Map<String, Object> json(byte[] body, String what) {
        try {
            return JSONObjectUtils.parse(new String(body, UTF_8));
        } catch (ParseException | RuntimeException e) {
            throw communicationError("the " + what + " is not a JSON object");
        }
    }

    /**
     * One GET: the body of a 200 answer, within the limits, from a server that a trusted CA vouches for or, failing
     * that, whose presented chain leads to a certificate with one of {@code thumbprints}.
     *
     * @param name how the caller's error names the URL
     */
    byte[] get(URI uri, String name, List<String> thumbprints) {
        long deadline = System.nanoTime() + limits.responseTimeout().toNanos();
        HttpResponse<Body> response;
        try {
            response = send(client, uri, limits.responseTimeout(), name);
        } catch (ExecutionException caFailure) {
            if (thumbprints.isEmpty() || !causedBy(caFailure.getCause(), CertificateException.class)) {
                throw failed(uri, name, caFailure.getCause());
            }
            // AWS consults the thumbprints only for a certificate that no trusted CA signed.
            LOG.debug("no trusted CA vouches for {}; trying the provider's thumbprints", uri, caFailure.getCause());
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw communicationError(name, timedOut());
            }
            try {
                response = send(pinnedClient(thumbprints), uri, Duration.ofNanos(left), name);
            } catch (ExecutionException pinnedFailure) {
                if (causedBy(pinnedFailure.getCause(), ThumbprintTrustManager.ThumbprintMismatchException.class)) {
                    throw new ApiException(ErrorCode.INVALID_IDENTITY_TOKEN, THUMBPRINT_MISMATCH);
                }
                throw failed(uri, name, pinnedFailure.getCause());
            }
        }
        Body body = response.body();
        if (body.status() != 200) {
            throw communicationError(name, "HTTP status " + body.status());
        }
        if (body.oversized()) {
            throw communicationError(name, "the answer is larger than " + limits.maxResponseBytes() + " bytes");
        }
        return body.bytes();
    }

    /**
     * One exchange through {@code via} under {@code timeout}: the response, or the failure's cause in an
     * {@link ExecutionException}. Running out of time or being interrupted is the caller's error at once.
     */
    private HttpResponse<Body> send(HttpClient via, URI uri, Duration timeout, String name)
            throws ExecutionException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .GET()
                .header("Accept", "application/json")
                .timeout(timeout)
                .build();
        CompletableFuture<HttpResponse<Body>> exchange =
                via.sendAsync(request, info -> new CappedBody(info, limits.maxResponseBytes()));
        try {
            return exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw communicationError(name, timedOut());
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw communicationError(name, "interrupted");
        }
    }

    /** The client trusting only these thumbprints, made on first use. */
    private HttpClient pinnedClient(List<String> thumbprints) {
        Set<String> key = thumbprints.stream().map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        synchronized (pinnedClients) {
            HttpClient pinned = pinnedClients.get(key);
            if (pinned == null) {
                try {
                    SSLContext context = SSLContext.getInstance("TLS");
                    context.init(null, new TrustManager[] {new ThumbprintTrustManager(key)}, null);
                    pinned = httpClient(context, limits);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("cannot set up TLS trust in thumbprints", e);
                }
                pinnedClients.put(Set.copyOf(key), pinned);
            }
            return pinned;
        }
    }

    private ApiException failed(URI uri, String name, Throwable cause) {
        // The caller gets a short reason; the cause (no body, no token) is for the operator.
        LOG.debug("fetching {} failed", uri, cause);
        return communicationError(name, describe(cause));
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private String timedOut() {
        return "no complete answer within " + limits.responseTimeout().toMillis() + " ms";
    }

    private String describe(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof HttpTimeoutException) {
                return timedOut(); // the request's own deadline, the same as ours
            }
            if (t instanceof SSLException) {
                return "TLS failed (is the server certificate trusted and issued for this host?)";
            }
            if (t instanceof ConnectException) {
                return "connection refused or unreachable";
            }
        }
        return cause instanceof IOException ? "I/O error" : "fetch failed";
    }

    private static ApiException communicationError(String name, String reason) {
        return communicationError("couldn't fetch " + name + ": " + reason);
    }

    /** {@code IDPCommunicationError} with the reason after our fixed prefix, also for the key cache's refusals. */
    static ApiException communicationError(String detail) {
        return new ApiException(ErrorCode.IDP_COMMUNICATION_ERROR,
                "Couldn't retrieve the verification keys of the OpenID Connect provider: " + detail);
    }

    /** What the body subscriber saw: a status other than 200 is not read at all, an oversized body is cut off. */
    private record Body(int status, byte[] bytes, boolean oversized) {
    }

    /**
     * Reads at most {@code max} bytes of a 200 answer, one buffer list at a time; beyond that, or for any other
     * status, it cancels the exchange and completes normally, so the caller names the status or the cap, not an I/O
     * error.
     */
    private static final class CappedBody implements HttpResponse.BodySubscriber<Body> {
        private final CompletableFuture<Body> result = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final int status;
        private final int max;
        private final boolean declaredTooLarge;
        private Flow.Subscription subscription;

        CappedBody(HttpResponse.ResponseInfo info, int max) {
            this.status = info.statusCode();
            this.max = max;
            this.declaredTooLarge = info.headers().firstValueAsLong("Content-Length").orElse(0) > max;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (status != 200) {
                subscription.cancel();
                result.complete(new Body(status, new byte[0], false));
            } else if (declaredTooLarge) {
                subscription.cancel();
                result.complete(new Body(status, new byte[0], true));
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer part : buffers) {
                if (buffer.size() + part.remaining() > max) {
                    subscription.cancel();
                    result.complete(new Body(status, new byte[0], true));
                    return;
                }
                byte[] bytes = new byte[part.remaining()];
                part.get(bytes);
                buffer.write(bytes, 0, bytes.length);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(new Body(status, buffer.toByteArray(), false));
        }

        @Override
        public CompletionStage<Body> getBody() {
            return result;
        }
    }
}
