package org.opensts.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The S3 errors that concern the gateway's own limits rather than a request's meaning, answered in S3's error
 * document format (Amazon S3 API Reference, "Error responses").
 */
enum GatewayError {
    /** The decision queue is full. */
    SLOW_DOWN("SlowDown", "Please reduce your request rate.", 503),
    /** A body without a declared length: the gateway streams with the length it declares upstream. */
    MISSING_CONTENT_LENGTH("MissingContentLength", "You must provide the Content-Length HTTP header.", 411),
    /** A body the gateway must read whole (a bucket policy, a DeleteObjects document) beyond its bound. */
    MAX_MESSAGE_LENGTH_EXCEEDED("MaxMessageLengthExceeded", "Your request was too big.", 400),
    /** A request line or header that did not parse. */
    BAD_REQUEST("BadRequest", "An error occurred when parsing the HTTP request.", 400),
    /** A request line naming another major version than HTTP/1 (RFC 9110 §15.6.6). */
    HTTP_VERSION_NOT_SUPPORTED("HttpVersionNotSupported", "The HTTP version specified is not supported.", 505),
    /** Headers beyond S3's 8 KiB bound, which S3 names in {@code <MaxSizeAllowed>}. */
    REQUEST_HEADER_SECTION_TOO_LARGE("RequestHeaderSectionTooLarge",
            "Your request header section exceeds the maximum allowed size.", 400,
            "<MaxSizeAllowed>" + S3Gateway.MAX_HEADER_BYTES + "</MaxSizeAllowed>");

    private final String code;
    private final String message;
    private final int httpStatus;
    /** The extra elements S3 writes after the message, as fixed XML. */
    private final String details;

    GatewayError(String code, String message, int httpStatus) {
        this(code, message, httpStatus, "");
    }

    GatewayError(String code, String message, int httpStatus, String details) {
        this.code = code;
        this.message = message;
        this.httpStatus = httpStatus;
        this.details = details;
    }

    int httpStatus() {
        return httpStatus;
    }

    /** The code as S3 writes it in {@code <Code>}, e.g. {@code MissingContentLength}: the audit event's too. */
    String code() {
        return code;
    }

    String message() {
        return message;
    }

    /** The error document; the code and message are fixed ASCII, the ids are the gateway's own hex. */
    byte[] document(String requestId, String hostId) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message>" + details + "<RequestId>" + requestId + "</RequestId><HostId>" + hostId
                + "</HostId></Error>")
                .getBytes(UTF_8);
    }
}
