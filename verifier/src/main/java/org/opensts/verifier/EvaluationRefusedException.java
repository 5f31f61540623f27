package org.opensts.verifier;

import static java.util.Objects.requireNonNull;

/**
 * {@link SessionAuthorizer} would not evaluate a request because of what evaluating it would cost
 * ({@link org.opensts.policy.EvaluationCost}): its context values are compared with too many policy condition values.
 * The request is neither allowed nor denied; the service answers it as an error of the request ({@link
 * Reason#TOO_COSTLY}) or of the moment ({@link Reason#BUSY}), so that no caller can hold the node's cores with
 * requests built to be slow to decide.
 */
public final class EvaluationRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the request was not evaluated. */
    public enum Reason {
        /** Over the most one request may cost: refused however often it is sent. */
        TOO_COSTLY,
        /** Costly, and given no turn (its turn holder had one, or none came in time): worth retrying. */
        BUSY
    }

    private final Reason reason;

    EvaluationRefusedException(Reason reason, String message) {
        super(message);
        this.reason = requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
