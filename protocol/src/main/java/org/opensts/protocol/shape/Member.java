package org.opensts.protocol.shape;

import static java.util.Objects.requireNonNull;

/**
 * A member of a structure: its model name, its shape, whether it is required, and the name it travels under in a
 * Query request (the model's {@code locationName}, usually the member name itself).
 *
 * @param messageName the member's name as AWS writes it in validation messages and audit events: the first letter
 *                    lower-cased ({@code RoleSessionName} becomes {@code roleSessionName}); derived from {@code name},
 *                    once, because every call's audit event names each of its members
 */
public record Member(String name, Shape shape, boolean required, String queryName, String messageName) {
    public Member {
        requireNonNull(name, "name");
        requireNonNull(shape, "shape");
        requireNonNull(queryName, "queryName");
        requireNonNull(messageName, "messageName");
        if (!messageName.equals(lowerFirst(name))) {
            throw new IllegalArgumentException("messageName must be name with its first letter lower-cased");
        }
    }

    public Member(String name, Shape shape, boolean required, String queryName) {
        this(name, shape, required, queryName, lowerFirst(requireNonNull(name, "name")));
    }

    private static String lowerFirst(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
