package org.opensts.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CredentialMinterTest {
    private final SessionTokenCodec codec =
            new SessionTokenCodec(KeyRing.generate(Instant.parse("2026-03-01T00:00:00Z"), new SeededRandom(1)), "aws");
    private final CredentialMinter minter = new CredentialMinter(codec, new SeededRandom(2));

    @Test
    void mint_givesATemporaryIdOfTheAccountAFortyCharacterSecretAndATokenThatOpensToBoth() throws Exception {
        var credentials = minter.mint(TestSessions.typicalRoleSessionDraft());

        assertThat(credentials.accessKeyId()).matches("ASIA[A-Z2-7]{16}");
        assertThat(AccessKeyIds.accountIdOf(credentials.accessKeyId())).hasValue(TestSessions.ACCOUNT);
        assertThat(credentials.secretAccessKey().revealUtf8()).matches("[A-Za-z0-9+/]{40}");
        assertThat(credentials.expiration()).isEqualTo(TestSessions.ISSUED_AT.plusSeconds(3600));

        var opened = codec.open(credentials.sessionToken().revealUtf8());

        assertThat(opened.session()).isEqualTo(credentials.session());
        assertThat(opened.session().accessKeyId()).isEqualTo(credentials.accessKeyId());
        assertThat(opened.secretAccessKey().matches(credentials.secretAccessKey().revealBytes())).isTrue();
    }

    @Test
    void mint_sameDraftTwice_givesDifferentCredentialsAndLeavesTheDraftAlone() {
        var draft = TestSessions.typicalRoleSessionDraft();

        var first = minter.mint(draft);
        var second = minter.mint(draft);

        assertThat(first.accessKeyId()).isNotEqualTo(second.accessKeyId());
        assertThat(first.secretAccessKey().revealUtf8()).isNotEqualTo(second.secretAccessKey().revealUtf8());
        assertThatThrownBy(draft::build).isInstanceOf(IllegalArgumentException.class); // still no access key id
    }

    @Test
    void mint_draftWithAnAccessKeyId_isRejected() {
        var draft = TestSessions.typicalRoleSessionDraft()
                .accessKeyId(AccessKeyIds.newTemporary(TestSessions.ACCOUNT, new SeededRandom(3)));

        assertThatThrownBy(() -> minter.mint(draft)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mint_invalidDraft_isRejected() {
        assertThatThrownBy(() -> minter.mint(TestSessions.typicalRoleSessionDraft().accountId("1234")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> minter.mint(TestSessions.typicalRoleSessionDraft().sessionName(null)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
