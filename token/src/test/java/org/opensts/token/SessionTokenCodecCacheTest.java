package org.opensts.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.opensts.token.InvalidTokenException.Reason;

/**
 * The codec's cache of opened tokens: a token answered from the cache is the session a full open gives, and the cache
 * never lets through what a full open would refuse — a changed token, another ring, a dropped key.
 */
class SessionTokenCodecCacheTest {
    private static final Instant RING_CREATED = Instant.parse("2026-03-01T00:00:00Z");
    private static final String SCOPE = "aws/opensts-test";
    private static final String BASE64_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private final KeyRing ring = KeyRing.generate(RING_CREATED, new SeededRandom(1));
    private final SessionTokenCodec codec = new SessionTokenCodec(ring, SCOPE);
    private final Session session = TestSessions.typicalRoleSession(7);
    private final Secret secret = SecretAccessKeys.generate(new SeededRandom(8));
    private final String token = codec.seal(session, secret);

    @Property
    void openingATokenAgainGivesWhatAFullOpenGives(@ForAll("sessions") Session anySession) throws Exception {
        var sealed = codec.seal(anySession, secret);

        var first = codec.open(sealed);
        var again = codec.open(new String(sealed.toCharArray())); // an equal text, not the same instance
        var full = codec.openUncached(sealed);

        assertThat(again).isSameAs(first);
        assertThat(again.session()).isEqualTo(full.session()).isEqualTo(anySession);
        assertThat(again.secretAccessKey().revealUtf8()).isEqualTo(full.secretAccessKey().revealUtf8());
    }

    @Test
    void open_cachedTokenPastItsExpiration_isExpiredAsAFreshOpenIs() throws Exception {
        var later = session.expiration().plusMillis(1);
        codec.open(token);

        var cached = codec.open(token).session();
        var fresh = codec.withKeyRing(ring).open(token).session();

        assertThat(cached.isExpiredAt(later)).isTrue().isEqualTo(fresh.isExpiredAt(later));
        assertThat(cached.isExpiredAt(session.expiration().minusMillis(1))).isFalse();
    }

    @Test
    void open_everySingleCharacterSubstitutionOfACachedToken_isRejected() throws Exception {
        codec.open(token);

        for (int i = 0; i < token.length(); i++) {
            for (char c : (BASE64_ALPHABET + "=-_ .\n").toCharArray()) {
                if (c != token.charAt(i)) {
                    String changed = token.substring(0, i) + c + token.substring(i + 1);
                    assertThatThrownBy(() -> codec.open(changed)).isInstanceOf(InvalidTokenException.class);
                }
            }
        }
    }

    @Test
    void open_everyTruncationAndExtensionOfACachedToken_isRejected() throws Exception {
        codec.open(token);

        for (int length = 0; length < token.length(); length++) {
            String truncated = token.substring(0, length);
            assertThatThrownBy(() -> codec.open(truncated)).isInstanceOf(InvalidTokenException.class);
        }
        assertThatThrownBy(() -> codec.open(token + "AAAA")).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void open_tokenCachedUnderOneRing_isUnknownKeyForACodecOfAnotherRing() throws Exception {
        codec.open(token);
        var otherRing = KeyRing.generate(RING_CREATED, new SeededRandom(2));

        assertThat(reasonOf(codec.withKeyRing(otherRing), token)).isEqualTo(Reason.UNKNOWN_KEY);
        assertThat(reasonOf(new SessionTokenCodec(otherRing, SCOPE), token)).isEqualTo(Reason.UNKNOWN_KEY);
    }

    @Test
    void open_tokenCachedUnderOneKey_failsTheTagCheckUnderAnotherKeyWithTheSameId() throws Exception {
        codec.open(token);
        var impostor = new SessionKey(ring.primary().id(), RING_CREATED, new byte[SessionKey.KEY_BYTES]);

        assertThat(reasonOf(new SessionTokenCodec(KeyRing.of(List.of(impostor)), SCOPE), token))
                .isEqualTo(Reason.DECRYPTION_FAILED);
    }

    @Test
    void open_tokenCachedUnderOneScope_failsTheTagCheckUnderAnother() throws Exception {
        codec.open(token);

        assertThat(reasonOf(new SessionTokenCodec(ring, "aws-cn/opensts-test"), token))
                .isEqualTo(Reason.DECRYPTION_FAILED);
    }

    @Test
    void open_tokenCachedBeforeItsKeyIsDropped_isUnknownKeyAfterwards() throws Exception {
        var retention = Duration.ofDays(2);
        var rotated = ring.rotate(RING_CREATED.plus(Duration.ofDays(1)), new SeededRandom(3), retention);
        var rotatedCodec = codec.withKeyRing(rotated);
        assertThat(rotatedCodec.open(token).session()).isEqualTo(session);

        var dropped = rotated.rotate(RING_CREATED.plus(Duration.ofDays(4)), new SeededRandom(4), retention);

        assertThat(dropped.key(ring.primary().id())).isEmpty();
        assertThat(reasonOf(rotatedCodec.withKeyRing(dropped), token)).isEqualTo(Reason.UNKNOWN_KEY);
    }

    @Test
    void open_refusedToken_isRefusedAgain() {
        String changed = token.substring(0, 40) + (token.charAt(40) == 'A' ? 'B' : 'A') + token.substring(41);

        assertThat(reasonOf(codec, changed)).isEqualTo(Reason.DECRYPTION_FAILED);
        assertThat(reasonOf(codec, changed)).isEqualTo(Reason.DECRYPTION_FAILED);
    }

    @Test
    void weight_typicalRoleSession_isAboutTwiceItsTokenText() throws Exception {
        int weight = SessionTokenCodec.weight(token, codec.open(token));

        assertThat(weight).isBetween(2 * token.length(), 2 * token.length() + 400);
    }

    @Test
    void weight_sessionWithALongPolicy_countsThePolicyEvenWhereDeflateShrankTheToken() throws Exception {
        var policy = "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", Collections.nCopies(60,
                "{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"*\"}"))
                + "]}";
        var sealed = codec.seal(session.toBuilder().sessionPolicies(List.of(policy)).build(), secret);

        assertThat(sealed.length()).isLessThan(policy.length());
        assertThat(SessionTokenCodec.weight(sealed, codec.open(sealed))).isGreaterThan(policy.length());
    }

    @Test
    void weight_thousandsOfEmptyClaimValues_countEachStringThoughDeflateMadeThemAlmostNothing() throws Exception {
        var sealed = codec.seal(session.toBuilder().federatedProvider("idp.example.com")
                .federationClaims(Map.of("idp.example.com:amr", Collections.nCopies(5_000, ""))).build(), secret);

        assertThat(sealed.length()).isLessThan(5_000);
        assertThat(SessionTokenCodec.weight(sealed, codec.open(sealed)))
                .isGreaterThanOrEqualTo(5_000 * SessionTokenCodec.PER_TEXT);
    }

    @Provide
    Arbitrary<Session> sessions() {
        return TestSessions.sessions();
    }

    private static Reason reasonOf(SessionTokenCodec codec, String text) {
        try {
            codec.open(text);
        } catch (InvalidTokenException e) {
            return e.reason();
        }
        throw new AssertionError("the token opened");
    }
}
