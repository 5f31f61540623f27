package org.opensts.iam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.opensts.policy.MalformedPolicyException;
import org.opensts.policy.PolicyPrincipals;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.Arn;
import org.opensts.protocol.ErrorCode;

/**
 * The IAM users and roles a resource policy's {@code AWS} principals name, bound to those entities' unique ids as IAM
 * binds them when it saves the policy (IAM User Guide, "AWS JSON policy elements: Principal": "When you save the
 * policy, AWS transforms the ARN to a unique principal ID … if you delete the role or user, then the relationship is
 * broken"). A role's trust policy ({@link TrustPolicy}) and a bucket policy of the S3 gateway are bound so.
 */
public final class PrincipalBindings {
    private PrincipalBindings() {
    }

    /**
     * Each {@code AWS} principal of {@code document} that is an IAM user or role ARN, or the unique id of one, mapped
     * to that entity's id, in the document's order. Account ids, account roots, {@code *}, role sessions and federated
     * users are not bound: they name no IAM entity that could be deleted and created again under the same name (an
     * account id is itself the account's unique identifier).
     *
     * <p>The user or role must exist in an account this deployment holds, and its ARN must be the entity's own (path
     * included): a principal that names nothing is IAM's
     * {@code MalformedPolicyDocument: Invalid principal in policy: "AWS":"<principal>"}, also for another account's
     * principal, which AWS checks too.
     *
     * @param document a policy document the policy parser accepted
     * @param reader where to look the entities up, best in the transaction that saves the policy
     * @throws ApiException {@code MalformedPolicyDocument} for a principal that names no existing user or role
     */
    public static Map<String, String> of(String document, IdentityReader reader) {
        var bindings = new LinkedHashMap<String, String>();
        for (String principal : principals(document).aws()) {
            uniqueIdOf(principal, reader).ifPresent(id -> bindings.put(principal, id));
        }
        return bindings;
    }

    /**
     * {@code document} as it is stored to be evaluated: each principal {@link #of} binds written as its unique id,
     * everything else as submitted.
     *
     * @throws ApiException as {@link #of} does
     */
    public static String bind(String document, IdentityReader reader) {
        return principals(document).replaceAws(of(document, reader));
    }

    /**
     * A unique id no user or role has or can be given (generated ids have 21 characters of {@code A-Z2-7}): the
     * binding of an ARN that names no existing user or role in a document bound as it is evaluated.
     */
    public static final String NO_SUCH_PRINCIPAL = "A0NOSUCHPRINCIPAL0";
    /**
     * The IAM users and roles a document bound at evaluation may name: each is a store read (a cache miss for a made-up
     * name), paid before the evaluation's own cost bound applies. AWS's largest resource policies (a bucket policy's
     * 20 KB) hold some four hundred ARNs.
     */
    public static final int MAX_NAMED_AT_EVALUATION = 500;

    /**
     * {@code document} as it is evaluated when it is submitted with each request rather than saved (the
     * authorization API's {@code resourcePolicy}, docs/AUTHORIZATION_API.md): bound as {@link #bind} binds it, but at
     * the time of the request, and leniently. Each IAM user or role ARN is written as the unique id of the entity
     * that bears exactly that ARN now (path included); one that no entity bears — deleted, never created, or written
     * with another path — as {@link #NO_SUCH_PRINCIPAL}, which names no one. So a session of a deleted user or role
     * is not named, nor one of a namesake's predecessor, nor a role of the same name at another path. A principal
     * that names nothing is not refused: the policy is the service's stored policy, and its other statements keep
     * applying, as a stored bucket policy's do once a principal it names is deleted.
     *
     * @param document a resource policy as submitted; one that is not JSON is returned as it is, for the evaluator
     *     to refuse in its own words
     * @throws IllegalArgumentException if it names more than {@link #MAX_NAMED_AT_EVALUATION} IAM users and roles
     */
    public static String bindAtEvaluation(String document, IdentityReader reader) {
        PolicyPrincipals principals;
        try {
            principals = PolicyPrincipals.in(document);
        } catch (MalformedPolicyException e) {
            return document;
        }
        var bindings = new LinkedHashMap<String, String>();
        int lookedUp = 0;
        for (String principal : principals.aws()) {
            Optional<Arn> arn = Arn.tryParse(principal);
            if (arn.isEmpty() || !arn.get().service().equals("iam")) {
                continue; // unique ids (matched as they are), accounts, everyone, sessions, federated users
            }
            Arn named = arn.get();
            boolean userOrRole = named.resourceType().equals("user") || named.resourceType().equals("role");
            if (userOrRole && ++lookedUp > MAX_NAMED_AT_EVALUATION) {
                throw new IllegalArgumentException("The resource policy names more than " + MAX_NAMED_AT_EVALUATION
                        + " IAM users and roles");
            }
            Optional<String> bound = switch (named.resourceType()) {
                case "user" -> Optional.of(reader.findUser(named.accountId(), named.resourceName())
                        .filter(user -> user.arn().equals(principal))
                        .map(User::userId)
                        .orElse(NO_SUCH_PRINCIPAL));
                case "role" -> Optional.of(reader.findRole(named.accountId(), named.resourceName())
                        .filter(role -> role.arn().equals(principal))
                        .map(Role::roleId)
                        .orElse(NO_SUCH_PRINCIPAL));
                default -> Optional.empty(); // the account root
            };
            bound.ifPresent(id -> bindings.put(principal, id));
        }
        return bindings.isEmpty() ? document : principals.replaceAws(bindings);
    }

    /**
     * A document {@link #bind} stored, as IAM shows it: each principal that is the unique id of a user or role that
     * exists now written as that entity's current ARN (a renamed user under its new name); the unique id of one that
     * is gone stays, as AWS shows it.
     */
    public static String shown(String stored, IdentityReader reader) {
        PolicyPrincipals principals = principals(stored);
        var current = new LinkedHashMap<String, String>();
        for (String principal : principals.aws()) {
            if (Arn.tryParse(principal).isEmpty() && !principal.equals("*") && !isAccountId(principal)) {
                currentArn(principal, reader).ifPresent(arn -> current.put(principal, arn));
            }
        }
        return principals.replaceAws(current);
    }

    /**
     * Binds the principals of the bucket policies stored before PutBucketPolicy bound them, as a role's trust policy
     * is bound when it is saved again: each IAM user and role ARN is bound to the unique id of the entity it was
     * matched with until now — by account and name, whatever path the ARN writes, as unbound principals are matched —
     * replaced only if the policy has not changed meanwhile (another node may put one). A policy already bound is left
     * as it is. A user or role ARN whose name no one bears stays as written, matched by name, and is reported: it is
     * bound at a later start if someone bears the name by then, or when the policy is put again.
     *
     * @return one line per bucket whose policy names users or roles that do not exist, for the operator
     */
    public static List<String> bindStoredBucketPolicies(BucketPolicyStore policies, IdentityReader reader) {
        var unbound = new ArrayList<String>();
        for (BucketPolicy stored : policies.list()) {
            var bindings = new LinkedHashMap<String, String>();
            var missing = new ArrayList<String>();
            PolicyPrincipals principals;
            try {
                principals = principals(stored.document());
            } catch (ApiException e) {
                unbound.add("the policy of bucket " + stored.bucket() + " could not be read: " + e.getMessage());
                continue;
            }
            for (String principal : principals.aws()) {
                Optional<Arn> arn = Arn.tryParse(principal);
                if (arn.isEmpty() || !arn.get().service().equals("iam")
                        || !Set.of("user", "role").contains(arn.get().resourceType())) {
                    continue; // unique ids (already bound), accounts, sessions, federated users
                }
                String account = arn.get().accountId();
                String name = arn.get().resourceName();
                Optional<String> matched = arn.get().resourceType().equals("user")
                        ? reader.findUser(account, name).map(User::userId)
                        : reader.findRole(account, name).map(Role::roleId);
                if (matched.isPresent()) {
                    bindings.put(principal, matched.get());
                } else {
                    missing.add(principal);
                }
            }
            if (!bindings.isEmpty()) {
                policies.replace(stored.bucket(), stored.document(), principals.replaceAws(bindings));
            }
            if (!missing.isEmpty()) {
                unbound.add("the policy of bucket " + stored.bucket() + " names " + missing + ", which no user or "
                        + "role bears: they are matched by name, and bound to whoever bears them at a later start, "
                        + "until the policy is put again");
            }
        }
        return unbound;
    }

    /** The ARN of the user or role with this unique id, if one exists now. */
    public static Optional<String> currentArn(String uniqueId, IdentityReader reader) {
        return reader.findUserById(uniqueId).map(User::arn).or(() -> reader.findRoleById(uniqueId).map(Role::arn));
    }

    private static PolicyPrincipals principals(String document) {
        try {
            return PolicyPrincipals.in(document);
        } catch (MalformedPolicyException e) {
            throw new ApiException(ErrorCode.MALFORMED_POLICY_DOCUMENT, e.getMessage());
        }
    }

    private static Optional<String> uniqueIdOf(String principal, IdentityReader reader) {
        Optional<Arn> arn = Arn.tryParse(principal);
        if (arn.isEmpty()) {
            if (principal.equals("*") || isAccountId(principal)) {
                return Optional.empty();
            }
            // The policy parser let it through as a unique id: it must be a user's or a role's.
            return Optional.of(reader.findUserById(principal).map(User::userId)
                    .or(() -> reader.findRoleById(principal).map(Role::roleId))
                    .orElseThrow(() -> invalidPrincipal(principal)));
        }
        Arn named = arn.get();
        if (!named.service().equals("iam")) {
            return Optional.empty(); // role sessions and federated users
        }
        return switch (named.resourceType()) {
            case "user" -> Optional.of(reader.findUser(named.accountId(), named.resourceName())
                    .filter(user -> user.arn().equals(principal))
                    .map(User::userId)
                    .orElseThrow(() -> invalidPrincipal(principal)));
            case "role" -> Optional.of(reader.findRole(named.accountId(), named.resourceName())
                    .filter(role -> role.arn().equals(principal))
                    .map(Role::roleId)
                    .orElseThrow(() -> invalidPrincipal(principal)));
            default -> Optional.empty(); // the account root
        };
    }

    private static ApiException invalidPrincipal(String principal) {
        return new ApiException(ErrorCode.MALFORMED_POLICY_DOCUMENT,
                "Invalid principal in policy: \"AWS\":\"" + principal + "\"");
    }

    private static boolean isAccountId(String value) {
        return value.length() == 12 && value.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
