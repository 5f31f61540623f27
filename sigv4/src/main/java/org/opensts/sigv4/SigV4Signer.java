package org.opensts.sigv4;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Signs requests with AWS Signature Version 4: in the {@code Authorization} header ({@link #sign}) or as a presigned
 * URL ({@link #presign}). It signs every header present except those that proxies and clients change on the way
 * (the headers AWS SDKs leave unsigned, docs/WIRE.md), so add headers before signing and not after.
 *
 * <p>Thread-safe. Signing keys are cached per access key, secret and scope, as in {@link SigV4Verifier}.
 */
public final class SigV4Signer {

    /**
     * How a signer canonicalizes and what it adds.
     *
     * @param normalizePath      see {@link SigV4Verifier.Options#normalizePath()}; must match the verifier's
     * @param doubleEncodePath   see {@link SigV4Verifier.Options#doubleEncodePath()}; must match the verifier's
     * @param addContentSha256   whether to send and sign {@code x-amz-content-sha256} with the payload hash
     * @param unsignedPayload    whether the payload hash is {@code UNSIGNED-PAYLOAD} instead of the body's hash;
     *                           only services that allow it (S3) will accept the result
     */
    public record Options(boolean normalizePath, boolean doubleEncodePath, boolean addContentSha256,
            boolean unsignedPayload) {

        /** The defaults for STS and IAM: normalized, double-encoded path; body hash, not sent as a header. */
        public static Options defaults() {
            return new Options(/* normalizePath= */ true, /* doubleEncodePath= */ true,
                    /* addContentSha256= */ false, /* unsignedPayload= */ false);
        }

        public Options withNormalizePath(boolean normalizePath) {
            return new Options(normalizePath, doubleEncodePath, addContentSha256, unsignedPayload);
        }

        public Options withDoubleEncodePath(boolean doubleEncodePath) {
            return new Options(normalizePath, doubleEncodePath, addContentSha256, unsignedPayload);
        }

        public Options withAddContentSha256(boolean addContentSha256) {
            return new Options(normalizePath, doubleEncodePath, addContentSha256, unsignedPayload);
        }

        public Options withUnsignedPayload(boolean unsignedPayload) {
            return new Options(normalizePath, doubleEncodePath, addContentSha256, unsignedPayload);
        }
    }

    /** Headers that intermediaries add, drop or rewrite, so a signature over them would break (lower-case). */
    private static final Set<String> UNSIGNABLE_HEADERS = Set.of(
            "authorization", "cache-control", "connection", "expect", "from", "keep-alive", "max-forwards",
            "pragma", "referer", "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id");
    private static final String[] UNSIGNABLE_PREFIXES = {"proxy-", "sec-"};

    /** Query parameters a presigned URL owns; any already present are replaced. */
    private static final Set<String> PRESIGN_PARAMETERS = Set.of(
            WireNames.X_AMZ_ALGORITHM, WireNames.X_AMZ_CREDENTIAL, WireNames.X_AMZ_DATE, WireNames.X_AMZ_EXPIRES,
            WireNames.X_AMZ_SIGNED_HEADERS, WireNames.X_AMZ_SIGNATURE, WireNames.X_AMZ_SECURITY_TOKEN);

    private static final Duration MAX_EXPIRES = Duration.ofDays(7);
    private static final int SIGNING_KEY_CACHE_CAPACITY = 16;

    private final Options options;
    private final SigningKeyCache signingKeys = new SigningKeyCache(SIGNING_KEY_CACHE_CAPACITY);

    private SigV4Signer(Options options) {
        this.options = requireNonNull(options, "options");
    }

    /** Returns a signer with {@link Options#defaults()}. */
    public static SigV4Signer create() {
        return new SigV4Signer(Options.defaults());
    }

    public static SigV4Signer create(Options options) {
        return new SigV4Signer(options);
    }

    public Options options() {
        return options;
    }

    /**
     * Signs {@code request} in the {@code Authorization} header. Returns a copy with {@code X-Amz-Date}, the
     * session token as {@code X-Amz-Security-Token} (temporary credentials), {@code x-amz-content-sha256} if
     * configured, and {@code Authorization} added, replacing any already present.
     *
     * @param time the signing time; it becomes {@code X-Amz-Date} (to the second) and the scope's date
     * @throws IllegalArgumentException if the request has no {@code Host} header
     */
    public SignableRequest sign(SignableRequest request, SigningCredentials credentials, String region,
            String service, Instant time) {
        requireNonNull(request, "request");
        requireNonNull(credentials, "credentials");
        requireNonNull(time, "time");
        CredentialScope scope = scope(time, region, service);
        String amzDate = AmzDate.format(time);
        String payloadHash = payloadHash(request);

        SignableRequest.Builder builder = request.toBuilder()
                .removeHeaders(WireNames.AUTHORIZATION)
                .removeHeaders(WireNames.X_AMZ_DATE)
                .removeHeaders(WireNames.X_AMZ_SECURITY_TOKEN)
                .addHeader(WireNames.X_AMZ_DATE, amzDate);
        credentials.sessionToken().ifPresent(token -> builder.addHeader(WireNames.X_AMZ_SECURITY_TOKEN, token));
        if (options.addContentSha256()) {
            builder.removeHeaders(WireNames.X_AMZ_CONTENT_SHA256)
                    .addHeader(WireNames.X_AMZ_CONTENT_SHA256, payloadHash);
        }
        SignableRequest toSign = builder.build();

        List<String> signedHeaders = signableHeaderNames(toSign);
        String signedHeadersJoined = String.join(";", signedHeaders);
        String signature = signature(toSign, credentials, scope, amzDate, signedHeaders, signedHeadersJoined,
                payloadHash, /* presigned= */ false);
        return toSign.toBuilder()
                .addHeader(WireNames.AUTHORIZATION, SigV4.ALGORITHM
                        + ' ' + WireNames.CREDENTIAL + '=' + credentials.accessKeyId() + '/' + scope.toScopeString()
                        + ", " + WireNames.SIGNED_HEADERS + '=' + signedHeadersJoined
                        + ", " + WireNames.SIGNATURE + '=' + signature)
                .build();
    }

    /**
     * Signs {@code request} with SigV4a for the regions in {@code regionSet} ({@code *}, or regions joined with
     * {@code ,}): as {@link #sign}, plus the {@code X-Amz-Region-Set} header, with the ECDSA key derived from the
     * credentials and the algorithm {@code AWS4-ECDSA-P256-SHA256}.
     */
    public SignableRequest signSigV4a(SignableRequest request, SigningCredentials credentials, String regionSet,
            String service, Instant time) {
        requireNonNull(request, "request");
        requireNonNull(credentials, "credentials");
        requireNonNull(regionSet, "regionSet");
        requireNonNull(time, "time");
        CredentialScope scope = scope(time, "aws-global", service);
        String scopeText = java.time.format.DateTimeFormatter.BASIC_ISO_DATE.format(scope.date()) + '/' + service
                + '/' + CredentialScope.TERMINATOR;
        String amzDate = AmzDate.format(time);
        String payloadHash = payloadHash(request);
        SignableRequest.Builder builder = request.toBuilder()
                .removeHeaders(WireNames.AUTHORIZATION)
                .removeHeaders(WireNames.X_AMZ_DATE)
                .removeHeaders(WireNames.X_AMZ_SECURITY_TOKEN)
                .removeHeaders(SigV4a.REGION_SET)
                .addHeader(WireNames.X_AMZ_DATE, amzDate)
                .addHeader(SigV4a.REGION_SET, regionSet);
        credentials.sessionToken().ifPresent(token -> builder.addHeader(WireNames.X_AMZ_SECURITY_TOKEN, token));
        if (options.addContentSha256()) {
            builder.removeHeaders(WireNames.X_AMZ_CONTENT_SHA256)
                    .addHeader(WireNames.X_AMZ_CONTENT_SHA256, payloadHash);
        }
        SignableRequest toSign = builder.build();
        List<String> signedHeaders = signableHeaderNames(toSign);
        String signedHeadersJoined = String.join(";", signedHeaders);
        CanonicalRequest canonicalRequest = CanonicalRequest.create(toSign, signedHeaders, signedHeadersJoined,
                payloadHash, /* presigned= */ false, options.normalizePath(), options.doubleEncodePath());
        String signature = SigV4a.sign(SigV4a.derivePrivateKey(credentials.accessKeyId(),
                credentials.secretAccessKey()), SigV4a.stringToSign(amzDate, scopeText, canonicalRequest));
        return toSign.toBuilder()
                .addHeader(WireNames.AUTHORIZATION, SigV4a.ALGORITHM
                        + ' ' + WireNames.CREDENTIAL + '=' + credentials.accessKeyId() + '/' + scopeText
                        + ", " + WireNames.SIGNED_HEADERS + '=' + signedHeadersJoined
                        + ", " + WireNames.SIGNATURE + '=' + signature)
                .build();
    }

    /**
     * Presigns {@code request}: returns a copy whose query string carries {@code X-Amz-Algorithm},
     * {@code X-Amz-Credential}, {@code X-Amz-Date}, {@code X-Amz-Expires}, the session token as
     * {@code X-Amz-Security-Token} (temporary credentials), {@code X-Amz-SignedHeaders} and, last,
     * {@code X-Amz-Signature}, replacing any already present. The body is hashed as for {@link #sign}.
     *
     * @param expires how long the URL is valid from {@code time}: 1 second to 7 days
     * @throws IllegalArgumentException if the request has no {@code Host} header or {@code expires} is out of range
     */
    public SignableRequest presign(SignableRequest request, SigningCredentials credentials, String region,
            String service, Instant time, Duration expires) {
        requireNonNull(request, "request");
        requireNonNull(credentials, "credentials");
        requireNonNull(time, "time");
        requireNonNull(expires, "expires");
        if (expires.getSeconds() < 1 || expires.compareTo(MAX_EXPIRES) > 0 || expires.getNano() != 0) {
            throw new IllegalArgumentException("expires must be whole seconds from 1 s to 7 days: " + expires);
        }
        CredentialScope scope = scope(time, region, service);
        String amzDate = AmzDate.format(time);
        String payloadHash = payloadHash(request);

        SignableRequest.Builder builder = request.toBuilder().removeHeaders(WireNames.AUTHORIZATION);
        if (options.addContentSha256()) {
            builder.removeHeaders(WireNames.X_AMZ_CONTENT_SHA256)
                    .addHeader(WireNames.X_AMZ_CONTENT_SHA256, payloadHash);
        }
        SignableRequest withHeaders = builder.build();
        List<String> signedHeaders = signableHeaderNames(withHeaders);
        String signedHeadersJoined = String.join(";", signedHeaders);

        StringBuilder query = new StringBuilder(withoutPresignParameters(request.query()));
        appendParameter(query, WireNames.X_AMZ_ALGORITHM, SigV4.ALGORITHM);
        appendParameter(query, WireNames.X_AMZ_CREDENTIAL, credentials.accessKeyId() + '/' + scope.toScopeString());
        appendParameter(query, WireNames.X_AMZ_DATE, amzDate);
        appendParameter(query, WireNames.X_AMZ_EXPIRES, Long.toString(expires.getSeconds()));
        credentials.sessionToken().ifPresent(token -> appendParameter(query, WireNames.X_AMZ_SECURITY_TOKEN, token));
        appendParameter(query, WireNames.X_AMZ_SIGNED_HEADERS, signedHeadersJoined);
        SignableRequest toSign = withHeaders.toBuilder().query(query.toString()).build();

        String signature = signature(toSign, credentials, scope, amzDate, signedHeaders, signedHeadersJoined,
                payloadHash, /* presigned= */ true);
        appendParameter(query, WireNames.X_AMZ_SIGNATURE, signature);
        return toSign.toBuilder().query(query.toString()).build();
    }

    private String signature(SignableRequest request, SigningCredentials credentials, CredentialScope scope,
            String amzDate, List<String> signedHeaders, String signedHeadersJoined, String payloadHash,
            boolean presigned) {
        CanonicalRequest canonicalRequest = CanonicalRequest.create(request, signedHeaders, signedHeadersJoined,
                payloadHash, presigned, options.normalizePath(), options.doubleEncodePath());
        String stringToSign = SigV4.stringToSign(amzDate, scope.toScopeString(), canonicalRequest);
        byte[] signingKey = signingKeys.signingKey(credentials.accessKeyId(), credentials.secretAccessKey(), scope);
        return SigV4.signature(signingKey, stringToSign);
    }

    /**
     * Returns the payload hash to sign: {@code UNSIGNED-PAYLOAD} if configured, else an {@code x-amz-content-sha256}
     * the caller already set (unless this signer sets it), else the body's hash.
     */
    private String payloadHash(SignableRequest request) {
        if (options.unsignedPayload()) {
            return SigV4.UNSIGNED_PAYLOAD;
        }
        String declared = options.addContentSha256() ? null : request.joinedHeader(WireNames.X_AMZ_CONTENT_SHA256);
        return declared != null ? declared.strip() : Hex.encode(Digests.sha256(request.body()));
    }

    private static CredentialScope scope(Instant time, String region, String service) {
        return new CredentialScope(LocalDate.ofInstant(time, ZoneOffset.UTC), region, service);
    }

    /** Returns the lower-cased, sorted, distinct names of the headers to sign; {@code host} must be one. */
    private static List<String> signableHeaderNames(SignableRequest request) {
        List<String> names = new ArrayList<>(request.headerCount());
        for (int i = 0; i < request.headerCount(); i++) {
            String name = request.headerName(i).toLowerCase(Locale.ROOT);
            if (isSignable(name) && !names.contains(name)) {
                names.add(name);
            }
        }
        if (!names.contains(WireNames.HOST)) {
            throw new IllegalArgumentException("a request must have a Host header to be signed");
        }
        Collections.sort(names);
        return names;
    }

    private static boolean isSignable(String lowerCaseName) {
        if (UNSIGNABLE_HEADERS.contains(lowerCaseName)) {
            return false;
        }
        for (String prefix : UNSIGNABLE_PREFIXES) {
            if (lowerCaseName.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }

    /** Returns the raw query with the presigned-URL parameters removed, everything else kept as sent. */
    private static String withoutPresignParameters(String rawQuery) {
        if (rawQuery.isEmpty()) {
            return rawQuery;
        }
        StringBuilder kept = new StringBuilder(rawQuery.length());
        for (String parameter : rawQuery.split("&")) {
            if (parameter.isEmpty()) {
                continue;
            }
            int equals = parameter.indexOf('=');
            String key = UriEncoding.decode(parameter, 0, equals < 0 ? parameter.length() : equals);
            if (!PRESIGN_PARAMETERS.contains(key)) {
                if (kept.length() > 0) {
                    kept.append('&');
                }
                kept.append(parameter);
            }
        }
        return kept.toString();
    }

    private static void appendParameter(StringBuilder query, String name, String value) {
        if (query.length() > 0) {
            query.append('&');
        }
        query.append(name).append('=').append(UriEncoding.encode(value));
    }
}
