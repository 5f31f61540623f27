package org.opensts.gateway;

import io.netty.util.internal.PlatformDependent;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request body bytes that the connections of one listener may hold in memory at once, together. Each request's
 * body is capped on its own, but a listener admits thousands of connections, and thousands of bodies held whole (each
 * one byte short of complete, waiting) are more memory than the process has: the node's listener holds a body until
 * it is complete, the S3 gateway a bucket policy, DeleteObjects or tagging document until it is decided.
 *
 * <p>A connection reserves the bytes it holds as they arrive — not the length a request declares, which costs the
 * client nothing to send — and hands them back once it no longer holds them: the body was handed on, the request was
 * refused, the connection closed. A reservation that does not fit is refused, and the caller answers {@code 503}
 * (the Query protocol's {@code ServiceUnavailable}, S3's {@code SlowDown}), which SDKs retry with back-off.
 */
public final class BodyBudget {
    /** The share of the memory the process may take (the smaller of heap and direct memory) one listener may hold. */
    static final int MEMORY_SHARE_DIVISOR = 4;

    private final long capacity;
    private final AtomicLong reserved = new AtomicLong();

    /** @param capacity the bytes all reservations together may hold, at least 1 */
    public BodyBudget(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /**
     * A quarter of the memory the process may take for buffers, the smaller of its maximum heap and its maximum direct
     * memory (which the JVM sets to the maximum heap unless told otherwise), but at least {@code minimum}: the node's
     * listener buffers bodies in direct memory and copies them to the heap to decode them, the gateway buffers them on
     * the heap.
     *
     * @param minimum the least capacity, so that one body of the largest size a request may have always fits
     */
    public static BodyBudget ofProcessMemory(long minimum) {
        long memory = Math.min(Runtime.getRuntime().maxMemory(), PlatformDependent.maxDirectMemory());
        return new BodyBudget(Math.max(minimum, memory / MEMORY_SHARE_DIVISOR));
    }

    /** A new, empty reservation, for one body. */
    public Reservation reserve() {
        return new Reservation();
    }

    /** The bytes all reservations together may hold. */
    public long capacity() {
        return capacity;
    }

    /** The bytes reserved now. */
    public long reserved() {
        return reserved.get();
    }

    private boolean tryTake(long bytes) {
        while (true) {
            long now = reserved.get();
            if (bytes > capacity - now) {
                return false;
            }
            if (reserved.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /**
     * The bytes one body holds, taken from the budget as they arrive and given back all at once. Grown on one thread
     * (the connection's event loop); closed on any, any number of times.
     */
    public final class Reservation implements AutoCloseable {
        private long held;
        private boolean closed;

        private Reservation() {
        }

        /**
         * Takes {@code bytes} more from the budget, and returns true; or returns false, taking nothing, if the budget
         * has not that much left or this reservation is closed.
         */
        public synchronized boolean grow(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("bytes must not be negative");
            }
            if (closed || !tryTake(bytes)) {
                return false;
            }
            held += bytes;
            return true;
        }

        /** The bytes this reservation holds. */
        public synchronized long held() {
            return held;
        }

        /** Gives back everything this reservation holds; it takes nothing more. */
        @Override
        public synchronized void close() {
            closed = true;
            reserved.addAndGet(-held);
            held = 0;
        }
    }
}
