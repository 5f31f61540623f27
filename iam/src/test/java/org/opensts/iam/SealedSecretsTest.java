package org.opensts.iam;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opensts.token.MasterKey;
import org.opensts.token.Secret;

/**
 * Access key secrets and MFA seeds are sealed by the types that own them, each bound to its own id: a ciphertext opens
 * for that id and master key only, so one copied onto another row, or read with another master key, does not open.
 */
class SealedSecretsTest {
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String SERIAL = "arn:aws:iam::123456789012:mfa/alice";

    final MasterKey masterKey = TestStores.newMasterKey();

    static AccessKey key(String accessKeyId) {
        return new AccessKey(accessKeyId, "123456789012", "AIDAEXAMPLE0000000001", "alice", AccessKeyStatus.ACTIVE,
                NOW);
    }

    static MfaDevice device(String serialNumber) {
        return new MfaDevice(serialNumber, "123456789012", "alice", "/", Optional.empty(), Optional.empty(), 0, 0, NOW,
                List.of());
    }

    @Test
    void accessKeySecret_sealed_opensForTheSameKeyAndIsNotThePlainSecret() throws GeneralSecurityException {
        byte[] sealed = key("AKIAEXAMPLE000000001").sealSecret(Secret.ofUtf8(SECRET), masterKey);

        assertThat(new String(sealed, UTF_8)).doesNotContain(SECRET);
        assertThat(key("AKIAEXAMPLE000000001").openSecret(sealed, masterKey).revealUtf8()).isEqualTo(SECRET);
    }

    @Test
    void accessKeySecret_sealedForAnotherKeyId_doesNotOpen() throws GeneralSecurityException {
        byte[] sealed = key("AKIAEXAMPLE000000001").sealSecret(Secret.ofUtf8(SECRET), masterKey);

        assertThatThrownBy(() -> key("AKIAEXAMPLE000000002").openSecret(sealed, masterKey))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void accessKeySecret_withAnotherMasterKey_doesNotOpen() throws GeneralSecurityException {
        byte[] sealed = key("AKIAEXAMPLE000000001").sealSecret(Secret.ofUtf8(SECRET), masterKey);

        assertThatThrownBy(() -> key("AKIAEXAMPLE000000001").openSecret(sealed, TestStores.newMasterKey()))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void mfaSeed_sealed_opensForTheSameSerialNumber() throws GeneralSecurityException {
        byte[] sealed = device(SERIAL).sealSeed(Secret.ofUtf8(SECRET), masterKey);

        assertThat(new String(sealed, UTF_8)).doesNotContain(SECRET);
        assertThat(MfaDevice.openSeed(SERIAL, sealed, masterKey).revealUtf8()).isEqualTo(SECRET);
    }

    @Test
    void mfaSeed_sealedForAnotherDevice_doesNotOpen() throws GeneralSecurityException {
        byte[] sealed = device(SERIAL).sealSeed(Secret.ofUtf8(SECRET), masterKey);

        assertThatThrownBy(() -> MfaDevice.openSeed(SERIAL + "2", sealed, masterKey))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void mfaSeedAndAccessKeySecret_ofTheSameId_doNotOpenAsEachOther() throws GeneralSecurityException {
        byte[] sealed = device("AKIAEXAMPLE000000001").sealSeed(Secret.ofUtf8(SECRET), masterKey);

        assertThatThrownBy(() -> key("AKIAEXAMPLE000000001").openSecret(sealed, masterKey))
                .isInstanceOf(GeneralSecurityException.class);
    }
}
