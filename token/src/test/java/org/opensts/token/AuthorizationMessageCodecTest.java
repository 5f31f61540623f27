package org.opensts.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.token.InvalidAuthorizationMessageException.Reason;

class AuthorizationMessageCodecTest {
    private static final Instant RING_CREATED = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant ISSUED = RING_CREATED.plus(Duration.ofHours(2));
    private static final String SCOPE = "aws";
    private static final String DOCUMENT = "{\"allowed\":false,\"explicitDeny\":true,\"matchedStatements\":{\"items\":["
            + "{\"statementId\":\"DenyAll\",\"effect\":\"DENY\"}]},\"failures\":{\"items\":[]},\"context\":{"
            + "\"principal\":{\"id\":\"AIDAEXAMPLE\",\"arn\":\"arn:aws:iam::123456789012:user/alice\"},"
            + "\"action\":\"sts:AssumeRole\",\"resource\":\"arn:aws:iam::123456789012:role/demo\"}}";

    private final KeyRing ring = KeyRing.generate(RING_CREATED, new SeededRandom(1));
    private final AuthorizationMessageCodec codec = new AuthorizationMessageCodec(ring, SCOPE);
    private final AuthorizationMessage message = new AuthorizationMessage(ISSUED, "123456789012", DOCUMENT);
    private final String sealed = codec.seal(message);

    // Round trip

    @Test
    void open_sealedMessage_givesBackIssueTimeAccountAndDocument() throws Exception {
        assertThat(codec.open(sealed, ISSUED)).isEqualTo(message);
    }

    @Test
    void seal_isUnpaddedBase64UrlAsAwsMessagesAre() {
        assertThat(sealed).matches("[A-Za-z0-9_-]+").hasSizeLessThan(AuthorizationMessageCodec.MAX_MESSAGE_LENGTH);
    }

    @Test
    void seal_sameMessageTwice_givesDifferentText() {
        assertThat(codec.seal(message)).isNotEqualTo(sealed);
    }

    @Test
    void open_afterRotation_opensMessagesOfTheOldPrimary() throws Exception {
        KeyRing rotated = ring.rotate(ISSUED.plus(Duration.ofHours(1)), new SeededRandom(2), Duration.ofDays(3));

        assertThat(codec.withKeyRing(rotated).open(sealed, ISSUED.plusSeconds(60))).isEqualTo(message);
    }

    @Property
    void openingWhatWasSealedGivesBackTheMessage(
            @ForAll @StringLength(min = 1, max = 2000) @CharRange(from = ' ', to = '~') String document,
            @ForAll("accounts") String account) throws Exception {
        var original = new AuthorizationMessage(ISSUED, account, document);

        assertThat(codec.open(codec.seal(original), ISSUED)).isEqualTo(original);
    }

    @Provide
    Arbitrary<String> accounts() {
        return Arbitraries.strings().numeric().ofLength(12);
    }

    // Expiry

    record Expiry(String name, Duration sinceIssue, boolean opens) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Expiry> expiries() {
        return Stream.of(
                new Expiry("at issue", Duration.ZERO, true),
                new Expiry("one second before the lifetime ends", AuthorizationMessageCodec.LIFETIME.minusSeconds(1),
                        true),
                new Expiry("exactly at the end of the lifetime", AuthorizationMessageCodec.LIFETIME, true),
                new Expiry("one millisecond after the lifetime", AuthorizationMessageCodec.LIFETIME.plusMillis(1),
                        false),
                new Expiry("a week later", Duration.ofDays(7), false),
                new Expiry("issued within the clock skew of a node behind", Duration.ofMinutes(-15), true),
                new Expiry("issued beyond the clock skew", Duration.ofMinutes(-16), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expiries")
    void open_atAgeOfMessage_opensOnlyWithinItsLifetime(Expiry expiry) throws Exception {
        Instant now = ISSUED.plus(expiry.sinceIssue());

        if (expiry.opens()) {
            assertThat(codec.open(sealed, now)).isEqualTo(message);
        } else {
            assertRejected(sealed, now, Reason.EXPIRED);
        }
    }

    // Tampering: every part of the message

    record Tamper(String name, int byteIndex) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Tamper> tamperedParts() {
        return Stream.of(
                new Tamper("format byte changed to another message version", 0),
                new Tamper("key id changed", 2),
                new Tamper("nonce changed", AuthorizationMessageCodec.HEADER_BYTES + 3),
                new Tamper("ciphertext changed", AuthorizationMessageCodec.HEADER_BYTES + 12 + 5),
                new Tamper("tag changed", -1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tamperedParts")
    void open_messageWithOneChangedByte_isRejected(Tamper tamper) {
        byte[] binary = Base64.getUrlDecoder().decode(sealed);
        int index = tamper.byteIndex() < 0 ? binary.length + tamper.byteIndex() : tamper.byteIndex();
        binary[index] ^= 0x01;
        String changed = Base64.getUrlEncoder().withoutPadding().encodeToString(binary);

        assertThatThrownBy(() -> codec.open(changed, ISSUED))
                .isInstanceOf(InvalidAuthorizationMessageException.class)
                .hasMessage(InvalidAuthorizationMessageException.MESSAGE);
    }

    @Test
    void open_everySingleCharacterChange_isRejected() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var random = new Random(3);
        for (int position = 0; position < sealed.length(); position++) {
            char replacement;
            do {
                replacement = alphabet.charAt(random.nextInt(alphabet.length()));
            } while (replacement == sealed.charAt(position));
            String changed = sealed.substring(0, position) + replacement + sealed.substring(position + 1);
            assertThatThrownBy(() -> codec.open(changed, ISSUED))
                    .as("position %d", position)
                    .isInstanceOf(InvalidAuthorizationMessageException.class);
        }
    }

    // Not ours

    record Foreign(String name, String text, Reason reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Foreign> foreignTexts() {
        KeyRing ring = KeyRing.generate(RING_CREATED, new SeededRandom(1));
        var message = new AuthorizationMessage(ISSUED, "123456789012", DOCUMENT);
        String ours = new AuthorizationMessageCodec(ring, SCOPE).seal(message);
        String sessionToken = new SessionTokenCodec(ring, SCOPE).seal(TestSessions.typicalRoleSession(7),
                SecretAccessKeys.generate(new SeededRandom(8)));
        return Stream.of(
                new Foreign("empty text", "", Reason.MALFORMED),
                new Foreign("garbage", "not-a-message", Reason.MALFORMED),
                new Foreign("standard base64 characters", ours.substring(0, 40) + "+/" + ours.substring(42),
                        Reason.MALFORMED),
                new Foreign("padded", ours + "=", Reason.MALFORMED),
                new Foreign("a line break inside", ours.substring(0, 40) + "\n" + ours.substring(40),
                        Reason.MALFORMED),
                new Foreign("a session token sealed with the same ring",
                        sessionToken.replace('+', '-').replace('/', '_'), Reason.UNSUPPORTED_VERSION),
                new Foreign("another deployment's ring",
                        new AuthorizationMessageCodec(KeyRing.generate(RING_CREATED, new SeededRandom(99)), SCOPE)
                                .seal(message), Reason.UNKNOWN_KEY),
                new Foreign("another scope with the same ring",
                        new AuthorizationMessageCodec(ring, "aws-cn").seal(message), Reason.DECRYPTION_FAILED),
                new Foreign("longer than DecodeAuthorizationMessage accepts",
                        "A".repeat(AuthorizationMessageCodec.MAX_MESSAGE_LENGTH + 1), Reason.TOO_LONG));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreignTexts")
    void open_textNotSealedHere_isRejectedWithOneMessage(Foreign foreign) {
        assertRejected(foreign.text(), ISSUED, foreign.reason());
    }

    @Test
    void open_sessionTokenBytesUnderAuthorizationMessageHeader_failsTheTag() {
        // Relabel a message as if sealed with the session token's associated data: the purpose label keeps them apart.
        byte[] binary = Base64.getUrlDecoder().decode(sealed);
        String relabeled = Base64.getEncoder().withoutPadding().encodeToString(binary);
        assertThatThrownBy(() -> new SessionTokenCodec(ring, SCOPE).open(relabeled))
                .isInstanceOf(InvalidTokenException.class);
    }

    // Size

    @Test
    void seal_documentThatCannotFit_isRefusedSoTheCallerCanShortenIt() {
        var random = new Random(4);
        var incompressible = new StringBuilder();
        while (incompressible.length() < 4 * AuthorizationMessageCodec.MAX_MESSAGE_LENGTH) {
            incompressible.append(Long.toHexString(random.nextLong()));
        }
        var tooLarge = new AuthorizationMessage(ISSUED, "123456789012", incompressible.toString());

        assertThatThrownBy(() -> codec.seal(tooLarge)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void seal_largeButRepetitiveDocument_isDeflatedToFit() throws Exception {
        var large = new AuthorizationMessage(ISSUED, "123456789012", DOCUMENT.repeat(100));

        String text = codec.seal(large);

        assertThat(text.length()).isLessThanOrEqualTo(AuthorizationMessageCodec.MAX_MESSAGE_LENGTH);
        assertThat(codec.open(text, ISSUED)).isEqualTo(large);
    }

    @Test
    void peekUnverifiedKeyId_readsTheHeaderOnly() {
        assertThat(codec.peekUnverifiedKeyId(sealed)).hasValue(ring.primary().id());
        assertThat(codec.peekUnverifiedKeyId("garbage")).isEmpty();
    }

    private void assertRejected(String text, Instant now, Reason reason) {
        assertThatThrownBy(() -> codec.open(text, now))
                .isInstanceOfSatisfying(InvalidAuthorizationMessageException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo(InvalidAuthorizationMessageException.MESSAGE);
                    assertThat(e.reason()).isEqualTo(reason);
                });
    }
}
