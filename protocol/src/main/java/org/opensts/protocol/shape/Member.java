package org.opensts.protocol.shape;

import static java.util.Objects.requireNonNull;

/**
 * A member of a structure: its model name, its shape, whether it is required, and the name it travels under in a
 * Query request (the model's {@code locationName}, usually the member name itself).
 */
public record Member(String name, Shape shape, boolean required, String queryName) {
    public Member {
        requireNonNull(name, "name");
        requireNonNull(shape, "shape");
        requireNonNull(queryName, "queryName");
    }

    /**
     * The member's name as AWS writes it in validation messages: the first letter lower-cased
     * ({@code RoleSessionName} becomes {@code roleSessionName}).
     */
    public String messageName() {
        if (name.isEmpty()) {
            return name;
        }
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
