package org.opensts.sts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.opensts.iam.IdentityPolicies;
import org.opensts.iam.IdentityReader;
import org.opensts.iam.PolicyCache;
import org.opensts.iam.Role;
import org.opensts.iam.Tag;
import org.opensts.policy.GlobalConditionKeys;
import org.opensts.policy.PolicyType;
import org.opensts.policy.RequestContext;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.Arn;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.ViolationWording;
import org.opensts.token.PackedPolicySize;
import org.opensts.token.Session;
import org.opensts.token.SessionTag;
import org.opensts.token.SessionType;

/**
 * The checks every credential-issuing operation applies to what the caller asks to put in a session: session
 * policies, managed session policy ARNs, session tags, and their packed size (IAM User Guide, "IAM and AWS STS
 * quotas"); and what the three assume-role operations share: finding the role, the duration limit, the trust-policy
 * keys of the role and of the requested session, and the role session itself.
 */
final class SessionGrants {
    /** The documented plaintext limit of a session policy (IAM User Guide, "IAM and AWS STS quotas"). */
    static final int MAX_SESSION_POLICY_LENGTH = 2048;
    static final int MAX_POLICY_ARNS = 10;
    /** AWS's limit on session tags, and on transitive tag keys (IAM User Guide, "IAM and AWS STS quotas"). */
    static final int MAX_SESSION_TAGS = 50;
    static final int DEFAULT_DURATION_SECONDS = 3600;

    private SessionGrants() {
    }

    /** A session policy: at most 2048 characters, and a valid session policy document. */
    static void checkSessionPolicy(String document, PolicyCache policies) {
        int length = document.codePointCount(0, document.length());
        if (length > MAX_SESSION_POLICY_LENGTH) {
            throw ApiException.validationError("1 validation error detected: Value '" + ViolationWording.quoted(document) + "' at 'policy' "
                    + "failed to satisfy constraint: Member must have length less than or equal to "
                    + MAX_SESSION_POLICY_LENGTH);
        }
        policies.submitted(document, PolicyType.SESSION);
    }

    /**
     * At most ten managed policy ARNs, each naming a policy. A request from the wire had its list's length checked
     * with its shape ({@link StsShapes#POLICY_DESCRIPTOR_LIST}); one built in code is checked here.
     */
    static void checkPolicyArns(List<String> policyArns) {
        if (policyArns.size() > MAX_POLICY_ARNS) {
            throw ApiException.validationError("1 validation error detected: Value '"
                    + ViolationWording.quoted(policyArns.toString()) + "' at 'policyArns' failed to satisfy "
                    + "constraint: Member must have length less than or equal to " + MAX_POLICY_ARNS);
        }
        for (String policyArn : policyArns) {
            boolean isPolicyArn = Arn.tryParse(policyArn)
                    .filter(arn -> arn.service().equals("iam") && arn.resourceType().equals("policy"))
                    .isPresent();
            if (!isPolicyArn) {
                throw ApiException.validationError("The policy ARN " + policyArn + " is not a valid managed policy "
                        + "ARN.");
            }
        }
    }

    /**
     * What a new session carries beyond its principal's own policies, checked once the caller is authorized (so that
     * a refused caller learns nothing of the account's policies): its managed session policies must exist
     * ({@link #requireExistingPolicies}), and they, the inline session policy and the tags must fit the packed space
     * ({@link #packedPolicySize}).
     *
     * @param accountId the account of the session's role (or user)
     * @return the packed size, as a percentage of the limit
     */
    static int checkSessionGrants(IdentityPolicies policies, String accountId, List<String> sessionPolicies,
            List<String> policyArns, List<SessionTag> tags) {
        requireExistingPolicies(policies, policyArns, accountId);
        return packedPolicySize(sessionPolicies, policyArns, tags);
    }

    /**
     * Managed session policies must exist, in the account of the session's role (or user) or among AWS's (STS API
     * Reference, AssumeRole, PolicyArns: "The policies must exist in the same account as the role").
     *
     * @throws ApiException {@code InvalidParameterValue} in AWS's words for any other
     */
    private static void requireExistingPolicies(IdentityPolicies policies, List<String> policyArns, String accountId) {
        for (String policyArn : policyArns) {
            boolean exists = policies.managedPolicy(policyArn)
                    .filter(managed -> managed.isAwsManaged() || managed.accountId().equals(accountId))
                    .isPresent();
            if (!exists) {
                throw new ApiException(ErrorCode.INVALID_PARAMETER_VALUE, "At least one Policy ARN in the PolicyArns "
                        + "parameter does not match an existing IAM Managed Policy ARN.");
            }
        }
    }

    /**
     * Session tag keys are unique regardless of case and never in the reserved {@code aws:} namespace.
     *
     * @return the lower-cased keys
     */
    static Set<String> checkTagKeys(List<SessionTag> tags) {
        Set<String> keys = new LinkedHashSet<>();
        for (SessionTag tag : tags) {
            String key = lower(tag.key());
            if (!keys.add(key)) {
                throw new ApiException(ErrorCode.INVALID_PARAMETER_VALUE,
                        "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
            }
            if (key.startsWith("aws:")) {
                throw new ApiException(ErrorCode.INVALID_PARAMETER_VALUE,
                        "Tag keys can't start with 'aws:'. This prefix is reserved for system tags.");
            }
        }
        return keys;
    }

    /**
     * The packed size of what the session carries, as a percentage of the limit.
     *
     * @throws ApiException {@code PackedPolicyTooLarge} above 100 %
     */
    static int packedPolicySize(List<String> sessionPolicies, List<String> policyArns, List<SessionTag> tags) {
        int percent = PackedPolicySize.percent(sessionPolicies, policyArns, tags);
        if (PackedPolicySize.isTooLarge(percent)) {
            // AWS's two sentences: one when the tags overflow the space, one when the policies do.
            boolean policiesFit = !PackedPolicySize.isTooLarge(
                    PackedPolicySize.percent(sessionPolicies, policyArns, List.of()));
            throw new ApiException(ErrorCode.PACKED_POLICY_TOO_LARGE, !tags.isEmpty() && policiesFit
                    ? "Packed size of session tags consumes " + percent + "% of allotted space."
                    : "Packed policy consumes " + percent + "% of allotted space, please use smaller policy.");
        }
        return percent;
    }

    /** The role an assume-role request names, if it exists: unknown roles are refused like forbidden ones. */
    static Optional<Role> findRole(IdentityReader identities, String roleArn) {
        return Arn.tryParse(roleArn).flatMap(arn -> findRole(identities, arn, roleArn));
    }

    /** {@link #findRole(IdentityReader, String)} for an ARN already parsed; {@code roleArn} is its text. */
    static Optional<Role> findRole(IdentityReader identities, Arn parsed, String roleArn) {
        if (!parsed.service().equals("iam") || !parsed.resourceType().equals("role")) {
            return Optional.empty();
        }
        Optional<Role> role = identities.findRole(parsed.accountId(), parsed.resourceName());
        return role.isPresent() && role.get().arn().equals(roleArn) ? role : Optional.empty();
    }

    /** A role session lasts at most the role's {@code MaxSessionDuration}, worded as AWS's real responses word it. */
    static void checkDuration(int durationSeconds, Role role) {
        if (durationSeconds > role.maxSessionDuration()) {
            throw ApiException.validationError(
                    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
    }

    /**
     * A session of {@code role} named {@code sessionName}, issued now: {@code arn:aws:sts::A:assumed-role/R/S} with
     * the principal id {@code <role id>:S}. The caller adds policies, tags and what else the session carries.
     */
    static Session.Builder roleSession(Role role, String sessionName, Instant now, Instant expiration) {
        return Session.builder()
                .accountId(role.accountId())
                .type(SessionType.ASSUMED_ROLE)
                .principalArn(assumedRoleArn(role, sessionName))
                .principalId(role.roleId() + ":" + sessionName)
                .sourceArn(role.arn())
                .sessionName(sessionName)
                .issuedAt(now)
                .expiration(expiration);
    }

    static Instant expiration(Instant now, int durationSeconds) {
        return now.plus(Duration.ofSeconds(durationSeconds));
    }

    static String assumedRoleArn(Role role, String sessionName) {
        return "arn:aws:sts::" + role.accountId() + ":assumed-role/" + role.roleName() + "/" + sessionName;
    }

    static AssumedRoleUser assumedRoleUser(Role role, String sessionName) {
        return new AssumedRoleUser(role.roleId() + ":" + sessionName, assumedRoleArn(role, sessionName));
    }

    /** The role's tags, as {@code aws:ResourceTag/…} and {@code iam:ResourceTag/…}. */
    static void putRoleTags(RequestContext.Builder context, Role role) {
        for (Tag tag : role.tags()) {
            context.put(GlobalConditionKeys.RESOURCE_TAG_PREFIX + tag.key(), tag.value());
            context.put("iam:ResourceTag/" + tag.key(), tag.value());
        }
    }

    /**
     * What the request puts in the session, as trust-policy keys: {@code aws:RequestTag/…} and {@code aws:TagKeys} for
     * its tags, {@code sts:TransitiveTagKeys}, {@code sts:SourceIdentity}.
     */
    static void putRequestedSessionKeys(RequestContext.Builder context, List<SessionTag> tags,
            Collection<String> transitiveTagKeys, Optional<String> sourceIdentity) {
        sourceIdentity.ifPresent(id -> context.put(GlobalConditionKeys.STS_SOURCE_IDENTITY, id));
        if (!transitiveTagKeys.isEmpty()) {
            context.put(GlobalConditionKeys.STS_TRANSITIVE_TAG_KEYS, List.copyOf(transitiveTagKeys));
        }
        if (!tags.isEmpty()) {
            var keys = new ArrayList<String>();
            for (SessionTag tag : tags) {
                context.put(GlobalConditionKeys.REQUEST_TAG_PREFIX + tag.key(), tag.value());
                keys.add(tag.key());
            }
            context.put(GlobalConditionKeys.TAG_KEYS, keys);
        }
    }

    static String lower(String key) {
        return key.toLowerCase(Locale.ROOT);
    }
}
