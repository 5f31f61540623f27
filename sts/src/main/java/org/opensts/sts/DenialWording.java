package org.opensts.sts;

import java.util.Optional;
import java.util.Set;
import org.opensts.policy.Decision;
import org.opensts.policy.EvalDecision;
import org.opensts.policy.PolicyType;

/**
 * The variable parts of AWS's {@code AccessDenied} sentence, "User: ARN is not authorized to perform: ACTION on
 * resource: RESOURCE REASON", as IAM and STS word them (IAM User Guide, "Troubleshoot access denied error messages";
 * the rules are listed in docs/WIRE.md):
 *
 * <ul>
 *   <li>IAM prints a user, role, group, instance profile or server certificate by its kind and name
 *       ({@code role Test-role}), a managed policy by its kind and ARN ({@code policy arn:aws:iam::aws:policy/X}), and
 *       anything else — a list's path prefix, an MFA device, an identity provider, {@code *} — as it was
 *       authorized.</li>
 *   <li>STS names no resource for an action on {@code *} (DecodeAuthorizationMessage, GetAccessKeyInfo), and gives no
 *       reason for the actions of assuming a role: AWS's answers to AssumeRole end with the role's ARN.</li>
 *   <li>The reason names the kind of policy the decision blames: "with an explicit deny in an identity-based policy",
 *       "because no permissions boundary allows the iam:GetRole action", and so on.</li>
 * </ul>
 */
final class DenialWording {
    /** The actions of assuming a role, whose refusals AWS words without a reason. */
    private static final Set<String> ROLE_ASSUMPTION_ACTIONS = Set.of(AssumeRoleOperation.ACTION,
            AssumeRoleOperation.TAG_SESSION, AssumeRoleOperation.SET_SOURCE_IDENTITY);

    private DenialWording() {
    }

    /** The resource as the refusal prints it, or empty where AWS names none. */
    static Optional<String> resource(String action, String resource) {
        if (action.startsWith("sts:") && resource.equals("*")) {
            return Optional.empty();
        }
        return Optional.of(action.startsWith("iam:") ? iamResource(resource) : resource);
    }

    /**
     * An IAM resource as IAM prints it: {@code user NAME}, {@code role NAME}, {@code group NAME},
     * {@code instance profile NAME}, {@code server certificate NAME}, {@code policy ARN}; anything else, and any ARN
     * that names no single entity (a path prefix, a name pattern), as given.
     */
    static String iamResource(String arn) {
        // arn:PARTITION:iam::ACCOUNT:TYPE/PATH/NAME
        int resourceStart = nthColon(arn, 5) + 1;
        if (!arn.startsWith("arn:") || resourceStart == 0 || !arn.regionMatches(nthColon(arn, 2) + 1, "iam:", 0, 4)) {
            return arn;
        }
        int typeEnd = arn.indexOf('/', resourceStart);
        String name = arn.substring(arn.lastIndexOf('/') + 1);
        if (typeEnd < 0 || name.isEmpty() || name.contains("*") || name.contains("?")) {
            return arn;
        }
        switch (arn.substring(resourceStart, typeEnd)) {
            case "user":
                return "user " + name;
            case "role":
                return "role " + name;
            case "group":
                return "group " + name;
            case "instance-profile":
                return "instance profile " + name;
            case "server-certificate":
                return "server certificate " + name;
            case "policy":
                return "policy " + arn;
            default:
                return arn;
        }
    }

    /**
     * The reason clause for a refusal, or empty where AWS gives none: no decision (a role that does not exist), the
     * assumption of a role, or a refusal no policy made (a resource that belongs to AWS).
     */
    static Optional<String> reason(String action, Optional<Decision> decision) {
        if (decision.isEmpty() || ROLE_ASSUMPTION_ACTIONS.contains(action)) {
            return Optional.empty();
        }
        Optional<PolicyType> type = decision.get().refusingPolicyType();
        if (type.isEmpty()) {
            return Optional.empty();
        }
        if (decision.get().decision() == EvalDecision.EXPLICIT_DENY) {
            return Optional.of("with an explicit deny in " + explicitDenyPolicy(type.get()));
        }
        return Optional.of("because no " + implicitDenyPolicy(type.get()) + " allows the " + action + " action");
    }

    private static String explicitDenyPolicy(PolicyType type) {
        switch (type) {
            case IDENTITY:
                return "an identity-based policy";
            case PERMISSIONS_BOUNDARY:
                return "a permissions boundary";
            case SESSION:
                return "a session policy";
            case SERVICE_CONTROL:
                return "a service control policy";
            default:
                return "a resource-based policy";
        }
    }

    private static String implicitDenyPolicy(PolicyType type) {
        switch (type) {
            case IDENTITY:
                return "identity-based policy";
            case PERMISSIONS_BOUNDARY:
                return "permissions boundary";
            case SESSION:
                return "session policy";
            case SERVICE_CONTROL:
                return "service control policy";
            default:
                return "resource-based policy";
        }
    }

    /** The index of the {@code n}th colon (1-based) of {@code s}, or -1. */
    private static int nthColon(String s, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = s.indexOf(':', at + 1);
            if (at < 0) {
                return -1;
            }
        }
        return at;
    }
}
