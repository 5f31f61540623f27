package org.opensts.token;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MasterKeyTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final byte[] AD = "opensts:secret-access-key:AKIAY34FZKBOKMUTVV7A".getBytes(UTF_8);

    private static String keysetJson;
    private static MasterKey master;

    private final KeyRing ring = KeyRing.generate(T0, new SeededRandom(1))
            .rotate(T0.plus(Duration.ofDays(1)), new SeededRandom(2), Duration.ofDays(3));

    @BeforeAll
    static void generateMasterKey() throws GeneralSecurityException {
        keysetJson = MasterKey.generateKeysetJson();
        master = MasterKey.fromKeysetJson(keysetJson);
    }

    @Test
    void generateKeysetJson_isATinkJsonKeysetOfOneAesGcmKey() {
        assertThat(keysetJson).contains("\"primaryKeyId\"").contains("type.googleapis.com/google.crypto.tink.AesGcmKey")
                .contains("\"keyMaterialType\":\"SYMMETRIC\"");
    }

    @Test
    void unwrap_ofWrap_opensTheTokensTheOriginalRingSealed() throws Exception {
        var codec = new SessionTokenCodec(ring, "aws");
        var session = TestSessions.typicalRoleSession(1);
        var token = codec.seal(session, SecretAccessKeys.generate(new SeededRandom(3)));

        var unwrapped = master.unwrap(master.wrap(ring));

        assertThat(unwrapped.keys()).extracting(SessionKey::id)
                .containsExactlyElementsOf(ring.keys().stream().map(SessionKey::id).toList());
        assertThat(new SessionTokenCodec(unwrapped, "aws").open(token).session()).isEqualTo(session);
    }

    @Test
    void unwrap_wrappedRingWithAnyByteChanged_isRejected() throws Exception {
        var wrapped = master.wrap(ring);
        for (int i = 0; i < wrapped.length; i++) {
            var changed = wrapped.clone();
            changed[i] ^= 0x01;
            assertThatThrownBy(() -> master.unwrap(changed)).isInstanceOf(GeneralSecurityException.class);
        }
    }

    @Test
    void unwrap_byAnotherMasterKey_isRejected() throws Exception {
        var other = MasterKey.fromKeysetJson(MasterKey.generateKeysetJson());

        assertThatThrownBy(() -> other.unwrap(master.wrap(ring))).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void unwrap_secretEncryptedForAnotherPurpose_isRejected() throws Exception {
        var notARing = master.encrypt(ring.toBytes(), AD);

        assertThatThrownBy(() -> master.unwrap(notARing)).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void unwrap_authenticButMalformedRing_isRejected() throws Exception {
        var wrappedGarbage = master.encrypt(new byte[] {9, 9}, "opensts:key-ring:v1".getBytes(UTF_8));

        assertThatThrownBy(() -> master.unwrap(wrappedGarbage))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessage("malformed key ring");
    }

    @Test
    void decrypt_ofEncrypt_givesBackThePlaintext() throws Exception {
        var plaintext = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".getBytes(UTF_8);

        assertThat(master.decrypt(master.encrypt(plaintext, AD), AD)).isEqualTo(plaintext);
    }

    @Test
    void decrypt_withOtherAssociatedData_isRejected() throws Exception {
        var ciphertext = master.encrypt("secret".getBytes(UTF_8), AD);
        var otherKeysAd = "opensts:secret-access-key:AKIAY34FZKBOKMUTVV7B".getBytes(UTF_8);

        assertThatThrownBy(() -> master.decrypt(ciphertext, otherKeysAd))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void fromKeysetJson_notAKeyset_isRejected() {
        assertThatThrownBy(() -> MasterKey.fromKeysetJson("{\"not\":\"a keyset\"}"))
                .isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> MasterKey.fromKeysetJson("garbage")).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void toString_showsNoKeyMaterial() {
        var keyValue = Pattern.compile("\"value\":\"([^\"]+)\"").matcher(keysetJson);
        assertThat(keyValue.find()).isTrue();

        assertThat(master.toString()).isEqualTo("MasterKey[redacted]").doesNotContain(keyValue.group(1));
    }
}
