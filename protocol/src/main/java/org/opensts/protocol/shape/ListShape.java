package org.opensts.protocol.shape;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A list. In a Query request its elements are {@code Name.member.N} (N from 1), or {@code Name.N} when flattened;
 * {@code memberName} is the model's {@code locationName} of the member, {@code member} by default.
 */
public record ListShape(String name, Shape member, String memberName, boolean flattened, Optional<Integer> min,
        Optional<Integer> max) implements Shape {
    public ListShape {
        requireNonNull(name, "name");
        requireNonNull(member, "member");
        requireNonNull(memberName, "memberName");
        requireNonNull(min, "min");
        requireNonNull(max, "max");
    }

    public static ListShape of(String name, Shape member) {
        return new ListShape(name, member, "member", false, Optional.empty(), Optional.empty());
    }

    public static ListShape of(String name, Shape member, int min, int max) {
        return new ListShape(name, member, "member", false, Optional.of(min), Optional.of(max));
    }

    public static ListShape ofMax(String name, Shape member, int max) {
        return new ListShape(name, member, "member", false, Optional.empty(), Optional.of(max));
    }
}
