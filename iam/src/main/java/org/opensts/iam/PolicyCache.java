package org.opensts.iam;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.opensts.policy.MalformedPolicyException;
import org.opensts.policy.Policy;
import org.opensts.policy.PolicyType;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/**
 * Compiles each policy document once. Identity policies come from the store and session policies from session tokens;
 * both arrive as text on every request, and parsing JSON on the hot path is what this cache exists to avoid.
 */
public final class PolicyCache {
    private final Cache<Key, Policy> compiled;

    private record Key(PolicyType type, String document) {
    }

    public PolicyCache(long maximumSize) {
        this.compiled = Caffeine.newBuilder().maximumSize(maximumSize).recordStats().build();
    }

    /**
     * The compiled form of a document that was validated when it was stored or sealed.
     *
     * @throws ApiException {@code InternalFailure} if it no longer parses: failing closed, since skipping a policy could
     *     skip a Deny
     */
    public Policy stored(String document, PolicyType type) {
        return compiled.get(new Key(type, document), key -> {
            try {
                return Policy.parse(key.document(), key.type());
            } catch (MalformedPolicyException e) {
                throw new ApiException(ErrorCode.INTERNAL_FAILURE, "A stored policy could not be compiled.");
            }
        });
    }

    /**
     * Compiles a document a caller just sent.
     *
     * @throws ApiException {@code MalformedPolicyDocument} with the parser's message
     */
    public Policy submitted(String document, PolicyType type) {
        Policy policy = compiled.getIfPresent(new Key(type, document));
        if (policy != null) {
            return policy;
        }
        try {
            policy = Policy.parse(document, type);
        } catch (MalformedPolicyException e) {
            throw new ApiException(ErrorCode.MALFORMED_POLICY_DOCUMENT, e.getMessage());
        }
        compiled.put(new Key(type, document), policy);
        return policy;
    }
}
