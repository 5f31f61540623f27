package org.opensts.iam;

import java.util.Locale;

/**
 * The per-account quotas that IAM enforces when an entity is created and that GetAccountSummary reports: AWS's
 * defaults, which an operator may raise as far as AWS raises them on request ("IAM and AWS STS quotas" in the IAM User
 * Guide: users 5,000, not adjustable; groups 300, up to 500; roles 1,000, up to 5,000; customer managed policies 1,500,
 * up to 5,000; instance profiles 1,000, up to 5,000). A deployment whose accounts already hold more than a quota keeps
 * them; only creates past it are refused, {@code LimitExceeded}.
 *
 * @param users {@code UsersQuota}
 * @param groups {@code GroupsQuota}
 * @param roles {@code RolesQuota}
 * @param policies {@code PoliciesQuota}, customer managed policies only
 * @param instanceProfiles {@code InstanceProfilesQuota}
 */
public record IamQuotas(int users, int groups, int roles, int policies, int instanceProfiles) {
    /** AWS's defaults. */
    public static final IamQuotas AWS_DEFAULTS = new IamQuotas(5000, 300, 1000, 1500, 1000);

    /** Each quota from 1 to the most AWS raises it to. */
    public IamQuotas {
        check("Users", users, 5000);
        check("Groups", groups, 500);
        check("Roles", roles, 5000);
        check("Policies", policies, 5000);
        check("InstanceProfiles", instanceProfiles, 5000);
    }

    private static void check(String name, int value, int maximum) {
        if (value < 1 || value > maximum) {
            throw new IllegalArgumentException("The " + name + " quota must be from 1 to " + maximum + ", not "
                    + value);
        }
    }

    /**
     * These quotas with one changed, named as GetAccountSummary names it without {@code Quota} ({@code Users},
     * {@code Groups}, {@code Roles}, {@code Policies}, {@code InstanceProfiles}; any case).
     *
     * @throws IllegalArgumentException for another name, or a value outside 1 and AWS's maximum
     */
    public IamQuotas with(String name, int value) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "users" -> new IamQuotas(value, groups, roles, policies, instanceProfiles);
            case "groups" -> new IamQuotas(users, value, roles, policies, instanceProfiles);
            case "roles" -> new IamQuotas(users, groups, value, policies, instanceProfiles);
            case "policies" -> new IamQuotas(users, groups, roles, value, instanceProfiles);
            case "instanceprofiles" -> new IamQuotas(users, groups, roles, policies, value);
            default -> throw new IllegalArgumentException("No IAM quota is named " + name
                    + "; the quotas are Users, Groups, Roles, Policies and InstanceProfiles");
        };
    }
}
