package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** The input of CreateUser. */
public record CreateUserRequest(String userName, Optional<String> path, Optional<String> permissionsBoundary,
        List<Tag> tags) {
    public CreateUserRequest {
        requireNonNull(userName, "userName");
        requireNonNull(path, "path");
        requireNonNull(permissionsBoundary, "permissionsBoundary");
        tags = List.copyOf(tags);
    }

    public static CreateUserRequest named(String userName) {
        return new CreateUserRequest(userName, Optional.empty(), Optional.empty(), List.of());
    }
}
