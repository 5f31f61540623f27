package org.opensts.policy;

import java.util.Optional;

/**
 * A policy document IAM would reject with {@code MalformedPolicyDocument}. The message is IAM's wording
 * for the problem (for example {@code Syntax errors in policy.} or
 * {@code Policy document should not specify a principal.}), ready to be returned to the caller as is.
 *
 * <p>A syntax error also carries the line and column where reading stopped. Policy text is not secret,
 * but the message never quotes more of the document than IAM itself would. Like every expected rejection
 * in OpenSTS this exception captures no stack trace.
 */
public final class MalformedPolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Position position;
    private final String missingElement;

    MalformedPolicyException(String message) {
        this(message, null);
    }

    MalformedPolicyException(String message, Position position) {
        this(message, position, null);
    }

    MalformedPolicyException(String message, Position position, String missingElement) {
        super(message, null, false, false);
        this.position = position;
        this.missingElement = missingElement;
    }

    /** Where in the text a syntax error was found; empty for errors of policy grammar. */
    public Optional<Position> position() {
        return Optional.ofNullable(position);
    }

    /**
     * The top-level element the document lacks ({@code Statement}), if that is the error: IAM calls it a syntax error,
     * S3 names it ("Missing required field Statement").
     */
    public Optional<String> missingElement() {
        return Optional.ofNullable(missingElement);
    }
}
