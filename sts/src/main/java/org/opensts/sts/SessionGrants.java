package org.opensts.sts;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.opensts.iam.PolicyCache;
import org.opensts.policy.PolicyType;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.Arn;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.PackedPolicySize;
import org.opensts.token.SessionTag;

/**
 * The checks every credential-issuing operation applies to what the caller asks to put in a session: session
 * policies, managed session policy ARNs, session tags, and their packed size (IAM User Guide, "IAM and AWS STS
 * quotas").
 */
final class SessionGrants {
    /** The documented plaintext limit of a session policy (IAM User Guide, "IAM and AWS STS quotas"). */
    static final int MAX_SESSION_POLICY_LENGTH = 2048;
    static final int MAX_POLICY_ARNS = 10;

    private SessionGrants() {
    }

    /** A session policy: at most 2048 characters, and a valid session policy document. */
    static void checkSessionPolicy(String document, PolicyCache policies) {
        int length = document.codePointCount(0, document.length());
        if (length > MAX_SESSION_POLICY_LENGTH) {
            throw ApiException.validationError("1 validation error detected: Value '" + document + "' at 'policy' "
                    + "failed to satisfy constraint: Member must have length less than or equal to "
                    + MAX_SESSION_POLICY_LENGTH);
        }
        policies.submitted(document, PolicyType.SESSION);
    }

    /** At most ten managed policy ARNs, each naming a policy. */
    static void checkPolicyArns(List<String> policyArns) {
        if (policyArns.size() > MAX_POLICY_ARNS) {
            throw ApiException.validationError("1 validation error detected: Value '" + policyArns
                    + "' at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to "
                    + MAX_POLICY_ARNS);
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
            throw new ApiException(ErrorCode.PACKED_POLICY_TOO_LARGE, "Packed size of the session policies and "
                    + "session tags exceeds the limit: " + percent + "% of the allowed size.");
        }
        return percent;
    }

    static String lower(String key) {
        return key.toLowerCase(Locale.ROOT);
    }
}
