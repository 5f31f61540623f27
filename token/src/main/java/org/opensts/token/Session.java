package org.opensts.token;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a session carries: who it is, what it may do and until when. A session token is this record, sealed
 * (see {@link SessionTokenCodec}); the secret access key travels beside it, never inside the record, because a record
 * prints every component.
 *
 * <p>A {@code Session} is always valid: the compact constructor checks each component and the rules that tie them
 * together (IAM User Guide, "IAM identifiers" and "Pass session tags in AWS STS"):
 * <ul>
 *   <li>{@code accessKeyId} is a temporary ({@code ASIA…}) id that embeds {@code accountId} (12 digits);
 *   <li>{@code principalArn} has the shape of {@code type}: {@code arn:P:sts::A:assumed-role/R/S},
 *       {@code arn:P:sts::A:federated-user/N}, or the IAM user or root ARN for {@link SessionType#SESSION_USER};
 *   <li>{@code principalId} is {@code AROA…:S}, {@code A:N}, or the user id ({@code AIDA…}) / account id (root);
 *   <li>{@code sourceArn} is the IAM entity behind the session in the same account and partition: the role
 *       ({@code aws:PrincipalArn} of a role session), the user or root that called {@code GetFederationToken}, or the
 *       principal itself for {@code SESSION_USER};
 *   <li>{@code sourceUniqueId} is that entity's unique id: the role id of a role session and the user id of a
 *       {@code SESSION_USER} session, both read from {@code principalId} when not given; for a federated user the
 *       issuing user's id ({@code AIDA…}), or the account id when the root user issued it — absent only in a
 *       federated user's token sealed before tokens carried it;
 *   <li>{@code sessionName} is the role session name (2..64 of {@code [\w+=,.@-]}), the federated user's name
 *       (2..32), or absent for {@code SESSION_USER}; {@code sourceIdentity} is 2..64 of the same characters;
 *   <li>{@code expiration} is after {@code issuedAt}; {@code mfaAuthenticatedAt}, when present, is not after it;
 *   <li>tag keys are unique ignoring case, and each transitive key names one of the tags;
 *   <li>only role sessions carry transitive keys, a chain depth above 0, a federated provider or federation claims;
 *       {@code SESSION_USER} sessions carry no session policies, policy ARNs or tags ({@code GetSessionToken} takes
 *       none).
 * </ul>
 * Instants are kept to the millisecond, the precision of the token; finer parts are truncated on the way in. Every
 * collection is an unmodifiable copy that keeps the caller's order.
 *
 * @param accessKeyId the temporary access key id, {@code ASIA…}
 * @param accountId the account that owns the session (the role's account for role sessions), 12 digits
 * @param type the kind of principal
 * @param principalArn the session's own ARN, as {@code GetCallerIdentity} reports it
 * @param principalId the session's unique id ({@code aws:userid})
 * @param sourceArn the IAM role, user or root behind the session
 * @param sourceUniqueId the unique id of {@code sourceArn}'s entity when the session was issued: a name may be given
 *     to another entity later, an id never is, so permissions and trust follow this id and not the name
 * @param sessionName the role session name or federated user name
 * @param sourceIdentity the source identity set once in a role chain ({@code aws:SourceIdentity})
 * @param issuedAt when the session was issued ({@code aws:TokenIssueTime}; revocation compares against it)
 * @param expiration when the credentials stop working
 * @param mfaAuthenticatedAt when MFA was checked, if it was ({@code aws:MultiFactorAuthPresent}/{@code Age})
 * @param sessionPolicies inline session policy documents (JSON), usually 0 or 1
 * @param policyArns managed session policy ARNs
 * @param tags session tags, including inherited transitive tags
 * @param transitiveTagKeys the keys of {@code tags} that pass on to chained role sessions
 * @param roleChainDepth how many role sessions led to this one: 0 when the caller used long-term keys or federation
 * @param federatedProvider the identity provider of a SAML or web-identity session ({@code aws:FederatedProvider})
 * @param federationClaims provider keys that remain available in later requests, e.g. {@code saml:sub},
 *     {@code <oidc-host>:sub}, {@code <oidc-host>:amr}
 * @param regionScope where the token is accepted (AWS's token version); {@link RegionScope#ALL_REGIONS} for tokens
 *     sealed before tokens carried it
 */
public record Session(
        String accessKeyId,
        String accountId,
        SessionType type,
        String principalArn,
        String principalId,
        String sourceArn,
        Optional<String> sourceUniqueId,
        Optional<String> sessionName,
        Optional<String> sourceIdentity,
        Instant issuedAt,
        Instant expiration,
        Optional<Instant> mfaAuthenticatedAt,
        List<String> sessionPolicies,
        List<String> policyArns,
        List<SessionTag> tags,
        Set<String> transitiveTagKeys,
        int roleChainDepth,
        Optional<String> federatedProvider,
        Map<String, List<String>> federationClaims,
        RegionScope regionScope) {

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** @throws IllegalArgumentException if a component or the combination breaks one of the rules above */
    public Session {
        requireNonNull(type, "type");
        requireNonNull(sourceUniqueId, "sourceUniqueId");
        requireNonNull(sessionName, "sessionName");
        requireNonNull(sourceIdentity, "sourceIdentity");
        requireNonNull(mfaAuthenticatedAt, "mfaAuthenticatedAt");
        requireNonNull(federatedProvider, "federatedProvider");
        requireNonNull(regionScope, "regionScope");

        long account = AccessKeyIds.parseAccountId(accountId);
        check(account >= 0, "accountId must be 12 digits");
        long embeddedAccount = AccessKeyIds.embeddedAccount(accessKeyId);
        check(embeddedAccount >= 0 && accessKeyId.startsWith(AccessKeyIds.TEMPORARY_PREFIX),
                "accessKeyId must be a temporary (ASIA) access key id that embeds an account id");
        check(embeddedAccount == account, "accessKeyId must embed accountId");

        checkName(type, sessionName);
        sourceIdentity.ifPresent(value -> check(isNameText(value, 2, 64),
                "sourceIdentity must be 2..64 characters of [\\w+=,.@-]"));
        checkPrincipal(type, accountId, principalArn, principalId, sourceArn, sessionName.orElse(null));
        sourceUniqueId = sourceUniqueId(type, accountId, principalId, sourceArn, sessionName.orElse(null),
                sourceUniqueId);

        Instant issued = millis(issuedAt, "issuedAt");
        issuedAt = issued;
        expiration = millis(expiration, "expiration");
        check(expiration.isAfter(issued), "expiration must be after issuedAt");
        mfaAuthenticatedAt = mfaAuthenticatedAt.map(at -> millis(at, "mfaAuthenticatedAt"));
        mfaAuthenticatedAt.ifPresent(at -> check(!at.isAfter(issued), "mfaAuthenticatedAt must not be after issuedAt"));

        sessionPolicies = texts(sessionPolicies, "sessionPolicies");
        policyArns = texts(policyArns, "policyArns");
        tags = List.copyOf(tags);
        transitiveTagKeys = orderedSet(transitiveTagKeys);
        checkTags(tags, transitiveTagKeys);
        federatedProvider.ifPresent(value -> requireText(value, "federatedProvider"));
        federationClaims = claims(federationClaims);

        check(roleChainDepth >= 0, "roleChainDepth must not be negative");
        if (type != SessionType.ASSUMED_ROLE) {
            check(transitiveTagKeys.isEmpty(), "only role sessions have transitive tag keys");
            check(roleChainDepth == 0, "only role sessions are chained");
            check(federatedProvider.isEmpty() && federationClaims.isEmpty(), "only role sessions are federated");
        }
        if (type == SessionType.SESSION_USER) {
            check(sessionPolicies.isEmpty() && policyArns.isEmpty() && tags.isEmpty(),
                    "GetSessionToken sessions have no session policies or tags");
        }
    }

    /** A builder with nothing set; {@link Builder#build()} validates. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this session's components, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder()
                .accessKeyId(accessKeyId)
                .accountId(accountId)
                .type(type)
                .principalArn(principalArn)
                .principalId(principalId)
                .sourceArn(sourceArn)
                // Only a federated user's is its own; the others' is read again from the principal id.
                .sourceUniqueId(type == SessionType.FEDERATED_USER ? sourceUniqueId.orElse(null) : null)
                .sessionName(sessionName.orElse(null))
                .sourceIdentity(sourceIdentity.orElse(null))
                .issuedAt(issuedAt)
                .expiration(expiration)
                .mfaAuthenticatedAt(mfaAuthenticatedAt.orElse(null))
                .sessionPolicies(sessionPolicies)
                .policyArns(policyArns)
                .tags(tags)
                .transitiveTagKeys(transitiveTagKeys)
                .roleChainDepth(roleChainDepth)
                .federatedProvider(federatedProvider.orElse(null))
                .federationClaims(federationClaims)
                .regionScope(regionScope);
    }

    /** Whether the credentials no longer work at {@code now}: true from the expiration instant on. */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiration);
    }

    private static void checkName(SessionType type, Optional<String> sessionName) {
        switch (type) {
            case ASSUMED_ROLE -> check(sessionName.filter(name -> isNameText(name, 2, 64)).isPresent(),
                    "a role session needs a sessionName of 2..64 characters of [\\w+=,.@-]");
            case FEDERATED_USER -> check(sessionName.filter(name -> isNameText(name, 2, 32)).isPresent(),
                    "a federated user needs a sessionName (its name) of 2..32 characters of [\\w+=,.@-]");
            case SESSION_USER -> check(sessionName.isEmpty(), "a GetSessionToken session has no sessionName");
        }
    }

    private static void checkPrincipal(SessionType type, String accountId, String principalArn, String principalId,
            String sourceArn, String name) {
        requireText(principalArn, "principalArn");
        requireText(principalId, "principalId");
        requireText(sourceArn, "sourceArn");
        var principal = ArnParts.of(principalArn, "principalArn");
        var source = ArnParts.of(sourceArn, "sourceArn");
        check(principal.account().equals(accountId) && source.account().equals(accountId),
                "principalArn and sourceArn must name accountId");
        check(principal.partition().equals(source.partition()), "principalArn and sourceArn must share a partition");
        check(source.service().equals("iam"), "sourceArn must be an IAM ARN");
        switch (type) {
            case ASSUMED_ROLE -> {
                String prefix = "assumed-role/";
                String suffix = "/" + name;
                String resource = principal.resource();
                check(principal.service().equals("sts") && resource.startsWith(prefix) && resource.endsWith(suffix)
                        && resource.length() > prefix.length() + suffix.length(),
                        "principalArn must be sts assumed-role/R/" + name);
                String roleName = resource.substring(prefix.length(), resource.length() - suffix.length());
                check(roleName.indexOf('/') < 0 && source.resource().startsWith("role/")
                        && source.resource().endsWith("/" + roleName),
                        "sourceArn must be the role that principalArn names");
                check(principalId.endsWith(":" + name) && principalId.length() > name.length() + 1,
                        "principalId must be <role id>:" + name);
            }
            case FEDERATED_USER -> {
                check(principal.service().equals("sts") && principal.resource().equals("federated-user/" + name),
                        "principalArn must be sts federated-user/" + name);
                check(isUserOrRoot(source.resource()), "sourceArn must be the IAM user or root behind the session");
                check(principalId.equals(accountId + ":" + name), "principalId must be " + accountId + ":" + name);
            }
            case SESSION_USER -> {
                check(principal.service().equals("iam") && isUserOrRoot(principal.resource()),
                        "principalArn must be an IAM user or root ARN");
                check(sourceArn.equals(principalArn), "sourceArn must equal principalArn");
                check(!principal.resource().equals("root") || principalId.equals(accountId),
                        "the root user's principalId is its account id");
            }
        }
    }

    /**
     * The unique id of the entity behind the session. A role session's principal id is {@code <role id>:<session>}
     * and a session user's is the user id itself, so theirs are read from it; a federated user's principal id
     * ({@code account:name}) says nothing of the user who issued it, so it must be given.
     */
    private static Optional<String> sourceUniqueId(SessionType type, String accountId, String principalId,
            String sourceArn, String name, Optional<String> given) {
        Optional<String> derived = switch (type) {
            case ASSUMED_ROLE -> Optional.of(principalId.substring(0, principalId.length() - name.length() - 1));
            case SESSION_USER -> Optional.of(principalId);
            case FEDERATED_USER -> Optional.empty();
        };
        if (derived.isPresent()) {
            check(given.isEmpty() || given.equals(derived), "sourceUniqueId must be " + derived.get());
            return derived;
        }
        given.ifPresent(id -> check(sourceArn.endsWith(":root") ? id.equals(accountId) : isUniqueId(id),
                "sourceUniqueId must be the issuing user's unique id, or the account id for the root user"));
        return given;
    }

    /** IAM's unique ids: a four-letter prefix such as {@code AIDA}, then upper-case letters and digits. */
    private static boolean isUniqueId(String value) {
        if (value.length() < 16 || value.length() > 128) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUserOrRoot(String resource) {
        return resource.equals("root") || resource.startsWith("user/") && resource.length() > "user/".length();
    }

    private static void checkTags(List<SessionTag> tags, Set<String> transitiveTagKeys) {
        var keys = new HashSet<String>();
        for (var tag : tags) {
            check(keys.add(tag.key().toLowerCase(Locale.ROOT)), "tag keys must be unique ignoring case: " + tag.key());
        }
        var transitive = new HashSet<String>();
        for (var key : transitiveTagKeys) {
            String folded = requireText(key, "transitiveTagKeys").toLowerCase(Locale.ROOT);
            check(transitive.add(folded), "transitive tag keys must be unique ignoring case: " + key);
            check(keys.contains(folded), "transitive tag key names no tag: " + key);
        }
    }

    private static Instant millis(Instant instant, String name) {
        requireNonNull(instant, name);
        check(!instant.isBefore(Instant.EPOCH) && !instant.isAfter(LATEST), name + " must lie in years 1970..9999");
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }

    private static List<String> texts(List<String> values, String name) {
        var copy = List.copyOf(values);
        copy.forEach(value -> requireText(value, name));
        return copy;
    }

    private static Set<String> orderedSet(Set<String> values) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(requireNonNull(values, "transitiveTagKeys")));
    }

    private static Map<String, List<String>> claims(Map<String, List<String>> claims) {
        var copy = new LinkedHashMap<String, List<String>>();
        requireNonNull(claims, "federationClaims").forEach((key, values) -> {
            requireText(key, "federationClaims key");
            var list = List.copyOf(values);
            list.forEach(Session::requireWellFormed);
            copy.put(key, list);
        });
        return Collections.unmodifiableMap(copy);
    }

    /** {@code [\w+=,.@-]} of {@code min..max} characters: role session names, federated names, source identities. */
    private static boolean isNameText(String value, int min, int max) {
        if (value.length() < min || value.length() > max) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "_+=,.@-".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    private static String requireText(String value, String name) {
        requireNonNull(value, name);
        check(!value.isEmpty(), name + " must not be empty");
        requireWellFormed(value);
        return value;
    }

    /** Rejects unpaired surrogates: they have no UTF-8 encoding, so they could not survive the token. */
    private static void requireWellFormed(String value) {
        requireNonNull(value, "value");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean pairStart = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (pairStart) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("text holds an unpaired surrogate at index " + i);
            }
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The fields of {@code arn:partition:service:region:account:resource} that sessions use (region is empty). */
    private record ArnParts(String partition, String service, String account, String resource) {
        static ArnParts of(String arn, String name) {
            // arn:partition:service:region:account:resource, the resource keeping any further colons.
            int partition = arn.indexOf(':');
            int service = partition < 0 ? -1 : arn.indexOf(':', partition + 1);
            int region = service < 0 ? -1 : arn.indexOf(':', service + 1);
            int account = region < 0 ? -1 : arn.indexOf(':', region + 1);
            int resource = account < 0 ? -1 : arn.indexOf(':', account + 1);
            check(resource >= 0 && partition == 3 && arn.startsWith("arn") && service > partition + 1
                    && region > service + 1 && account == region + 1 && resource < arn.length() - 1,
                    name + " must be arn:partition:service::account:resource");
            return new ArnParts(arn.substring(partition + 1, service), arn.substring(service + 1, region),
                    arn.substring(account + 1, resource), arn.substring(resource + 1));
        }
    }

    /**
     * Collects a session's components; {@link #build()} checks them all. Setters of optional components take
     * {@code null} for "absent"; collections default to empty and {@code roleChainDepth} to 0.
     */
    public static final class Builder {
        private String accessKeyId;
        private String accountId;
        private SessionType type;
        private String principalArn;
        private String principalId;
        private String sourceArn;
        private String sourceUniqueId;
        private String sessionName;
        private String sourceIdentity;
        private Instant issuedAt;
        private Instant expiration;
        private Instant mfaAuthenticatedAt;
        private List<String> sessionPolicies = List.of();
        private List<String> policyArns = List.of();
        private List<SessionTag> tags = List.of();
        private Set<String> transitiveTagKeys = Set.of();
        private int roleChainDepth;
        private String federatedProvider;
        private Map<String, List<String>> federationClaims = Map.of();
        private RegionScope regionScope = RegionScope.ALL_REGIONS;

        private Builder() {
        }

        public Builder accessKeyId(String accessKeyId) {
            this.accessKeyId = accessKeyId;
            return this;
        }

        public Builder accountId(String accountId) {
            this.accountId = accountId;
            return this;
        }

        public Builder type(SessionType type) {
            this.type = type;
            return this;
        }

        public Builder principalArn(String principalArn) {
            this.principalArn = principalArn;
            return this;
        }

        public Builder principalId(String principalId) {
            this.principalId = principalId;
            return this;
        }

        public Builder sourceArn(String sourceArn) {
            this.sourceArn = sourceArn;
            return this;
        }

        /** Needed for federated users only: the other kinds of session read it from their principal id. */
        public Builder sourceUniqueId(String sourceUniqueId) {
            this.sourceUniqueId = sourceUniqueId;
            return this;
        }

        public Builder sessionName(String sessionName) {
            this.sessionName = sessionName;
            return this;
        }

        public Builder sourceIdentity(String sourceIdentity) {
            this.sourceIdentity = sourceIdentity;
            return this;
        }

        public Builder issuedAt(Instant issuedAt) {
            this.issuedAt = issuedAt;
            return this;
        }

        public Builder expiration(Instant expiration) {
            this.expiration = expiration;
            return this;
        }

        public Builder mfaAuthenticatedAt(Instant mfaAuthenticatedAt) {
            this.mfaAuthenticatedAt = mfaAuthenticatedAt;
            return this;
        }

        public Builder sessionPolicies(List<String> sessionPolicies) {
            this.sessionPolicies = List.copyOf(sessionPolicies);
            return this;
        }

        public Builder policyArns(List<String> policyArns) {
            this.policyArns = List.copyOf(policyArns);
            return this;
        }

        public Builder tags(List<SessionTag> tags) {
            this.tags = List.copyOf(tags);
            return this;
        }

        /** Sets the transitive tag keys in iteration order. */
        public Builder transitiveTagKeys(Collection<String> transitiveTagKeys) {
            this.transitiveTagKeys = Collections.unmodifiableSet(new LinkedHashSet<>(transitiveTagKeys));
            return this;
        }

        public Builder roleChainDepth(int roleChainDepth) {
            this.roleChainDepth = roleChainDepth;
            return this;
        }

        public Builder federatedProvider(String federatedProvider) {
            this.federatedProvider = federatedProvider;
            return this;
        }

        /** Sets the federation claims in iteration order. */
        public Builder federationClaims(Map<String, List<String>> federationClaims) {
            this.federationClaims = Collections.unmodifiableMap(new LinkedHashMap<>(federationClaims));
            return this;
        }

        /** Where the token is accepted; {@link RegionScope#ALL_REGIONS} unless set. */
        public Builder regionScope(RegionScope regionScope) {
            this.regionScope = regionScope;
            return this;
        }

        /** @throws IllegalArgumentException or {@link NullPointerException} as {@link Session#Session} does */
        public Session build() {
            return new Session(accessKeyId, accountId, type, principalArn, principalId, sourceArn,
                    Optional.ofNullable(sourceUniqueId), Optional.ofNullable(sessionName),
                    Optional.ofNullable(sourceIdentity), issuedAt, expiration, Optional.ofNullable(mfaAuthenticatedAt),
                    sessionPolicies, policyArns, tags, transitiveTagKeys, roleChainDepth,
                    Optional.ofNullable(federatedProvider), federationClaims, regionScope);
        }

        String accountId() {
            return accountId;
        }

        boolean hasAccessKeyId() {
            return accessKeyId != null;
        }

        /** An independent copy, so that a caller's builder is never changed behind its back. */
        Builder copy() {
            var copy = new Builder();
            copy.accessKeyId = accessKeyId;
            copy.accountId = accountId;
            copy.type = type;
            copy.principalArn = principalArn;
            copy.principalId = principalId;
            copy.sourceArn = sourceArn;
            copy.sourceUniqueId = sourceUniqueId;
            copy.sessionName = sessionName;
            copy.sourceIdentity = sourceIdentity;
            copy.issuedAt = issuedAt;
            copy.expiration = expiration;
            copy.mfaAuthenticatedAt = mfaAuthenticatedAt;
            copy.sessionPolicies = sessionPolicies;
            copy.policyArns = policyArns;
            copy.tags = tags;
            copy.transitiveTagKeys = transitiveTagKeys;
            copy.roleChainDepth = roleChainDepth;
            copy.federatedProvider = federatedProvider;
            copy.federationClaims = federationClaims;
            copy.regionScope = regionScope;
            return copy;
        }
    }
}
