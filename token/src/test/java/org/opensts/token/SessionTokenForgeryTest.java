package org.opensts.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.opensts.token.InvalidTokenException.Reason;

/**
 * Forgery at scale: random single- and multi-character changes, truncations, extensions, insertions and deletions of
 * real session tokens (sealed by a generated, rotated key ring), in their text and in their decoded bytes, one to
 * three at a time. None may open.
 *
 * <p>The build runs {@value #DEFAULT_MUTATIONS} of them; {@code -Dforgery.mutations=1000000} runs a million (the
 * figures are in docs/SECURITY.md). The seed is printed, and {@code -Dforgery.seed=…} repeats a run.
 */
class SessionTokenForgeryTest {
    private static final int DEFAULT_MUTATIONS = 2_000;
    private static final Instant CREATED = Instant.parse("2026-03-01T00:00:00Z");

    @Test
    void open_randomlyMutatedRealTokens_noneOpens() throws InvalidTokenException {
        int mutations = Integer.getInteger("forgery.mutations", DEFAULT_MUTATIONS);
        long seed = Long.getLong("forgery.seed", new SecureRandom().nextLong());
        var random = new SplittableRandom(seed);
        var choices = TokenMutations.of(random);
        // Two keys, as a ring holds after a rotation: tokens of the older key must resist as well.
        var older = KeyRing.generate(CREATED, new SecureRandom());
        var ring = older.rotate(CREATED.plus(Duration.ofDays(1)), new SecureRandom(), Duration.ofDays(3));
        var codec = new SessionTokenCodec(ring, "aws/opensts-forgery");
        var olderCodec = new SessionTokenCodec(older, "aws/opensts-forgery");
        var secret = SecretAccessKeys.generate(new SecureRandom());
        List<String> tokens = new ArrayList<>();
        tokens.add(codec.seal(TestSessions.typicalRoleSession(1), secret));
        tokens.add(codec.seal(TestSessions.typicalFederatedUser(2), secret));
        tokens.add(olderCodec.seal(TestSessions.typicalRoleSession(3), secret));
        tokens.add(codec.seal(TestSessions.typicalRoleSessionDraft()
                .accessKeyId(AccessKeyIds.newTemporary(TestSessions.ACCOUNT, new SeededRandom(4)))
                .sessionPolicies(List.of(TestSessions.POLICY.repeat(20))).build(), secret)); // deflated
        for (String token : tokens) {
            assertThat(codec.open(token).secretAccessKey().matches(secret.revealBytes())).isTrue();
        }

        var reasons = new EnumMap<Reason, Integer>(Reason.class);
        int unchanged = 0;
        long start = System.nanoTime();
        for (int i = 0; i < mutations; i++) {
            String token = tokens.get(random.nextInt(tokens.size()));
            String mutated = token;
            boolean binary = random.nextBoolean();
            for (int n = 1 + random.nextInt(3); n > 0; n--) { // one to three changes
                mutated = binary
                        ? Base64.getEncoder().withoutPadding().encodeToString(TokenMutations.mutateBytes(
                                Base64.getDecoder().decode(mutated.length() % 4 == 1 ? token : mutated), choices))
                        : TokenMutations.mutateText(mutated, choices);
            }
            if (mutated.equals(token)) {
                unchanged++;
                continue;
            }
            try {
                codec.open(mutated);
            } catch (InvalidTokenException e) {
                reasons.merge(e.reason(), 1, Integer::sum);
                continue;
            }
            throw new AssertionError("a mutated token opened (seed " + seed + ", mutation " + i + ")");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int rejected = reasons.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("forgery: %,d mutations of %d real session tokens (seed %d): %,d rejected, 0 accepted, "
                + "%,d gave back the token unchanged; reasons %s; %.1f s%n", mutations, tokens.size(), seed, rejected,
                unchanged, reasons, seconds);
        assertThat(rejected + unchanged).isEqualTo(mutations);
        assertThat(reasons).as("every kind of failure was reached").containsKeys(Reason.MALFORMED,
                Reason.DECRYPTION_FAILED);
    }
}
