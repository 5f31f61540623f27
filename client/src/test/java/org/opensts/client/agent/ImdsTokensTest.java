package org.opensts.client.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.opensts.protocol.testing.MutableClock;

/** IMDS session tokens: valid until their TTL, and no change to one, nor another agent's, passes. */
class ImdsTokensTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final ImdsTokens tokens = new ImdsTokens(new SecureRandom(), clock);

    @Property(tries = 300)
    void token_withAnyOneCharacterReplaced_isRefused(@ForAll @IntRange(min = 0, max = 63) int position,
            @ForAll @IntRange(min = 0, max = 63) int replacement) {
        String token = tokens.issue(Duration.ofSeconds(60));
        int at = position % token.length();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char other = alphabet.charAt(replacement);
        if (other == token.charAt(at)) {
            other = alphabet.charAt((replacement + 1) % alphabet.length());
        }
        String changed = token.substring(0, at) + other + token.substring(at + 1);

        assertThat(tokens.isValid(changed)).isFalse();
    }

    @Property(tries = 50)
    void token_isValidUntilItsTtlAndNotAfter(@ForAll @IntRange(min = 1, max = 21600) int ttl) {
        Instant issued = clock.instant();
        String token = tokens.issue(Duration.ofSeconds(ttl));
        boolean now = tokens.isValid(token);
        clock.set(issued.plusSeconds(ttl - 1));
        boolean lastSecond = tokens.isValid(token);
        clock.set(issued.plusSeconds(ttl));
        boolean atTtl = tokens.isValid(token);
        clock.set(issued);

        assertThat(now).isTrue();
        assertThat(lastSecond).isTrue();
        assertThat(atTtl).isFalse();
    }

    @Property(tries = 50)
    void token_issuedLateInASecond_stillLivesItsWholeTtl(@ForAll @IntRange(min = 1, max = 999) int millis,
            @ForAll @IntRange(min = 1, max = 3) int ttl) {
        Instant issued = Instant.parse("2026-03-01T10:00:00Z").plusMillis(millis);
        clock.set(issued);
        String token = tokens.issue(Duration.ofSeconds(ttl));
        clock.set(issued.plusSeconds(ttl).minusMillis(1));
        boolean lastMillisecond = tokens.isValid(token);
        long secondsLeft = tokens.secondsLeft(token);
        clock.set(issued.plusSeconds(ttl));
        boolean atTtl = tokens.isValid(token);

        assertThat(lastMillisecond).isTrue();
        assertThat(secondsLeft).isEqualTo(1);
        assertThat(atTtl).isFalse();
    }

    @Test
    void token_ofAnotherAgent_isRefused() {
        ImdsTokens other = new ImdsTokens(new SecureRandom(), clock);

        assertThat(tokens.isValid(other.issue(Duration.ofSeconds(60)))).isFalse();
    }

    @Test
    void token_emptyOverlongOrNotBase64_isRefused() {
        assertThat(tokens.isValid("")).isFalse();
        assertThat(tokens.isValid("A".repeat(65))).isFalse();
        assertThat(tokens.isValid("!!!!")).isFalse();
        assertThat(tokens.isValid(null)).isFalse();
    }
}
