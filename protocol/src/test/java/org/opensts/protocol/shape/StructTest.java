package org.opensts.protocol.shape;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StructTest {

    @Test
    void toString_namesMembersButNeverTheirValues() {
        Struct struct = Struct.builder()
                .put("SAMLAssertion", "PHNhbWxwOlJlc3BvbnNlIHNlY3JldA==")
                .put("TokenCode", "123456")
                .build();

        assertThat(struct.toString()).isEqualTo("Struct[SAMLAssertion, TokenCode]");
    }

    @Test
    void blob_isCopiedOnTheWayOut() {
        Struct struct = Struct.builder().put("Payload", "value".getBytes(UTF_8)).build();

        struct.blob("Payload").orElseThrow()[0] = 'X';

        assertThat(struct.blob("Payload")).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo("value"
                .getBytes(UTF_8)));
    }

    @Test
    void absentMembers_areEmptyOrEmptyCollections() {
        Struct struct = Struct.empty();

        assertThat(struct.has("Tags")).isFalse();
        assertThat(struct.string("Policy")).isEmpty();
        assertThat(struct.strings("TransitiveTagKeys")).isEmpty();
        assertThat(struct.structs("Tags")).isEmpty();
        assertThat(struct.stringMap("Attributes")).isEmpty();
        assertThatThrownBy(() -> struct.requiredString("RoleArn")).isInstanceOf(IllegalStateException.class)
                .hasMessage("Required member RoleArn is absent");
    }

    @Test
    void equality_followsTheValues() {
        assertThat(Struct.builder().put("Tags", List.of("a")).build())
                .isEqualTo(Struct.builder().put("Tags", List.of("a")).build())
                .isNotEqualTo(Struct.builder().put("Tags", List.of("b")).build());
    }
}
