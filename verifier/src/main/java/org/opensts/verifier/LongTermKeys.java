package org.opensts.verifier;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.opensts.token.Secret;

/**
 * The long-term ({@code AKIA…}) access keys, as the embedding service finds them in its (cached) store. Looked up on
 * every request a long-term key signs, so the lookup should need no I/O in the common case.
 */
public interface LongTermKeys {

    /**
     * The key with this id, if it is active and its user exists; empty for an unknown, inactive or orphaned key (all
     * of which the caller refuses alike, as {@link VerificationFailure#UNKNOWN_ACCESS_KEY}).
     */
    Optional<LongTermKey> find(String accessKeyId);

    /**
     * Told of each request a key authenticated: when, and for which region and service it signed. It runs on the
     * request's path, so it must be quick and do no I/O (record, then flush on a schedule). Does nothing unless
     * implemented.
     */
    default void used(String accessKeyId, Instant at, String region, String service) {
    }

    /**
     * An active long-term key and the IAM user it belongs to. Not a record: it holds the secret, which
     * {@link #toString()} never shows.
     */
    final class LongTermKey {
        private final String accessKeyId;
        private final String accountId;
        private final String userArn;
        private final String userId;
        private final Secret secretAccessKey;

        /**
         * @param userArn the user's ARN, {@code arn:aws:iam::A:user/path/name}
         * @param userId the user's unique id, {@code AIDA…}
         */
        public LongTermKey(String accessKeyId, String accountId, String userArn, String userId,
                Secret secretAccessKey) {
            this.accessKeyId = requireNonNull(accessKeyId, "accessKeyId");
            this.accountId = requireNonNull(accountId, "accountId");
            this.userArn = requireNonNull(userArn, "userArn");
            this.userId = requireNonNull(userId, "userId");
            this.secretAccessKey = requireNonNull(secretAccessKey, "secretAccessKey");
        }

        public String accessKeyId() {
            return accessKeyId;
        }

        public String accountId() {
            return accountId;
        }

        public String userArn() {
            return userArn;
        }

        public String userId() {
            return userId;
        }

        public Secret secretAccessKey() {
            return secretAccessKey;
        }

        @Override
        public String toString() {
            return "LongTermKey[" + accessKeyId + ", " + userArn + ']';
        }
    }
}
