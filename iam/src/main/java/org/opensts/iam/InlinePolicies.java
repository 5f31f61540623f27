package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.opensts.policy.Policy;
import org.opensts.policy.PolicyType;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.shape.QueryBinder;

/**
 * Put, Get, Delete and List{User,Group,Role}Policy, written once for the three kinds of identity that hold inline
 * policies: they differ only in how the holder is found, how much its inline policies may weigh together, and the word
 * their errors use for it.
 */
final class InlinePolicies {
    private final IdentityStore store;
    private final String holderKind;
    private final int quota;

    /** An identity holding inline policies, and its name as IAM's messages print it. */
    record Holder(PolicyOwner owner, String name) {
        Holder {
            requireNonNull(owner, "owner");
            requireNonNull(name, "name");
        }
    }

    /**
     * @param holderKind {@code user}, {@code group} or {@code role}, as IAM's messages name it
     * @param quota the characters, whitespace not counted, that the holder's inline policies may have together
     */
    InlinePolicies(IdentityStore store, String holderKind, int quota) {
        this.store = store;
        this.holderKind = holderKind;
        this.quota = quota;
    }

    /**
     * Creates or replaces a policy of the holder that {@code find} looks up inside the write's transaction.
     *
     * @throws ApiException {@code MalformedPolicyDocument}, {@code LimitExceeded}, or what {@code find} throws
     */
    void put(Function<IdentityReader, Holder> find, String policyName, String policyDocument) {
        QueryBinder.check(IamShapes.POLICY_NAME, policyName, "policyName");
        QueryBinder.check(IamShapes.POLICY_DOCUMENT, policyDocument, "policyDocument");
        Policy policy = IamChecks.parsePolicy(policyDocument, PolicyType.IDENTITY);
        store.write(writer -> {
            Holder holder = find.apply(writer);
            IamChecks.checkInlineQuota(writer, holder.owner(), policyName, policy, quota, holderKind, holder.name());
            writer.putInlinePolicy(holder.owner(), new InlinePolicy(policyName, policyDocument));
            return null;
        });
    }

    /** @throws ApiException {@code NoSuchEntity} if the holder has no such policy */
    InlinePolicy get(Holder holder, String policyName) {
        QueryBinder.check(IamShapes.POLICY_NAME, policyName, "policyName");
        return store.findInlinePolicy(holder.owner(), policyName).orElseThrow(() -> noSuchPolicy(policyName));
    }

    /** @throws ApiException {@code NoSuchEntity} if the holder has no such policy, or what {@code find} throws */
    void delete(Function<IdentityReader, Holder> find, String policyName) {
        QueryBinder.check(IamShapes.POLICY_NAME, policyName, "policyName");
        store.write(writer -> {
            Holder holder = find.apply(writer);
            if (writer.findInlinePolicy(holder.owner(), policyName).isEmpty()) {
                throw noSuchPolicy(policyName);
            }
            writer.deleteInlinePolicy(holder.owner(), policyName);
            return null;
        });
    }

    /** The names of the holder's policies, sorted, one page at a time. */
    Page<String> list(Holder holder, Optional<String> marker, Optional<Integer> maxItems) {
        IamChecks.checkPaging(marker, maxItems);
        List<String> names = store.listInlinePolicies(holder.owner()).stream().map(InlinePolicy::policyName).toList();
        return Page.of(names, name -> name, marker, maxItems);
    }

    private ApiException noSuchPolicy(String policyName) {
        return IamChecks.noSuchEntity("The " + holderKind + " policy with name " + policyName + " cannot be found.");
    }
}
