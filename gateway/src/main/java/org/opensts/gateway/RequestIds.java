package org.opensts.gateway;

import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** The {@code x-amz-request-id} of the gateway's own answers: unique, not secret, so not from SecureRandom. */
final class RequestIds {
    private RequestIds() {
    }

    static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT);
    }
}
