package org.opensts.token;

import java.security.SecureRandom;
import java.util.Random;

/**
 * A {@link SecureRandom} that repeats itself: tests need the same ids and keys on every run, and jqwik needs a value
 * it can regenerate from a seed. Never for production: it is as predictable as its seed.
 */
final class SeededRandom extends SecureRandom {
    private final Random random;

    SeededRandom(long seed) {
        this.random = new Random(seed);
    }

    @Override
    public void nextBytes(byte[] bytes) {
        random.nextBytes(bytes); // SecureRandom.next(bits), and so nextInt(bound), draw from here too
    }
}
