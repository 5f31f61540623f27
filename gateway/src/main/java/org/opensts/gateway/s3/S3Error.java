package org.opensts.gateway.s3;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * One S3 error response: the code, the message, and the extra elements S3 writes between {@code <Message>} and
 * {@code <RequestId>} for some codes ({@code <Resource>}, {@code <Key>}, {@code <BucketName>} …), in order.
 * Rendered by {@link S3Errors#toXml}.
 *
 * @param code the error code, which fixes the HTTP status
 * @param message the {@code <Message>} text
 * @param details extra elements, in the order they are written
 */
public record S3Error(S3ErrorCode code, String message, List<Detail> details) {
    public S3Error {
        requireNonNull(code, "code");
        requireNonNull(message, "message");
        details = List.copyOf(details);
    }

    /**
     * One extra element of the error body, e.g. {@code <Resource>/bucket/key</Resource>}; its name is S3's, ASCII
     * letters and digits, with a hyphen inside as in {@code <X-Amz-Expires>}.
     */
    public record Detail(String name, String value) {
        public Detail {
            requireNonNull(name, "name");
            requireNonNull(value, "value");
            if (name.isEmpty() || !Character.isLetter(name.charAt(0)) || name.endsWith("-")
                    || !name.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-'))) {
                throw new IllegalArgumentException("An element name is ASCII letters, digits and inner hyphens: "
                        + name);
            }
        }
    }

    /** The error with S3's usual message for its code. */
    public static S3Error of(S3ErrorCode code) {
        return new S3Error(code, code.defaultMessage(), List.of());
    }

    /** The error with a message of its own. */
    public static S3Error of(S3ErrorCode code, String message) {
        return new S3Error(code, message, List.of());
    }

    /** The same error with another message. */
    public S3Error withMessage(String newMessage) {
        return new S3Error(code, newMessage, details);
    }

    /** The same error with one more element after the message (and after those already added). */
    public S3Error withDetail(String name, String value) {
        var more = new ArrayList<>(details);
        more.add(new Detail(name, value));
        return new S3Error(code, message, more);
    }

    /** The same error naming the resource it concerns, as S3 does in {@code <Resource>}. */
    public S3Error withResource(String resource) {
        return withDetail("Resource", resource);
    }

    /** The HTTP status of the response. */
    public int httpStatus() {
        return code.httpStatus();
    }

    /** This error as an exception, for code that unwinds to the one place that answers. */
    public S3Exception toException() {
        return new S3Exception(this);
    }
}
