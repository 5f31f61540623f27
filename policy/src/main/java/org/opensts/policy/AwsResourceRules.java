package org.opensts.policy;

import java.util.Optional;
import java.util.Set;
import org.opensts.policy.internal.ArnSegments;

/**
 * The rules AWS applies to particular actions and resources whatever the policies say. Each names the AWS page it
 * comes from; policy/README.md lists them.
 *
 * <ul>
 *   <li>{@code sts:GetCallerIdentity} needs no permission ({@link #isAlwaysAllowed}).</li>
 *   <li>The account's root user cannot assume a role ({@link #refusesRootUser}).</li>
 *   <li>Some resources must be granted by their own policy, even within the account ({@link #requiresOwnPolicy}):
 *       a role's trust policy for the actions that assume or tag a session of it, a KMS key's key policy for KMS
 *       actions on the key.</li>
 *   <li>Resources that belong to AWS cannot be changed by customers ({@link #protectsFromChange}): AWS managed
 *       policies, roles under the reserved paths {@code /aws-reserved/} and {@code /aws-service-role/}, and the
 *       aliases of AWS managed KMS keys.</li>
 * </ul>
 *
 * <p>Actions arrive lower-cased; resources split as ARNs. The checks are string comparisons on the request alone, so
 * they cost nothing on requests they do not concern.
 */
final class AwsResourceRules {
    /** The actions a role's trust policy governs (IAM User Guide, "Role trust policies"). */
    private static final Set<String> ROLE_TRUST_ACTIONS = Set.of("sts:assumerole", "sts:assumerolewithsaml",
            "sts:assumerolewithwebidentity", "sts:tagsession", "sts:setsourceidentity", "sts:setcontext");
    /**
     * What IAM lets customers do to a service-linked role: create and delete it through IAM's service-linked role
     * actions and edit its description (IAM User Guide, "Create a service-linked role"), and tag it (AWS's real
     * responses: TagRole on a service-linked role succeeds where UpdateAssumeRolePolicy or PutRolePolicy answer
     * UnmodifiableEntity).
     */
    private static final Set<String> SERVICE_LINKED_ROLE_ACTIONS = Set.of("iam:createservicelinkedrole",
            "iam:deleteservicelinkedrole", "iam:updateroledescription", "iam:updaterole", "iam:tagrole",
            "iam:untagrole");
    /** The KMS actions that manage aliases, which may not touch the reserved {@code alias/aws/} prefix. */
    private static final Set<String> KMS_ALIAS_ACTIONS = Set.of("kms:createalias", "kms:updatealias",
            "kms:deletealias");

    private final ActionCatalog catalog;

    AwsResourceRules(ActionCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Whether every authenticated caller may perform the action, even under an explicit deny: "No permissions are
     * required to perform this operation. If an administrator attaches a policy to your identity that explicitly
     * denies access to the sts:GetCallerIdentity action, you can still perform this operation" (AWS STS API
     * Reference, GetCallerIdentity).
     */
    static boolean isAlwaysAllowed(String action) {
        return action.equals("sts:getcalleridentity");
    }

    /**
     * Whether the account's root user is refused the request whatever the policies say: "You cannot use AWS account
     * root user credentials to call AssumeRole" (AWS STS API Reference, AssumeRole; STS answers "Roles may not be
     * assumed by root accounts."). Every request a trust policy governs is refused to it.
     */
    static boolean refusesRootUser(RequestPrincipal caller, boolean roleTrustRequest) {
        return caller.type() == PrincipalType.ACCOUNT && roleTrustRequest;
    }

    /**
     * Whether the resource's own policy must allow the request, so that identity policies alone never do, even in
     * the resource's account:
     * <ul>
     *   <li>assuming or tagging a session of a role: the role's trust policy must allow it (IAM User Guide, "Cross
     *       account resource access in IAM");</li>
     *   <li>KMS actions on a KMS key: unless the key policy allows it, IAM policies cannot grant access to the key,
     *       and they count only when the key policy allows the account (AWS KMS Developer Guide, "Key policies in
     *       AWS KMS").</li>
     * </ul>
     */
    static boolean requiresOwnPolicy(String action, ArnSegments resource) {
        if (resource.count() != ArnSegments.ARN_SEGMENTS) {
            return false;
        }
        if (resource.segmentEquals(2, "iam")) {
            return isRoleTrustRequest(action, resource);
        }
        return resource.segmentEquals(2, "kms") && action.startsWith("kms:") && resource.segmentStartsWith(5, "key/");
    }

    /**
     * Whether the request is one a role's trust policy governs: an action that assumes the role or tags or marks a
     * session of it, on a role. A trust policy's statements have no {@code Resource}; they apply to such requests.
     */
    static boolean isRoleTrustRequest(String action, ArnSegments resource) {
        return ROLE_TRUST_ACTIONS.contains(action) && resource.count() == ArnSegments.ARN_SEGMENTS
                && resource.segmentEquals(2, "iam") && resource.segmentStartsWith(5, "role/");
    }

    /**
     * Whether the action would change a resource that belongs to AWS, which no customer principal may do:
     * <ul>
     *   <li>AWS managed policies ({@code arn:aws:iam::aws:policy/…}): "You cannot change the permissions defined in
     *       AWS managed policies" (IAM User Guide, "AWS managed policies");</li>
     *   <li>roles under {@code /aws-reserved/}, which IAM Identity Center creates and manages (IAM Identity Center
     *       User Guide, "Permission sets"), and under {@code /aws-service-role/}, service-linked roles that "only the
     *       service that depends on the service-linked role can modify or delete" (IAM API Reference,
     *       UnmodifiableEntityException) — except their creation and deletion through IAM's service-linked role
     *       actions and their description (IAM User Guide, "Create a service-linked role");</li>
     *   <li>aliases of AWS managed KMS keys: "The alias/aws/ prefix is reserved for AWS managed keys" and cannot be
     *       created, updated or deleted (AWS KMS API Reference, CreateAlias).</li>
     * </ul>
     * A change is an IAM action whose access level is Write, Permissions management or Tagging in the Service
     * Authorization Reference, or an IAM action the catalog does not know.
     */
    boolean protectsFromChange(String action, ArnSegments resource) {
        if (resource.count() != ArnSegments.ARN_SEGMENTS) {
            return false;
        }
        if (resource.segmentEquals(2, "kms")) {
            return KMS_ALIAS_ACTIONS.contains(action) && resource.segmentStartsWith(5, "alias/aws/");
        }
        if (!resource.segmentEquals(2, "iam") || !action.startsWith("iam:")) {
            return false;
        }
        boolean awsManagedPolicy = resource.segmentEquals(4, "aws") && resource.segmentStartsWith(5, "policy/");
        boolean reservedRole = resource.segmentStartsWith(5, "role/aws-reserved/");
        boolean serviceLinkedRole = resource.segmentStartsWith(5, "role/aws-service-role/");
        if (!awsManagedPolicy && !reservedRole && !serviceLinkedRole) {
            return false;
        }
        if (serviceLinkedRole && SERVICE_LINKED_ROLE_ACTIONS.contains(action)) {
            return false;
        }
        Optional<ActionCatalog.AccessLevel> level = catalog.accessLevel(action);
        return level.isEmpty() || level.get().changes();
    }
}
