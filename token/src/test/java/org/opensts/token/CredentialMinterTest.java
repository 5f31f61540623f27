package org.opensts.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
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

    /**
     * The minter draws the id's and the secret's random bytes at once; the id and the secret are those the former two
     * draws would have made of the same bytes: {@link AccessKeyIds#newTemporary(String, SecureRandom)} of the first
     * ten, {@link SecretAccessKeys#generate} of the next thirty.
     */
    @Property(tries = 200)
    void mint_oneDraw_makesTheIdAndSecretThatSeparateDrawsOfTheSameBytesMade(@ForAll long seed) {
        var recording = new RecordingRandom(seed);
        var credentials = new CredentialMinter(codec, recording).mint(TestSessions.typicalRoleSessionDraft());

        assertThat(recording.draws).hasSize(1);
        byte[] drawn = recording.draws.get(0);
        assertThat(drawn).hasSize(40);
        assertThat(credentials.accessKeyId()).isEqualTo(AccessKeyIds.newTemporary(TestSessions.ACCOUNT,
                new ReplayingRandom(Arrays.copyOfRange(drawn, 0, 10))));
        assertThat(credentials.secretAccessKey().revealUtf8()).isEqualTo(SecretAccessKeys.generate(
                new ReplayingRandom(Arrays.copyOfRange(drawn, 10, 40))).revealUtf8());
    }

    /**
     * A session's builder without its access key id mints the same session under a new key: every other component
     * (principal, source identity, tags, policies, chain depth, claims, MFA time, region scope, issue time) is carried
     * over, and only what was changed on the builder, here the expiration, differs. The console's own credentials of
     * a broker's session are minted so.
     */
    @Property
    void mint_aSessionsOwnBuilderWithoutItsKey_givesTheSameSessionUnderANewKey(
            @ForAll("sessions") Session session) throws Exception {
        Instant sooner = session.issuedAt().plusMillis(1);

        var minted = minter.mint(session.toBuilder().accessKeyId(null).expiration(sooner));

        assertThat(minted.accessKeyId()).isNotEqualTo(session.accessKeyId());
        assertThat(minted.session()).isEqualTo(session.toBuilder().accessKeyId(minted.accessKeyId())
                .expiration(sooner).build());
        assertThat(minted.session().issuedAt()).isEqualTo(session.issuedAt());
        assertThat(codec.open(minted.sessionToken().revealUtf8()).session()).isEqualTo(minted.session());
    }

    @Provide
    Arbitrary<Session> sessions() {
        return TestSessions.sessions();
    }

    /** Remembers a copy of every draw (the minter wipes its own). */
    private static final class RecordingRandom extends SecureRandom {
        private final SeededRandom random;
        final List<byte[]> draws = new ArrayList<>();

        RecordingRandom(long seed) {
            this.random = new SeededRandom(seed);
        }

        @Override
        public void nextBytes(byte[] bytes) {
            random.nextBytes(bytes);
            draws.add(bytes.clone());
        }
    }

    /** Gives back the bytes it was made with, in one draw of exactly their length. */
    private static final class ReplayingRandom extends SecureRandom {
        private final byte[] bytes;

        ReplayingRandom(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public void nextBytes(byte[] out) {
            assertThat(out).hasSameSizeAs(bytes);
            System.arraycopy(bytes, 0, out, 0, bytes.length);
        }
    }
}
