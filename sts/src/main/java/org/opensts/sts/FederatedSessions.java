package org.opensts.sts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.opensts.iam.Role;
import org.opensts.policy.Decision;
import org.opensts.policy.EvalDecision;
import org.opensts.policy.GlobalConditionKeys;
import org.opensts.policy.RequestContext;
import org.opensts.policy.RequestPrincipal;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.Session;
import org.opensts.token.SessionTag;

/**
 * What AssumeRoleWithWebIdentity and AssumeRoleWithSAML share: the session tags and source identity an identity
 * provider asserts, checked against AWS's limits as AssumeRole's parameters are; and the trust decision for a
 * federated principal, which has no policies of its own.
 */
final class FederatedSessions {
    private FederatedSessions() {
    }

    /**
     * The session tags an identity provider asserted, in its order, checked as AssumeRole checks its {@code Tags}: at
     * most 50, keys and values of the model's lengths and characters, keys unique regardless of case and outside
     * {@code aws:}.
     */
    static List<SessionTag> sessionTags(Map<String, String> asserted) {
        if (asserted.size() > SessionGrants.MAX_SESSION_TAGS) {
            throw ApiException.validationError("1 validation error detected: Value at 'tags' failed to satisfy "
                    + "constraint: Member must have length less than or equal to " + SessionGrants.MAX_SESSION_TAGS);
        }
        var tags = new ArrayList<SessionTag>(asserted.size());
        asserted.forEach((key, value) -> {
            if (!fits(StsShapes.TAG_KEY.min(), StsShapes.TAG_KEY.max(), key)
                    || !StsShapes.TAG_KEY.matchesPattern(key)) {
                throw new ApiException(ErrorCode.INVALID_PARAMETER_VALUE, "The session tag key " + key
                        + " is not valid: it must be 1 to 128 letters, digits, spaces or _.:/=+-@ characters.");
            }
            if (!fits(StsShapes.TAG_VALUE.min(), StsShapes.TAG_VALUE.max(), value)
                    || !StsShapes.TAG_VALUE.matchesPattern(value)) {
                throw new ApiException(ErrorCode.INVALID_PARAMETER_VALUE, "The value of session tag " + key
                        + " is not valid: it must be at most 256 letters, digits, spaces or _.:/=+-@ characters.");
            }
            tags.add(new SessionTag(key, value));
        });
        SessionGrants.checkTagKeys(tags);
        return List.copyOf(tags);
    }

    /** Each transitive tag key must name one of the session's tags (IAM User Guide, "Pass session tags in AWS STS"). */
    static Set<String> transitiveTagKeys(List<String> asserted, List<SessionTag> tags) {
        Set<String> tagKeys = new LinkedHashSet<>();
        tags.forEach(tag -> tagKeys.add(SessionGrants.lower(tag.key())));
        var keys = new LinkedHashSet<String>();
        for (String key : asserted) {
            if (!tagKeys.contains(SessionGrants.lower(key))) {
                throw new ApiException(ErrorCode.INVALID_PARAMETER_VALUE,
                        "The specified transitive tag key must be included in the requested tags.");
            }
            keys.add(key);
        }
        return keys;
    }

    /**
     * A source identity is 2 to 64 of {@code [a-zA-Z_0-9+=,.@-]} and does not start with {@code aws:}, worded as AWS
     * words it (IAM User Guide, "Troubleshoot SAML federation with IAM").
     */
    static Optional<String> sourceIdentity(Optional<String> asserted) {
        asserted.ifPresent(value -> {
            if (!isNameText(value, 2, 64) || value.regionMatches(true, 0, "aws:", 0, 4)) {
                throw new ApiException(ErrorCode.INVALID_IDENTITY_TOKEN,
                        "Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\"");
            }
        });
        return asserted;
    }

    /** The actions a federated request needs: {@code action}, and the tagging and source-identity ones it uses. */
    private static List<String> actions(String action, List<SessionTag> tags, Optional<String> sourceIdentity) {
        var actions = new ArrayList<String>(List.of(action));
        if (!tags.isEmpty()) {
            actions.add(AssumeRoleOperation.TAG_SESSION);
        }
        if (sourceIdentity.isPresent()) {
            actions.add(AssumeRoleOperation.SET_SOURCE_IDENTITY);
        }
        return actions;
    }

    /**
     * What an identity provider asserted of a caller, once verified and checked: what the trust policy is evaluated
     * with and what the new session carries.
     *
     * @param providerArn the IAM OIDC or SAML provider: the federated principal, and {@code aws:FederatedProvider}
     * @param sessionName the role session name, requested (web identity) or asserted (SAML)
     * @param providerKeys the provider's condition keys of this token or assertion ({@code HOST:sub}, {@code saml:sub},
     *     …), for the trust policy
     * @param sessionClaims those of them that remain available in the session's later requests
     */
    record FederatedIdentity(String providerArn, String sessionName, Map<String, List<String>> providerKeys,
            Map<String, List<String>> sessionClaims, List<SessionTag> tags, Set<String> transitiveTagKeys,
            Optional<String> sourceIdentity) {
    }

    /**
     * The role's trust policy must allow {@code action} to the federated principal, and {@code sts:TagSession} and
     * {@code sts:SetSourceIdentity} when the identity carries tags or a source identity; evaluated with the provider's
     * keys, {@code aws:FederatedProvider}, {@code sts:RoleSessionName}, the requested session keys and the role's
     * tags. An unknown role and a refusal are worded alike, as AWS words them ("Not authorized to perform
     * sts:AssumeRoleWithWebIdentity").
     *
     * @return the role
     */
    static Role requireTrust(Authorizer authorizer, RequestMetadata metadata, String action,
            FederatedIdentity identity, Optional<Role> role) {
        if (role.isEmpty()) {
            throw notAuthorized(action);
        }
        RequestPrincipal federated = RequestPrincipal.fromArn(identity.providerArn());
        RequestContext.Builder context = authorizer.requestContext(federated, metadata);
        identity.providerKeys().forEach(context::put);
        context.put(GlobalConditionKeys.FEDERATED_PROVIDER, identity.providerArn());
        context.put(GlobalConditionKeys.STS_ROLE_SESSION_NAME, identity.sessionName());
        SessionGrants.putRequestedSessionKeys(context, identity.tags(), identity.transitiveTagKeys(),
                identity.sourceIdentity());
        SessionGrants.putRoleTags(context, role.get());
        List<Decision> decisions = authorizer.evaluateTrust(federated,
                actions(action, identity.tags(), identity.sourceIdentity()), role.get(), context.build());
        for (Decision decision : decisions) {
            if (decision.decision() != EvalDecision.ALLOWED) {
                throw notAuthorized(action);
            }
        }
        return role.get();
    }

    /** The session of {@code role} for a federated identity, with the request's session policies. */
    static Session.Builder session(Role role, FederatedIdentity identity, Instant now, Instant expiration,
            List<String> sessionPolicies, List<String> policyArns) {
        Session.Builder session = SessionGrants.roleSession(role, identity.sessionName(), now, expiration)
                .sessionPolicies(sessionPolicies)
                .policyArns(policyArns)
                .tags(identity.tags())
                .transitiveTagKeys(identity.transitiveTagKeys())
                .federatedProvider(identity.providerArn())
                .federationClaims(identity.sessionClaims());
        identity.sourceIdentity().ifPresent(session::sourceIdentity);
        return session;
    }

    static ApiException notAuthorized(String action) {
        return new ApiException(ErrorCode.ACCESS_DENIED, "Not authorized to perform " + action);
    }

    static boolean isNameText(String value, int min, int max) {
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

    private static boolean fits(Optional<Long> min, Optional<Long> max, String value) {
        int length = value.codePointCount(0, value.length());
        return length >= min.orElse(0L) && length <= max.orElse(Long.MAX_VALUE);
    }
}
