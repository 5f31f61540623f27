package org.opensts.iam.bootstrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.opensts.iam.AccessKey;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.AccessKeyStatus;
import org.opensts.iam.Account;
import org.opensts.iam.IamService;
import org.opensts.iam.InlinePolicy;
import org.opensts.iam.PolicyOwner;
import org.opensts.iam.User;
import org.opensts.iam.jdbc.StoreException;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.AccessKeyIds;
import org.opensts.token.SecretAccessKeys;

/**
 * What an empty store needs before anyone can sign a request: the account, and an IAM user {@code admin} with full
 * permissions and one access key.
 *
 * <p>The admin key's secret is shown once, so it must not be lost: it is handed to an {@link AdminKeyJournal} (for
 * {@code opensts serve}, the {@code admin-credentials} file, written and forced) before anything is stored, and the
 * account, the user, its policy and its key are then stored in one transaction. Killed before that transaction
 * commits, the node leaves an empty store, and its next start begins again with a new key, replacing the file; after,
 * the file and the store agree. (Stored one by one, as before, a start killed between the account and the key left a
 * store that was no longer empty and an admin with no key, for good.)
 */
public final class FirstStart {
    /** The admin user's name. */
    public static final String ADMIN_USER = "admin";
    /** The admin user's inline policy: every action on every resource. */
    public static final String ADMIN_POLICY_NAME = "AdministratorAccess";
    static final String ADMIN_POLICY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    /** Keeps the admin key's secret before the key is stored. */
    public interface AdminKeyJournal {
        /** Keeps nothing: for callers that take the key from the return value alone. */
        AdminKeyJournal NONE = new AdminKeyJournal() {
            @Override
            public void record(AccessKeyCredentials admin) {
            }

            @Override
            public void discard() {
            }
        };

        /** Keeps {@code admin} durably; returns once it is kept. */
        void record(AccessKeyCredentials admin) throws IOException;

        /** Forgets what {@link #record} kept: another node sharing the store created the admin first. */
        void discard() throws IOException;
    }

    private FirstStart() {
    }

    /**
     * Initializes an empty store, keeping nothing of the admin key but what it returns.
     *
     * @return the admin's access key when the store was empty (its secret is shown this once), else empty
     */
    public static Optional<AccessKeyCredentials> initializeIfEmpty(IamService iam, String accountId) {
        try {
            return initializeIfEmpty(iam, accountId, Clock.systemUTC(), new SecureRandom(), AdminKeyJournal.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException("a journal that keeps nothing does not fail", e);
        }
    }

    /**
     * Initializes an empty store, {@code journal} keeping the admin key before it is stored (see the class comment).
     *
     * @return the admin's access key when this call initialized the store, else empty (the store was not empty, or
     *     another node sharing it initialized it meanwhile, and then {@code journal} was told to discard the key)
     * @throws IOException if the journal could not keep the key; nothing is stored then
     */
    public static Optional<AccessKeyCredentials> initializeIfEmpty(IamService iam, String accountId, Clock clock,
            SecureRandom random, AdminKeyJournal journal) throws IOException {
        if (!iam.store().listAccounts().isEmpty()) {
            return Optional.empty();
        }
        if (!Account.isValidAccountId(accountId)) {
            throw new ApiException(ErrorCode.INVALID_INPUT, "Account id must be 12 digits: " + accountId);
        }
        Instant now = clock.instant();
        var user = new User(accountId, AccessKeyIds.newUniqueId("AIDA", random), ADMIN_USER, "/", now,
                Optional.empty(), List.of());
        var key = new AccessKey(AccessKeyIds.newLongTerm(accountId, random), accountId, user.userId(), ADMIN_USER,
                AccessKeyStatus.ACTIVE, now);
        var admin = new AccessKeyCredentials(key, SecretAccessKeys.generate(random));
        journal.record(admin);
        boolean initialized;
        try {
            initialized = iam.store().write(writer -> {
                if (writer.findAccount(accountId).isPresent()) {
                    return false;
                }
                writer.createAccount(new Account(accountId, now));
                writer.createUser(user);
                writer.putInlinePolicy(PolicyOwner.of(user), new InlinePolicy(ADMIN_POLICY_NAME, ADMIN_POLICY));
                writer.createAccessKey(key, admin.secretAccessKey());
                return true;
            });
        } catch (StoreException.DuplicateKeyException e) {
            // Another node sharing the store committed the same account at the same moment.
            initialized = false;
        }
        if (!initialized) {
            journal.discard();
            return Optional.empty();
        }
        return Optional.of(admin);
    }
}
