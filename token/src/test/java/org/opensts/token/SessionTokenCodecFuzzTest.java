package org.opensts.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import java.util.Base64;

/**
 * {@link SessionTokenCodec#open} against any text: arbitrary strings, and a real sealed token changed by the fuzzer
 * character by character, byte by byte (re-encoded), truncated and extended.
 *
 * <p>Invariants: {@code open} throws nothing but {@link InvalidTokenException}, always with its one message and never
 * the token or the secret in it; and it opens nothing but the very token that was sealed, so no change of a token is
 * ever accepted. The seed corpus is in {@code SessionTokenCodecFuzzTestInputs/open_anyText_opensOnlyTheSealedToken};
 * {@code bench/fuzz.sh} runs it for longer.
 */
class SessionTokenCodecFuzzTest {
    private static final String SCOPE = "aws/opensts-fuzz";
    /** The secret access key sealed in the token: no message may show it. */
    private static final String SECRET = "FuzzSecretAccessKeyThatNoMessageMayShow0";

    private static final SessionTokenCodec CODEC = new SessionTokenCodec(
            KeyRing.generate(Instant.parse("2026-03-01T00:00:00Z"), new SeededRandom(1)), SCOPE);
    private static final Session SESSION = TestSessions.typicalRoleSession(7);
    private static final String TOKEN = CODEC.seal(SESSION, Secret.ofUtf8(SECRET));

    @FuzzTest(maxDuration = "10s")
    void open_anyText_opensOnlyTheSealedToken(FuzzedDataProvider data) {
        String text = switch (data.consumeInt(0, 2)) {
            case 0 -> data.consumeRemainingAsString();
            case 1 -> TokenMutations.mutateText(TOKEN, data);
            default -> Base64.getEncoder().withoutPadding()
                    .encodeToString(TokenMutations.mutateBytes(Base64.getDecoder().decode(TOKEN), data));
        };
        OpenedSession opened;
        try {
            opened = CODEC.open(text);
        } catch (InvalidTokenException e) {
            assertThat(e.getMessage()).isEqualTo(InvalidTokenException.MESSAGE);
            assertThat(e.toString()).doesNotContain(SECRET).doesNotContain(TOKEN);
            return;
        }
        assertThat(text).as("a token other than the one sealed opened").isEqualTo(TOKEN);
        assertThat(opened.session()).isEqualTo(SESSION);
        assertThat(opened.toString()).doesNotContain(SECRET);
    }
}
