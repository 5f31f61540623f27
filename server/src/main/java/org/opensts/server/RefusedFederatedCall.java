package org.opensts.server;

import static java.util.Objects.requireNonNull;

import org.opensts.protocol.ApiException;
import org.opensts.sts.VerifiedFederatedCaller;

/**
 * An AssumeRoleWithWebIdentity or AssumeRoleWithSAML call refused after its token or assertion checked out: the
 * {@link #refusal} the client is answered with, and the federated user its audit event records, as the answered
 * call's would. Thrown by {@link StsActions} and caught by {@link QueryDispatcher}, which answers and audits it as it
 * does the {@link ApiException} itself; like that exception it captures no stack trace, as such refusals are ordinary.
 */
final class RefusedFederatedCall extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ApiException refusal;
    private final transient VerifiedFederatedCaller caller;

    RefusedFederatedCall(ApiException refusal, VerifiedFederatedCaller caller) {
        super(refusal.getMessage(), null, /* enableSuppression= */ false, /* writableStackTrace= */ false);
        this.refusal = requireNonNull(refusal, "refusal");
        this.caller = requireNonNull(caller, "caller");
    }

    ApiException refusal() {
        return refusal;
    }

    VerifiedFederatedCaller caller() {
        return caller;
    }
}
