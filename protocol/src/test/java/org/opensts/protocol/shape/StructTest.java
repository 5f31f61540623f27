package org.opensts.protocol.shape;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StructTest {
    private static final ScalarShape TEXT = ScalarShape.string("text").build();
    private static final StructureShape TAG = StructureShape.builder("Tag")
            .required("Key", TEXT)
            .required("Value", TEXT)
            .build();
    private static final StructureShape REQUEST = StructureShape.builder("ExampleRequest")
            .required("RoleArn", TEXT)
            .optional("Policy", TEXT)
            .optional("SAMLAssertion", TEXT)
            .optional("TokenCode", TEXT)
            .optional("DurationSeconds", ScalarShape.integer("duration").build())
            .optional("Payload", ScalarShape.builder("payload", ScalarType.BLOB).build())
            .optional("Tags", ListShape.of("tagList", TAG))
            .optional("TransitiveTagKeys", ListShape.of("tagKeyList", TEXT))
            .optional("Attributes", MapShape.of("attributes", TEXT, TEXT))
            .optional("Context", TAG)
            .build();

    @Test
    void toString_namesShapeAndMembersButNeverTheirValues() {
        Struct struct = Struct.builder(REQUEST)
                .put("SAMLAssertion", "PHNhbWxwOlJlc3BvbnNlIHNlY3JldA==")
                .put("TokenCode", "123456")
                .build();

        assertThat(struct.toString()).isEqualTo("ExampleRequest[SAMLAssertion, TokenCode]");
    }

    @Test
    void blob_isCopiedOnTheWayOut() {
        Struct struct = Struct.builder(REQUEST).put("Payload", "value".getBytes(UTF_8)).build();

        struct.blob("Payload").orElseThrow()[0] = 'X';

        assertThat(struct.blob("Payload")).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo("value"
                .getBytes(UTF_8)));
    }

    @Test
    void declaredButAbsentMembers_areEmptyOrEmptyCollections() {
        Struct struct = Struct.empty(REQUEST);

        assertThat(struct.has("Tags")).isFalse();
        assertThat(struct.string("Policy")).isEmpty();
        assertThat(struct.integer("DurationSeconds")).isEmpty();
        assertThat(struct.blob("Payload")).isEmpty();
        assertThat(struct.struct("Context")).isEmpty();
        assertThat(struct.strings("TransitiveTagKeys")).isEmpty();
        assertThat(struct.structs("Tags")).isEmpty();
        assertThat(struct.stringMap("Attributes")).isEmpty();
        assertThat(struct.get("Policy")).isNull();
        assertThatThrownBy(() -> struct.requiredString("RoleArn")).isInstanceOf(IllegalStateException.class)
                .hasMessage("Required member RoleArn is absent");
    }

    record Accessor(String name, Consumer<Struct> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Accessor> accessors() {
        return Stream.of(
                new Accessor("has", s -> s.has("RoleARN")),
                new Accessor("string", s -> s.string("RoleARN")),
                new Accessor("requiredString", s -> s.requiredString("RoleARN")),
                new Accessor("integer", s -> s.integer("RoleARN")),
                new Accessor("longValue", s -> s.longValue("RoleARN")),
                new Accessor("bool", s -> s.bool("RoleARN")),
                new Accessor("timestamp", s -> s.timestamp("RoleARN")),
                new Accessor("blob", s -> s.blob("RoleARN")),
                new Accessor("struct", s -> s.struct("RoleARN")),
                new Accessor("strings", s -> s.strings("RoleARN")),
                new Accessor("structs", s -> s.structs("RoleARN")),
                new Accessor("stringMap", s -> s.stringMap("RoleARN")),
                new Accessor("get", s -> s.get("RoleARN")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accessors")
    void undeclaredMember_isAnErrorNamingMemberAndShape(Accessor accessor) {
        // Present or not, a name the shape does not declare (here a misspelling of RoleArn) is never "absent".
        for (Struct struct : List.of(Struct.empty(REQUEST), Struct.builder(REQUEST).put("RoleArn", "arn").build())) {
            assertThatThrownBy(() -> accessor.call().accept(struct))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("ExampleRequest has no member RoleARN");
        }
    }

    @Test
    void nestedStruct_checksAgainstItsOwnShape() {
        Struct tag = Struct.builder(TAG).put("Key", "team").put("Value", "blue").build();
        Struct struct = Struct.builder(REQUEST).put("Tags", List.of(tag)).build();

        Struct nested = struct.structs("Tags").get(0);

        assertThat(nested.requiredString("Key")).isEqualTo("team");
        assertThatThrownBy(() -> nested.string("RoleArn")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Tag has no member RoleArn");
    }

    @Test
    void builder_undeclaredMember_isAnError() {
        assertThatThrownBy(() -> Struct.builder(REQUEST).put("Tag", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ExampleRequest has no member Tag");
    }

    @Test
    void bind_structOfTheBoundShape_readsDeclaredMembersOnly() {
        Struct struct = QueryBinder.bind(REQUEST, QueryParameters.of(Map.of(
                "RoleArn", "arn:aws:iam::111122223333:role/r",
                "Tags.member.1.Key", "team",
                "Tags.member.1.Value", "blue")));

        assertThat(struct.shape()).isSameAs(REQUEST);
        assertThat(struct.requiredString("RoleArn")).isEqualTo("arn:aws:iam::111122223333:role/r");
        assertThat(struct.structs("Tags").get(0).shape()).isSameAs(TAG);
        assertThatThrownBy(() -> struct.string("ExternalId")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void equality_followsShapeAndValues() {
        StructureShape other = StructureShape.builder("OtherRequest").optional("Policy", TEXT).build();

        assertThat(Struct.builder(REQUEST).put("Policy", "a").build())
                .isEqualTo(Struct.builder(REQUEST).put("Policy", "a").build())
                .isNotEqualTo(Struct.builder(REQUEST).put("Policy", "b").build())
                .isNotEqualTo(Struct.builder(other).put("Policy", "a").build());
    }
}
