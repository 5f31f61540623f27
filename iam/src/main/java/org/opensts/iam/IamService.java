package org.opensts.iam;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * The IAM operations as plain Java, one family per class: every input validated the way IAM validates it, AWS's
 * quotas, AWS's errors. The IAM Query API and the bootstrap file both change identities through these classes and
 * nothing else.
 */
public final class IamService {
    private final IdentityStore store;
    private final AccountOperations accounts;
    private final UserOperations users;
    private final GroupOperations groups;
    private final RoleOperations roles;
    private final ProviderOperations providers;
    private final MfaOperations mfa;
    private final ManagedPolicyOperations managedPolicies;
    private final OutboundFederationOperations outboundFederation;
    private final InstanceProfileOperations instanceProfiles;

    /** The operations with AWS's default quotas. */
    public IamService(IdentityStore store, Clock clock, SecureRandom random) {
        this(store, clock, random, IamQuotas.AWS_DEFAULTS);
    }

    public IamService(IdentityStore store, Clock clock, SecureRandom random, IamQuotas quotas) {
        this.store = store;
        this.accounts = new AccountOperations(store, clock, quotas);
        this.users = new UserOperations(store, clock, random, quotas);
        this.groups = new GroupOperations(store, clock, random, quotas);
        this.roles = new RoleOperations(store, clock, random, quotas);
        this.providers = new ProviderOperations(store, clock, random);
        this.mfa = new MfaOperations(store, clock, random);
        this.managedPolicies = new ManagedPolicyOperations(store, clock, random, quotas);
        this.outboundFederation = new OutboundFederationOperations(store, random);
        this.instanceProfiles = new InstanceProfileOperations(store, clock, random, quotas);
    }

    public IdentityStore store() {
        return store;
    }

    public AccountOperations accounts() {
        return accounts;
    }

    public UserOperations users() {
        return users;
    }

    public GroupOperations groups() {
        return groups;
    }

    public RoleOperations roles() {
        return roles;
    }

    public ProviderOperations providers() {
        return providers;
    }

    public MfaOperations mfa() {
        return mfa;
    }

    public ManagedPolicyOperations managedPolicies() {
        return managedPolicies;
    }

    public OutboundFederationOperations outboundFederation() {
        return outboundFederation;
    }

    public InstanceProfileOperations instanceProfiles() {
        return instanceProfiles;
    }
}
