package org.opensts.server;

import org.opensts.iam.jdbc.StoreException;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a call is answered when the identity store cannot be reached: {@code 503 ServiceUnavailable}, AWS's error for "a
 * temporary failure of the server" (Common Errors, in the AWS API reference), which the SDKs and the CLI retry with
 * back-off, rather than {@code InternalFailure}, AWS's "unknown error". The failure is no bug of the node's, so it is
 * logged in one line without a stack trace, and not at all for a call the store refused at once because it had just
 * failed (the store logs when an outage begins and ends).
 */
final class StoreUnavailable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreUnavailable.class);
    static final String MESSAGE = QueryDispatcher.AUDIT_UNAVAILABLE_MESSAGE;

    private StoreUnavailable() {
    }

    /** The error to answer {@code requestId} with, {@code e} logged. */
    static ApiException answer(StoreException.UnavailableException e, String requestId) {
        if (e.refusedWithoutTrying()) {
            LOG.debug("Request {} answered ServiceUnavailable: {}", requestId, e.getMessage());
        } else {
            LOG.warn("Request {} answered ServiceUnavailable: {}", requestId, e.getMessage());
        }
        return new ApiException(ErrorCode.SERVICE_UNAVAILABLE, MESSAGE);
    }
}
