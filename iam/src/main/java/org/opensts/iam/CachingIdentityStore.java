package org.opensts.iam;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Serves the reads of the hot path — access keys, users, roles and their policies — from memory, so that
 * authenticating and authorizing a request does no store I/O once the cache is warm.
 *
 * <p>Writes are rare and entities are small, so any write (here, or reported by another node through
 * {@link #invalidateAll()}) drops every entry rather than tracking which entries it touched. Entries also expire after
 * {@code maximumAge}, a bound on staleness should a change notification be lost. Absence is cached too: a flood of
 * unknown access key ids costs one query per id, not one per request.
 */
public final class CachingIdentityStore extends ForwardingIdentityReader implements IdentityStore {
    private final IdentityStore delegate;
    private final Cache<String, Optional<AccessKeyCredentials>> accessKeys;
    private final Cache<NameKey, Optional<User>> usersByName;
    private final Cache<String, Optional<User>> usersById;
    private final Cache<NameKey, Optional<Role>> rolesByName;
    private final Cache<String, Optional<Role>> rolesById;
    private final Cache<PolicyOwner, List<InlinePolicy>> inlinePolicies;

    private record NameKey(String accountId, String lowerCaseName) {
        static NameKey of(String accountId, String name) {
            return new NameKey(accountId, name.toLowerCase(Locale.ROOT));
        }
    }

    public CachingIdentityStore(IdentityStore delegate, Duration maximumAge, long maximumEntriesPerCache) {
        this.delegate = delegate;
        this.accessKeys = newCache(maximumAge, maximumEntriesPerCache);
        this.usersByName = newCache(maximumAge, maximumEntriesPerCache);
        this.usersById = newCache(maximumAge, maximumEntriesPerCache);
        this.rolesByName = newCache(maximumAge, maximumEntriesPerCache);
        this.rolesById = newCache(maximumAge, maximumEntriesPerCache);
        this.inlinePolicies = newCache(maximumAge, maximumEntriesPerCache);
    }

    private static <K, V> Cache<K, V> newCache(Duration maximumAge, long maximumSize) {
        return Caffeine.newBuilder().expireAfterWrite(maximumAge).maximumSize(maximumSize).recordStats().build();
    }

    /** Drops every cached entry; called after a write here and when another node reports a change. */
    public void invalidateAll() {
        accessKeys.invalidateAll();
        usersByName.invalidateAll();
        usersById.invalidateAll();
        rolesByName.invalidateAll();
        rolesById.invalidateAll();
        inlinePolicies.invalidateAll();
    }

    @Override
    public <T> T write(Function<IdentityWriter, T> transaction) {
        try {
            return delegate.write(transaction);
        } finally {
            invalidateAll();
        }
    }

    @Override
    public Optional<AccessKeyCredentials> findAccessKey(String accessKeyId) {
        return accessKeys.get(accessKeyId, delegate::findAccessKey);
    }

    @Override
    public Optional<User> findUser(String accountId, String userName) {
        return usersByName.get(NameKey.of(accountId, userName), key -> delegate.findUser(accountId, userName));
    }

    @Override
    public Optional<User> findUserById(String userId) {
        return usersById.get(userId, delegate::findUserById);
    }

    @Override
    public Optional<Role> findRole(String accountId, String roleName) {
        return rolesByName.get(NameKey.of(accountId, roleName), key -> delegate.findRole(accountId, roleName));
    }

    @Override
    public Optional<Role> findRoleById(String roleId) {
        return rolesById.get(roleId, delegate::findRoleById);
    }

    @Override
    public List<InlinePolicy> listInlinePolicies(PolicyOwner owner) {
        return inlinePolicies.get(owner, delegate::listInlinePolicies);
    }

    /** Reads off the hot path go straight to the store. */
    @Override
    protected <T> T read(Function<IdentityReader, T> work) {
        return work.apply(delegate);
    }

    @Override
    public Optional<StoredKeyRing> loadKeyRing() {
        return delegate.loadKeyRing();
    }

    @Override
    public boolean replaceKeyRing(byte[] wrapped, long expectedVersion) {
        return delegate.replaceKeyRing(wrapped, expectedVersion);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
