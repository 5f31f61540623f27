package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** The input of CreateRole. */
public record CreateRoleRequest(String roleName, Optional<String> path, String assumeRolePolicyDocument,
        Optional<String> description, Optional<Integer> maxSessionDuration, Optional<String> permissionsBoundary,
        List<Tag> tags) {
    public CreateRoleRequest {
        requireNonNull(roleName, "roleName");
        requireNonNull(path, "path");
        requireNonNull(assumeRolePolicyDocument, "assumeRolePolicyDocument");
        requireNonNull(description, "description");
        requireNonNull(maxSessionDuration, "maxSessionDuration");
        requireNonNull(permissionsBoundary, "permissionsBoundary");
        tags = List.copyOf(tags);
    }

    public static CreateRoleRequest of(String roleName, String assumeRolePolicyDocument) {
        return new CreateRoleRequest(roleName, Optional.empty(), assumeRolePolicyDocument, Optional.empty(),
                Optional.empty(), Optional.empty(), List.of());
    }
}
