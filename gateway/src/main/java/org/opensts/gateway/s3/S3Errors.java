package org.opensts.gateway.s3;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.opensts.verifier.VerificationException;
import org.opensts.verifier.VerificationFailure;

/**
 * S3's error body, written in one place, and the one mapping from a verifier failure to the S3 error a client expects.
 *
 * <p>The body is byte for byte what S3 sends (Amazon S3 API Reference, "Error responses"): an XML declaration, a
 * newline, then {@code <Error>} with {@code <Code>}, {@code <Message>}, any extra elements, {@code <RequestId>} and
 * {@code <HostId>}, no namespace and no indentation, served as {@code application/xml}.
 */
public final class S3Errors {
    /** The content type S3 serves error bodies with. */
    public static final String CONTENT_TYPE = "application/xml";

    private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    private S3Errors() {
    }

    /**
     * The XML body of an error response.
     *
     * @param error the error
     * @param requestId the request's id ({@code x-amz-request-id})
     * @param hostId the host id ({@code x-amz-id-2})
     */
    public static String toXml(S3Error error, String requestId, String hostId) {
        requireNonNull(error, "error");
        requireNonNull(requestId, "requestId");
        requireNonNull(hostId, "hostId");
        var xml = new StringBuilder(256).append(DECLARATION).append("<Error>");
        element(xml, "Code", error.code().code());
        element(xml, "Message", error.message());
        for (S3Error.Detail detail : error.details()) {
            element(xml, detail.name(), detail.value());
        }
        element(xml, "RequestId", requestId);
        element(xml, "HostId", hostId);
        return xml.append("</Error>").toString();
    }

    /** {@link #toXml} as UTF-8 bytes, ready to send. */
    public static byte[] toBytes(S3Error error, String requestId, String hostId) {
        return toXml(error, requestId, hostId).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The S3 error for a request the verifier refused. A request time out of range is {@code RequestTimeTooSkewed}
     * for a header-signed request and {@code AccessDenied} "Request has expired" (or, before its date, "Request is not
     * yet valid") for a presigned URL, as S3 answers (the verifier tells the cases apart and words each). Codes whose
     * wording depends on the request (a malformed header or presigned query, a missing date or payload hash, unsigned
     * headers, the algorithm of a checksum that did not match, a presigned URL out of its time) keep the verifier's
     * message; every other code gets S3's fixed sentence. The extra elements S3 adds for the code
     * ({@code <AWSAccessKeyId>}, {@code <StringToSign>}, {@code <HeadersNotSigned>}, {@code <ServerTime>} …) follow
     * the message, in the verifier's order.
     *
     * @param failure the verifier's refusal
     */
    public static S3Error forVerification(VerificationException failure) {
        requireNonNull(failure, "failure");
        S3ErrorCode code = codeFor(failure.failure());
        S3Error error = switch (failure.failure()) {
            case INCOMPLETE_SIGNATURE, MALFORMED_QUERY_AUTHENTICATION, MALFORMED_QUERY_AUTHENTICATION_V2, MISSING_DATE,
                    MISSING_CONTENT_SHA256, INVALID_CONTENT_SHA256, HEADERS_NOT_SIGNED, BAD_DIGEST,
                    MORE_THAN_ONE_AUTH_MECHANISM, SIGNATURE_VERSION_NOT_SUPPORTED, REQUEST_EXPIRED -> S3Error.of(code,
                    failure.getMessage().isBlank() ? code.defaultMessage() : failure.getMessage());
            default -> S3Error.of(code);
        };
        for (Map.Entry<String, String> detail : failure.s3Details().entrySet()) {
            error = error.withDetail(detail.getKey(), detail.getValue());
        }
        return error;
    }

    /** The S3 error code for a verifier failure. */
    public static S3ErrorCode codeFor(VerificationFailure failure) {
        return switch (failure) {
            case MISSING_AUTHENTICATION, MALFORMED_QUERY_AUTHENTICATION_V2, MISSING_DATE, HEADERS_NOT_SIGNED,
                    REQUEST_EXPIRED -> S3ErrorCode.ACCESS_DENIED;
            case INCOMPLETE_SIGNATURE -> S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED;
            case MALFORMED_QUERY_AUTHENTICATION -> S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR;
            case MISSING_CONTENT_SHA256 -> S3ErrorCode.INVALID_REQUEST;
            case INVALID_CONTENT_SHA256, MORE_THAN_ONE_AUTH_MECHANISM -> S3ErrorCode.INVALID_ARGUMENT;
            case SIGNATURE_VERSION_NOT_SUPPORTED -> S3ErrorCode.INVALID_REQUEST;
            case UNKNOWN_ACCESS_KEY -> S3ErrorCode.INVALID_ACCESS_KEY_ID;
            case INVALID_TOKEN -> S3ErrorCode.INVALID_TOKEN;
            case EXPIRED_TOKEN -> S3ErrorCode.EXPIRED_TOKEN;
            case SIGNATURE_DOES_NOT_MATCH -> S3ErrorCode.SIGNATURE_DOES_NOT_MATCH;
            case REQUEST_TIME_TOO_SKEWED -> S3ErrorCode.REQUEST_TIME_TOO_SKEWED;
            case CONTENT_SHA256_MISMATCH -> S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH;
            case BAD_DIGEST -> S3ErrorCode.BAD_DIGEST;
            case MALFORMED_BODY -> S3ErrorCode.INCOMPLETE_BODY;
        };
    }

    private static void element(StringBuilder xml, String name, String text) {
        xml.append('<').append(name).append('>');
        escape(xml, text);
        xml.append("</").append(name).append('>');
    }

    /**
     * XML-escapes text content: only what element text needs, so quotes stay quotes as in S3's own messages ("the
     * region 'us-west-2' is wrong"). Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/F)
     * become U+FFFD, so that a hostile key echoed in {@code <Resource>} never makes the body unparseable.
     */
    static void escape(StringBuilder xml, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> xml.append("&amp;");
                case '<' -> xml.append("&lt;");
                case '>' -> xml.append("&gt;");
                case '\r' -> xml.append("&#13;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        xml.append(c).append(text.charAt(++i));
                    } else if (c == '\t' || c == '\n' || (c >= 0x20 && c < 0xD800) || (c > 0xDFFF && c < 0xFFFE)) {
                        xml.append(c);
                    } else {
                        xml.append('\uFFFD');
                    }
                }
            }
        }
    }
}
