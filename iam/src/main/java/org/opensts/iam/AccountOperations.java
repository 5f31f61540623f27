package org.opensts.iam;

import java.time.Clock;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/** Accounts: created by the first start and the bootstrap file, not through the IAM API. */
public final class AccountOperations {
    private final IdentityStore store;
    private final Clock clock;

    AccountOperations(IdentityStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Account createAccount(String accountId) {
        if (!Account.isValidAccountId(accountId)) {
            throw new ApiException(ErrorCode.INVALID_INPUT, "Account id must be 12 digits: " + accountId);
        }
        return store.write(writer -> {
            if (writer.findAccount(accountId).isPresent()) {
                throw IamChecks.alreadyExists("Account " + accountId + " already exists.");
            }
            var account = new Account(accountId, clock.instant());
            writer.createAccount(account);
            return account;
        });
    }
}
