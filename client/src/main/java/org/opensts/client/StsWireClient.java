package org.opensts.client;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.ConnectException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;

/**
 * Calls STS over HTTP(S): AssumeRole, AssumeRoleWithWebIdentity (unsigned), GetSessionToken, GetFederationToken and
 * GetCallerIdentity, as a form POST in the Query protocol like the AWS SDKs send, signed with the project's own
 * {@link SigV4Signer}, and reads the XML answers.
 *
 * <p>Each call either returns the operation's result, throws {@link StsException} when STS answered with an error
 * (its AWS code, message, HTTP status and request id), or throws {@link StsTransportException} when there was no STS
 * answer (unreachable, timed out, a response larger than the limit, or not an STS response). It does not retry: the
 * credentials providers decide when to try again.
 *
 * <p>Thread-safe. The credentials to sign with are asked for on every call, so a refreshing source works.
 */
public final class StsWireClient {

    /** The STS Query API version every call sends. */
    static final String API_VERSION = "2011-06-15";

    private static final String SERVICE = "sts";
    private static final String FORM_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8";
    private static final String REQUEST_ID_HEADER = "x-amzn-RequestId";

    private final URI endpoint;
    private final String region;
    private final Supplier<SigningCredentials> credentials;
    private final Clock clock;
    private final Duration requestTimeout;
    private final Transport transport;
    private final SigV4Signer signer = SigV4Signer.create();

    /** One HTTP exchange: sends the request and returns the status, request id header and (bounded) body. */
    @FunctionalInterface
    public interface Transport {
        /**
         * Sends {@code request} and reads the whole response.
         *
         * @throws IOException if there was no complete response (unreachable, timed out, larger than allowed)
         */
        Reply send(HttpRequest request) throws IOException, InterruptedException;

        /** The JDK's HTTP client, reading at most {@code maxResponseBytes} of body. */
        static Transport http(HttpClient client, int maxResponseBytes) {
            requireNonNull(client, "client");
            if (maxResponseBytes < 1) {
                throw new IllegalArgumentException("maxResponseBytes must be positive");
            }
            return request -> {
                HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = response.body()) {
                    OptionalLong declared = response.headers().firstValueAsLong("Content-Length");
                    if (declared.isPresent() && declared.getAsLong() > maxResponseBytes) {
                        throw new IOException("the response declares " + declared.getAsLong()
                                + " bytes, more than the limit of " + maxResponseBytes);
                    }
                    byte[] body = in.readNBytes(maxResponseBytes + 1);
                    if (body.length > maxResponseBytes) {
                        throw new IOException("the response is larger than the limit of " + maxResponseBytes
                                + " bytes");
                    }
                    return new Reply(response.statusCode(), response.headers().firstValue(REQUEST_ID_HEADER), body);
                }
            };
        }
    }

    /** A response as the transport read it. The body is copied in and out, as arrays are mutable. */
    public record Reply(int statusCode, Optional<String> requestIdHeader, byte[] body) {
        public Reply {
            requireNonNull(requestIdHeader, "requestIdHeader");
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Reply reply && statusCode == reply.statusCode
                    && requestIdHeader.equals(reply.requestIdHeader) && Arrays.equals(body, reply.body);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * statusCode + requestIdHeader.hashCode()) + Arrays.hashCode(body);
        }

        @Override
        public String toString() {
            return "Reply[statusCode=" + statusCode + ", body=" + body.length + " bytes]";
        }
    }

    private StsWireClient(Builder builder) {
        this.endpoint = builder.endpoint;
        this.region = builder.region;
        this.credentials = builder.credentials;
        this.clock = builder.clock;
        this.requestTimeout = builder.requestTimeout;
        this.transport = builder.transport != null ? builder.transport
                : Transport.http(HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(builder.connectTimeout)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build(), builder.maxResponseBytes);
    }

    /** Returns a builder for a client of the STS at {@code endpoint}, e.g. {@code http://127.0.0.1:8790}. */
    public static Builder builder(URI endpoint) {
        return new Builder(endpoint);
    }

    public URI endpoint() {
        return endpoint;
    }

    public String region() {
        return region;
    }

    public AssumeRoleResult assumeRole(AssumeRoleRequest request) {
        StsXml xml = call(request.toForm(), /* signed= */ true, "AssumeRole");
        String result = "AssumeRoleResult";
        return new AssumeRoleResult(xml.credentials(result), assumedRoleUser(xml, result),
                xml.integer(result, "PackedPolicySize"), xml.text(result, "SourceIdentity"), requestId(xml));
    }

    /** Calls AssumeRoleWithWebIdentity, unsigned as AWS expects: the web identity token is the credential. */
    public AssumeRoleWithWebIdentityResult assumeRoleWithWebIdentity(AssumeRoleWithWebIdentityRequest request) {
        StsXml xml = call(request.toForm(), /* signed= */ false, "AssumeRoleWithWebIdentity");
        String result = "AssumeRoleWithWebIdentityResult";
        return new AssumeRoleWithWebIdentityResult(xml.credentials(result), assumedRoleUser(xml, result),
                xml.required(result, "SubjectFromWebIdentityToken"), xml.text(result, "Audience"),
                xml.text(result, "Provider"), xml.integer(result, "PackedPolicySize"),
                xml.text(result, "SourceIdentity"), requestId(xml));
    }

    public GetSessionTokenResult getSessionToken(GetSessionTokenRequest request) {
        StsXml xml = call(request.toForm(), /* signed= */ true, "GetSessionToken");
        return new GetSessionTokenResult(xml.credentials("GetSessionTokenResult"), requestId(xml));
    }

    public GetFederationTokenResult getFederationToken(GetFederationTokenRequest request) {
        StsXml xml = call(request.toForm(), /* signed= */ true, "GetFederationToken");
        String result = "GetFederationTokenResult";
        return new GetFederationTokenResult(xml.credentials(result),
                new FederatedUser(xml.required(result, "FederatedUser", "Arn"),
                        xml.required(result, "FederatedUser", "FederatedUserId")),
                xml.integer(result, "PackedPolicySize"), requestId(xml));
    }

    public GetCallerIdentityResult getCallerIdentity() {
        StsXml xml = call(new QueryForm("GetCallerIdentity"), /* signed= */ true, "GetCallerIdentity");
        String result = "GetCallerIdentityResult";
        return new GetCallerIdentityResult(xml.required(result, "UserId"), xml.required(result, "Account"),
                xml.required(result, "Arn"), requestId(xml));
    }

    private static AssumedRoleUser assumedRoleUser(StsXml xml, String result) {
        return new AssumedRoleUser(xml.required(result, "AssumedRoleUser", "Arn"),
                xml.required(result, "AssumedRoleUser", "AssumedRoleId"));
    }

    /**
     * What went wrong, for a message: a connection that could not be made in the AWS CLI's words (the JDK's HTTP client
     * throws a {@code ConnectException} without a message when one is refused, its cause a closed channel, which says
     * nothing more); otherwise the first message in the chain, or the name of the exception's class.
     */
    private static String describe(IOException e) {
        if (e instanceof ConnectException) {
            String detail = e.getMessage() != null ? " (" + e.getMessage() + ")" : "";
            return "could not connect to the endpoint URL" + detail;
        }
        Throwable reason = e;
        while (reason.getMessage() == null && reason.getCause() != null) {
            reason = reason.getCause();
        }
        return reason.getMessage() != null ? reason.getMessage()
                : reason.getClass().getSimpleName().replaceAll("(?<=[a-z])(?=[A-Z])", " ").toLowerCase(Locale.ROOT);
    }

    private static String requestId(StsXml xml) {
        return xml.text("ResponseMetadata", "RequestId").orElse("");
    }

    private StsXml call(QueryForm form, boolean signed, String action) {
        HttpRequest request = httpRequest(form.toBytes(), signed);
        Reply reply;
        try {
            reply = transport.send(request);
        } catch (HttpTimeoutException e) {
            throw new StsTransportException(action + " to " + endpoint + " timed out", e);
        } catch (IOException e) {
            throw new StsTransportException(action + " to " + endpoint + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StsTransportException(action + " to " + endpoint + " was interrupted", e);
        }
        if (reply.statusCode() / 100 == 2) {
            StsXml xml = StsXml.parse(reply.body());
            if (!(action + "Response").equals(xml.rootName())) {
                throw new StsTransportException("expected an " + action + "Response from " + endpoint + ", got "
                        + xml.rootName());
            }
            return xml;
        }
        throw error(reply, action);
    }

    /** Reads AWS's error envelope; a non-2xx answer that is not one is a transport failure (a proxy, say). */
    private RuntimeException error(Reply reply, String action) {
        StsXml xml;
        try {
            xml = StsXml.parse(reply.body());
        } catch (StsTransportException e) {
            return new StsTransportException(action + " to " + endpoint + " got HTTP " + reply.statusCode()
                    + " without an STS error", e);
        }
        Optional<String> code = xml.text("Error", "Code");
        if (!"ErrorResponse".equals(xml.rootName()) || code.isEmpty()) {
            return new StsTransportException(action + " to " + endpoint + " got HTTP " + reply.statusCode()
                    + " without an STS error");
        }
        String requestId = xml.text("RequestId").or(reply::requestIdHeader).orElse(null);
        return new StsException(code.get().strip(), xml.text("Error", "Message").orElse(""), reply.statusCode(),
                requestId);
    }

    private HttpRequest httpRequest(byte[] body, boolean signed) {
        String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
        URI target = endpoint.resolve(path);
        SignableRequest request = SignableRequest.builder()
                .method("POST")
                .path(path)
                .addHeader("Host", hostHeader(endpoint))
                .addHeader("Content-Type", FORM_CONTENT_TYPE)
                .body(body)
                .build();
        if (signed) {
            SigningCredentials signingCredentials = credentials == null ? null : credentials.get();
            if (signingCredentials == null) {
                throw new IllegalStateException("this client has no credentials to sign with");
            }
            request = signer.sign(request, signingCredentials, region, SERVICE, clock.instant());
        }
        HttpRequest.Builder http = HttpRequest.newBuilder(target)
                .timeout(requestTimeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < request.headerCount(); i++) {
            // The JDK client writes Host itself, from the URI, exactly as hostHeader computes it.
            if (!request.headerName(i).equalsIgnoreCase("Host")) {
                http.header(request.headerName(i), request.headerValue(i));
            }
        }
        return http.build();
    }

    /** The Host header the JDK client sends: the host, and the port unless it is the scheme's default. */
    static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean https = "https".equals(uri.getScheme().toLowerCase(Locale.ROOT));
        boolean defaultPort = port == -1 || port == (https ? 443 : 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ':' + port;
    }

    @Override
    public String toString() {
        return "StsWireClient[endpoint=" + endpoint + ", region=" + region + ']';
    }

    /** Builds a {@link StsWireClient}. Not thread-safe. */
    public static final class Builder {
        private final URI endpoint;
        private String region = "us-east-1";
        private Supplier<SigningCredentials> credentials;
        private Clock clock = Clock.systemUTC();
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int maxResponseBytes = 1 << 20;
        private Transport transport;

        private Builder(URI endpoint) {
            requireNonNull(endpoint, "endpoint");
            String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || endpoint.getHost() == null) {
                throw new IllegalArgumentException("the endpoint must be an http:// or https:// URL with a host: "
                        + endpoint);
            }
            if (endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
                throw new IllegalArgumentException("the endpoint must have no query or fragment: " + endpoint);
            }
            this.endpoint = endpoint;
        }

        /** Sets the region to sign for; {@code us-east-1} by default, as for the global STS endpoint. */
        public Builder region(String signingRegion) {
            this.region = requireNonNull(signingRegion, "region");
            return this;
        }

        /** Signs with these credentials. */
        public Builder credentials(SigningCredentials fixed) {
            requireNonNull(fixed, "credentials");
            this.credentials = () -> fixed;
            return this;
        }

        /** Signs with whatever {@code source} returns at the time of each call. */
        public Builder credentials(Supplier<SigningCredentials> source) {
            this.credentials = requireNonNull(source, "credentials");
            return this;
        }

        /** Sets the clock that dates signatures; the system clock by default. */
        public Builder clock(Clock signingClock) {
            this.clock = requireNonNull(signingClock, "clock");
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Sets how long to wait for the response headers; 10 seconds by default. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** Sets the largest response body accepted; 1 MiB by default. Ignored with a custom transport. */
        public Builder maxResponseBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxResponseBytes must be positive");
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        /** Sends through {@code customTransport}, e.g. {@link Transport#http} over a client with its own TLS trust. */
        public Builder transport(Transport customTransport) {
            this.transport = requireNonNull(customTransport, "transport");
            return this;
        }

        public StsWireClient build() {
            return new StsWireClient(this);
        }

        private static Duration positive(Duration duration, String name) {
            requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return duration;
        }
    }
}
