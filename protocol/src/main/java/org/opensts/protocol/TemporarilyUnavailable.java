package org.opensts.protocol;

/**
 * Marks an exception that means a part the call needs, such as the identity store, cannot be reached for now: nothing
 * is wrong with the request, and the same call may well succeed later. Every API answers such a failure with its
 * "temporary failure of the server" error, {@code 503 ServiceUnavailable}, which the AWS SDKs and CLI retry with
 * back-off, instead of the error for an unknown failure; the module that meets the failure marks it, and a module
 * that answers calls need not know that module.
 */
public interface TemporarilyUnavailable {

    /**
     * Whether {@code failure}, or an exception that caused it, is marked {@link TemporarilyUnavailable}. A chain of
     * causes is followed a bounded number of steps, as one that loops back on itself has no end.
     */
    static boolean isCause(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 32; depth++, cause = cause.getCause()) {
            if (cause instanceof TemporarilyUnavailable) {
                return true;
            }
        }
        return false;
    }
}
