package org.opensts.gateway;

import java.util.Locale;
import org.opensts.verifier.VerifiedCaller;

/**
 * Whether any policy that speaks for a caller (its identity policies, permissions boundary and session policies) tests
 * {@code s3:ExistingObjectTag/<key>}: only then, or when the bucket's policy does, are an object's tags fetched from
 * the upstream store before deciding. The embedding node answers from the caller's cached policies.
 */
@FunctionalInterface
public interface TagConditions {
    /** The condition key prefix, lower-case; keys are case-insensitive. */
    String EXISTING_OBJECT_TAG = "s3:existingobjecttag/";

    boolean callerPoliciesTestExistingObjectTags(VerifiedCaller caller);

    /** Whether a policy document mentions the key, by text: a cheap test that errs towards fetching. */
    static boolean mentionsExistingObjectTag(String policyDocument) {
        return policyDocument.toLowerCase(Locale.ROOT).contains(EXISTING_OBJECT_TAG);
    }
}
