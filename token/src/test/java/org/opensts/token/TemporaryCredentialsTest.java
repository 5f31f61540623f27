package org.opensts.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TemporaryCredentialsTest {

    @Test
    void toString_showsAccessKeyIdAndExpirationButNeitherSecretNorToken() {
        var codec = new SessionTokenCodec(KeyRing.generate(Instant.EPOCH, new SeededRandom(1)), "aws");
        var credentials = new CredentialMinter(codec, new SeededRandom(2)).mint(TestSessions.typicalRoleSessionDraft());

        assertThat(credentials.toString())
                .isEqualTo("TemporaryCredentials[accessKeyId=" + credentials.accessKeyId()
                        + ", expiration=" + credentials.expiration() + "]")
                .doesNotContain(credentials.secretAccessKey().revealUtf8())
                .doesNotContain(credentials.sessionToken().revealUtf8().substring(0, 16));
    }
}
