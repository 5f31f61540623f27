package org.opensts.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class OpenedSessionTest {

    @Test
    void toString_showsAccessKeyIdAndExpirationButNotTheSecret() throws Exception {
        var codec = new SessionTokenCodec(KeyRing.generate(Instant.EPOCH, new SeededRandom(1)), "aws");
        var session = TestSessions.typicalRoleSession(1);
        var secret = SecretAccessKeys.generate(new SeededRandom(2));

        var opened = codec.open(codec.seal(session, secret));

        assertThat(opened.toString())
                .isEqualTo("OpenedSession[accessKeyId=" + session.accessKeyId()
                        + ", expiration=" + session.expiration() + "]")
                .doesNotContain(secret.revealUtf8());
    }
}
