package org.opensts.token;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.token.InvalidTokenException.Reason;
import org.opensts.token.internal.Base32;

class SessionTokenCodecTest {
    private static final Instant RING_CREATED = Instant.parse("2026-03-01T00:00:00Z");
    private static final String SCOPE = "aws/opensts-test";
    private static final String BASE64_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private final KeyRing ring = KeyRing.generate(RING_CREATED, new SeededRandom(1));
    private final SessionTokenCodec codec = new SessionTokenCodec(ring, SCOPE);
    private final Session session = TestSessions.typicalRoleSession(7);
    private final Secret secret = SecretAccessKeys.generate(new SeededRandom(8));
    private final String token = codec.seal(session, secret);

    // Round trip

    @Test
    void open_sealedTypicalRoleSession_givesBackSessionAndSecret() throws Exception {
        var opened = codec.open(token);

        assertThat(opened.session()).isEqualTo(session);
        assertThat(opened.secretAccessKey().revealUtf8()).isEqualTo(secret.revealUtf8());
    }

    @Test
    void seal_typicalRoleSession_isStandardBase64WellUnderOneKilobyte() {
        assertThat(token).matches("[A-Za-z0-9+/]+").hasSizeLessThan(1024);
        assertThat(token.length() % 4).isZero();
    }

    @Test
    void seal_sameSessionTwice_givesDifferentTokens() {
        assertThat(codec.seal(session, secret)).isNotEqualTo(token); // a fresh random nonce each time
    }

    @Test
    void seal_longRepetitivePolicy_isDeflatedAndStillOpens() throws Exception {
        var policy = "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", Collections.nCopies(20,
                "{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"*\"}")) + "]}";
        var large = session.toBuilder().sessionPolicies(List.of(policy)).build();

        var sealed = codec.seal(large, secret);

        assertThat(codec.open(sealed).session()).isEqualTo(large);
        assertThat(Base64.getDecoder().decode(sealed).length).isLessThan(policy.length());
    }

    @Test
    void seal_sessionTooLargeForAToken_isRejected() {
        var huge = session.toBuilder().sessionPolicies(List.of(randomText(20_000))).build();

        assertThatThrownBy(() -> codec.seal(huge, secret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too large");
    }

    @Test
    void seal_sessionThatWouldInflateBeyondWhatOpenAccepts_isRejected() {
        var compressible = session.toBuilder().sessionPolicies(List.of("{\"a\":\"" + "x".repeat(70_000) + "\"}"))
                .build();

        assertThatThrownBy(() -> codec.seal(compressible, secret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too large");
    }

    @Property
    void openingWhatWasSealedGivesBackTheSession(@ForAll("sessions") Session anySession,
            @ForAll("secrets") byte[] secretBytes) throws Exception {
        var opened = codec.open(codec.seal(anySession, Secret.copyOf(secretBytes)));

        assertThat(opened.session()).isEqualTo(anySession);
        assertThat(opened.secretAccessKey().matches(secretBytes)).isTrue();
    }

    // Format versions: tokens sealed in version 1, before tokens carried the federated issuer's id, still open.
    // These were sealed by that version of this codec with this test's ring, scope and secret.

    private static final String VERSION_1_FEDERATED_USER = ""
            + "AXPVGrvzq/WU27ZvorvgUdwEk6XkF46HXk6PKDWWLutAyP8TPVxIJ+RIwbmn3RUihiuZDdIqXHlJwT/YPfIXZvP5vUI95nkh"
            + "FTpEYfwQyCFrKGqBZxnKP5VG7w09dnwmkalrL93sd2AEr70JwarzYWCq30vzUCz/FjdOopReDiCUY2HfBKZ5zrJXAUgHk3rv"
            + "/1/J79Vfw64TDd5EMmrJy+Oxtb+wR78TS0ZowNsVSfOXlEklODadHjrFD1+R5WyxWXXmlpa2znBMo1auNywk3A9muVRt9vvT"
            + "Id5+7xqCwj2vP4c4JP55Kf8+3tBn1rUAHL3Et2nL36sxDmoMQnrGOxHLqJN+jFdyvZ71pJknKKvE568QNE+cZFpBydpk2dqt"
            + "/QVagMGgl/IDfbfxv2Z60EjVpoQQrQT0T4ggfBtZHa0vXp3e5FPvHgu+IElL";
    private static final String VERSION_1_SESSION_USER = ""
            + "AXPVGru5MsDm6R0m/2IY0HWKVr7BTCEz+kDe5wZlTtN9uupy/HCPJICbhLJ98UPOQyeidlO6NAP1RPGbr2tCt2rn/DhVf19Q"
            + "zL65NRTerTZgnT4LBFANO8FLKJ+LmCebIGrkF04SS/Ux6klgi6QVzrJiM/E8MpSc/LbOPwJ+CXDoWJmsyfkuXnIdg+60EiSZ"
            + "Mk6Gh7kqIPSi+RmfKvBkO+YpoBbp0++eksLh1tEYevRsNJJemYtaL5O9QlaLaz6KdwLDxOYk1mbYWxD6";
    private static final String VERSION_1_ROLE_SESSION = ""
            + "AXPVGrs/fvk+Le+v8i4qrFvF6kJiy/ZDsE8H8uB3nY3JLSr21JyRvVYaNGhSzEUpFklaG5Qp65RVNCeq5H/PHxrl0z5E5KLx"
            + "XBTJyI8UA0ket40NcG0djfHcsVnmj0POsEq/GhypawXrTiHAihgFMVC8pTHMtGWZAMHmBp+orxEgquUCzVKEg2mC2kNO26u1"
            + "/o7oVfbAx6MoncwemCw2myIq/VcqRkEmm1EB+xSzbW0+KtobkDa7DYF+F2B+up47WxJWI3IISsXIvq4/YwPXtXI00YG03p8e"
            + "rs7vrmBQHmExPqrnDM2S63tu7kN8qsBk9rbc/p5damvkryqW8M3VUEXHKMWBHnkioqeCE+vTIyqx/Ikmx2ng1vNO4yRcTsJ2"
            + "0gqBmuX+3vTnlrGOah6UeUqpaa8Zzb35EihrQOb8zsURus93LJDQQvo2CIRY2RqRX4hQ9pBWsEjlTn1sAYS3VZRQ+3LbttJO"
            + "/pfiKbvTtZqvX2u2sah5bzGfcLeVmSK/ZaIhKwkxrded9aXnfoNPhA5oX90jNZGejGP+jxR6JdLfsZdm3qGVGwa5yLqI0VuB"
            + "m6dbHPfg";

    // Tokens sealed in version 2, before tokens carried their region scope, still open, valid in every region.
    // This one was sealed by that version of this codec with this test's ring, scope and secret.
    private static final String VERSION_2_ROLE_SESSION = ""
            + "AnPVGruyCHulaZZdQdlWJYFuxbaDFgsU1HdZ6UBjUVZ2iCsxjDM10x5oBElt5A+lu5xySSbgkuR+KKf78HOrv5eHPeU40q00"
            + "fLYBz9Wruk2pDK3zMGkMGaL2BoaANlIEpxQ2QGxbJLww7RXXsQ2fo07GS9N8qSjGm/yv8EgTEQ5kTK+NrOamdcsgRgkIK3bF"
            + "3IM0XgXmjan8/NczEXuj7QGSD7dpclOG7Hy2c9XJJ87Vzi2wXrVBgmqxu/kN+hetSaLTVQ8NZZSKsKZOGczgaWtIgN8iD3d5"
            + "x+FSBZgfIH97NX7KRWrBJxinjTQauMYnPoZjrYjICUPfbn0PLanHvFBA6leFKOEKk4kaoqhaLSipZ7vU//cn/Ln/T0+S3Ber"
            + "qU/WGYQ1+P6jN6l1cQ8PtZIuukQvLN+LzDQpEAN8qZD5bD2Toa5/zDWzZMQjGSuiAJ+kCSaa1binxlH2O8tZdjdHExJBKf/q"
            + "bxN1841qqYH+rIT457lbGAP3QppRpexFCW7FwMmMResswXlbN6kbI7D40E5yTArkf/uhdSD1jdbx77NWJ/Ukzlt1Px31f/7x"
            + "Jp7F8R2+4OUC";

    @Test
    void seal_anySession_writesFormatVersion3() {
        assertThat(Base64.getDecoder().decode(token)[0]).isEqualTo((byte) 3);
    }

    @Test
    void open_version2RoleSession_isTheSessionItSealedValidInEveryRegion() throws Exception {
        var opened = codec.open(VERSION_2_ROLE_SESSION);

        assertThat(opened.session()).isEqualTo(session);
        assertThat(opened.session().regionScope()).isEqualTo(RegionScope.ALL_REGIONS);
        assertThat(opened.secretAccessKey().revealUtf8()).isEqualTo(secret.revealUtf8());
    }

    @Test
    void open_version2TokenRelabelledAsVersion3_failsTheTagCheck() {
        var binary = Base64.getDecoder().decode(VERSION_2_ROLE_SESSION);
        binary[0] = 3; // the header is associated data: its version cannot be changed

        assertThat(reasonOf(Base64.getEncoder().encodeToString(binary))).isEqualTo(Reason.DECRYPTION_FAILED);
    }

    @Test
    void open_sealedDefaultRegionsSession_keepsItsRegionScope() throws Exception {
        var version1Token = session.toBuilder().regionScope(RegionScope.DEFAULT_REGIONS).build();

        assertThat(codec.open(codec.seal(version1Token, secret)).session().regionScope())
                .isEqualTo(RegionScope.DEFAULT_REGIONS);
    }

    @Test
    void open_version1FederatedUser_opensWithoutItsIssuersUniqueId() throws Exception {
        var opened = codec.open(VERSION_1_FEDERATED_USER);

        assertThat(opened.session().principalArn()).isEqualTo("arn:aws:sts::123456789012:federated-user/bob");
        assertThat(opened.session().sourceArn()).isEqualTo("arn:aws:iam::123456789012:user/alice");
        assertThat(opened.session().sourceUniqueId()).isEmpty();
        assertThat(opened.session().sessionPolicies()).containsExactly(TestSessions.POLICY);
        assertThat(opened.secretAccessKey().revealUtf8()).isEqualTo(secret.revealUtf8());
    }

    @Test
    void open_version1SessionUser_readsTheUserIdFromThePrincipalId() throws Exception {
        var opened = codec.open(VERSION_1_SESSION_USER).session();

        assertThat(opened.type()).isEqualTo(SessionType.SESSION_USER);
        assertThat(opened.sourceUniqueId()).contains("AIDAY34FZKBOKMUTVV7AB");
    }

    @Test
    void open_version1RoleSession_isTheSessionItSealedWithTheRoleIdReadFromThePrincipalId() throws Exception {
        var opened = codec.open(VERSION_1_ROLE_SESSION).session();

        assertThat(opened).isEqualTo(session);
        assertThat(opened.sourceUniqueId()).contains("AROAY34FZKBOKMUTVV7AB");
    }

    @Test
    void open_version1TokenRelabelledAsVersion2_failsTheTagCheck() {
        var binary = Base64.getDecoder().decode(VERSION_1_FEDERATED_USER);
        binary[0] = 2; // the header is associated data: its version cannot be changed

        assertThat(reasonOf(Base64.getEncoder().encodeToString(binary))).isEqualTo(Reason.DECRYPTION_FAILED);
    }

    @Test
    void open_sealedFederatedUser_keepsItsIssuersUniqueId() throws Exception {
        var federated = TestSessions.typicalFederatedUser(3);

        assertThat(codec.open(codec.seal(federated, secret)).session().sourceUniqueId())
                .contains("AIDAY34FZKBOKMUTVV7AB");
    }

    // Tampering: every change fails, always with the same message

    @Test
    void open_everySingleCharacterSubstitution_isRejected() {
        for (int i = 0; i < token.length(); i++) {
            for (char c : (BASE64_ALPHABET + "=-_ .\n").toCharArray()) {
                if (c != token.charAt(i)) {
                    assertRejected(token.substring(0, i) + c + token.substring(i + 1));
                }
            }
        }
    }

    @Test
    void open_everySingleBitFlipOfTheDecodedBytes_isRejected() {
        var binary = Base64.getDecoder().decode(token);
        for (int i = 0; i < binary.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                var changed = binary.clone();
                changed[i] ^= (byte) (1 << bit);
                assertRejected(Base64.getEncoder().encodeToString(changed));
            }
        }
    }

    @Property
    void anyChangedCharacterOfAnyTokenIsRejected(@ForAll("sessions") Session anySession,
            @ForAll("positions") int position, @ForAll("replacements") char replacement) {
        var sealed = codec.seal(anySession, secret);
        int i = position % sealed.length();
        Assume.that(sealed.charAt(i) != replacement);

        assertRejected(sealed.substring(0, i) + replacement + sealed.substring(i + 1));
    }

    @Property
    void anyChangedByteOfAnyTokenIsRejected(@ForAll("sessions") Session anySession,
            @ForAll("positions") int position, @ForAll("nonZeroBytes") byte mask) {
        var binary = Base64.getDecoder().decode(codec.seal(anySession, secret));
        binary[position % binary.length] ^= mask;

        assertRejected(Base64.getEncoder().encodeToString(binary));
    }

    @Test
    void open_everyTruncation_isRejected() {
        for (int length = 0; length < token.length(); length++) {
            assertRejected(token.substring(0, length));
        }
    }

    record Extension(String name, String suffix) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Extension> extensions() {
        return Stream.of(
                new Extension("one more base64 character is rejected", "A"),
                new Extension("a whole extra group is rejected", "AAAA"),
                new Extension("padding is rejected", "="),
                new Extension("two padding characters are rejected", "=="),
                new Extension("a line break is rejected", "\n"),
                new Extension("a space is rejected", " "),
                new Extension("a token's length more of whole groups is rejected", "AAAA".repeat(150)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("extensions")
    void open_extendedToken_isRejected(Extension extension) {
        assertThat(reasonOf(token + extension.suffix())).isIn(Reason.MALFORMED, Reason.DECRYPTION_FAILED);
    }

    @Test
    void open_tokenWithWholeGroupAppended_failsTheTagCheck() {
        assertThat(reasonOf(token + "AAAA")).isEqualTo(Reason.DECRYPTION_FAILED);
    }

    // Malformed input

    record Garbage(String name, String text, Reason reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Garbage> garbage() {
        return Stream.of(
                new Garbage("empty text is malformed", "", Reason.MALFORMED),
                new Garbage("a word is malformed", "hello", Reason.MALFORMED),
                new Garbage("padding only is malformed", "========================================================",
                        Reason.MALFORMED),
                new Garbage("shorter than header, nonce and tag is malformed", "AQAAAAAAAAAA", Reason.MALFORMED),
                new Garbage("url-safe alphabet is malformed", "-_" + "A".repeat(62), Reason.MALFORMED),
                new Garbage("non-ASCII letters are malformed", "é".repeat(64), Reason.MALFORMED),
                new Garbage("padding in the middle is malformed", "AQ==" + "A".repeat(60), Reason.MALFORMED),
                new Garbage("a JWT is malformed", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", Reason.MALFORMED),
                new Garbage("version 0 is unsupported", "A".repeat(64), Reason.UNSUPPORTED_VERSION),
                new Garbage("a high version is unsupported", "/" + "A".repeat(63), Reason.UNSUPPORTED_VERSION),
                new Garbage("version 4 is unsupported", "BAAA" + "A".repeat(60), Reason.UNSUPPORTED_VERSION),
                new Garbage("the longest text is decoded", "A".repeat(SessionTokenCodec.MAX_TOKEN_LENGTH),
                        Reason.UNSUPPORTED_VERSION),
                new Garbage("one character over the cap is too long",
                        "A".repeat(SessionTokenCodec.MAX_TOKEN_LENGTH + 1), Reason.TOO_LONG),
                new Garbage("a megabyte of non-base64 is too long", "!".repeat(1 << 20), Reason.TOO_LONG));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void open_garbage_isRejectedWithItsReason(Garbage garbage) {
        assertThat(reasonOf(garbage.text())).isEqualTo(garbage.reason());
    }

    @Test
    void open_authenticContentsThatAreNoSession_isInvalidContents() throws Exception {
        var key = ring.primary();
        var header = new byte[] {1, 0, 0, 0, 0};
        writeKeyId(header, key.id());
        var associatedData = concat(header, SCOPE.getBytes(UTF_8));
        var sealed = key.aead().encrypt(new byte[] {0, 0, 0}, associatedData); // type 0: no such session type

        assertThat(reasonOf(Base64.getEncoder().encodeToString(concat(header, sealed))))
                .isEqualTo(Reason.INVALID_CONTENTS);
    }

    @Test
    void open_failure_sameMessageForEveryReasonAndNoTokenText() {
        var failures = new ArrayList<InvalidTokenException>();
        for (var text : List.of("", "A".repeat(64), "A".repeat(SessionTokenCodec.MAX_TOKEN_LENGTH + 1),
                token.substring(0, token.length() - 4), otherScope().seal(session, secret))) {
            failures.add(catchInvalid(text));
        }

        assertThat(failures).extracting(Throwable::getMessage).containsOnly(InvalidTokenException.MESSAGE);
        assertThat(failures).extracting(InvalidTokenException::getStackTrace).allSatisfy(t -> assertThat(t).isEmpty());
    }

    // Keys and scope

    @Test
    void open_tokenSealedForAnotherScope_failsTheTagCheck() {
        assertThat(reasonOf(otherScope().seal(session, secret))).isEqualTo(Reason.DECRYPTION_FAILED);
        assertThat(otherScope().peekUnverifiedKeyId(token)).hasValue(ring.primary().id());
    }

    @Test
    void open_tokenOfAnotherKeyRing_isUnknownKey() {
        var otherRing = KeyRing.generate(RING_CREATED, new SeededRandom(2));

        assertThat(reasonOf(new SessionTokenCodec(otherRing, SCOPE).seal(session, secret)))
                .isEqualTo(Reason.UNKNOWN_KEY);
    }

    @Test
    void open_tokenOfAnotherKeyWithTheSameId_failsTheTagCheck() {
        var impostor = new SessionKey(ring.primary().id(), RING_CREATED, new byte[SessionKey.KEY_BYTES]);
        var impostorCodec = new SessionTokenCodec(KeyRing.of(List.of(impostor)), SCOPE);

        assertThat(reasonOf(impostorCodec.seal(session, secret))).isEqualTo(Reason.DECRYPTION_FAILED);
    }

    @Test
    void open_headerNamingAnotherKeyOfTheRing_failsTheTagCheck() {
        var rotated = ring.rotate(RING_CREATED.plus(Duration.ofDays(1)), new SeededRandom(3), Duration.ofDays(3));
        var rotatedCodec = codec.withKeyRing(rotated);
        var binary = Base64.getDecoder().decode(token);
        writeKeyId(binary, rotated.primary().id()); // the old key's token, relabelled as the new key's

        assertThat(reasonOf(rotatedCodec, Base64.getEncoder().encodeToString(binary)))
                .isEqualTo(Reason.DECRYPTION_FAILED);
    }

    @Test
    void open_afterRotation_oldTokensOpenUntilTheirKeyIsDropped() throws Exception {
        var retention = Duration.ofHours(36).plusMinutes(15).plus(Duration.ofDays(1));
        var dayLater = RING_CREATED.plus(Duration.ofDays(1));
        var rotatedCodec = codec.withKeyRing(ring.rotate(dayLater, new SeededRandom(3), retention));

        assertThat(rotatedCodec.open(token).session()).isEqualTo(session);
        assertThat(rotatedCodec.peekUnverifiedKeyId(rotatedCodec.seal(session, secret)))
                .hasValue(rotatedCodec.keyRing().primary().id());

        var muchLater = dayLater.plus(retention);
        var droppedCodec = rotatedCodec.withKeyRing(rotatedCodec.keyRing().rotate(muchLater, new SeededRandom(4),
                retention));

        assertThat(reasonOf(droppedCodec, token)).isEqualTo(Reason.UNKNOWN_KEY);
    }

    @Test
    void open_expiredSession_opensAndLeavesExpiryToTheCaller() throws Exception {
        var opened = codec.open(token);

        assertThat(opened.session().isExpiredAt(session.expiration().plusSeconds(1))).isTrue();
    }

    // Peeking

    @Test
    void peekUnverifiedKeyId_sealedToken_isThePrimaryKeyId() {
        assertThat(codec.peekUnverifiedKeyId(token)).hasValue(ring.primary().id());
    }

    @Test
    void peekUnverifiedKeyId_tokenWithChangedBody_stillReadsTheHeader() {
        var changed = token.substring(0, 20) + (token.charAt(20) == 'A' ? 'B' : 'A') + token.substring(21);

        assertThat(codec.peekUnverifiedKeyId(changed)).hasValue(ring.primary().id());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void peekUnverifiedKeyId_garbage_isEmpty(Garbage garbage) {
        assertThat(codec.peekUnverifiedKeyId(garbage.text())).isEmpty();
    }

    @Test
    void toString_showsScopeAndPrimaryKeyIdOnly() {
        assertThat(codec.toString()).contains(SCOPE).doesNotContain(token);
    }

    @Test
    void constructor_emptyScope_isRejected() {
        assertThatThrownBy(() -> new SessionTokenCodec(ring, "")).isInstanceOf(IllegalArgumentException.class);
    }

    // Arbitraries and helpers

    @Provide
    Arbitrary<Session> sessions() {
        return TestSessions.sessions();
    }

    @Provide
    Arbitrary<byte[]> secrets() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(seed -> SecretAccessKeys.generate(new SeededRandom(seed)).revealBytes()),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(100));
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE);
    }

    @Provide
    Arbitrary<Character> replacements() {
        return Arbitraries.chars().with((BASE64_ALPHABET + "=-_ \n\té" + Base32.ALPHABET).toCharArray());
    }

    @Provide
    Arbitrary<Byte> nonZeroBytes() {
        return Arbitraries.bytes().filter(b -> b != 0);
    }

    private SessionTokenCodec otherScope() {
        return new SessionTokenCodec(ring, "aws-cn/opensts-test");
    }

    private void assertRejected(String text) {
        assertThatThrownBy(() -> codec.open(text))
                .isInstanceOf(InvalidTokenException.class)
                .hasMessage(InvalidTokenException.MESSAGE);
    }

    private Reason reasonOf(String text) {
        return reasonOf(codec, text);
    }

    private static Reason reasonOf(SessionTokenCodec codec, String text) {
        try {
            codec.open(text);
        } catch (InvalidTokenException e) {
            return e.reason();
        }
        throw new AssertionError("the token opened");
    }

    private InvalidTokenException catchInvalid(String text) {
        try {
            codec.open(text);
        } catch (InvalidTokenException e) {
            return e;
        }
        throw new AssertionError("the token opened");
    }

    private static void writeKeyId(byte[] binary, int keyId) {
        binary[1] = (byte) (keyId >>> 24);
        binary[2] = (byte) (keyId >>> 16);
        binary[3] = (byte) (keyId >>> 8);
        binary[4] = (byte) keyId;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        var out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String randomText(int length) {
        var random = new SeededRandom(length);
        var text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(BASE64_ALPHABET.charAt(random.nextInt(BASE64_ALPHABET.length())));
        }
        return text.toString();
    }
}
