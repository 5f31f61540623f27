package org.opensts.server;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request and event ids: random version-4 UUIDs, as AWS's look. They must be unique, not unpredictable, so they come
 * from {@link ThreadLocalRandom}: {@link UUID#randomUUID()} draws on the shared {@code SecureRandom}, whose lock showed
 * up in every profile of a loaded server (two ids per request).
 */
final class RequestIds {
    private RequestIds() {
    }

    static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }
}
