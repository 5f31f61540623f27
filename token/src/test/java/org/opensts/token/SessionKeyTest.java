package org.opensts.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SessionKeyTest {
    private static final Instant CREATED = Instant.parse("2026-03-01T00:00:00.123456Z");

    @Test
    void toString_showsIdAndCreationTimeButNoKeyMaterial() {
        var material = new byte[32];
        new SeededRandom(1).nextBytes(material);
        var key = new SessionKey(-1, CREATED, material.clone());

        assertThat(key.toString())
                .isEqualTo("SessionKey[id=4294967295, createdAt=2026-03-01T00:00:00.123Z]")
                .doesNotContain(HexFormat.of().formatHex(material))
                .doesNotContain(Base64.getEncoder().encodeToString(material));
    }

    @Test
    void constructor_keyOfAnotherLength_isRejected() {
        assertThatThrownBy(() -> new SessionKey(1, CREATED, new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void equals_isIdentity_soKeyMaterialIsNeverComparedByAccident() {
        assertThat(new SessionKey(1, CREATED, new byte[32])).isNotEqualTo(new SessionKey(1, CREATED, new byte[32]));
    }
}
