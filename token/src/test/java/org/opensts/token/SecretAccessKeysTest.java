package org.opensts.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SecretAccessKeysTest {

    @Property
    void aSecretAccessKeyIsFortyBase64CharactersOfThirtyBytes(@ForAll long seed) {
        String key = SecretAccessKeys.generate(new SeededRandom(seed)).revealUtf8();

        assertThat(key).hasSize(SecretAccessKeys.LENGTH).matches("[A-Za-z0-9+/]{40}");
        assertThat(Base64.getDecoder().decode(key)).hasSize(30);
    }

    @Test
    void generate_twice_givesDifferentKeys() {
        var random = new SeededRandom(1);

        assertThat(SecretAccessKeys.generate(random).revealUtf8())
                .isNotEqualTo(SecretAccessKeys.generate(random).revealUtf8());
    }
}
