package org.opensts.sts;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.AccessKeyLastUsed;
import org.opensts.iam.AccessKeyStatus;
import org.opensts.iam.IdentityReader;
import org.opensts.iam.User;
import org.opensts.verifier.LongTermKeys;

/**
 * The node's long-term keys for the verifier: an active key of an existing user, read through the identity store (its
 * cache, on the hot path); each use is told to a listener, which a node records as the key's last use.
 */
final class IdentityLongTermKeys implements LongTermKeys {
    private final IdentityReader identities;
    /** Told of each long-term key that authenticates a request; nothing until a node sets it. */
    private volatile BiConsumer<String, AccessKeyLastUsed> uses = (accessKeyId, use) -> { };

    IdentityLongTermKeys(IdentityReader identities) {
        this.identities = requireNonNull(identities, "identities");
    }

    @Override
    public Optional<LongTermKey> find(String accessKeyId) {
        Optional<AccessKeyCredentials> key = identities.findAccessKey(accessKeyId)
                .filter(found -> found.accessKey().status() == AccessKeyStatus.ACTIVE);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        Optional<User> user = identities.findUserById(key.get().accessKey().userId());
        return user.map(found -> new LongTermKey(accessKeyId, found.accountId(), found.arn(), found.userId(),
                key.get().secretAccessKey()));
    }

    @Override
    public void used(String accessKeyId, Instant at, String region, String service) {
        uses.accept(accessKeyId, new AccessKeyLastUsed(at, region, service));
    }

    void onUse(BiConsumer<String, AccessKeyLastUsed> listener) {
        uses = requireNonNull(listener, "listener");
    }
}
