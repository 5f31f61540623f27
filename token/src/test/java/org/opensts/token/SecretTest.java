package org.opensts.token;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SecretTest {
    private static final String VALUE = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @Test
    void matches_sameBytes_isTrue() {
        assertThat(Secret.ofUtf8(VALUE).matches(VALUE.getBytes(UTF_8))).isTrue();
    }

    @Test
    void matches_differentOrShorterOrNull_isFalse() {
        var secret = Secret.ofUtf8(VALUE);

        assertThat(secret.matches("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ".getBytes(UTF_8))).isFalse();
        assertThat(secret.matches("wJalrXUtnFEMI".getBytes(UTF_8))).isFalse();
        assertThat(secret.matches(new byte[0])).isFalse();
        assertThat(secret.matches(null)).isFalse();
    }

    @Test
    void copyOf_callerWipesItsArray_secretKeepsItsValue() {
        var bytes = VALUE.getBytes(UTF_8);
        var secret = Secret.copyOf(bytes);

        Arrays.fill(bytes, (byte) 0);

        assertThat(secret.revealUtf8()).isEqualTo(VALUE);
    }

    @Test
    void revealBytes_callerWipesTheCopy_secretKeepsItsValue() {
        var secret = Secret.ofUtf8(VALUE);

        Arrays.fill(secret.revealBytes(), (byte) 0);

        assertThat(secret.matches(VALUE.getBytes(UTF_8))).isTrue();
    }

    @Test
    void toString_isRedacted() {
        assertThat(Secret.ofUtf8(VALUE)).hasToString("Secret[redacted]");
    }

    @Test
    void equals_isIdentity_soSecretsAreNeverComparedByValueByAccident() {
        assertThat(Secret.ofUtf8(VALUE)).isNotEqualTo(Secret.ofUtf8(VALUE));
    }
}
