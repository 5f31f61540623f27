package org.opensts.sigv4;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SigningKeyCacheTest {

    private static final byte[] SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".getBytes(UTF_8);
    private static final byte[] OTHER_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEZ".getBytes(UTF_8);
    private static final CredentialScope TODAY = CredentialScope.parse("20150830/us-east-1/sts/aws4_request");
    private static final CredentialScope YESTERDAY = CredentialScope.parse("20150829/us-east-1/sts/aws4_request");

    @Test
    void signingKey_secondLookup_isTheSameDerivedKey() {
        SigningKeyCache cache = new SigningKeyCache(16);

        byte[] first = cache.signingKey("AKIDEXAMPLE", SECRET, TODAY);
        byte[] second = cache.signingKey("AKIDEXAMPLE", SECRET.clone(), TODAY);

        assertThat(second).isSameAs(first).isEqualTo(SigV4.deriveSigningKey(SECRET, TODAY));
    }

    @Test
    void signingKey_sameAccessKeyIdWithAnotherSecret_isNeverServedTheCachedKey() {
        SigningKeyCache cache = new SigningKeyCache(16);
        cache.signingKey("AKIDEXAMPLE", SECRET, TODAY);

        assertThat(cache.signingKey("AKIDEXAMPLE", OTHER_SECRET, TODAY))
                .isEqualTo(SigV4.deriveSigningKey(OTHER_SECRET, TODAY))
                .isNotEqualTo(SigV4.deriveSigningKey(SECRET, TODAY));
    }

    @Test
    void signingKey_anotherScope_isDerivedForThatScope() {
        SigningKeyCache cache = new SigningKeyCache(16);
        cache.signingKey("AKIDEXAMPLE", SECRET, TODAY);

        assertThat(cache.signingKey("AKIDEXAMPLE", SECRET, YESTERDAY))
                .isEqualTo(SigV4.deriveSigningKey(SECRET, YESTERDAY));
        assertThat(cache.signingKey("AKIDEXAMPLE", SECRET, TODAY)).isEqualTo(SigV4.deriveSigningKey(SECRET, TODAY));
    }

    @Test
    void signingKey_keepsAPrivateCopyOfTheSecret() {
        SigningKeyCache cache = new SigningKeyCache(16);
        byte[] secret = SECRET.clone();
        byte[] key = cache.signingKey("AKIDEXAMPLE", secret, TODAY);
        secret[0] ^= 1;

        assertThat(cache.signingKey("AKIDEXAMPLE", SECRET, TODAY)).isSameAs(key);
    }

    @Test
    void signingKey_disabledCache_derivesEveryTime() {
        SigningKeyCache cache = new SigningKeyCache(0);

        byte[] first = cache.signingKey("AKIDEXAMPLE", SECRET, TODAY);

        assertThat(cache.signingKey("AKIDEXAMPLE", SECRET, TODAY)).isNotSameAs(first).isEqualTo(first);
    }

    @ParameterizedTest(name = "capacity {0} has {1} slots")
    @CsvSource({"0, 0", "1, 1", "2, 2", "3, 4", "1000, 1024", "1024, 1024"})
    void capacity_roundsUpToAPowerOfTwo(int capacity, int slots) {
        assertThat(new SigningKeyCache(capacity).capacity()).isEqualTo(slots);
    }

    @Test
    void capacity_outOfRange_isRejected() {
        assertThatThrownBy(() -> new SigningKeyCache(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SigningKeyCache(SigningKeyCache.MAX_CAPACITY + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
