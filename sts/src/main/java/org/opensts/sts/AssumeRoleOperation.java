package org.opensts.sts;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BiConsumer;
import org.opensts.iam.IdentityStore;
import org.opensts.iam.PolicyCache;
import org.opensts.iam.Role;
import org.opensts.iam.RoleLastUsed;
import org.opensts.iam.TotpVerifier;
import org.opensts.iam.TotpVerifier.VerifiedCode;
import org.opensts.iam.User;
import org.opensts.policy.Decision;
import org.opensts.policy.EvalDecision;
import org.opensts.policy.GlobalConditionKeys;
import org.opensts.policy.RequestContext;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.Arn;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.CredentialMinter;
import org.opensts.token.Session;
import org.opensts.token.SessionTag;
import org.opensts.token.SessionType;
import org.opensts.token.TemporaryCredentials;

/**
 * AssumeRole (STS API Reference): a signed caller asks for a session of a role its trust policy lets it assume.
 *
 * <p>In order: the role ARN's syntax, the request's semantic rules (session policy, tags, source identity, MFA
 * pairing), the role (an unknown role is refused exactly like a forbidden one, so callers cannot probe which roles
 * exist), the MFA code if one is given (the device must be the calling IAM user's), the trust policy together with the
 * caller's identity policies ({@code sts:AssumeRole}, plus {@code sts:TagSession} and {@code sts:SetSourceIdentity}
 * when used), the duration against the role's maximum and the role-chaining limit, the packed size, and finally
 * minting — just before which the MFA code is spent, so that a request refused for another reason leaves it usable.
 */
public final class AssumeRoleOperation {
    static final String ACTION = "sts:AssumeRole";
    static final String TAG_SESSION = "sts:TagSession";
    static final String SET_SOURCE_IDENTITY = "sts:SetSourceIdentity";
    static final int DEFAULT_DURATION_SECONDS = SessionGrants.DEFAULT_DURATION_SECONDS;
    /** A session assumed from another role session lasts at most one hour (role chaining; STS API Reference). */
    static final int ROLE_CHAINING_MAX_DURATION_SECONDS = 3600;

    private final IdentityStore identities;
    private final TotpVerifier mfa;
    private final Authorizer authorizer;
    private final PolicyCache policies;
    private final SharedKeyRing keyRing;
    private final Clock clock;
    private final SecureRandom random;
    /** Told of each role lent out; nothing until a node sets it. */
    private volatile BiConsumer<String, RoleLastUsed> roleUses = (roleId, use) -> { };

    AssumeRoleOperation(IdentityStore identities, Authorizer authorizer, PolicyCache policies, SharedKeyRing keyRing,
            Clock clock, SecureRandom random) {
        this.identities = identities;
        this.mfa = new TotpVerifier(identities);
        this.authorizer = authorizer;
        this.policies = policies;
        this.keyRing = keyRing;
        this.clock = clock;
        this.random = random;
    }

    public AssumeRoleResponse assumeRole(CallerIdentity caller, RequestMetadata metadata, AssumeRoleRequest request) {
        // A RoleArn that is not an ARN at all is a ValidationError before anything is authorized, worded as AWS's real
        // responses word it; one that is an ARN but names no role the caller may assume is AccessDenied below.
        Optional<Arn> roleArn = Arn.tryParse(request.roleArn());
        if (roleArn.isEmpty()) {
            throw ApiException.validationError(request.roleArn() + " is invalid");
        }
        if (request.hasProvidedContexts()) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "ProvidedContexts (trusted identity propagation) is not supported by this service.");
        }
        request.policy().ifPresent(document -> SessionGrants.checkSessionPolicy(document, policies));
        SessionGrants.checkPolicyArns(request.policyArns());
        checkMfaPairing(request);
        Optional<String> sourceIdentity = sourceIdentity(caller, request);
        List<SessionTag> tags = sessionTags(caller, request);
        Set<String> transitiveTagKeys = transitiveTagKeys(caller, request);

        // MFA is checked before the role is looked up, so that its refusal cannot tell whether another account has a
        // role of that name, and before trust, which may require it; its code is spent only once the request is sure
        // to pass.
        Optional<VerifiedCode> mfaCode = request.serialNumber().map(serialNumber -> mfa.check(mfaUserId(caller),
                serialNumber, request.tokenCode().orElseThrow(), clock.instant()));
        Role role = SessionGrants.findRole(identities, roleArn.get(), request.roleArn())
                .orElseThrow(() -> authorizer.denied(caller, ACTION, request.roleArn(), Optional.empty(),
                        authorizer.baseContext(caller, metadata).build(), /* resourceInCallersAccount= */ false));
        RequestContext context = trustContext(caller, metadata, request, role, mfaCode, sourceIdentity, tags,
                transitiveTagKeys);
        var actions = new ArrayList<String>(List.of(ACTION));
        // The calling session's transitive tags are set on the new session as much as this request's: a chained call
        // that carries them needs sts:TagSession as AWS refuses it without ("is not authorized to perform:
        // sts:TagSession"), or a role's owner who refuses a tag when it is passed would get it when it is carried.
        if (!tags.isEmpty()) {
            actions.add(TAG_SESSION);
        }
        // Set by this request or carried from the calling session: a chained session with a source identity needs
        // the permission in the caller's policies and the role's trust policy alike (IAM User Guide, "Monitor and
        // control actions taken with assumed roles", "Permissions required to set source identity").
        if (sourceIdentity.isPresent()) {
            actions.add(SET_SOURCE_IDENTITY);
        }
        // The role found is the one the request named, so its ARN is the request's: not built again from its parts.
        requireTrust(caller, role, request.roleArn(), actions, context);

        int durationSeconds = request.durationSeconds().orElse(DEFAULT_DURATION_SECONDS);
        if (caller.isRoleSession() && durationSeconds > ROLE_CHAINING_MAX_DURATION_SECONDS) {
            throw ApiException.validationError("The requested DurationSeconds exceeds the 1 hour session limit for "
                    + "roles assumed by role chaining.");
        }
        SessionGrants.checkDuration(durationSeconds, role);

        List<String> sessionPolicies = request.policy().map(List::of).orElse(List.of());
        int packedPolicySize = SessionGrants.checkSessionGrants(authorizer.identityPolicies(), role.accountId(),
                sessionPolicies, request.policyArns(), tags);

        mfaCode.ifPresent(mfa::spend);
        Instant now = clock.instant();
        Session.Builder session = SessionGrants.roleSession(role, request.roleSessionName(), now,
                        SessionGrants.expiration(now, durationSeconds))
                .sessionPolicies(sessionPolicies)
                .policyArns(request.policyArns())
                .tags(tags)
                .transitiveTagKeys(transitiveTagKeys)
                .roleChainDepth(caller.session().map(s -> s.type() == SessionType.ASSUMED_ROLE
                        ? s.roleChainDepth() + 1 : 0).orElse(0));
        sourceIdentity.ifPresent(session::sourceIdentity);
        mfaCode.ifPresent(code -> session.mfaAuthenticatedAt(code.authenticatedAt()));
        TemporaryCredentials credentials = new CredentialMinter(keyRing.codec(), random).mint(session);
        roleUses.accept(role.roleId(), new RoleLastUsed(now, metadata.region()));

        boolean reportsPackedSize = request.policy().isPresent() || !request.policyArns().isEmpty()
                || !request.tags().isEmpty();
        return new AssumeRoleResponse(credentials, SessionGrants.assumedRoleUser(role, request.roleSessionName()),
                reportsPackedSize ? OptionalInt.of(packedPolicySize) : OptionalInt.empty(), sourceIdentity);
    }

    /**
     * Tells {@code listener} of each role assumed from now on: its id, when, and the region the request was signed for.
     * It runs on the request's path, so it must be quick and do no I/O; a node records into a
     * {@link org.opensts.iam.LastUsedRecorder} that it flushes on a schedule.
     */
    void onRoleUse(BiConsumer<String, RoleLastUsed> listener) {
        roleUses = requireNonNull(listener, "listener");
    }

    /** Every action must be allowed by the trust policy and the caller's policies, read once for all of them. */
    private void requireTrust(CallerIdentity caller, Role role, String roleArn, List<String> actions,
            RequestContext context) {
        // The users and roles the trust policy names are evaluated as the unique ids bound to them when it was saved.
        var trustPolicy = authorizer.trustPolicy(role, roleArn);
        List<Decision> decisions = authorizer.evaluate(caller, actions, roleArn, Optional.of(role.accountId()),
                context, Optional.of(trustPolicy));
        for (int i = 0; i < actions.size(); i++) {
            if (decisions.get(i).decision() != EvalDecision.ALLOWED) {
                throw authorizer.denied(caller, actions.get(i), roleArn, Optional.of(decisions.get(i)), context,
                        role.accountId().equals(caller.accountId()));
            }
        }
    }

    /**
     * The keys of a trust-policy evaluation: the caller's, the request's ({@code sts:RoleSessionName},
     * {@code sts:ExternalId}, {@code sts:SourceIdentity}, and the new session's tags — this request's and the calling
     * session's transitive ones — as {@code sts:TransitiveTagKeys}, {@code aws:RequestTag/…} and
     * {@code aws:TagKeys}), the role's tags as {@code aws:ResourceTag/…} and {@code iam:ResourceTag/…}, and the MFA
     * this request authenticated with ({@code aws:MultiFactorAuthPresent}, {@code aws:MultiFactorAuthAge}).
     * {@code sts:SourceIdentity} is the new session's: the request's or the one the calling session carries.
     */
    private RequestContext trustContext(CallerIdentity caller, RequestMetadata metadata, AssumeRoleRequest request,
            Role role, Optional<VerifiedCode> mfaCode, Optional<String> sourceIdentity, List<SessionTag> tags,
            Set<String> transitiveTagKeys) {
        RequestContext.Builder context = authorizer.baseContext(caller, metadata);
        if (mfaCode.isPresent()) {
            context.put(GlobalConditionKeys.MULTI_FACTOR_AUTH_PRESENT, "true");
            context.put(GlobalConditionKeys.MULTI_FACTOR_AUTH_AGE, "0");
        }
        context.put(GlobalConditionKeys.STS_ROLE_SESSION_NAME, request.roleSessionName());
        request.externalId().ifPresent(id -> context.put(GlobalConditionKeys.STS_EXTERNAL_ID, id));
        SessionGrants.putRequestedSessionKeys(context, tags, transitiveTagKeys, sourceIdentity);
        SessionGrants.putRoleTags(context, role);
        return context.build();
    }

    /**
     * The IAM user whose MFA device may authenticate this request: the caller with a long-term key or a
     * GetSessionToken session. A role session or a federated user has no device (IAM User Guide, "Secure API access
     * with MFA").
     */
    private static Optional<String> mfaUserId(CallerIdentity caller) {
        boolean userSession = caller.session().map(session -> session.type() == SessionType.SESSION_USER).orElse(true);
        return userSession ? caller.user().map(User::userId) : Optional.empty();
    }

    private static void checkMfaPairing(AssumeRoleRequest request) {
        if (request.serialNumber().isPresent() != request.tokenCode().isPresent()) {
            throw new ApiException(ErrorCode.ACCESS_DENIED,
                    "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.");
        }
    }

    /**
     * SourceIdentity is set once and then immutable: a chained session keeps the caller's (IAM User Guide, "Monitor and
     * control actions taken with assumed roles").
     */
    private static Optional<String> sourceIdentity(CallerIdentity caller, AssumeRoleRequest request) {
        request.sourceIdentity().ifPresent(value -> {
            if (value.toLowerCase(Locale.ROOT).startsWith("aws:")) {
                throw ApiException.validationError("1 validation error detected: Value '" + value + "' at "
                        + "'sourceIdentity' failed to satisfy constraint: Member must not start with 'aws:'");
            }
        });
        Optional<String> inherited = caller.session().flatMap(Session::sourceIdentity);
        if (inherited.isPresent() && request.sourceIdentity().isPresent()
                && !inherited.equals(request.sourceIdentity())) {
            throw new ApiException(ErrorCode.ACCESS_DENIED, "The source identity of a session cannot be changed: "
                    + "the calling session's source identity is " + inherited.get() + ".");
        }
        return inherited.isPresent() ? inherited : request.sourceIdentity();
    }

    /**
     * The new session's tags: the caller's transitive tags, which carry over and may not be passed again, then the
     * tags of this request (IAM User Guide, "Pass session tags in AWS STS"). Keys are compared without regard to case.
     */
    private static List<SessionTag> sessionTags(CallerIdentity caller, AssumeRoleRequest request) {
        Map<String, SessionTag> tags = new LinkedHashMap<>();
        caller.session().ifPresent(session -> {
            Set<String> transitive = lowerCased(session.transitiveTagKeys());
            for (SessionTag tag : session.tags()) {
                if (transitive.contains(lower(tag.key()))) {
                    tags.put(lower(tag.key()), tag);
                }
            }
        });
        SessionGrants.checkTagKeys(request.tags());
        for (SessionTag tag : request.tags()) {
            String key = lower(tag.key());
            if (tags.containsKey(key)) {
                throw new ApiException(ErrorCode.INVALID_PARAMETER_VALUE, "One of the specified transitive tag keys "
                        + "can't be set because it conflicts with a transitive tag key from the calling session.");
            }
            tags.put(key, tag);
        }
        return List.copyOf(tags.values());
    }

    private static Set<String> transitiveTagKeys(CallerIdentity caller, AssumeRoleRequest request) {
        Set<String> passedKeys = lowerCased(request.tags().stream().map(SessionTag::key).toList());
        var keys = new LinkedHashSet<String>();
        caller.session().ifPresent(session -> keys.addAll(session.transitiveTagKeys()));
        for (String key : request.transitiveTagKeys()) {
            if (!passedKeys.contains(lower(key))) {
                throw new ApiException(ErrorCode.INVALID_PARAMETER_VALUE,
                        "The specified transitive tag key must be included in the requested tags.");
            }
            keys.add(key);
        }
        return keys;
    }

    private static Set<String> lowerCased(java.util.Collection<String> keys) {
        var lower = new LinkedHashSet<String>();
        keys.forEach(key -> lower.add(lower(key)));
        return lower;
    }

    private static String lower(String key) {
        return SessionGrants.lower(key);
    }
}
