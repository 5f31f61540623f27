package org.opensts.sts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.opensts.iam.Role;
import org.opensts.policy.Decision;
import org.opensts.policy.EvalDecision;
import org.opensts.policy.RequestContext;
import org.opensts.policy.RequestPrincipal;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
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
    static List<String> actions(String action, List<SessionTag> tags, Optional<String> sourceIdentity) {
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
     * The role's trust policy must allow every action to the federated principal; an unknown role and a refusal are
     * worded alike, as AWS words them ("Not authorized to perform sts:AssumeRoleWithWebIdentity").
     */
    static void requireTrust(Authorizer authorizer, RequestPrincipal federated, Optional<Role> role,
            List<String> actions, RequestContext context) {
        if (role.isEmpty()) {
            throw notAuthorized(actions.get(0));
        }
        List<Decision> decisions = authorizer.evaluateTrust(federated, actions, role.get(), context);
        for (Decision decision : decisions) {
            if (decision.decision() != EvalDecision.ALLOWED) {
                throw notAuthorized(actions.get(0));
            }
        }
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
