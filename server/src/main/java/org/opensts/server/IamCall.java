package org.opensts.server;

import static java.util.Objects.requireNonNull;

import org.opensts.sts.CallerIdentity;
import org.opensts.sts.RequestMetadata;

/** An authorized IAM call: who made it, the request's metadata, and the account it acts on (the caller's own). */
record IamCall(CallerIdentity caller, RequestMetadata metadata) {
    IamCall {
        requireNonNull(caller, "caller");
        requireNonNull(metadata, "metadata");
    }

    String accountId() {
        return caller.accountId();
    }
}
