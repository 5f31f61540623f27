package org.opensts.iam;

import static java.util.Objects.requireNonNull;

/** The user, group or role a policy is embedded in or attached to, named by its stable unique id. */
public record PolicyOwner(Kind kind, String ownerId) {
    /** The kinds of identity that hold policies. */
    public enum Kind {
        USER,
        GROUP,
        ROLE
    }

    public PolicyOwner {
        requireNonNull(kind, "kind");
        requireNonNull(ownerId, "ownerId");
    }

    public static PolicyOwner of(User user) {
        return new PolicyOwner(Kind.USER, user.userId());
    }

    public static PolicyOwner of(Group group) {
        return new PolicyOwner(Kind.GROUP, group.groupId());
    }

    public static PolicyOwner of(Role role) {
        return new PolicyOwner(Kind.ROLE, role.roleId());
    }
}
