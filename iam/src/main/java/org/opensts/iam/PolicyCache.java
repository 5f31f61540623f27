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

    /**
     * A document as compiled for one use: a stored one is compiled without the checks that only decide whether a new
     * document is taken ({@link Policy#parseStored}), so it must never answer for a submitted one.
     */
    private record Key(PolicyType type, String document, boolean stored) {
    }

    public PolicyCache(long maximumSize) {
        this.compiled = Caffeine.newBuilder().maximumSize(maximumSize).recordStats().build();
    }

    /**
     * The compiled form of a document that was validated when it was stored or sealed, perhaps under rules an
     * earlier version applied ({@link Policy#parseStored}).
     *
     * @throws ApiException {@code InternalFailure} if it no longer parses: failing closed, since skipping a policy could
     *     skip a Deny
     */
    public Policy stored(String document, PolicyType type) {
        return compiled.get(new Key(type, document, true), key -> {
            try {
                return Policy.parseStored(key.document(), key.type());
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
        Policy policy = compiled.getIfPresent(new Key(type, document, false));
        if (policy != null) {
            return policy;
        }
        try {
            policy = Policy.parse(document, type);
        } catch (MalformedPolicyException e) {
            throw new ApiException(ErrorCode.MALFORMED_POLICY_DOCUMENT, e.getMessage());
        }
        compiled.put(new Key(type, document, false), policy);
        return policy;
    }
}
