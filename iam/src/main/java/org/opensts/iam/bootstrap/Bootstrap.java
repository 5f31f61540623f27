package org.opensts.iam.bootstrap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.opensts.iam.AccessKey;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.CreatePolicyRequest;
import org.opensts.iam.CreateRoleRequest;
import org.opensts.iam.CreateUserRequest;
import org.opensts.iam.Group;
import org.opensts.iam.IamService;
import org.opensts.iam.IdentityStore;
import org.opensts.iam.InlinePolicy;
import org.opensts.iam.ManagedPolicy;
import org.opensts.iam.ManagedPolicyOperations;
import org.opensts.iam.OpenIdConnectProvider;
import org.opensts.iam.PolicyOwner;
import org.opensts.iam.PolicyVersion;
import org.opensts.iam.ProviderOperations;
import org.opensts.iam.Role;
import org.opensts.iam.SamlProvider;
import org.opensts.iam.Tag;
import org.opensts.iam.TrustPolicy;
import org.opensts.iam.User;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.AccessKeyIds;
import org.opensts.token.Secret;
import org.opensts.token.SecretAccessKeys;

/**
 * Applies a {@link BootstrapFile}: creates what is missing and brings what differs in line with the file, through
 * {@link IamService}. What the file does not mention is left alone, so applying the same file twice changes nothing.
 *
 * <p>A trust policy may name users and roles of any account of the file, in any order — two roles may trust each
 * other — but IAM binds each principal it names to an existing entity when the policy is saved. So the file is applied
 * in passes over all its accounts: the accounts; then their managed policies, users and groups; then the roles that
 * are missing, created with a trust policy that trusts nobody; and only then each role's own trust policy and the
 * rest of it. A trust policy is saved again when the file's, bound now, differs from the stored one — also when a
 * principal it names was deleted and created anew, which binds it to the new entity.
 *
 * <p>A generated access key's secret is handed to a {@link GeneratedKeyJournal} before the key is created, so that no
 * failure after the key exists (a later entity of the file that IAM refuses, a crash) can lose the only copy of the
 * secret of a key that works. The price: a failure between the two leaves the journal an entry for a key that does
 * not exist, which authenticates nothing.
 */
public final class Bootstrap {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a role the file adds trusts until its own trust policy, which may name roles created after it, is set. */
    static final String TRUSTS_NOBODY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
            + "\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:*\"}]}";

    private final IamService iam;
    private final SecureRandom random = new SecureRandom();

    public Bootstrap(IamService iam) {
        this.iam = iam;
    }

    /** Where a generated access key's secret is kept before the key is created; see {@link Bootstrap}. */
    @FunctionalInterface
    public interface GeneratedKeyJournal {
        /**
         * Keeps the key's secret durably, or throws: the key is created only once this returns.
         *
         * @throws IOException if the secret could not be kept; the key is then not created
         */
        void record(GeneratedAccessKey key) throws IOException;
    }

    /**
     * Applies the file, the generated keys' secrets kept only in the list returned.
     *
     * @throws BootstrapException as {@link #apply(BootstrapFile, GeneratedKeyJournal)}
     */
    public List<GeneratedAccessKey> apply(BootstrapFile file) {
        try {
            return apply(file, key -> { });
        } catch (IOException e) {
            throw new IllegalStateException("A journal that writes nothing does not fail", e);
        }
    }

    /**
     * Applies the file, entity by entity; what was applied before a failure stays applied, and applying the file
     * again continues from there.
     *
     * @param journal keeps each generated key's secret before the key is created
     * @return the access keys this application generated (their secrets are shown this once)
     * @throws BootstrapException if an entity in the file is invalid: which one, and IAM's error for it
     * @throws IOException if the journal could not keep a secret
     */
    public List<GeneratedAccessKey> apply(BootstrapFile file, GeneratedKeyJournal journal) throws IOException {
        var generated = new ArrayList<GeneratedAccessKey>();
        IdentityStore store = iam.store();
        for (BootstrapFile.AccountSpec account : file.accounts()) {
            applying("account " + account.id(), () -> {
                if (store.findAccount(account.id()).isEmpty()) {
                    iam.accounts().createAccount(account.id());
                }
            });
        }
        for (BootstrapFile.AccountSpec account : file.accounts()) {
            String id = account.id();
            for (BootstrapFile.ManagedPolicySpec policy : account.policies()) {
                applying(entity("policy", policy.name(), id), () -> applyManagedPolicy(id, policy));
            }
            for (BootstrapFile.UserSpec user : account.users()) {
                applying(entity("user", user.name(), id), () -> applyUser(id, user, generated, journal));
            }
            for (BootstrapFile.GroupSpec group : account.groups()) {
                applying(entity("group", group.name(), id), () -> applyGroup(id, group));
            }
        }
        for (BootstrapFile.AccountSpec account : file.accounts()) {
            for (BootstrapFile.RoleSpec role : account.roles()) {
                applying(entity("role", role.name(), account.id()), () -> createMissingRole(account.id(), role));
            }
        }
        for (BootstrapFile.AccountSpec account : file.accounts()) {
            String id = account.id();
            for (BootstrapFile.RoleSpec role : account.roles()) {
                applying(entity("role", role.name(), id), () -> applyRole(id, role));
            }
            for (BootstrapFile.OpenIdConnectProviderSpec provider : account.openIdConnectProviders()) {
                applying(entity("OpenID Connect provider", provider.url(), id),
                        () -> applyOpenIdConnectProvider(id, provider));
            }
            for (BootstrapFile.SamlProviderSpec provider : account.samlProviders()) {
                applying(entity("SAML provider", provider.name(), id), () -> applySamlProvider(id, provider));
            }
        }
        return List.copyOf(generated);
    }

    /** One entity's step; IAM's refusal of it names the entity. */
    @FunctionalInterface
    private interface Step {
        void run() throws IOException;
    }

    private static void applying(String entity, Step step) throws IOException {
        try {
            step.run();
        } catch (ApiException e) {
            throw new BootstrapException(entity, e);
        }
    }

    private static String entity(String kind, String name, String accountId) {
        return kind + " " + name + " of account " + accountId;
    }

    /**
     * A user: created if missing; moved to the file's path, given the file's tags and permissions boundary if it has
     * others; the file's inline policies put and its managed policies attached where they differ or are missing; the
     * file's access keys created. Tags, policies and keys the file does not name stay.
     */
    private void applyUser(String accountId, BootstrapFile.UserSpec spec, List<GeneratedAccessKey> generated,
            GeneratedKeyJournal journal) throws IOException {
        IdentityStore store = iam.store();
        User user = store.findUser(accountId, spec.name()).orElseGet(() -> iam.users().createUser(accountId,
                new CreateUserRequest(spec.name(), Optional.ofNullable(spec.path()),
                        Optional.ofNullable(spec.permissionsBoundary()), tags(spec.tags()))));
        if (spec.path() != null && !spec.path().equals(user.path())) {
            iam.users().updateUser(accountId, user.userName(), Optional.empty(), Optional.of(spec.path()));
        }
        List<Tag> tagsToSet = tagsToSet(user.tags(), spec.tags());
        if (!tagsToSet.isEmpty()) {
            iam.users().tagUser(accountId, user.userName(), tagsToSet);
        }
        if (differs(spec.permissionsBoundary(), user.permissionsBoundaryArn())) {
            iam.users().putUserPermissionsBoundary(accountId, user.userName(), spec.permissionsBoundary());
        }
        attachMissing(PolicyOwner.of(user), spec.managedPolicies(),
                arn -> iam.managedPolicies().attachUserPolicy(accountId, user.userName(), arn));
        for (BootstrapFile.PolicySpec policy : spec.policies()) {
            String document = documentText(policy.document());
            Optional<InlinePolicy> current = store.findInlinePolicy(PolicyOwner.of(user), policy.name());
            if (current.map(InlinePolicy::policyDocument).filter(document::equals).isEmpty()) {
                iam.users().putUserPolicy(accountId, user.userName(), policy.name(), document);
            }
        }
        List<AccessKey> existing = store.listAccessKeys(user.userId());
        int wantedGenerated = 0;
        int imported = 0;
        for (BootstrapFile.AccessKeySpec key : spec.accessKeys()) {
            if (key.generate()) {
                wantedGenerated++;
                continue;
            }
            String accessKeyId = key.accessKeyId().orElseThrow(() -> new ApiException(ErrorCode.INVALID_INPUT,
                    "An access key of user " + spec.name() + " needs accessKeyId and secretAccessKey, "
                            + "or generate: true"));
            Secret secret = Secret.ofUtf8(key.secretAccessKey().orElseThrow(() -> new ApiException(
                    ErrorCode.INVALID_INPUT, "Access key " + accessKeyId + " needs a secretAccessKey")));
            imported++;
            Optional<AccessKeyCredentials> stored = store.findAccessKey(accessKeyId);
            if (stored.isEmpty()) {
                iam.users().importAccessKey(accountId, user.userName(), accessKeyId, secret);
            } else if (!stored.get().accessKey().userId().equals(user.userId())
                    || !stored.get().secretAccessKey().matches(secret.revealBytes())) {
                throw new ApiException(ErrorCode.ENTITY_ALREADY_EXISTS, "Access key " + accessKeyId
                        + " already exists with another owner or secret; access keys cannot be changed.");
            }
        }
        // Generated keys are counted, not named: create only as many as the file asks for beyond what exists.
        int missing = wantedGenerated - Math.max(0, existing.size() - imported);
        for (int i = 0; i < missing; i++) {
            var key = new GeneratedAccessKey(accountId, user.userName(), AccessKeyIds.newLongTerm(accountId, random),
                    SecretAccessKeys.generate(random));
            // Write-ahead: once the journal holds the secret, nothing that fails from here on can lose it.
            journal.record(key);
            iam.users().importAccessKey(accountId, user.userName(), key.accessKeyId(), key.secretAccessKey());
            generated.add(key);
        }
    }

    /**
     * A group: created if missing, moved to the file's path if it has another; the members the file names are added,
     * members it does not name stay.
     */
    private void applyGroup(String accountId, BootstrapFile.GroupSpec spec) {
        IdentityStore store = iam.store();
        Optional<Group> current = store.findGroup(accountId, spec.name());
        Group group = current.orElseGet(() -> iam.groups().createGroup(accountId, spec.name(),
                Optional.ofNullable(spec.path())));
        if (current.isPresent() && spec.path() != null && !spec.path().equals(group.path())) {
            iam.groups().updateGroup(accountId, group.groupName(), Optional.empty(), Optional.of(spec.path()));
        }
        Set<String> members = new HashSet<>();
        store.listUsersInGroup(group.groupId()).forEach(user -> members.add(user.userName().toLowerCase(Locale.ROOT)));
        for (String member : spec.members()) {
            if (!members.contains(member.toLowerCase(Locale.ROOT))) {
                iam.groups().addUserToGroup(accountId, group.groupName(), member);
            }
        }
        for (BootstrapFile.PolicySpec policy : spec.policies()) {
            String document = documentText(policy.document());
            Optional<InlinePolicy> existing = store.findInlinePolicy(PolicyOwner.of(group), policy.name());
            if (existing.map(InlinePolicy::policyDocument).filter(document::equals).isEmpty()) {
                iam.groups().putGroupPolicy(accountId, group.groupName(), policy.name(), document);
            }
        }
        attachMissing(PolicyOwner.of(group), spec.managedPolicies(),
                arn -> iam.managedPolicies().attachGroupPolicy(accountId, group.groupName(), arn));
    }

    /** A role of the file that does not exist yet, created with all the file gives it but its trust policy. */
    private void createMissingRole(String accountId, BootstrapFile.RoleSpec spec) {
        if (iam.store().findRole(accountId, spec.name()).isEmpty()) {
            iam.roles().createRole(accountId, new CreateRoleRequest(spec.name(), Optional.ofNullable(spec.path()),
                    TRUSTS_NOBODY, Optional.ofNullable(spec.description()),
                    Optional.ofNullable(spec.maxSessionDuration()), Optional.ofNullable(spec.permissionsBoundary()),
                    tags(spec.tags())));
        }
    }

    /**
     * A role created in an earlier pass: given the file's trust policy, description, maximum session duration,
     * permissions boundary and tags where it has others, its inline policies put and managed policies attached. Its
     * path stays as created: IAM cannot move a role. Tags and policies the file does not name stay.
     */
    private void applyRole(String accountId, BootstrapFile.RoleSpec spec) {
        IdentityStore store = iam.store();
        String trustPolicy = documentText(spec.trustPolicy());
        Role role = store.findRole(accountId, spec.name()).orElseThrow(() -> new IllegalStateException(
                "Role " + spec.name() + " was created in an earlier pass"));
        if (!isCurrent(role, trustPolicy)) {
            iam.roles().updateAssumeRolePolicy(accountId, role.roleName(), trustPolicy);
        }
        int maxSessionDuration = spec.maxSessionDuration() == null
                ? role.maxSessionDuration() : spec.maxSessionDuration();
        Optional<String> description = spec.description() == null
                ? role.description() : Optional.of(spec.description());
        if (maxSessionDuration != role.maxSessionDuration() || !Objects.equals(description, role.description())) {
            iam.roles().updateRole(accountId, role.roleName(), description, Optional.of(maxSessionDuration));
        }
        if (differs(spec.permissionsBoundary(), role.permissionsBoundaryArn())) {
            iam.roles().putRolePermissionsBoundary(accountId, role.roleName(), spec.permissionsBoundary());
        }
        List<Tag> tagsToSet = tagsToSet(role.tags(), spec.tags());
        if (!tagsToSet.isEmpty()) {
            iam.roles().tagRole(accountId, role.roleName(), tagsToSet);
        }
        for (BootstrapFile.PolicySpec policy : spec.policies()) {
            String document = documentText(policy.document());
            Optional<InlinePolicy> existing = store.findInlinePolicy(PolicyOwner.of(role), policy.name());
            if (existing.map(InlinePolicy::policyDocument).filter(document::equals).isEmpty()) {
                iam.roles().putRolePolicy(accountId, role.roleName(), policy.name(), document);
            }
        }
        attachMissing(PolicyOwner.of(role), spec.managedPolicies(),
                arn -> iam.managedPolicies().attachRolePolicy(accountId, role.roleName(), arn));
    }

    /**
     * Whether the role's stored trust policy is the file's, bound to the entities its principals name now. A policy
     * that cannot be bound is not current: saving it reports IAM's error.
     */
    private boolean isCurrent(Role role, String trustPolicy) {
        try {
            return TrustPolicy.bind(trustPolicy, iam.store()).equals(role.trustPolicy());
        } catch (ApiException e) {
            return false;
        }
    }

    /**
     * A customer managed policy: created if missing; if its default version's document differs from the file's, the
     * file's becomes a new default version (the oldest other version makes room when the policy has five). Its path
     * and description stay as created: IAM cannot change them.
     */
    private void applyManagedPolicy(String accountId, BootstrapFile.ManagedPolicySpec spec) {
        IdentityStore store = iam.store();
        String document = documentText(spec.document());
        Optional<ManagedPolicy> current = store.findManagedPolicy(accountId, spec.name());
        if (current.isEmpty()) {
            iam.managedPolicies().createPolicy(accountId, new CreatePolicyRequest(spec.name(),
                    Optional.ofNullable(spec.path()), document, Optional.ofNullable(spec.description()), List.of()));
            return;
        }
        ManagedPolicy policy = current.get();
        boolean same = store.findPolicyVersion(policy.policyId(), policy.defaultVersionId())
                .map(PolicyVersion::document)
                .filter(document::equals)
                .isPresent();
        if (same) {
            return;
        }
        List<PolicyVersion> versions = store.listPolicyVersions(policy.policyId());
        if (versions.size() >= ManagedPolicyOperations.MAX_POLICY_VERSIONS) {
            // Newest first: the last version that is not the default is the oldest one to spare.
            versions.stream().filter(version -> !version.isDefaultVersion()).reduce((newer, older) -> older)
                    .ifPresent(oldest -> iam.managedPolicies().deletePolicyVersion(accountId, policy.arn(),
                            oldest.versionId()));
        }
        iam.managedPolicies().createPolicyVersion(accountId, policy.arn(), document, /* setAsDefault= */ true);
    }

    /**
     * An OpenID Connect provider, found by its URL: created if missing; the client ids the file names are added, the
     * file's thumbprints replace the provider's if one is missing, the file's tags are set; the rest stays.
     */
    private void applyOpenIdConnectProvider(String accountId, BootstrapFile.OpenIdConnectProviderSpec spec) {
        ProviderOperations providers = iam.providers();
        Optional<OpenIdConnectProvider> current = providers.listOpenIdConnectProviders(accountId).stream()
                .filter(provider -> provider.url().equalsIgnoreCase(spec.url()))
                .findFirst();
        if (current.isEmpty()) {
            providers.createOpenIdConnectProvider(accountId, spec.url(), spec.clientIds(), spec.thumbprints(),
                    tags(spec.tags()));
            return;
        }
        OpenIdConnectProvider provider = current.get();
        for (String clientId : spec.clientIds()) {
            if (!provider.clientIds().contains(clientId)) {
                providers.addClientIdToOpenIdConnectProvider(accountId, provider.arn(), clientId);
            }
        }
        Set<String> held = new HashSet<>();
        provider.thumbprints().forEach(thumbprint -> held.add(thumbprint.toLowerCase(Locale.ROOT)));
        boolean lacksOne = spec.thumbprints().stream()
                .anyMatch(thumbprint -> !held.contains(thumbprint.toLowerCase(Locale.ROOT)));
        if (lacksOne) {
            providers.updateOpenIdConnectProviderThumbprint(accountId, provider.arn(), spec.thumbprints());
        }
        List<Tag> tagsToSet = tagsToSet(provider.tags(), spec.tags());
        if (!tagsToSet.isEmpty()) {
            providers.tagOpenIdConnectProvider(accountId, provider.arn(), tagsToSet);
        }
    }

    /**
     * A SAML provider, found by its name: created if missing; a different metadata document replaces its own; the
     * file's tags are set; the rest stays.
     */
    private void applySamlProvider(String accountId, BootstrapFile.SamlProviderSpec spec) {
        ProviderOperations providers = iam.providers();
        Optional<SamlProvider> current = providers.listSamlProviders(accountId).stream()
                .filter(provider -> provider.name().equalsIgnoreCase(spec.name()))
                .findFirst();
        if (current.isEmpty()) {
            providers.createSamlProvider(accountId, spec.name(), spec.metadataDocument(), Optional.empty(),
                    tags(spec.tags()));
            return;
        }
        SamlProvider provider = current.get();
        if (!provider.metadataDocument().equals(spec.metadataDocument())) {
            providers.updateSamlProvider(accountId, provider.arn(), Optional.of(spec.metadataDocument()),
                    Optional.empty());
        }
        List<Tag> tagsToSet = tagsToSet(provider.tags(), spec.tags());
        if (!tagsToSet.isEmpty()) {
            providers.tagSamlProvider(accountId, provider.arn(), tagsToSet);
        }
    }

    /**
     * What to tag an existing entity with: all the file's tags when the entity lacks one of them or holds one with
     * another value, else nothing, so that an entity already in line is not written. Keys are compared in any case,
     * as IAM compares tag keys; values exactly. All of them, not only those that differ, so that the Tag call checks
     * the file's whole set as the Create call would (a key twice in two cases, more than 50 tags), and the keys then
     * take the file's spelling; keys the file does not name stay, as TagUser and TagRole leave them.
     */
    private static List<Tag> tagsToSet(List<Tag> current, Map<String, String> wanted) {
        boolean inLine = wanted.entrySet().stream().allMatch(tag -> current.stream().anyMatch(
                held -> held.key().equalsIgnoreCase(tag.getKey()) && held.value().equals(tag.getValue())));
        return inLine ? List.of() : tags(wanted);
    }

    /** Attaches the managed policies the file names that are not attached yet; attachments it does not name stay. */
    private void attachMissing(PolicyOwner owner, List<String> policyArns, Consumer<String> attach) {
        Set<String> attached = new HashSet<>();
        iam.store().listAttachedPolicies(owner).forEach(policy -> attached.add(policy.arn().toLowerCase(Locale.ROOT)));
        for (String policyArn : policyArns) {
            if (!attached.contains(policyArn.toLowerCase(Locale.ROOT))) {
                attach.accept(policyArn);
            }
        }
    }

    /** A permissions boundary the file names and the identity does not have (ARNs compared in any case). */
    private static boolean differs(String wanted, Optional<String> current) {
        return wanted != null && !current.map(wanted::equalsIgnoreCase).orElse(false);
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream().map(entry -> new Tag(entry.getKey(), entry.getValue())).toList();
    }

    /** A document written as a string is taken verbatim; a YAML map becomes compact JSON. */
    static String documentText(JsonNode document) {
        if (document.isTextual()) {
            return document.asText();
        }
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A parsed document always serializes", e);
        }
    }

    /** An access key the bootstrap generated. Not a record: it holds a secret. */
    public static final class GeneratedAccessKey {
        private final String accountId;
        private final String userName;
        private final String accessKeyId;
        private final Secret secretAccessKey;

        GeneratedAccessKey(String accountId, String userName, String accessKeyId, Secret secretAccessKey) {
            this.accountId = accountId;
            this.userName = userName;
            this.accessKeyId = accessKeyId;
            this.secretAccessKey = secretAccessKey;
        }

        public String accountId() {
            return accountId;
        }

        public String userName() {
            return userName;
        }

        public String accessKeyId() {
            return accessKeyId;
        }

        public Secret secretAccessKey() {
            return secretAccessKey;
        }

        /** The profile the key is written under in {@code bootstrap-credentials}: {@code USER@ACCOUNT}. */
        public String profileName() {
            return userName + "@" + accountId;
        }

        @Override
        public String toString() {
            return "GeneratedAccessKey[" + accountId + ", " + userName + ", " + accessKeyId + "]";
        }
    }
}
