package org.opensts.token;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.opensts.token.InvalidTokenException.Reason;

class SealedMessageCodecTest {
    private static final Instant RING_CREATED = Instant.parse("2026-03-01T00:00:00Z");
    private static final byte[] MESSAGE = "{\"sessionId\":\"ASIAEXAMPLE\",\"sessionKey\":\"secret\"}".getBytes(UTF_8);

    private final KeyRing ring = KeyRing.generate(RING_CREATED, new SeededRandom(1));
    private final SealedMessageCodec codec = new SealedMessageCodec(ring, "aws", "console-signin-token");
    private final String sealed = codec.seal(MESSAGE);

    @Test
    void open_sealedMessage_givesBackThePlaintext() throws Exception {
        assertThat(codec.open(sealed)).isEqualTo(MESSAGE);
    }

    @Test
    void seal_isUnpaddedBase64UrlThatNeedsNoEscapingInAQuery() {
        assertThat(sealed).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void seal_doesNotHoldThePlaintextInClear() {
        assertThat(sealed).doesNotContain("secret").doesNotContain("c2VjcmV0");
    }

    @Test
    void seal_sameMessageTwice_givesDifferentText() {
        assertThat(codec.seal(MESSAGE)).isNotEqualTo(sealed);
    }

    @Test
    void open_messageOfAnotherPurpose_isRejected() {
        var handoff = new SealedMessageCodec(ring, "aws", "console-handoff");

        assertThatThrownBy(() -> handoff.open(sealed)).isInstanceOf(InvalidTokenException.class)
                .extracting("reason").isEqualTo(Reason.DECRYPTION_FAILED);
    }

    @Test
    void open_messageOfAnotherScope_isRejected() {
        var other = new SealedMessageCodec(ring, "aws/other", "console-signin-token");

        assertThatThrownBy(() -> other.open(sealed)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void open_messageOfAnotherRing_isRejectedAsAnUnknownKey() {
        var other = new SealedMessageCodec(KeyRing.generate(RING_CREATED, new SeededRandom(9)), "aws",
                "console-signin-token");

        assertThatThrownBy(() -> other.open(sealed)).isInstanceOf(InvalidTokenException.class)
                .extracting("reason").isEqualTo(Reason.UNKNOWN_KEY);
    }

    @Test
    void open_afterRotation_opensMessagesOfTheOldPrimary() throws Exception {
        KeyRing rotated = ring.rotate(RING_CREATED.plus(Duration.ofHours(1)), new SeededRandom(2), Duration.ofDays(3));

        assertThat(new SealedMessageCodec(rotated, "aws", "console-signin-token").open(sealed)).isEqualTo(MESSAGE);
    }

    @Test
    void open_sessionToken_isRejected() {
        String token = new SessionTokenCodec(ring, "aws").seal(TestSessions.typicalRoleSession(1),
                Secret.ofUtf8("s3cr3t"));

        assertThatThrownBy(() -> codec.open(token)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void open_tooLong_isRejectedBeforeDecoding() {
        assertThatThrownBy(() -> codec.open("A".repeat(SealedMessageCodec.MAX_TEXT_LENGTH + 1)))
                .isInstanceOf(InvalidTokenException.class).extracting("reason").isEqualTo(Reason.TOO_LONG);
    }

    @Test
    void peekUnverifiedKeyId_namesThePrimaryKey() {
        assertThat(SealedMessageCodec.peekUnverifiedKeyId(sealed)).hasValue(ring.primary().id());
        assertThat(SealedMessageCodec.peekUnverifiedKeyId("not a message")).isEmpty();
    }

    @Property(tries = 300)
    void open_anySingleCharacterChanged_isRejected(@ForAll @IntRange(min = 0, max = 10_000) int at,
            @ForAll @IntRange(min = 0, max = 63) int replacement) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int index = at % sealed.length();
        char c = alphabet.charAt(replacement);
        if (sealed.charAt(index) == c) {
            return;
        }
        String changed = sealed.substring(0, index) + c + sealed.substring(index + 1);

        assertThatThrownBy(() -> codec.open(changed)).isInstanceOf(InvalidTokenException.class);
    }
}
