package org.opensts.iam;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Serves the reads of the hot path — access keys, users, roles, group membership, inline and attached policies and
 * the policy versions in force — from memory, so that authenticating and authorizing a request does no store I/O
 * once the cache is warm.
 *
 * <p>Writes are rare and entities are small, so any write (here, or reported by another node through
 * {@link #invalidateAll()}) drops every entry rather than tracking which entries it touched. Entries also expire after
 * {@code maximumAge}, a bound on staleness should a change notification be lost. Absence is cached too: a flood of
 * unknown access key ids costs one query per id, not one per request.
 *
 * <p>A load that is under way while the caches are dropped may have read the store just before the change that dropped
 * them. Its caller gets that value, as it would without a cache, but the cache does not keep it: every invalidation
 * bumps a generation, and a read that sees the generation move while it loaded drops its own entry again.
 *
 * <p>Concurrent reads of one entry that is not cached share one load, and when it fails they all get its failure at
 * once instead of retrying it in turn, each waiting for a store that does not answer (see {@link SharedLoadCache}).
 */
public final class CachingIdentityStore extends ForwardingIdentityReader implements IdentityStore {
    private final IdentityStore delegate;
    private final List<SharedLoadCache<?, ?>> caches = new ArrayList<>();
    private final AtomicLong generation = new AtomicLong();
    private final SharedLoadCache<String, Optional<AccessKeyCredentials>> accessKeys;
    private final SharedLoadCache<NameKey, Optional<User>> usersByName;
    private final SharedLoadCache<String, Optional<User>> usersById;
    private final SharedLoadCache<NameKey, Optional<Role>> rolesByName;
    private final SharedLoadCache<String, Optional<Role>> rolesById;
    private final SharedLoadCache<PolicyOwner, List<InlinePolicy>> inlinePolicies;
    private final SharedLoadCache<String, List<Group>> groupsForUser;
    private final SharedLoadCache<PolicyOwner, List<ManagedPolicy>> attachedPolicies;
    private final SharedLoadCache<NameKey, Optional<ManagedPolicy>> managedPolicies;
    private final SharedLoadCache<VersionKey, Optional<PolicyVersion>> policyVersions;
    // Read by every GetWebIdentityToken and every unauthenticated discovery or JWKS request.
    private final SharedLoadCache<String, Optional<OutboundFederation>> outboundByAccount;
    private final SharedLoadCache<String, Optional<OutboundFederation>> outboundByIssuer;

    private record VersionKey(String policyId, String versionId) {
    }

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
        this.groupsForUser = newCache(maximumAge, maximumEntriesPerCache);
        this.attachedPolicies = newCache(maximumAge, maximumEntriesPerCache);
        this.managedPolicies = newCache(maximumAge, maximumEntriesPerCache);
        this.policyVersions = newCache(maximumAge, maximumEntriesPerCache);
        this.outboundByAccount = newCache(maximumAge, maximumEntriesPerCache);
        this.outboundByIssuer = newCache(maximumAge, maximumEntriesPerCache);
    }

    private <K, V> SharedLoadCache<K, V> newCache(Duration maximumAge, long maximumSize) {
        var cache = new SharedLoadCache<K, V>(generation, maximumAge, maximumSize);
        caches.add(cache);
        return cache;
    }

    /**
     * Drops every cached entry; called after a write here and when another node reports a change. A read that
     * starts once this returns sees the store as it is now.
     */
    public void invalidateAll() {
        // Bump first: a load that finishes after the caches were emptied must find the generation already moved.
        generation.incrementAndGet();
        caches.forEach(SharedLoadCache::invalidateAll);
    }

    /** Usage records are not cached: nothing to drop. */
    @Override
    public <T> T recordUse(Function<IdentityWriter, T> transaction) {
        return delegate.recordUse(transaction);
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
    public List<Group> listGroupsForUser(String userId) {
        return groupsForUser.get(userId, delegate::listGroupsForUser);
    }

    @Override
    public List<ManagedPolicy> listAttachedPolicies(PolicyOwner owner) {
        return attachedPolicies.get(owner, delegate::listAttachedPolicies);
    }

    @Override
    public Optional<ManagedPolicy> findManagedPolicy(String accountId, String policyName) {
        return managedPolicies.get(NameKey.of(accountId, policyName),
                key -> delegate.findManagedPolicy(accountId, policyName));
    }

    @Override
    public Optional<PolicyVersion> findPolicyVersion(String policyId, String versionId) {
        return policyVersions.get(new VersionKey(policyId, versionId),
                key -> delegate.findPolicyVersion(policyId, versionId));
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
    public Optional<StoredKeyRing> loadSigningKeys() {
        return delegate.loadSigningKeys();
    }

    @Override
    public boolean replaceSigningKeys(byte[] wrapped, long expectedVersion) {
        return delegate.replaceSigningKeys(wrapped, expectedVersion);
    }

    @Override
    public Optional<OutboundFederation> findOutboundFederation(String accountId) {
        return outboundByAccount.get(accountId, delegate::findOutboundFederation);
    }

    @Override
    public Optional<OutboundFederation> findOutboundFederationByIssuerId(String issuerId) {
        return outboundByIssuer.get(issuerId, delegate::findOutboundFederationByIssuerId);
    }

    @Override
    public Optional<OutboundFederation> switchOutboundFederation(String accountId, boolean enabled,
            String newIssuerId) {
        try {
            return delegate.switchOutboundFederation(accountId, enabled, newIssuerId);
        } finally {
            invalidateAll();
        }
    }

    @Override
    public void close() {
        delegate.close();
    }
}
