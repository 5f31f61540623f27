package org.opensts.iam;

import static java.util.Objects.requireNonNull;

/**
 * A user, group or role a managed policy is used by (ListEntitiesForPolicy): attached to it, or set as its permissions
 * boundary.
 */
public record PolicyEntity(PolicyOwner.Kind kind, String name, String id, String path) {
    public PolicyEntity {
        requireNonNull(kind, "kind");
        requireNonNull(name, "name");
        requireNonNull(id, "id");
        requireNonNull(path, "path");
    }
}
