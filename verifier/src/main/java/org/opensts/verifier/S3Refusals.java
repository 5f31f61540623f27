package org.opensts.verifier;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URLDecoder;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.opensts.sigv4.CanonicalRequest;
import org.opensts.sigv4.SigV4Exception;
import org.opensts.sigv4.SigV4Failure;
import org.opensts.sigv4.SigV4Verifier;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SignedRequest;

/**
 * S3's own answers to a request that fails authentication, where S3 departs from the Query services: its codes for a
 * malformed presigned URL, a missing date or payload hash and unsigned {@code x-amz-*} headers, and the extra elements
 * its error documents carry (Amazon S3 API Reference, "Error responses"; the element names and forms are those of S3's
 * recorded answers).
 *
 * <p>Nothing here reads a secret: the string to sign and the canonical request are computed from the request, exactly
 * what the client computed itself, so that a client can find where its signing differs. The signature S3 would have
 * computed is never shown.
 */
final class S3Refusals {
    private static final String X_AMZ_PREFIX = "x-amz-";
    private static final String CONTENT_SHA256 = "x-amz-content-sha256";
    /** {@code X-Amz-Date}'s ISO 8601 basic format. */
    private static final DateTimeFormatter BASIC = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT);
    /** Only these query parameters make a request a presigned-URL attempt (SigV4's required markers). */
    private static final String[] QUERY_AUTH_MARKERS = {"X-Amz-Algorithm=", "X-Amz-Credential=", "X-Amz-Signature="};
    /** The parameters S3 requires of a SigV4 presigned URL, as its answer to a missing one names them. */
    private static final List<String> QUERY_AUTH_REQUIRED = List.of("X-Amz-Algorithm", "X-Amz-Credential",
            "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires");

    private S3Refusals() {
    }

    /**
     * S3's answer to a SigV4 signature whose structure is wrong: a presigned URL's malformed parameters are
     * {@code AuthorizationQueryParametersError}; a header-signed request without a valid {@code X-Amz-Date} or
     * {@code Date} is {@code AccessDenied}, as S3 checks the date before the header's other parts.
     */
    static VerificationException malformed(SigV4Exception e, SignableRequest request) {
        if (e.failure() == SigV4Failure.INCOMPLETE_SIGNATURE) {
            if (isPresignedAttempt(request)) {
                return new VerificationException(VerificationFailure.MALFORMED_QUERY_AUTHENTICATION,
                        missesAQueryParameter(request) ? Messages.S3_V4_QUERY_PARTS : e.getMessage());
            }
            if (request.firstHeader("Authorization").isPresent() && !hasValidDate(request)) {
                return new VerificationException(VerificationFailure.MISSING_DATE, Messages.S3_NO_DATE);
            }
        }
        return RequestVerifier.translate(e, /* isS3= */ true, /* presigned= */ isPresignedAttempt(request));
    }

    /** Whether one of the parameters S3 requires of a presigned URL is absent or empty in the request's query. */
    static boolean missesAQueryParameter(SignableRequest request) {
        var given = new HashSet<String>();
        for (String pair : request.query().split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && equals < pair.length() - 1) {
                given.add(pair.substring(0, equals));
            }
        }
        return !given.containsAll(QUERY_AUTH_REQUIRED);
    }

    /** Whether the request has no {@code Authorization} header and its query carries SigV4's presigned parameters. */
    private static boolean isPresignedAttempt(SignableRequest request) {
        if (request.firstHeader("Authorization").filter(value -> !value.isBlank()).isPresent()) {
            return false;
        }
        String query = request.query();
        for (String marker : QUERY_AUTH_MARKERS) {
            if (query.startsWith(marker) || query.contains("&" + marker)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code X-Amz-Date} (ISO 8601 basic) or, without it, {@code Date} (RFC 1123) holds a time. */
    private static boolean hasValidDate(SignableRequest request) {
        Optional<String> amzDate = request.firstHeader("X-Amz-Date");
        if (amzDate.isPresent()) {
            try {
                LocalDateTime.parse(amzDate.get().strip(), BASIC);
                return true;
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        Optional<String> date = request.firstHeader("Date");
        if (date.isEmpty()) {
            return false;
        }
        try {
            ZonedDateTime.parse(date.get().strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /**
     * Adds to a failed SigV4 verification the elements S3 returns with it: for {@code SignatureDoesNotMatch} the
     * access key id, the string to sign and the canonical request (as text and as bytes) and the signature provided;
     * for {@code RequestTimeTooSkewed} the request's time, the server's and the allowed skew; for an expired
     * presigned URL its lifetime, its end and the server's time.
     *
     * @param payloadLine the canonical request's last line the signature was verified with
     */
    static VerificationException explained(VerificationException failure, SigV4Verifier sigV4, SignedRequest signed,
            SignableRequest request, String payloadLine, Instant now) {
        switch (failure.failure()) {
            case SIGNATURE_DOES_NOT_MATCH -> {
                CanonicalRequest canonicalRequest = sigV4.canonicalRequest(signed, request, payloadLine);
                String stringToSign = sigV4.stringToSign(signed, canonicalRequest);
                Map<String, String> details = new LinkedHashMap<>();
                details.put("AWSAccessKeyId", signed.accessKeyId());
                details.put("StringToSign", stringToSign);
                details.put("SignatureProvided",
                        providedSignature(request, signed.form() == SignedRequest.Form.PRESIGNED_QUERY));
                details.put("StringToSignBytes", spacedHex(stringToSign));
                details.put("CanonicalRequest", canonicalRequest.text());
                details.put("CanonicalRequestBytes", spacedHex(canonicalRequest.text()));
                return new VerificationException(failure.failure(), failure.getMessage(), details);
            }
            case REQUEST_EXPIRED -> {
                if (signed.expires().isEmpty()) {
                    return failure;
                }
                Duration expires = signed.expires().get();
                Instant end = signed.requestTime().plus(expires);
                if (Messages.S3_NOT_YET_VALID.equals(failure.getMessage())) {
                    return new VerificationException(failure.failure(), failure.getMessage(),
                            notYetValid(signed.requestTime(), end, now));
                }
                return new VerificationException(failure.failure(), failure.getMessage(),
                        expired(Optional.of(Long.toString(expires.getSeconds())), end, now));
            }
            case REQUEST_TIME_TOO_SKEWED -> {
                String requestTime = request.firstHeader("X-Amz-Date").or(() -> request.firstHeader("Date"))
                        .orElse("");
                return new VerificationException(failure.failure(), failure.getMessage(),
                        skew(requestTime, now, sigV4.options().maxClockSkew()));
            }
            default -> {
                return failure;
            }
        }
    }

    /** S3's elements for {@code RequestTimeTooSkewed}: the time as the request gave it, the server's, the bound. */
    static Map<String, String> skew(String requestTime, Instant now, Duration maxSkew) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("RequestTime", requestTime.strip());
        details.put("ServerTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
        details.put("MaxAllowedSkewMilliseconds", Long.toString(maxSkew.toMillis()));
        return details;
    }

    /**
     * S3's elements for a presigned URL used after its expiry: a SigV4 URL's {@code X-Amz-Expires} as given, then
     * the moment it expired and the server's time, both in ISO 8601 to the second.
     *
     * @param xAmzExpires the SigV4 URL's lifetime in seconds; empty for a Signature Version 2 URL, which has none
     */
    static Map<String, String> expired(Optional<String> xAmzExpires, Instant expiredAt, Instant now) {
        Map<String, String> details = new LinkedHashMap<>();
        xAmzExpires.ifPresent(seconds -> details.put("X-Amz-Expires", seconds));
        details.put("Expires", expiredAt.truncatedTo(ChronoUnit.SECONDS).toString());
        details.put("ServerTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
        return details;
    }

    /**
     * S3's elements for a presigned URL dated ahead of the server's clock: its {@code X-Amz-Date} (in milliseconds
     * since the epoch, as S3's recorded answers give it), when it would expire and the server's time.
     */
    static Map<String, String> notYetValid(Instant requestTime, Instant expiresAt, Instant now) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("X-Amz-Date", Long.toString(requestTime.toEpochMilli()));
        details.put("Expires", expiresAt.truncatedTo(ChronoUnit.SECONDS).toString());
        details.put("ServerTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
        return details;
    }

    /** S3's elements for a Signature Version 2 {@code SignatureDoesNotMatch}, which has no canonical request. */
    static Map<String, String> mismatchV2(String accessKeyId, String stringToSign, String signature) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("AWSAccessKeyId", accessKeyId);
        details.put("StringToSign", stringToSign);
        details.put("SignatureProvided", signature);
        details.put("StringToSignBytes", spacedHex(stringToSign));
        return details;
    }

    /** S3's {@code InvalidAccessKeyId}, naming the key. */
    static VerificationException unknownAccessKey(String accessKeyId) {
        return new VerificationException(VerificationFailure.UNKNOWN_ACCESS_KEY, Messages.S3_UNKNOWN_ACCESS_KEY,
                Map.of("AWSAccessKeyId", accessKeyId));
    }

    /** S3's {@code InvalidArgument} elements: the argument's name and the value given. */
    static Map<String, String> argument(String name, String value) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("ArgumentName", name);
        details.put("ArgumentValue", value);
        return details;
    }

    /**
     * Refuses a request that carries an {@code x-amz-*} header its SigV4 signature does not list, as S3 does
     * ({@code AccessDenied}, "There were headers present in the request which were not signed", the names in
     * {@code <HeadersNotSigned>}, lower case, comma-separated). Amazon S3 API Reference, "Signature Calculations for
     * the Authorization Header": any {@code x-amz-*} header in the request must be signed. An unsigned header could
     * otherwise change what a signed request does: {@code x-amz-copy-source} makes an upload a copy of another object,
     * {@code x-amz-acl}, {@code x-amz-meta-*}, {@code x-amz-tagging} change what is stored.
     *
     * <p>One header is exempt: {@code x-amz-content-sha256}, whose value is the canonical request's last line and so
     * covered by the signature whether listed or not (a presigned URL that signed {@code UNSIGNED-PAYLOAD} and is sent
     * with another value fails as a mismatch). S3 accepts it unsigned in practice, and clients that leave it out of
     * {@code SignedHeaders} exist. Every other header the SDKs add around a signed request
     * ({@code x-amz-decoded-content-length}, {@code x-amz-trailer}, the session token) is signed by them.
     */
    static void requireSignedAmzHeaders(SignableRequest request, SignedRequest signed) throws VerificationException {
        StringBuilder unsigned = null;
        for (int i = 0; i < request.headerCount(); i++) {
            String name = request.headerName(i);
            if (!name.regionMatches(/* ignoreCase= */ true, 0, X_AMZ_PREFIX, 0, X_AMZ_PREFIX.length())) {
                continue;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals(CONTENT_SHA256) || Collections.binarySearch(signed.signedHeaders(), lower) >= 0) {
                continue;
            }
            if (unsigned == null) {
                unsigned = new StringBuilder(lower);
            } else if (!(',' + unsigned.toString() + ',').contains(',' + lower + ',')) {
                unsigned.append(',').append(lower);
            }
        }
        if (unsigned != null) {
            throw new VerificationException(VerificationFailure.HEADERS_NOT_SIGNED, Messages.S3_HEADERS_NOT_SIGNED,
                    Map.of("HeadersNotSigned", unsigned.toString()));
        }
    }

    /** The signature as the client sent it: {@code X-Amz-Signature}, or the header's {@code Signature=} field. */
    private static String providedSignature(SignableRequest request, boolean presigned) {
        if (presigned) {
            for (String pair : request.query().split("&")) {
                if (pair.startsWith("X-Amz-Signature=")) {
                    return URLDecoder.decode(pair.substring("X-Amz-Signature=".length()), UTF_8);
                }
            }
            return "";
        }
        String authorization = request.firstHeader("Authorization").orElse("");
        int start = authorization.indexOf("Signature=");
        while (start > 0 && authorization.charAt(start - 1) != ',' && authorization.charAt(start - 1) != ' ') {
            start = authorization.indexOf("Signature=", start + 1);
        }
        if (start < 0) {
            return "";
        }
        int end = start + "Signature=".length();
        while (end < authorization.length() && authorization.charAt(end) != ','
                && !Character.isWhitespace(authorization.charAt(end))) {
            end++;
        }
        return authorization.substring(start + "Signature=".length(), end);
    }

    /** The UTF-8 bytes of {@code text} as S3 lists them: two lower-case hex digits each, separated by spaces. */
    static String spacedHex(String text) {
        byte[] bytes = text.getBytes(UTF_8);
        StringBuilder hex = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            if (hex.length() > 0) {
                hex.append(' ');
            }
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
    }
}
