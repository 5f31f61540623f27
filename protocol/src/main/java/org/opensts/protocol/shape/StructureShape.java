package org.opensts.protocol.shape;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A structure: named members in model order. */
public final class StructureShape implements Shape {
    private final String name;
    private final List<Member> members;
    private final Map<String, Member> membersByName;

    private StructureShape(String name, List<Member> members) {
        this.name = requireNonNull(name, "name");
        this.members = List.copyOf(members);
        var byName = new LinkedHashMap<String, Member>();
        for (Member member : members) {
            if (byName.put(member.name(), member) != null) {
                throw new IllegalArgumentException("Duplicate member " + member.name() + " in " + name);
            }
        }
        this.membersByName = Map.copyOf(byName);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A structure without members, for operations that take no input. */
    public static StructureShape empty(String name) {
        return new StructureShape(name, List.of());
    }

    @Override
    public String name() {
        return name;
    }

    public List<Member> members() {
        return members;
    }

    public Optional<Member> member(String memberName) {
        return Optional.ofNullable(membersByName.get(memberName));
    }

    /** Whether the structure has a member of that name (case-sensitive, as the model spells it). */
    public boolean declares(String memberName) {
        return membersByName.containsKey(memberName);
    }

    @Override
    public String toString() {
        return "StructureShape[" + name + "]";
    }

    /** Declares members in model order. */
    public static final class Builder {
        private final String name;
        private final List<Member> members = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder required(String memberName, Shape shape) {
            members.add(new Member(memberName, shape, true, memberName));
            return this;
        }

        public Builder optional(String memberName, Shape shape) {
            members.add(new Member(memberName, shape, false, memberName));
            return this;
        }

        public Builder member(Member member) {
            members.add(member);
            return this;
        }

        public StructureShape build() {
            return new StructureShape(name, members);
        }
    }
}
