package org.opensts.sigv4;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Verifies AWS Signature Version 4 on a received request, in the {@code Authorization} header form and the presigned
 * query form (IAM User Guide, "Authentication methods" in "AWS Signature Version 4 for API requests").
 *
 * <p>Verification is two calls around the caller's own lookup:
 *
 * <pre>{@code
 * SignedRequest signed = verifier.parse(request);            // structure only: no secret needed
 * byte[] secret = ...;                                        // look up signed.accessKeyId(), check
 *                                                             // signed.credentialScope() region and service
 * verifier.verify(signed, request, secret, clock.instant());  // time window, consistency, signature
 * }</pre>
 *
 * <p>Every failure is a {@link SigV4Exception} whose {@link SigV4Failure} and message follow AWS. Instances are
 * immutable apart from the signing-key cache, and thread-safe.
 */
public final class SigV4Verifier {

    /**
     * How a verifier canonicalizes and what it accepts.
     *
     * @param maxClockSkew            how far the request time may be from now, either way (AWS: 15 minutes). A
     *                                presigned URL's {@code X-Amz-Expires} replaces it for the past side where
     *                                {@code honorPresignedExpires}.
     * @param normalizePath           whether to remove {@code .}, {@code ..} and empty path segments before
     *                                signing: true for STS, IAM and every service but S3
     * @param doubleEncodePath        whether the canonical URI percent-encodes the wire path once more ({@code %3A}
     *                                becomes {@code %253A}): true for every service but S3. When false the wire path
     *                                is decoded, then encoded once.
     * @param allowUnsignedPayload    whether {@code x-amz-content-sha256: UNSIGNED-PAYLOAD} is accepted. False for
     *                                STS and IAM, whose parameters travel in the body: an unsigned body would let
     *                                anyone who sees the request change them.
     * @param signingKeyCacheCapacity how many derived signing keys to remember; 0 derives one per request
     * @param allowSigV4a             whether {@code AWS4-ECDSA-P256-SHA256} (SigV4a) is accepted: true for S3, false
     *                                for STS and IAM, which answer it as an unsupported algorithm
     * @param honorPresignedExpires   whether a presigned request is good for its {@code X-Amz-Expires} (1 s to 7
     *                                days) after {@code X-Amz-Date}, as SigV4 documents it and S3 answers it; or,
     *                                as STS answers it, for {@code maxClockSkew} either side of {@code X-Amz-Date}
     *                                whatever {@code X-Amz-Expires} says (0 to 7 days, still checked). Tokens of
     *                                EKS's authenticator are presigned GetCallerIdentity URLs with
     *                                {@code X-Amz-Expires=60} (or {@code 0}) checked for up to 15 minutes
     */
    public record Options(Duration maxClockSkew, boolean normalizePath, boolean doubleEncodePath,
            boolean allowUnsignedPayload, int signingKeyCacheCapacity, boolean allowSigV4a,
            boolean honorPresignedExpires) {

        /** AWS's window: 15 minutes either way. */
        public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(15);

        /** Enough for the active keys of a busy deployment, at a few hundred bytes each. */
        public static final int DEFAULT_SIGNING_KEY_CACHE_CAPACITY = 4096;

        public Options {
            requireNonNull(maxClockSkew, "maxClockSkew");
            if (maxClockSkew.isNegative()) {
                throw new IllegalArgumentException("maxClockSkew must not be negative: " + maxClockSkew);
            }
            if (signingKeyCacheCapacity < 0 || signingKeyCacheCapacity > SigningKeyCache.MAX_CAPACITY) {
                throw new IllegalArgumentException("signingKeyCacheCapacity must be between 0 and "
                        + SigningKeyCache.MAX_CAPACITY + ": " + signingKeyCacheCapacity);
            }
        }

        /** Options without SigV4a, presigned requests good for their {@code X-Amz-Expires}. */
        public Options(Duration maxClockSkew, boolean normalizePath, boolean doubleEncodePath,
                boolean allowUnsignedPayload, int signingKeyCacheCapacity) {
            this(maxClockSkew, normalizePath, doubleEncodePath, allowUnsignedPayload, signingKeyCacheCapacity, false,
                    true);
        }

        public Options withHonorPresignedExpires(boolean honorPresignedExpires) {
            return new Options(maxClockSkew, normalizePath, doubleEncodePath, allowUnsignedPayload,
                    signingKeyCacheCapacity, allowSigV4a, honorPresignedExpires);
        }

        public Options withAllowSigV4a(boolean allowSigV4a) {
            return new Options(maxClockSkew, normalizePath, doubleEncodePath, allowUnsignedPayload,
                    signingKeyCacheCapacity, allowSigV4a, honorPresignedExpires);
        }

        /**
         * The defaults of a service other than S3: 15 minutes, normalized and double-encoded path, no unsigned payload,
         * presigned requests good for their {@code X-Amz-Expires}.
         */
        public static Options defaults() {
            return new Options(DEFAULT_MAX_CLOCK_SKEW, /* normalizePath= */ true, /* doubleEncodePath= */ true,
                    /* allowUnsignedPayload= */ false, DEFAULT_SIGNING_KEY_CACHE_CAPACITY);
        }

        public Options withMaxClockSkew(Duration maxClockSkew) {
            return new Options(maxClockSkew, normalizePath, doubleEncodePath, allowUnsignedPayload,
                    signingKeyCacheCapacity, allowSigV4a, honorPresignedExpires);
        }

        public Options withNormalizePath(boolean normalizePath) {
            return new Options(maxClockSkew, normalizePath, doubleEncodePath, allowUnsignedPayload,
                    signingKeyCacheCapacity, allowSigV4a, honorPresignedExpires);
        }

        public Options withDoubleEncodePath(boolean doubleEncodePath) {
            return new Options(maxClockSkew, normalizePath, doubleEncodePath, allowUnsignedPayload,
                    signingKeyCacheCapacity, allowSigV4a, honorPresignedExpires);
        }

        public Options withAllowUnsignedPayload(boolean allowUnsignedPayload) {
            return new Options(maxClockSkew, normalizePath, doubleEncodePath, allowUnsignedPayload,
                    signingKeyCacheCapacity, allowSigV4a, honorPresignedExpires);
        }

        public Options withSigningKeyCacheCapacity(int signingKeyCacheCapacity) {
            return new Options(maxClockSkew, normalizePath, doubleEncodePath, allowUnsignedPayload,
                    signingKeyCacheCapacity, allowSigV4a, honorPresignedExpires);
        }
    }

    /** SigV4's longest presigned URL: seven days, the life of a signing key's date scope plus margin. */
    private static final long MAX_EXPIRES_SECONDS = 604_800;

    private static final String SIGV4_ALGORITHM_FAMILY = "AWS4-";

    /** Indexes into the values found by {@link #queryAuthParameters}. */
    private static final String[] QUERY_AUTH_PARAMETERS = {
        WireNames.X_AMZ_ALGORITHM, WireNames.X_AMZ_CREDENTIAL, WireNames.X_AMZ_DATE,
        WireNames.X_AMZ_SIGNED_HEADERS, WireNames.X_AMZ_SIGNATURE, WireNames.X_AMZ_EXPIRES,
        WireNames.X_AMZ_SECURITY_TOKEN, SigV4a.REGION_SET,
    };
    private static final int ALGORITHM = 0;
    private static final int CREDENTIAL = 1;
    private static final int DATE = 2;
    private static final int SIGNED_HEADERS = 3;
    private static final int SIGNATURE = 4;
    private static final int EXPIRES = 5;
    private static final int SECURITY_TOKEN = 6;
    private static final int REGION_SET = 7;
    /** Only these mark a query string as an authentication attempt; the rest may be ordinary parameters. */
    private static final int[] QUERY_AUTH_MARKERS = {ALGORITHM, CREDENTIAL, SIGNATURE};
    /** A presigned URL must carry these; AWS lists the missing ones in this order. */
    private static final int[] QUERY_AUTH_REQUIRED = {ALGORITHM, CREDENTIAL, DATE, SIGNED_HEADERS, SIGNATURE};

    /** A scratch builder kept longer than this is dropped: one huge request must not pin its size to a thread. */
    private static final int SCRATCH_RETAINED_CAPACITY = 16 * 1024;

    /** Each thread's builder for the canonical request and string to sign of the request it verifies. */
    private static final ThreadLocal<StringBuilder> SCRATCH = ThreadLocal.withInitial(() -> new StringBuilder(2048));

    private final Options options;
    private final SigningKeyCache signingKeys;
    private final SigV4aKeyCache sigV4aKeys;

    private SigV4Verifier(Options options) {
        this.options = requireNonNull(options, "options");
        this.signingKeys = new SigningKeyCache(options.signingKeyCacheCapacity());
        this.sigV4aKeys = new SigV4aKeyCache(Math.min(options.signingKeyCacheCapacity(), 1024));
    }

    /** Returns a verifier with {@link Options#defaults()}. */
    public static SigV4Verifier create() {
        return new SigV4Verifier(Options.defaults());
    }

    public static SigV4Verifier create(Options options) {
        return new SigV4Verifier(options);
    }

    public Options options() {
        return options;
    }

    /**
     * Reads the signature a request claims, from its {@code Authorization} header or its presigned query
     * parameters, and checks its structure. Needs no secret and no clock.
     *
     * @throws SigV4Exception {@link SigV4Failure#MISSING_AUTHENTICATION_TOKEN} if the request carries neither form;
     *                        {@link SigV4Failure#INCOMPLETE_SIGNATURE} if a part is missing or malformed, the
     *                        algorithm is not {@code AWS4-HMAC-SHA256}, the date is not ISO 8601 basic format,
     *                        {@code X-Amz-Expires} is not 1..604800, or both forms are present;
     *                        {@link SigV4Failure#SIGNATURE_DOES_NOT_MATCH} if the credential's terminator is not
     *                        {@code aws4_request} or its date is not a date
     */
    public SignedRequest parse(SignableRequest request) throws SigV4Exception {
        requireNonNull(request, "request");
        String authorization = request.joinedHeader(WireNames.AUTHORIZATION);
        String[] queryAuth = queryAuthParameters(request.query());
        boolean hasHeaderAuth = authorization != null && !authorization.isBlank();
        if (hasHeaderAuth && queryAuth != null) {
            throw incomplete(FailureMessages.TWO_AUTH_MECHANISMS);
        }
        if (hasHeaderAuth) {
            return parseHeaderForm(request, authorization);
        }
        if (queryAuth != null) {
            return parseQueryForm(queryAuth);
        }
        throw new SigV4Exception(SigV4Failure.MISSING_AUTHENTICATION_TOKEN,
                FailureMessages.MISSING_AUTHENTICATION_TOKEN);
    }

    /**
     * Verifies {@code request} against what {@link #parse} read from it, with the secret the caller found for
     * {@link SignedRequest#accessKeyId()}. In order: the credential scope's date is the request's date; the request
     * time is within the clock skew of {@code now} (or, presigned where the options honor it, not past
     * {@code X-Amz-Expires}); {@code host} is
     * signed; every signed header is present; {@code x-amz-content-sha256}, if sent, is the body's hash (or
     * {@code UNSIGNED-PAYLOAD} when allowed); and the signature equals the one computed, compared in constant time.
     *
     * @param signed          what {@link #parse} returned for this very request
     * @param secretAccessKey the secret access key's bytes; not retained except as a private copy in the cache
     * @param now             the verifier's current time
     * @throws SigV4Exception {@link SigV4Failure#SIGNATURE_EXPIRED} or {@link SigV4Failure#SIGNATURE_NOT_YET_CURRENT}
     *                        outside the time window, {@link SigV4Failure#SIGNATURE_DOES_NOT_MATCH} for any other
     *                        failed check
     */
    public void verify(SignedRequest signed, SignableRequest request, byte[] secretAccessKey, Instant now)
            throws SigV4Exception {
        requireNonNull(request, "request");
        verify(signed, request, secretAccessKey, now, /* payloadHash= */ null);
    }

    /**
     * Verifies as {@link #verify(SignedRequest, SignableRequest, byte[], Instant)} does, but with the payload hash
     * line given rather than computed from the request's body: for a service that streams the body, the
     * {@code x-amz-content-sha256} value the client signed ({@code UNSIGNED-PAYLOAD}, a {@code STREAMING-…} name, or a
     * hash the caller then checks against the body as it arrives). {@code request}'s body is ignored.
     *
     * @param payloadHash the last line of the canonical request; {@code null} to compute it from the body as the
     *                    four-argument form does
     */
    public void verify(SignedRequest signed, SignableRequest request, byte[] secretAccessKey, Instant now,
            String payloadHash) throws SigV4Exception {
        requireNonNull(signed, "signed");
        requireNonNull(request, "request");
        requireNonNull(secretAccessKey, "secretAccessKey");
        requireNonNull(now, "now");
        CredentialScope scope = signed.credentialScope();
        // The credential scope's date is the UTC date of X-Amz-Date (IAM User Guide, "Create a signed AWS API
        // request").
        LocalDate requestDate = LocalDate.ofInstant(signed.requestTime(), ZoneOffset.UTC);
        if (!scope.date().equals(requestDate)) {
            throw mismatch(FailureMessages.scopeDateMismatch(signed.scope().substring(0, 8), signed.amzDate()));
        }
        checkTimeWindow(signed, now);
        List<String> signedHeaders = signed.signedHeaders();
        if (Collections.binarySearch(signedHeaders, WireNames.HOST) < 0) {
            throw mismatch(FailureMessages.HOST_NOT_SIGNED);
        }
        for (String name : signedHeaders) {
            if (request.indexOfHeader(name, 0) < 0) {
                throw mismatch(FailureMessages.SIGNATURE_DOES_NOT_MATCH);
            }
        }
        String payloadLine = payloadHash != null ? payloadHash : checkedPayloadHash(request);
        if (signed.isSigV4a()) {
            CanonicalRequest canonicalRequest = buildCanonicalRequest(signed, request, payloadLine);
            String stringToSign = SigV4a.stringToSign(signed.amzDate(), signed.scope(), canonicalRequest);
            if (!SigV4a.verify(sigV4aKeys.publicKey(signed.accessKeyId(), secretAccessKey), stringToSign,
                    signed.signature())) {
                throw mismatch(FailureMessages.SIGNATURE_DOES_NOT_MATCH);
            }
            return;
        }
        // The canonical request and the string to sign are written into this thread's scratch builder and hashed
        // from there: neither becomes a String.
        StringBuilder scratch = SCRATCH.get();
        byte[] expected;
        try {
            byte[] canonicalRequestSha256 = CanonicalRequest.sha256(request, signed.signedHeaders(),
                    signed.signedHeadersJoined(), payloadLine, signed.form() == SignedRequest.Form.PRESIGNED_QUERY,
                    options.normalizePath(), options.doubleEncodePath(), scratch);
            byte[] signingKey = signingKeys.signingKey(signed.accessKeyId(), secretAccessKey, scope);
            expected = SigV4.signatureBytes(signingKey, signed.amzDate(), signed.scope(), canonicalRequestSha256,
                    scratch);
        } finally {
            release(scratch);
        }
        byte[] claimed = signed.signature();
        if (claimed == null || !MessageDigest.isEqual(expected, claimed)) {
            throw mismatch(FailureMessages.SIGNATURE_DOES_NOT_MATCH);
        }
    }

    /**
     * Returns the chain of chunk signatures of an {@code aws-chunked} body, seeded with the request's signature. Call
     * it only once {@link #verify} has accepted {@code signed}: the seed is the signature the client sent.
     */
    public ChunkSignatures chunkSignatures(SignedRequest signed, byte[] secretAccessKey) {
        requireNonNull(signed, "signed");
        requireNonNull(secretAccessKey, "secretAccessKey");
        if (signed.signature() == null || signed.isSigV4a()) {
            throw new IllegalStateException("only a verified SigV4 request seeds an HMAC chain");
        }
        byte[] signingKey = signingKeys.signingKey(signed.accessKeyId(), secretAccessKey, signed.credentialScope());
        return new ChunkSignatures(signingKey, signed.amzDate(), signed.scope(), Hex.encode(signed.signature()));
    }

    /**
     * Returns the canonical request this verifier computes for {@code request}, to compare with the client's when
     * explaining a mismatch. The payload hash line is the {@code x-amz-content-sha256} value if the request has one,
     * else the body's hash. Its {@link CanonicalRequest#text()} reveals signed values: show it only to the caller.
     */
    public CanonicalRequest canonicalRequest(SignedRequest signed, SignableRequest request) {
        requireNonNull(signed, "signed");
        requireNonNull(request, "request");
        String declared = request.joinedHeader(WireNames.X_AMZ_CONTENT_SHA256);
        String payloadHash = declared != null ? declared.strip() : Hex.encode(Digests.sha256(request.body()));
        return canonicalRequest(signed, request, payloadHash);
    }

    /**
     * Returns step 2 for {@code signed}: the string to sign over {@code canonicalRequest}, with the algorithm line of
     * the signature's algorithm ({@code AWS4-HMAC-SHA256} or SigV4a's {@code AWS4-ECDSA-P256-SHA256}).
     */
    public String stringToSign(SignedRequest signed, CanonicalRequest canonicalRequest) {
        requireNonNull(signed, "signed");
        requireNonNull(canonicalRequest, "canonicalRequest");
        return signed.isSigV4a() ? SigV4a.stringToSign(signed.amzDate(), signed.scope(), canonicalRequest)
                : SigV4.stringToSign(signed.amzDate(), signed.scope(), canonicalRequest);
    }

    /**
     * Returns the canonical request this verifier computes for {@code request} with {@code payloadHash} as its last
     * line: the line {@link #verify(SignedRequest, SignableRequest, byte[], Instant, String)} was given, so that a
     * service explaining a mismatch shows what it verified. Its {@link CanonicalRequest#text()} reveals signed values:
     * show it only to the caller.
     */
    public CanonicalRequest canonicalRequest(SignedRequest signed, SignableRequest request, String payloadHash) {
        requireNonNull(signed, "signed");
        requireNonNull(request, "request");
        requireNonNull(payloadHash, "payloadHash");
        return buildCanonicalRequest(signed, request, payloadHash);
    }

    private CanonicalRequest buildCanonicalRequest(SignedRequest signed, SignableRequest request, String payloadHash) {
        return CanonicalRequest.create(request, signed.signedHeaders(), signed.signedHeadersJoined(), payloadHash,
                signed.form() == SignedRequest.Form.PRESIGNED_QUERY, options.normalizePath(),
                options.doubleEncodePath());
    }

    /** Empties the scratch builder for the next request, or drops it if it grew past the retained size. */
    private static void release(StringBuilder scratch) {
        if (scratch.capacity() > SCRATCH_RETAINED_CAPACITY) {
            SCRATCH.remove();
        } else {
            scratch.setLength(0);
        }
    }

    private void checkTimeWindow(SignedRequest signed, Instant now) throws SigV4Exception {
        Instant requestTime = signed.requestTime();
        Duration skew = options.maxClockSkew();
        if (requestTime.isAfter(now.plus(skew))) {
            throw new SigV4Exception(SigV4Failure.SIGNATURE_NOT_YET_CURRENT,
                    FailureMessages.notYetCurrent(requestTime, now, skew));
        }
        Duration expires = options.honorPresignedExpires() ? signed.expires().orElse(null) : null;
        if (expires != null) {
            // A presigned URL is good from X-Amz-Date for X-Amz-Expires seconds: that window replaces the skew.
            if (now.isAfter(requestTime.plus(expires))) {
                throw new SigV4Exception(SigV4Failure.SIGNATURE_EXPIRED, FailureMessages.expired(
                        requestTime, now, expires, expires.getSeconds() + " sec"));
            }
        } else if (requestTime.isBefore(now.minus(skew))) {
            throw new SigV4Exception(SigV4Failure.SIGNATURE_EXPIRED, FailureMessages.expired(
                    requestTime, now, skew, FailureMessages.describe(skew)));
        }
    }

    /**
     * Returns the payload hash line: the body's hash, or the {@code x-amz-content-sha256} the client signed with,
     * which must then be that same hash or an allowed {@code UNSIGNED-PAYLOAD}. AWS query services compute the
     * body's hash themselves, so a header that lies fails as a signature mismatch, as it does here.
     */
    private String checkedPayloadHash(SignableRequest request) throws SigV4Exception {
        String bodyHash = Hex.encode(Digests.sha256(request.body()));
        String declared = request.joinedHeader(WireNames.X_AMZ_CONTENT_SHA256);
        if (declared == null) {
            return bodyHash;
        }
        declared = declared.strip();
        if (declared.equals(SigV4.UNSIGNED_PAYLOAD) && options.allowUnsignedPayload()) {
            return declared;
        }
        if (!declared.equals(bodyHash)) {
            throw mismatch(FailureMessages.SIGNATURE_DOES_NOT_MATCH);
        }
        return bodyHash;
    }

    private SignedRequest parseHeaderForm(SignableRequest request, String authorization) throws SigV4Exception {
        String value = authorization.strip();
        int space = indexOfWhitespace(value);
        String algorithm = algorithm(value, space);
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        if (algorithm.startsWith(SIGV4_ALGORITHM_FAMILY) && space >= 0) {
            // SigV4: "Credential=..., SignedHeaders=..., Signature=..."; SDKs differ on spaces after the commas. AWS
            // separates the fields at commas and at white space alike: "Credential=AKID /2026..." is answered
            // "'/2026...' not a valid key=value pair (missing equal-sign)", not read as a credential with a space.
            // Each field is read in place: only the values kept become strings.
            int end = space + 1;
            while (true) {
                int start = end;
                while (start < value.length() && isFieldSeparator(value.charAt(start))) {
                    start++;
                }
                if (start == value.length()) {
                    break;
                }
                end = start;
                while (end < value.length() && !isFieldSeparator(value.charAt(end))) {
                    end++;
                }
                int equals = value.indexOf('=', start);
                if (equals < 0 || equals > end) {
                    throw incomplete(FailureMessages.missingEqualSign(value.substring(start, end)));
                }
                if (isKey(value, start, equals, WireNames.CREDENTIAL)) {
                    credential = onlyOnce(credential, value.substring(equals + 1, end), WireNames.CREDENTIAL);
                } else if (isKey(value, start, equals, WireNames.SIGNED_HEADERS)) {
                    signedHeaders = onlyOnce(signedHeaders, value.substring(equals + 1, end),
                            WireNames.SIGNED_HEADERS);
                } else if (isKey(value, start, equals, WireNames.SIGNATURE)) {
                    signature = onlyOnce(signature, value.substring(equals + 1, end), WireNames.SIGNATURE);
                }
                // unknown fields are not signed and change nothing
            }
        }
        // Anything but a SigV4 header (a bearer token, "Basic ...", SigV2's "AWS ...") lacks every part, and AWS says
        // so without echoing the header, which may hold a secret.
        String amzDate = request.joinedHeader(WireNames.X_AMZ_DATE);
        String httpDate = amzDate == null ? request.joinedHeader(WireNames.DATE) : null;
        StringBuilder missing = new StringBuilder();
        appendMissing(missing, isEmpty(credential), FailureMessages.missingAuthorizationField(WireNames.CREDENTIAL));
        appendMissing(missing, isEmpty(signature), FailureMessages.missingAuthorizationField(WireNames.SIGNATURE));
        appendMissing(missing, signedHeaders == null,
                FailureMessages.missingAuthorizationField(WireNames.SIGNED_HEADERS));
        appendMissing(missing, amzDate == null && httpDate == null, FailureMessages.MISSING_DATE_HEADER);
        if (missing.length() > 0) {
            throw incomplete(missing.toString());
        }
        // SigV4: X-Amz-Date wins over Date; Date is RFC 1123, converted to basic format for the string to sign.
        Instant requestTime = amzDate != null ? AmzDate.parseBasic(amzDate.strip())
                : AmzDate.parseHttpDate(httpDate.strip());
        if (requestTime == null) {
            throw incomplete(FailureMessages.malformedDate(amzDate != null ? amzDate : httpDate));
        }
        if (!algorithm.equals(SigV4.ALGORITHM) && !(options.allowSigV4a() && algorithm.equals(SigV4a.ALGORITHM))) {
            throw incomplete(FailureMessages.unsupportedAlgorithm(algorithm));
        }
        return signedRequest(SignedRequest.Form.HEADER, algorithm, credential, signedHeaders, signature, requestTime,
                /* expires= */ null, request.joinedHeader(WireNames.X_AMZ_SECURITY_TOKEN),
                request.joinedHeader(SigV4a.REGION_SET));
    }

    private SignedRequest parseQueryForm(String[] values) throws SigV4Exception {
        StringBuilder missing = new StringBuilder();
        for (int index : QUERY_AUTH_REQUIRED) {
            appendMissing(missing, isEmpty(values[index]),
                    FailureMessages.missingQueryParameter(QUERY_AUTH_PARAMETERS[index]));
        }
        if (missing.length() > 0) {
            throw incomplete(missing.append(' ').append(FailureMessages.REEXAMINE_QUERY).toString());
        }
        if (!values[ALGORITHM].equals(SigV4.ALGORITHM)
                && !(options.allowSigV4a() && values[ALGORITHM].equals(SigV4a.ALGORITHM))) {
            throw incomplete(FailureMessages.unsupportedAlgorithm(values[ALGORITHM]));
        }
        Instant requestTime = AmzDate.parseBasic(values[DATE]);
        if (requestTime == null) {
            throw incomplete(FailureMessages.malformedDate(values[DATE]));
        }
        Duration expires = values[EXPIRES] == null ? null : parseExpires(values[EXPIRES]);
        return signedRequest(SignedRequest.Form.PRESIGNED_QUERY, values[ALGORITHM], values[CREDENTIAL],
                values[SIGNED_HEADERS], values[SIGNATURE], requestTime, expires, values[SECURITY_TOKEN],
                values[REGION_SET]);
    }

    /**
     * {@code X-Amz-Expires}: whole seconds up to a week. Zero is well formed: where it is the URL's life (S3) the URL
     * has expired once its second has passed ("Request has expired", as S3 answers it); where the clock skew is the
     * life whatever it says, it is taken as STS takes it: a token generator that EKS clusters ran for years sent
     * {@code X-Amz-Expires=0}.
     */
    private Duration parseExpires(String text) throws SigV4Exception {
        long seconds;
        try {
            seconds = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw incomplete(FailureMessages.EXPIRES_NOT_A_NUMBER);
        }
        if (seconds < 0) {
            throw incomplete(FailureMessages.EXPIRES_NOT_POSITIVE);
        }
        if (seconds > MAX_EXPIRES_SECONDS) {
            throw incomplete(FailureMessages.EXPIRES_TOO_LARGE);
        }
        return Duration.ofSeconds(seconds);
    }

    /**
     * Checks the credential {@code AKID/YYYYMMDD/region/service/aws4_request} (SigV4a:
     * {@code AKID/YYYYMMDD/service/aws4_request}, the region set apart) and assembles the result.
     */
    private static SignedRequest signedRequest(SignedRequest.Form form, String algorithm, String credential,
            String signedHeaders, String signature, Instant requestTime, Duration expires, String securityToken,
            String regionSet) throws SigV4Exception {
        String amzDate = AmzDate.format(requestTime);
        boolean sigV4a = algorithm.equals(SigV4a.ALGORITHM);
        // Read in place: the slashes' positions, then only the parts kept become strings.
        int slashes = 0;
        for (int i = credential.indexOf('/'); i >= 0; i = credential.indexOf('/', i + 1)) {
            slashes++;
        }
        if (sigV4a) {
            if (isEmpty(regionSet)) {
                throw incomplete(FailureMessages.MISSING_REGION_SET);
            }
        }
        // SigV4a's credential has no region: the region set, apart, stands in for it.
        if (slashes != (sigV4a ? 3 : 4)) {
            throw incomplete(FailureMessages.malformedCredential(credential));
        }
        int dateStart = credential.indexOf('/') + 1;
        int dateEnd = credential.indexOf('/', dateStart);
        int serviceStart = sigV4a ? dateEnd + 1 : credential.indexOf('/', dateEnd + 1) + 1;
        int serviceEnd = credential.indexOf('/', serviceStart);
        int terminatorStart = serviceEnd + 1;
        String region = sigV4a ? regionSet.strip() : credential.substring(dateEnd + 1, serviceStart - 1);
        if (dateStart == 1 || region.isEmpty() || serviceEnd == serviceStart) {
            throw incomplete(FailureMessages.malformedCredential(credential));
        }
        if (!isKey(credential, terminatorStart, credential.length(), CredentialScope.TERMINATOR)) {
            throw mismatch(FailureMessages.wrongTerminator(credential.substring(terminatorStart)));
        }
        LocalDate scopeDate = CredentialScope.parseDate(credential, dateStart, dateEnd);
        if (scopeDate == null) {
            throw mismatch(FailureMessages.scopeDateMismatch(credential.substring(dateStart, dateEnd), amzDate));
        }
        CredentialScope scope;
        try {
            scope = new CredentialScope(scopeDate, region, credential.substring(serviceStart, serviceEnd));
        } catch (IllegalArgumentException e) {
            throw incomplete(FailureMessages.malformedCredential(credential));
        }
        // A signature in upper-case hex, or a SignedHeaders list that is not the canonical one (lower-case names,
        // sorted, each once, none empty), cannot equal what AWS computes: such a request fails as a signature
        // mismatch, after the checks that come before the signature's (the access key, the scope, the time).
        boolean canonical = isCanonicalSignedHeaders(signedHeaders);
        byte[] claimed = canonical ? Hex.decodeLowerCase(signature) : null;
        // The canonical list is already what the canonical request lists: its names, and itself joined.
        List<String> names = canonical ? List.of(fields(signedHeaders, ';')) : signedHeaderNames(signedHeaders);
        return new SignedRequest(form, sigV4a, credential.substring(0, dateStart - 1), scope, names,
                canonical ? signedHeaders : String.join(";", names), requestTime, amzDate, expires,
                isEmpty(securityToken) ? null : securityToken, claimed);
    }

    /**
     * Returns whether {@code signedHeaders} is written as the canonical request writes it (IAM User Guide, "Create a
     * signed AWS API request": "an alphabetically sorted, semicolon-separated list of lowercase request header
     * names"): a signer that sent anything else signed a different canonical request than the one verified.
     */
    static boolean isCanonicalSignedHeaders(String signedHeaders) {
        // Compared in place, each name with the one before it: no name becomes a string.
        int previousStart = -1;
        int previousEnd = -1;
        int start = 0;
        while (start <= signedHeaders.length()) {
            int end = signedHeaders.indexOf(';', start);
            if (end < 0) {
                end = signedHeaders.length();
            }
            if (end == start) {
                return false;
            }
            for (int i = start; i < end; i++) {
                char c = signedHeaders.charAt(i);
                if (c <= ' ' || c >= 0x7F || (c >= 'A' && c <= 'Z')) {
                    return false;
                }
            }
            if (previousStart >= 0
                    && compareRegions(signedHeaders, previousStart, previousEnd, start, end) >= 0) {
                return false;
            }
            previousStart = start;
            previousEnd = end;
            start = end + 1;
        }
        return true;
    }

    /** Compares two regions of {@code text} as {@link String#compareTo} compares them as strings. */
    private static int compareRegions(String text, int start1, int end1, int start2, int end2) {
        int length1 = end1 - start1;
        int length2 = end2 - start2;
        for (int i = 0; i < Math.min(length1, length2); i++) {
            char c1 = text.charAt(start1 + i);
            char c2 = text.charAt(start2 + i);
            if (c1 != c2) {
                return c1 - c2;
            }
        }
        return length1 - length2;
    }

    /** The algorithm that opens an {@code Authorization} header: the text before its first white space. */
    private static String algorithm(String value, int space) {
        if (space < 0) {
            return value;
        }
        // The usual names are returned as the constants they equal, not as new strings.
        if (space == SigV4.ALGORITHM.length() && value.startsWith(SigV4.ALGORITHM)) {
            return SigV4.ALGORITHM;
        }
        if (space == SigV4a.ALGORITHM.length() && value.startsWith(SigV4a.ALGORITHM)) {
            return SigV4a.ALGORITHM;
        }
        return value.substring(0, space);
    }

    /** Whether {@code c} ends a field of an {@code Authorization} header after its algorithm: a comma or a blank. */
    private static boolean isFieldSeparator(char c) {
        return c == ',' || Character.isWhitespace(c);
    }

    /** Whether {@code value} from {@code start} to {@code end} is exactly {@code key}. */
    private static boolean isKey(String value, int start, int end, String key) {
        return end - start == key.length() && value.startsWith(key, start);
    }

    /**
     * The parts of {@code text} between {@code separator}s, empty ones included ({@code "a//"} has three): what
     * {@code text.split(separator, -1)} returns, without the regular-expression machinery on the request path.
     */
    static String[] fields(String text, char separator) {
        int count = 1;
        for (int i = text.indexOf(separator); i >= 0; i = text.indexOf(separator, i + 1)) {
            count++;
        }
        String[] fields = new String[count];
        int start = 0;
        for (int n = 0; n < count - 1; n++) {
            int end = text.indexOf(separator, start);
            fields[n] = text.substring(start, end);
            start = end + 1;
        }
        fields[count - 1] = text.substring(start);
        return fields;
    }

    /** Returns the {@code ;}-separated names lower-cased, sorted and distinct, as the canonical request lists them. */
    private static List<String> signedHeaderNames(String signedHeaders) {
        List<String> names = new ArrayList<>(8);
        for (String name : fields(signedHeaders, ';')) {
            String lower = name.strip().toLowerCase(Locale.ROOT);
            if (!lower.isEmpty()) {
                names.add(lower);
            }
        }
        Collections.sort(names);
        for (int i = names.size() - 1; i > 0; i--) {
            if (names.get(i).equals(names.get(i - 1))) {
                names.remove(i);
            }
        }
        return names;
    }

    /**
     * Returns the decoded values of the presigned-URL parameters, indexed as {@link #QUERY_AUTH_PARAMETERS}, or
     * {@code null} if the query string is not an authentication attempt.
     */
    private static String[] queryAuthParameters(String rawQuery) throws SigV4Exception {
        if (rawQuery.indexOf("X-Amz-") < 0 && rawQuery.indexOf('%') < 0) {
            return null;
        }
        String[] values = new String[QUERY_AUTH_PARAMETERS.length];
        int start = 0;
        while (start <= rawQuery.length()) {
            int amp = rawQuery.indexOf('&', start);
            int end = amp < 0 ? rawQuery.length() : amp;
            int equals = rawQuery.indexOf('=', start);
            int keyEnd = equals < 0 || equals > end ? end : equals;
            String key = UriEncoding.decode(rawQuery, start, keyEnd);
            for (int i = 0; i < QUERY_AUTH_PARAMETERS.length; i++) {
                if (key.equals(QUERY_AUTH_PARAMETERS[i])) {
                    if (values[i] != null) {
                        throw incomplete(FailureMessages.duplicateQueryParameter(key) + ' '
                                + FailureMessages.REEXAMINE_QUERY);
                    }
                    values[i] = keyEnd < end ? UriEncoding.decode(rawQuery, keyEnd + 1, end) : "";
                }
            }
            start = end + 1;
        }
        for (int marker : QUERY_AUTH_MARKERS) {
            if (values[marker] != null) {
                return values;
            }
        }
        return null;
    }

    private static String onlyOnce(String previous, String value, String field) throws SigV4Exception {
        if (previous != null) {
            throw incomplete(FailureMessages.duplicateAuthorizationField(field));
        }
        return value;
    }

    private static void appendMissing(StringBuilder missing, boolean isMissing, String sentence) {
        if (isMissing) {
            if (missing.length() > 0) {
                missing.append(' ');
            }
            missing.append(sentence);
        }
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }

    private static int indexOfWhitespace(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isWhitespace(value.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static SigV4Exception incomplete(String message) {
        return new SigV4Exception(SigV4Failure.INCOMPLETE_SIGNATURE, message);
    }

    private static SigV4Exception mismatch(String message) {
        return new SigV4Exception(SigV4Failure.SIGNATURE_DOES_NOT_MATCH, message);
    }
}
