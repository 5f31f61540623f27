package org.opensts.verifier;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.opensts.sigv4.AwsChunkedDecoder;
import org.opensts.sigv4.ChecksumAlgorithm;
import org.opensts.sigv4.ChunkSignatures;
import org.opensts.sigv4.SigV2;
import org.opensts.sigv4.SigV4;
import org.opensts.sigv4.SigV4Exception;
import org.opensts.sigv4.SigV4Verifier;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SignedRequest;
import org.opensts.token.AccessKeyIds;
import org.opensts.token.InvalidTokenException;
import org.opensts.token.OpenedSession;
import org.opensts.token.Secret;
import org.opensts.token.Session;

/**
 * The {@link RequestAuthenticator}: finds who signed a request and checks the signature with the secret found. A
 * temporary ({@code ASIA…}) key is authenticated by opening its session token with the {@link SessionKeys}, which
 * needs no I/O; a long-term key is looked up in the {@link LongTermKeys}.
 *
 * <p>Services differ in how they canonicalize and what they accept, and AWS's rules are followed per service: for
 * {@code s3}, the path is neither normalized nor encoded twice, {@code x-amz-content-sha256} is required (a presigned
 * URL signs {@code UNSIGNED-PAYLOAD}), and {@code UNSIGNED-PAYLOAD} is accepted; every other service takes the
 * {@link SigV4Verifier.Options} given, and a body without {@code x-amz-content-sha256} is hashed. A presigned URL is
 * good for its {@code X-Amz-Expires} except for {@code sts}, which answers it for the clock skew around
 * {@code X-Amz-Date} ({@link SigV4Verifier.Options#honorPresignedExpires()}). Messages are worded as S3 words them
 * for {@code s3}, and as the Query services do for the rest.
 *
 * <p>Order of checks, as AWS's observable answers imply: the signature's structure, the credential scope's service,
 * the credentials (a session token must open and belong to the key; a long-term key must be known), the time window
 * and signature, for S3 that every {@code x-amz-*} header is signed ({@link S3Refusals}), then the session's expiry.
 * S3's refusals carry the extra elements of S3's error documents ({@link VerificationException#s3Details()}).
 * Thread-safe.
 */
public final class RequestVerifier implements RequestAuthenticator {
    static final String S3 = "s3";
    static final String STS = "sts";
    private static final String CONTENT_SHA256 = "x-amz-content-sha256";
    private static final String DECODED_CONTENT_LENGTH = "x-amz-decoded-content-length";
    private static final String TRAILER = "x-amz-trailer";
    /** The query parameters that authenticate an S3 Signature Version 2 presigned URL; each may be given once. */
    private static final Set<String> S3_V2_QUERY_AUTH =
            Set.of("AWSAccessKeyId", "Signature", "Expires", "x-amz-security-token");
    /** {@code values()} copies its array on every call. */
    private static final ChecksumAlgorithm[] CHECKSUM_ALGORITHMS = ChecksumAlgorithm.values();

    private final SessionKeys sessionKeys;
    private final LongTermKeys longTermKeys;
    private final Clock clock;
    private final SigV4Verifier queryServices;
    private final SigV4Verifier sts;
    private final SigV4Verifier s3;
    private final List<String> s3BaseHosts;
    private final boolean querySignatureV2;

    private RequestVerifier(Builder builder) {
        this.sessionKeys = requireNonNull(builder.sessionKeys, "sessionKeys");
        this.longTermKeys = requireNonNull(builder.longTermKeys, "longTermKeys");
        this.clock = requireNonNull(builder.clock, "clock");
        SigV4Verifier.Options options = requireNonNull(builder.options, "options");
        this.queryServices = SigV4Verifier.create(options);
        this.s3BaseHosts = List.copyOf(builder.s3BaseHosts);
        this.querySignatureV2 = builder.querySignatureV2;
        // STS answers a presigned request for the clock skew around X-Amz-Date whatever its X-Amz-Expires says (the
        // tokens of EKS's authenticator depend on it); S3, and SigV4 as documented for every service, keep to
        // X-Amz-Expires.
        this.sts = SigV4Verifier.create(options.withHonorPresignedExpires(false));
        this.s3 = SigV4Verifier.create(options.withNormalizePath(false).withDoubleEncodePath(false)
                .withAllowUnsignedPayload(true).withAllowSigV4a(true).withHonorPresignedExpires(true));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@inheritDoc}
     *
     * <p>The body is not available here: a signed hash is checked by the returned {@link PayloadCheck} as the body
     * streams. For a service other than S3 whose request has a body but no {@code x-amz-content-sha256}, the
     * signature itself covers the body's hash, so the signature is checked by {@link PayloadCheck#finish()}.
     */
    @Override
    public Verification verify(ReceivedRequest request, String service) throws VerificationException {
        requireNonNull(request, "request");
        return verify(toSignable(request, null), service, /* bodyKnown= */ false, s3BaseHosts);
    }

    /**
     * Authenticates a request as {@link #verify(ReceivedRequest, String)} does, with {@code s3BaseHosts} in place of
     * the builder's: the host names S3 is served at for this request (see {@link Builder#s3BaseHosts}), which decide
     * the bucket S3's Signature Version 2 signs for a virtual-hosted-style request. Empty: every request is taken as
     * path style.
     */
    public Verification verify(ReceivedRequest request, String service, Collection<String> s3BaseHosts)
            throws VerificationException {
        requireNonNull(request, "request");
        return verify(toSignable(request, null), service, /* bodyKnown= */ false, baseHosts(s3BaseHosts));
    }

    private static List<String> baseHosts(Collection<String> hosts) {
        var lowered = new ArrayList<String>(hosts.size());
        hosts.forEach(host -> lowered.add(host.strip().toLowerCase(Locale.ROOT)));
        return List.copyOf(lowered);
    }

    /**
     * Authenticates a request whose whole body the service has already read (a Query API call, a small upload): the
     * body is checked now, and the returned {@link PayloadCheck} owes nothing more.
     */
    public Verification verify(ReceivedRequest request, String service, ByteBuffer body)
            throws VerificationException {
        requireNonNull(request, "request");
        requireNonNull(body, "body");
        return verify(toSignable(request, body), service, /* bodyKnown= */ true, s3BaseHosts);
    }

    /**
     * Authenticates a request a transport has already assembled with its whole body, as
     * {@link #verify(ReceivedRequest, String, ByteBuffer)} does.
     */
    public Verification verifyBuffered(SignableRequest request, String service) throws VerificationException {
        requireNonNull(request, "request");
        return verify(request, service, /* bodyKnown= */ true, s3BaseHosts);
    }

    private Verification verify(SignableRequest request, String service, boolean bodyKnown, List<String> baseHosts)
            throws VerificationException {
        requireNonNull(service, "service");
        boolean isS3 = service.equals(S3);
        if (isS3) {
            requireOneAuthMechanism(request);
        }
        Verification signatureVersion2 = isS3 ? s3SignatureVersion2(request, bodyKnown, baseHosts)
                : querySignatureV2 ? querySignatureVersion2(request, service, bodyKnown) : null;
        if (signatureVersion2 != null) {
            return signatureVersion2;
        }
        SigV4Verifier sigV4 = isS3 ? s3 : service.equals(STS) ? sts : queryServices;
        SignedRequest signed;
        try {
            signed = sigV4.parse(request);
        } catch (SigV4Exception e) {
            throw isS3 ? S3Refusals.malformed(e, request) : translate(e, /* isS3= */ false, /* presigned= */ false);
        }
        boolean presigned = signed.form() == SignedRequest.Form.PRESIGNED_QUERY;
        if (isS3 && presigned && signed.expires().isEmpty()) {
            // S3's URL lives for its X-Amz-Expires: one without it has no life to check, and S3 refuses it.
            throw new VerificationException(VerificationFailure.MALFORMED_QUERY_AUTHENTICATION,
                    Messages.S3_V4_QUERY_PARTS);
        }
        String signedFor = signed.credentialScope().service();
        if (!signedFor.equals(service)) {
            if (isS3 && presigned) {
                throw new VerificationException(VerificationFailure.MALFORMED_QUERY_AUTHENTICATION,
                        Messages.wrongServicePresigned(signedFor, service));
            }
            throw isS3
                    ? new VerificationException(VerificationFailure.INCOMPLETE_SIGNATURE,
                            Messages.wrongService(true, signedFor, service))
                    : new VerificationException(VerificationFailure.SIGNATURE_DOES_NOT_MATCH,
                            Messages.wrongService(false, signedFor, service));
        }
        Signer signer = signer(signed.accessKeyId(), signed.securityToken(), isS3);
        Instant now = clock.instant();
        Payload payload = payload(request, isS3, presigned, bodyKnown);
        byte[] secret = signer.secret().revealBytes();
        try {
            if (payload.line() != null) {
                sigV4.verify(signed, request, secret, now, payload.line());
            }
        } catch (SigV4Exception e) {
            VerificationException failure = translate(e, isS3, presigned);
            throw isS3 ? S3Refusals.explained(failure, sigV4, signed, request, payload.line(), now) : failure;
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        if (isS3) {
            // S3 refuses any x-amz-* header the signature does not cover: each can change what the request does.
            S3Refusals.requireSignedAmzHeaders(request, signed);
        }
        Optional<Session> session = signer.caller().session();
        if (session.isPresent() && session.get().isExpiredAt(now)) {
            throw new VerificationException(VerificationFailure.EXPIRED_TOKEN,
                    isS3 ? Messages.S3_EXPIRED_TOKEN : Messages.QUERY_EXPIRED_TOKEN);
        }
        PayloadCheck check;
        if (payload.streaming() != Streaming.NONE) {
            check = chunked(request, payload.streaming(), sigV4, signed, signer);
        } else if (payload.line() == null) {
            check = PayloadChecks.deferredSignature(contentLength(request), isS3, computedHash -> {
                byte[] key = signer.secret().revealBytes();
                try {
                    sigV4.verify(signed, request, key, now, computedHash);
                } catch (SigV4Exception e) {
                    throw translate(e, isS3, presigned);
                } finally {
                    Arrays.fill(key, (byte) 0);
                }
            });
        } else if (bodyKnown) {
            if (payload.expectedHash() != null) {
                PayloadChecks.checkHash(payload.expectedHash(), request.body(), isS3);
            }
            check = PayloadChecks.alreadyChecked(request.bodyLength());
        } else if (payload.expectedHash() != null) {
            check = PayloadChecks.signedHash(payload.expectedHash(), contentLength(request), isS3);
        } else {
            check = PayloadChecks.unsigned(contentLength(request), isS3);
        }
        check = PayloadChecks.withChecksumHeaders(check, checksumHeaders(request, payload.streaming()),
                isS3 ? request.firstHeader("Content-MD5").orElse(null) : null, bodyKnown ? request.body() : null);
        if (signer.caller().session().isEmpty()) {
            longTermKeys.used(signed.accessKeyId(), now, signed.credentialScope().region(), service);
        }
        return new Verification(signer.caller(), signed.credentialScope().region(), signedFor, check);
    }

    /**
     * What the canonical request's last line is and how the body must be checked.
     *
     * @param line the payload hash line to verify the signature with; {@code null} when it is the hash of a body
     *     still to come
     * @param expectedHash the hex SHA-256 the body must have, or {@code null} when the body is unsigned or the
     *     signature itself will be checked over it
     */
    private record Payload(String line, String expectedHash, Streaming streaming) {
        Payload(String line, String expectedHash) {
            this(line, expectedHash, Streaming.NONE);
        }
    }

    /** The {@code aws-chunked} forms of {@code x-amz-content-sha256}. */
    enum Streaming {
        NONE(null, false, false),
        SIGNED("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", true, false),
        SIGNED_TRAILER("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", true, true),
        UNSIGNED_TRAILER("STREAMING-UNSIGNED-PAYLOAD-TRAILER", false, true);

        final String value;
        final boolean signed;
        final boolean trailer;

        Streaming(String value, boolean signed, boolean trailer) {
            this.value = value;
            this.signed = signed;
            this.trailer = trailer;
        }

        static Streaming of(String declared) {
            for (Streaming streaming : values()) {
                if (declared.equals(streaming.value)) {
                    return streaming;
                }
            }
            return NONE;
        }
    }

    private static Payload payload(SignableRequest request, boolean isS3, boolean presigned, boolean bodyKnown)
            throws VerificationException {
        Optional<String> header = request.firstHeader(CONTENT_SHA256).map(String::strip);
        if (header.isEmpty()) {
            if (isS3) {
                if (presigned) {
                    // A presigned URL cannot know the body it will carry: S3 signs it as unsigned.
                    return new Payload(SigV4.UNSIGNED_PAYLOAD, null);
                }
                throw new VerificationException(VerificationFailure.MISSING_CONTENT_SHA256,
                        Messages.S3_MISSING_CONTENT_SHA256);
            }
            if (bodyKnown) {
                // The signature is checked over the body's own hash: the body owes no second check, nor hashing twice.
                return new Payload(PayloadChecks.sha256Hex(request.body()), null);
            }
            if (hasNoBody(request)) {
                return new Payload(PayloadChecks.EMPTY_SHA256, PayloadChecks.EMPTY_SHA256);
            }
            return new Payload(null, null);
        }
        String declared = header.get();
        if (declared.equals(SigV4.UNSIGNED_PAYLOAD)) {
            if (!isS3) {
                // Query services read their parameters from the body: an unsigned one could be rewritten in flight.
                throw new VerificationException(VerificationFailure.SIGNATURE_DOES_NOT_MATCH,
                        Messages.QUERY_SIGNATURE_DOES_NOT_MATCH);
            }
            return new Payload(declared, null);
        }
        Streaming streaming = Streaming.of(declared);
        if (streaming != Streaming.NONE) {
            if (!isS3) {
                throw new VerificationException(VerificationFailure.SIGNATURE_DOES_NOT_MATCH,
                        Messages.QUERY_SIGNATURE_DOES_NOT_MATCH);
            }
            return new Payload(declared, null, streaming);
        }
        if (isSha256Hex(declared)) {
            return new Payload(declared, declared.toLowerCase(Locale.ROOT));
        }
        if (isS3) {
            throw new VerificationException(VerificationFailure.INVALID_CONTENT_SHA256,
                    Messages.S3_INVALID_CONTENT_SHA256, S3Refusals.argument(CONTENT_SHA256, declared));
        }
        throw new VerificationException(VerificationFailure.SIGNATURE_DOES_NOT_MATCH,
                Messages.QUERY_SIGNATURE_DOES_NOT_MATCH);
    }

    private static PayloadCheck chunked(SignableRequest request, Streaming streaming, SigV4Verifier sigV4,
            SignedRequest signed, Signer signer) throws VerificationException {
        Optional<String> lengthHeader = request.firstHeader(DECODED_CONTENT_LENGTH);
        long decodedLength;
        try {
            decodedLength = lengthHeader.isEmpty() ? -1 : Long.parseLong(lengthHeader.get().strip());
        } catch (NumberFormatException e) {
            decodedLength = -1;
        }
        if (decodedLength < 0) {
            // S3 cannot tell where an aws-chunked object ends without the decoded length.
            throw new VerificationException(VerificationFailure.MALFORMED_BODY, Messages.S3_MISSING_DECODED_LENGTH);
        }
        List<String> trailers = streaming.trailer
                ? request.firstHeader(TRAILER).map(AwsChunkedDecoder::trailerNames).orElse(List.of())
                : List.of();
        ChunkSignatures signatures = null;
        if (streaming.signed && signed.isSigV4a()) {
            // The chunks of a SigV4a request are signed with ECDSA (STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD), never
            // with an HMAC chain seeded by an ECDSA signature.
            throw new VerificationException(VerificationFailure.SIGNATURE_DOES_NOT_MATCH,
                    Messages.S3_SIGNATURE_DOES_NOT_MATCH);
        }
        if (streaming.signed) {
            byte[] secret = signer.secret().revealBytes();
            try {
                signatures = sigV4.chunkSignatures(signed, secret);
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        }
        return new ChunkedPayloadCheck(AwsChunkedDecoder.create(signatures, streaming.trailer, trailers,
                decodedLength), decodedLength);
    }

    /** The {@code x-amz-checksum-…} headers of a body that carries its checksum in a header, not in a trailer. */
    static Map<ChecksumAlgorithm, String> checksumHeaders(SignableRequest request, Streaming streaming) {
        if (streaming.trailer) {
            return Map.of();
        }
        Map<ChecksumAlgorithm, String> expected = null; // made for the few requests that send one
        for (ChecksumAlgorithm algorithm : CHECKSUM_ALGORITHMS) {
            Optional<String> value = request.firstHeader(algorithm.headerName());
            if (value.isPresent()) {
                if (expected == null) {
                    expected = new EnumMap<>(ChecksumAlgorithm.class);
                }
                expected.put(algorithm, value.get().strip());
            }
        }
        return expected == null ? Map.of() : expected;
    }

    // Signature Version 2: S3's (header and query) and the Query API's. No scope, so the region is us-east-1.

    private static final String V2_REGION = "us-east-1";

    /**
     * Refuses an S3 request that carries more than one of S3's ways to authenticate, as S3 does: whichever one were
     * checked, the others would be left for a service or a log to trust (a URL naming one principal's
     * {@code X-Amz-Credential} while another's header is the one verified).
     */
    private static void requireOneAuthMechanism(SignableRequest request) throws VerificationException {
        Optional<String> authorization = request.firstHeader("Authorization").filter(value -> !value.isBlank());
        String query = request.query();
        boolean sigV4Query = false;
        boolean sigV2Query = false;
        // Most requests carry none of the names, even percent-encoded: their query is not split.
        if (query.contains("X-Amz-") || query.contains("Signature") || query.indexOf('%') >= 0) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                try {
                    name = URLDecoder.decode(name, UTF_8);
                } catch (IllegalArgumentException e) {
                    continue; // not a name any mechanism uses
                }
                // SigV4's markers of a presigned URL, as SigV4Verifier reads them; Signature Version 2's signature.
                sigV4Query |= name.equals("X-Amz-Algorithm") || name.equals("X-Amz-Credential")
                        || name.equals("X-Amz-Signature");
                sigV2Query |= name.equals("Signature");
            }
        }
        int mechanisms = (authorization.isPresent() ? 1 : 0) + (sigV4Query ? 1 : 0) + (sigV2Query ? 1 : 0);
        if (mechanisms > 1) {
            throw new VerificationException(VerificationFailure.MORE_THAN_ONE_AUTH_MECHANISM,
                    Messages.S3_ONE_AUTH_MECHANISM, S3Refusals.argument("Authorization", authorization.orElse("")));
        }
    }

    /** Verifies S3's Signature Version 2, or returns {@code null} if the request does not use it. */
    private Verification s3SignatureVersion2(SignableRequest request, boolean bodyKnown, List<String> baseHosts)
            throws VerificationException {
        Optional<String> authorization = request.firstHeader("Authorization").map(String::strip);
        boolean header = authorization.isPresent() && authorization.get().startsWith("AWS ");
        // Only a query that names a Signature Version 2 part is read here; anything else is SigV4's to judge.
        boolean mentionsV2 = request.query().contains("AWSAccessKeyId") || request.query().contains("Signature=");
        Map<String, String> query = header || !mentionsV2 ? Map.of() : parameters(request.query());
        boolean presigned = !header && (query.containsKey("AWSAccessKeyId") || query.containsKey("Signature"))
                && !query.containsKey("X-Amz-Signature");
        if (!header && !presigned) {
            return null;
        }
        Instant now = clock.instant();
        String accessKeyId;
        String signature;
        String dateLine;
        Optional<String> token;
        Map<String, List<String>> amzHeaders = new TreeMap<>();
        for (int i = 0; i < request.headerCount(); i++) {
            String name = request.headerName(i).toLowerCase(Locale.ROOT);
            if (name.startsWith("x-amz-")) {
                amzHeaders.computeIfAbsent(name, key -> new ArrayList<>()).add(request.headerValue(i));
            }
        }
        String contentMd5 = request.firstHeader("Content-MD5").orElse("");
        String contentType = request.firstHeader("Content-Type").orElse("");
        if (header) {
            String credentials = authorization.get().substring(4).strip();
            int colon = credentials.lastIndexOf(':');
            if (colon <= 0 || colon == credentials.length() - 1) {
                throw new VerificationException(VerificationFailure.INCOMPLETE_SIGNATURE,
                        Messages.S3_V2_MALFORMED_HEADER);
            }
            accessKeyId = credentials.substring(0, colon);
            signature = credentials.substring(colon + 1);
            Optional<String> amzDate = request.firstHeader("x-amz-date");
            Optional<String> date = request.firstHeader("Date");
            Instant requestTime = amzDate.or(() -> date).map(RequestVerifier::httpDate).orElse(null);
            if (requestTime == null) {
                throw new VerificationException(VerificationFailure.MISSING_DATE, Messages.S3_NO_DATE);
            }
            Duration skew = queryServices.options().maxClockSkew();
            if (requestTime.isBefore(now.minus(skew)) || requestTime.isAfter(now.plus(skew))) {
                throw new VerificationException(VerificationFailure.REQUEST_TIME_TOO_SKEWED,
                        Messages.S3_TIME_TOO_SKEWED, S3Refusals.skew(amzDate.or(() -> date).get(), now, skew));
            }
            // With x-amz-date the Date line is empty: x-amz-date is signed among the x-amz- headers.
            dateLine = amzDate.isPresent() ? "" : date.get();
            token = request.firstHeader("x-amz-security-token").map(String::strip);
        } else {
            accessKeyId = query.get("AWSAccessKeyId");
            signature = query.get("Signature");
            dateLine = query.get("Expires");
            if (isEmpty(accessKeyId) || isEmpty(signature) || isEmpty(dateLine)
                    || repeatsAnyOf(request.query(), S3_V2_QUERY_AUTH)) {
                // Given twice, a part is as good as missing: a service reading the other copy would act on a
                // key, signature or expiry that was never verified.
                throw new VerificationException(VerificationFailure.MALFORMED_QUERY_AUTHENTICATION_V2,
                        Messages.S3_V2_QUERY_PARTS);
            }
            long expires;
            try {
                expires = Long.parseLong(dateLine);
            } catch (NumberFormatException e) {
                throw new VerificationException(VerificationFailure.MALFORMED_QUERY_AUTHENTICATION_V2,
                        Messages.S3_V2_QUERY_PARTS);
            }
            if (now.getEpochSecond() > expires) {
                throw new VerificationException(VerificationFailure.REQUEST_EXPIRED, Messages.S3_REQUEST_EXPIRED,
                        S3Refusals.expired(Optional.empty(), Instant.ofEpochSecond(expires), now));
            }
            // A presigned URL carries the x-amz- values it signed (the session token among them) as parameters.
            query.forEach((name, value) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.startsWith("x-amz-")) {
                    amzHeaders.computeIfAbsent(lower, key -> new ArrayList<>()).add(value);
                }
            });
            token = Optional.ofNullable(query.get("x-amz-security-token")).or(() ->
                    request.firstHeader("x-amz-security-token")).map(String::strip);
            if (contentMd5.isEmpty()) {
                contentMd5 = query.getOrDefault("Content-MD5", query.getOrDefault("content-md5", ""));
            }
            if (contentType.isEmpty()) {
                contentType = query.getOrDefault("Content-Type", query.getOrDefault("content-type", ""));
            }
        }
        Signer signer = signer(accessKeyId, token, /* isS3= */ true);
        // A path-style bucket alone (GET /photos) verifies against /photos and /photos/: see s3StringsToSign.
        String bucket = bucketOf(request, baseHosts);
        List<String> stringsToSign = SigV2.s3StringsToSign(request.method(), contentMd5, contentType, dateLine,
                amzHeaders, bucket, request.path(), request.query());
        if (!verifyV2("HmacSHA1", signer, stringsToSign, signature)) {
            // The refusal shows the last: for a bucket alone, the /bucket/ form that AWS SDKs sign.
            throw new VerificationException(VerificationFailure.SIGNATURE_DOES_NOT_MATCH,
                    Messages.S3_SIGNATURE_DOES_NOT_MATCH, S3Refusals.mismatchV2(accessKeyId,
                            stringsToSign.get(stringsToSign.size() - 1), signature));
        }
        String signedResource = SigV2.s3CanonicalResource(bucket, request.path(), "");
        return verifiedV2(signer, request, S3, now, /* isS3= */ true, bodyKnown, Optional.of(signedResource));
    }

    /** Verifies the Query API's Signature Version 2, or returns {@code null} if the request does not use it. */
    private Verification querySignatureVersion2(SignableRequest request, String service, boolean bodyKnown)
            throws VerificationException {
        // Only parameters that name SignatureVersion are read here; anything else is SigV4's to judge.
        boolean inQuery = request.query().contains("SignatureVersion");
        String form = null;
        if (bodyKnown && request.method().equals("POST") && request.firstHeader("Content-Type")
                .map(type -> type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded"))
                .orElse(false)) {
            byte[] body = new byte[request.bodyLength()];
            request.body().get(body);
            form = new String(body, UTF_8);
        }
        boolean inBody = form != null && form.contains("SignatureVersion");
        if (!inQuery && !inBody) {
            return null;
        }
        // Every parameter is signed once: a repeated name (in the query, or in both the query and the body) would
        // leave one of its values unsigned, and a service could act on that one.
        Map<String, String> parameters = new LinkedHashMap<>(parameters(request.query(), true));
        if (form != null) {
            for (Map.Entry<String, String> parameter : parameters(form, true).entrySet()) {
                if (parameters.putIfAbsent(parameter.getKey(), parameter.getValue()) != null) {
                    throw new VerificationException(VerificationFailure.INCOMPLETE_SIGNATURE,
                            Messages.QUERY_V2_REPEATED);
                }
            }
        }
        if (!parameters.containsKey("SignatureVersion")) {
            return null;
        }
        String accessKeyId = parameters.get("AWSAccessKeyId");
        String signature = parameters.get("Signature");
        String method = parameters.get("SignatureMethod");
        String timestamp = parameters.get("Timestamp");
        String expires = parameters.get("Expires");
        if (!"2".equals(parameters.get("SignatureVersion")) || isEmpty(accessKeyId) || isEmpty(signature)
                || !("HmacSHA256".equals(method) || "HmacSHA1".equals(method))
                || isEmpty(timestamp) == isEmpty(expires)) {
            throw new VerificationException(VerificationFailure.INCOMPLETE_SIGNATURE, Messages.QUERY_V2_PARTS);
        }
        Instant now = clock.instant();
        Instant time = isoTime(isEmpty(timestamp) ? expires : timestamp);
        Duration skew = queryServices.options().maxClockSkew();
        if (isEmpty(timestamp) ? now.isAfter(time) : time.isBefore(now.minus(skew)) || time.isAfter(now.plus(skew))) {
            throw new VerificationException(isEmpty(timestamp) ? VerificationFailure.REQUEST_EXPIRED
                    : VerificationFailure.REQUEST_TIME_TOO_SKEWED, Messages.QUERY_V2_EXPIRED);
        }
        Signer signer = signer(accessKeyId, Optional.ofNullable(parameters.get("SecurityToken")), false);
        String host = request.firstHeader("Host").orElse("").strip();
        String stringToSign = SigV2.queryStringToSign(request.method(), host, request.path(), parameters);
        if (!verifyV2(method, signer, List.of(stringToSign), signature)) {
            throw new VerificationException(VerificationFailure.SIGNATURE_DOES_NOT_MATCH,
                    Messages.QUERY_SIGNATURE_DOES_NOT_MATCH);
        }
        return verifiedV2(signer, request, service, now, /* isS3= */ false, bodyKnown, Optional.empty());
    }

    /** Whether {@code signature} signs one of {@code stringsToSign}; each is compared in constant time. */
    private static boolean verifyV2(String algorithm, Signer signer, List<String> stringsToSign, String signature) {
        byte[] secret = signer.secret().revealBytes();
        try {
            boolean verified = false;
            for (String stringToSign : stringsToSign) {
                verified |= SigV2.verify(algorithm, secret, stringToSign, signature);
            }
            return verified;
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** The end of a Signature Version 2 check: the session's expiry, the body (unsigned), the key's use. */
    private Verification verifiedV2(Signer signer, SignableRequest request, String service, Instant now,
            boolean isS3, boolean bodyKnown, Optional<String> signedS3Resource) throws VerificationException {
        Optional<Session> session = signer.caller().session();
        if (session.isPresent() && session.get().isExpiredAt(now)) {
            throw new VerificationException(VerificationFailure.EXPIRED_TOKEN,
                    isS3 ? Messages.S3_EXPIRED_TOKEN : Messages.QUERY_EXPIRED_TOKEN);
        }
        PayloadCheck check = bodyKnown ? PayloadChecks.alreadyChecked(request.bodyLength())
                : PayloadChecks.unsigned(contentLength(request), isS3);
        check = PayloadChecks.withChecksumHeaders(check, checksumHeaders(request, Streaming.NONE),
                isS3 ? request.firstHeader("Content-MD5").orElse(null) : null, bodyKnown ? request.body() : null);
        if (session.isEmpty()) {
            longTermKeys.used(signer.caller().accessKeyId(), now, V2_REGION, service);
        }
        return new Verification(signer.caller(), V2_REGION, service, check, /* regionSigned= */ false,
                signedS3Resource);
    }

    /**
     * The bucket a virtual-hosted-style {@code Host} names under {@code baseHosts}, or null for a path-style request:
     * a {@code Host} that is a base host itself, or under none. Under nested bases ({@code s3.example.com} and
     * {@code example.com}) the longest that matches is the one served, whatever their order.
     */
    private static String bucketOf(SignableRequest request, List<String> baseHosts) {
        String host = request.firstHeader("Host").orElse("").strip().toLowerCase(Locale.ROOT);
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && host.indexOf(']') < colon) {
            host = host.substring(0, colon);
        }
        if (baseHosts.contains(host)) {
            return null;
        }
        String served = null;
        for (String base : baseHosts) {
            if (host.length() > base.length() + 1 && host.endsWith("." + base)
                    && (served == null || base.length() > served.length())) {
                served = base;
            }
        }
        return served == null ? null : host.substring(0, host.length() - served.length() - 1);
    }

    /**
     * Whether a raw query gives one of {@code names} more than once (names compared after decoding; an
     * {@code x-amz-*} name in any case, as the signature reads those).
     */
    private static boolean repeatsAnyOf(String rawQuery, Set<String> names) {
        Set<String> seen = new HashSet<>();
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name;
            try {
                name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), UTF_8);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (name.regionMatches(true, 0, "x-amz-", 0, 6)) {
                name = name.toLowerCase(Locale.ROOT);
            }
            if (names.contains(name) && !seen.add(name)) {
                return true;
            }
        }
        return false;
    }

    /** The decoded parameters of a query string or form body; the first of a repeated name wins. */
    private static Map<String, String> parameters(String text) throws VerificationException {
        return parameters(text, false);
    }

    /** The decoded parameters of a query string or form body; a repeated name is refused if {@code unique}. */
    private static Map<String, String> parameters(String text, boolean unique) throws VerificationException {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return parameters;
        }
        try {
            for (String pair : text.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), UTF_8);
                if (parameters.putIfAbsent(name, value) != null && unique) {
                    throw new VerificationException(VerificationFailure.INCOMPLETE_SIGNATURE,
                            Messages.QUERY_V2_REPEATED);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new VerificationException(VerificationFailure.INCOMPLETE_SIGNATURE, Messages.QUERY_V2_PARTS);
        }
        return parameters;
    }

    private static Instant httpDate(String text) {
        try {
            return ZonedDateTime.parse(text.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant isoTime(String text) throws VerificationException {
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw new VerificationException(VerificationFailure.INCOMPLETE_SIGNATURE, Messages.QUERY_V2_PARTS);
        }
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }

    /** Who a key belongs to, and the secret its signature must verify with. */
    private record Signer(VerifiedCaller caller, Secret secret) {
        @Override
        public String toString() {
            return "Signer[" + caller.accessKeyId() + ']';
        }
    }

    private Signer signer(String accessKeyId, Optional<String> token, boolean isS3) throws VerificationException {
        if (accessKeyId.startsWith(AccessKeyIds.TEMPORARY_PREFIX)) {
            OpenedSession opened = openSession(accessKeyId, token, isS3);
            return new Signer(VerifiedCaller.ofSession(opened.session()), opened.secretAccessKey());
        }
        if (token.isPresent()) {
            // A session token belongs with the temporary key it was issued for, never with a long-term key.
            throw invalidToken(isS3);
        }
        LongTermKeys.LongTermKey key = longTermKeys.find(accessKeyId).orElseThrow(() -> isS3
                ? S3Refusals.unknownAccessKey(accessKeyId)
                : new VerificationException(VerificationFailure.UNKNOWN_ACCESS_KEY, Messages.QUERY_INVALID_TOKEN));
        return new Signer(VerifiedCaller.ofUser(key.accountId(), key.userArn(), key.userId(), accessKeyId),
                key.secretAccessKey());
    }

    private OpenedSession openSession(String accessKeyId, Optional<String> token, boolean isS3)
            throws VerificationException {
        if (token.isEmpty()) {
            // S3 does not know a temporary key without its token: it answers as for any unknown key, and so does
            // the s3Code of a request verified for another service (the Query APIs' InvalidClientTokenId alike).
            throw isS3 ? S3Refusals.unknownAccessKey(accessKeyId)
                    : new VerificationException(VerificationFailure.UNKNOWN_ACCESS_KEY, Messages.QUERY_INVALID_TOKEN);
        }
        OpenedSession opened;
        try {
            opened = sessionKeys.codec().open(token.get());
        } catch (InvalidTokenException first) {
            // Another node may have rotated a moment ago: reload once if the token names a key we lack. Any other
            // refusal is final; opening again would only decrypt a forgery twice.
            if (first.reason() != InvalidTokenException.Reason.UNKNOWN_KEY) {
                throw invalidToken(isS3);
            }
            OptionalInt keyId = sessionKeys.codec().peekUnverifiedKeyId(token.get());
            if (keyId.isEmpty() || !sessionKeys.reloadFor(keyId.getAsInt())) {
                throw invalidToken(isS3);
            }
            try {
                opened = sessionKeys.codec().open(token.get());
            } catch (InvalidTokenException second) {
                throw invalidToken(isS3);
            }
        }
        if (!opened.session().accessKeyId().equals(accessKeyId)) {
            throw invalidToken(isS3);
        }
        return opened;
    }

    private static VerificationException invalidToken(boolean isS3) {
        return new VerificationException(VerificationFailure.INVALID_TOKEN,
                isS3 ? Messages.S3_INVALID_TOKEN : Messages.QUERY_INVALID_TOKEN);
    }

    /** The failure a service returns for a SigV4 failure, worded in its dialect. */
    static VerificationException translate(SigV4Exception e, boolean isS3, boolean presigned) {
        return switch (e.failure()) {
            case MISSING_AUTHENTICATION_TOKEN -> new VerificationException(VerificationFailure.MISSING_AUTHENTICATION,
                    isS3 ? Messages.S3_ACCESS_DENIED : e.getMessage());
            case INCOMPLETE_SIGNATURE -> new VerificationException(VerificationFailure.INCOMPLETE_SIGNATURE,
                    e.getMessage());
            case SIGNATURE_DOES_NOT_MATCH -> new VerificationException(VerificationFailure.SIGNATURE_DOES_NOT_MATCH,
                    isS3 && e.getMessage().equals(Messages.QUERY_SIGNATURE_DOES_NOT_MATCH)
                            ? Messages.S3_SIGNATURE_DOES_NOT_MATCH : e.getMessage());
            case SIGNATURE_EXPIRED -> new VerificationException(outOfDate(presigned),
                    !isS3 ? e.getMessage() : presigned ? Messages.S3_REQUEST_EXPIRED : Messages.S3_TIME_TOO_SKEWED);
            case SIGNATURE_NOT_YET_CURRENT -> new VerificationException(outOfDate(presigned),
                    !isS3 ? e.getMessage() : presigned ? Messages.S3_NOT_YET_VALID : Messages.S3_TIME_TOO_SKEWED);
        };
    }

    /** A presigned URL outside its validity has expired; a signed request outside the clock skew is skewed. */
    private static VerificationFailure outOfDate(boolean presigned) {
        return presigned ? VerificationFailure.REQUEST_EXPIRED : VerificationFailure.REQUEST_TIME_TOO_SKEWED;
    }

    private static boolean isSha256Hex(String value) {
        if (value.length() != 64) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.digit(value.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether the request says it has no body: no {@code Transfer-Encoding} and no or a zero Content-Length. */
    private static boolean hasNoBody(SignableRequest request) {
        if (request.firstHeader("Transfer-Encoding").isPresent()) {
            return false;
        }
        OptionalLong length = contentLength(request);
        return length.isEmpty() || length.getAsLong() == 0;
    }

    static OptionalLong contentLength(SignableRequest request) {
        Optional<String> header = request.firstHeader("Content-Length");
        if (header.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long length = Long.parseLong(header.get().strip());
            return length < 0 ? OptionalLong.empty() : OptionalLong.of(length);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static SignableRequest toSignable(ReceivedRequest request, ByteBuffer body) {
        SignableRequest.Builder builder = SignableRequest.builder()
                .method(request.method())
                .path(request.rawPath())
                .query(request.rawQuery());
        for (ReceivedRequest.Header header : request.headers()) {
            builder.addHeader(header.name(), header.value());
        }
        if (body != null) {
            builder.body(body);
        }
        return builder.build();
    }

    /** Builds a {@link RequestVerifier}; the key SPIs and the clock are required. */
    public static final class Builder {
        private SessionKeys sessionKeys;
        private LongTermKeys longTermKeys;
        private Clock clock = Clock.systemUTC();
        private SigV4Verifier.Options options = SigV4Verifier.Options.defaults();
        private final List<String> s3BaseHosts = new ArrayList<>();
        private boolean querySignatureV2 = true;

        private Builder() {
        }

        /** Opens the session tokens of temporary keys. */
        public Builder sessionKeys(SessionKeys sessionKeys) {
            this.sessionKeys = requireNonNull(sessionKeys, "sessionKeys");
            return this;
        }

        /** Finds long-term keys. */
        public Builder longTermKeys(LongTermKeys longTermKeys) {
            this.longTermKeys = requireNonNull(longTermKeys, "longTermKeys");
            return this;
        }

        /** The time requests and sessions are checked against; the system's UTC clock unless set. */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The clock skew, signing-key cache and canonicalization of the services other than S3 (S3's path rules are
         * fixed by S3, and STS's presigned-URL lifetime by STS); {@link SigV4Verifier.Options#defaults()} unless set.
         */
        public Builder options(SigV4Verifier.Options options) {
            this.options = requireNonNull(options, "options");
            return this;
        }

        /**
         * The host names S3 is served at, e.g. {@code s3.example.com}: a request to {@code photos.s3.example.com} is
         * for the bucket {@code photos} (virtual-hosted style), which S3's Signature Version 2 signs as part of the
         * resource. Without them every request is taken as path style.
         */
        public Builder s3BaseHosts(Collection<String> baseHosts) {
            baseHosts.forEach(host -> s3BaseHosts.add(host.strip().toLowerCase(Locale.ROOT)));
            return this;
        }

        /**
         * Whether the Query API's Signature Version 2 ({@code SignatureVersion=2}) is accepted for services other
         * than S3; true unless set. Its parameters travel in the query string, or in a form body given to
         * {@link RequestVerifier#verify(ReceivedRequest, String, ByteBuffer)}.
         */
        public Builder querySignatureV2(boolean accepted) {
            this.querySignatureV2 = accepted;
            return this;
        }

        public RequestVerifier build() {
            return new RequestVerifier(this);
        }
    }
}
