package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.opensts.policy.MalformedPolicyException;
import org.opensts.policy.PolicyPrincipals;
import org.opensts.protocol.ApiException;

/**
 * A role's trust policy as IAM keeps it: the document as submitted, and each IAM user and role it names bound to
 * that entity's unique id when the policy was saved.
 *
 * <p>IAM User Guide, "AWS JSON policy elements: Principal": "When you save the policy, AWS transforms the ARN to a
 * unique principal ID … there is also a reverse transformation back to the ARN when the trust policy is displayed.
 * However, if you delete the role or user, then the relationship is broken. The policy no longer applies, even if you
 * recreate the user or role because it does not match the principal ID stored in the trust policy. When this happens,
 * the principal ID shows up in the console because AWS can no longer map it back to an ARN." So one policy has three
 * forms here:
 * <ul>
 *   <li>{@link #document()}: the text as submitted, which the bindings refer to;</li>
 *   <li>{@link #evaluatedDocument()}: each bound principal replaced by its unique id — what {@code sts:AssumeRole}
 *       evaluates, so that only the entity with that id is named, under whatever name it has now;</li>
 *   <li>{@link #render}: what IAM shows — each bound principal as its entity's current ARN while it exists (a renamed
 *       user under its new name), its unique id once it is gone; every other character as submitted.</li>
 * </ul>
 * The evaluated form is computed once, here, so the request path only looks it up in the policy cache.
 *
 * <p>Design note: the bindings map each principal as written to an id, rather than the stored text holding ids, so
 * that the submitted text survives byte for byte and the two other forms are rewrites of exactly the bound strings.
 */
public final class TrustPolicy {
    private final String document;
    private final Map<String, String> bindings;
    private final String evaluatedDocument;

    private TrustPolicy(String document, Map<String, String> bindings, String evaluatedDocument) {
        this.document = document;
        this.bindings = bindings;
        this.evaluatedDocument = evaluatedDocument;
    }

    /**
     * A trust policy with its bindings, as stored.
     *
     * @param bindings each {@code AWS} principal as the document writes it (decoded) to the unique id it is bound to
     * @throws IllegalArgumentException if the document is not JSON, or a binding names no principal of it
     */
    public static TrustPolicy of(String document, Map<String, String> bindings) {
        requireNonNull(document, "document");
        var copy = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(bindings, "bindings")));
        if (copy.isEmpty()) {
            return new TrustPolicy(document, copy, document);
        }
        PolicyPrincipals principals;
        try {
            principals = PolicyPrincipals.in(document);
        } catch (MalformedPolicyException e) {
            throw new IllegalArgumentException("A bound trust policy must be JSON: " + e.getMessage(), e);
        }
        if (!principals.aws().containsAll(copy.keySet())) {
            throw new IllegalArgumentException("Bindings name principals the trust policy does not: " + copy.keySet());
        }
        return new TrustPolicy(document, copy, principals.replaceAws(copy));
    }

    /**
     * Binds the principals of a submitted trust policy, as IAM does when it saves one ({@link PrincipalBindings#of}):
     * each {@code AWS} principal that is an IAM user or role ARN, or the unique id of one, is bound to that entity's
     * id.
     *
     * @param document a document that {@link org.opensts.policy.Policy#parse} accepted as a trust policy
     * @param reader where to look the entities up, best in the transaction that saves the policy
     * @throws ApiException {@code MalformedPolicyDocument} for a principal that names no existing user or role
     */
    public static TrustPolicy bind(String document, IdentityReader reader) {
        return of(document, PrincipalBindings.of(document, reader));
    }

    /** The document as submitted. */
    public String document() {
        return document;
    }

    /** Each bound principal, as the document writes it, to the unique id of the user or role it named; in order. */
    public Map<String, String> bindings() {
        return bindings;
    }

    /** The document with each bound principal replaced by its unique id: the form to evaluate. */
    public String evaluatedDocument() {
        return evaluatedDocument;
    }

    /**
     * The document as IAM shows it: each bound principal as {@code currentArn} gives it for the entity's unique id,
     * or as that id once the entity is gone; everything else as submitted.
     *
     * @param currentArn the ARN of the user or role with a unique id, if it still exists
     */
    public String render(Function<String, Optional<String>> currentArn) {
        if (bindings.isEmpty()) {
            return document;
        }
        var shown = new LinkedHashMap<String, String>();
        bindings.forEach((principal, id) -> shown.put(principal, currentArn.apply(id).orElse(id)));
        try {
            return PolicyPrincipals.in(document).replaceAws(shown);
        } catch (MalformedPolicyException e) {
            throw new IllegalStateException("A bound trust policy was read once already", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrustPolicy that && document.equals(that.document) && bindings.equals(that.bindings);
    }

    @Override
    public int hashCode() {
        return document.hashCode() * 31 + bindings.hashCode();
    }

    @Override
    public String toString() {
        return "TrustPolicy[document=" + document + ", bindings=" + bindings + "]";
    }
}
