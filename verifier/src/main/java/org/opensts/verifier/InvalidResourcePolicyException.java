package org.opensts.verifier;

/**
 * A resource policy handed to {@link SessionAuthorizer} does not parse. The service's stored policy is broken: the
 * request cannot be decided, and answering with a silent deny would hide that (or, for a policy meant to deny,
 * pretend it was read).
 */
public final class InvalidResourcePolicyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidResourcePolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
