package org.opensts.gateway;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A body the gateway reads whole before it decides (a bucket policy, a DeleteObjects or tagging document): it grows
 * with the bytes that arrive, never beyond the length the request declared, and every byte it allocates is first
 * reserved from the gateway's {@link BodyBudget}, so that declaring a length costs the gateway nothing and the bodies
 * all connections hold together stay within the budget. The array at most doubles as it grows, so a body holds at most
 * twice what has arrived.
 *
 * <p>A body that cannot grow (beyond its limit, beyond the budget, or because the heap has no room for the larger
 * array) drops what it held and says why ({@link #refusal()}); the pieces that still come are dropped. Its reservation
 * is given back by {@link #close()}, on any thread, once nothing holds the body any more. Fed on one event loop.
 */
final class BufferedBody implements Consumer<ByteBuf>, AutoCloseable {
    /** The first array: a DeleteObjects of a few keys or a bucket policy fits without growing. */
    static final int INITIAL_CAPACITY = 8 * 1024;

    /** Why a body could not be kept. */
    enum Refusal {
        /** Longer than the operation's limit. */
        TOO_LONG,
        /** The gateway's budget for buffered bodies is spent. */
        BUDGET_SPENT,
        /** The heap had no room for the body's next array. */
        OUT_OF_MEMORY
    }

    private final long declared;
    private final int limit;
    private final BodyBudget.Reservation reservation;
    private byte[] bytes = new byte[0];
    private int size;
    private Refusal refusal;
    private OutOfMemoryError allocationFailure;

    /**
     * @param declared the body's declared (decoded) length, which the pieces fed never exceed together
     * @param limit    the most this operation's body may hold
     */
    BufferedBody(long declared, int limit, BodyBudget budget) {
        this.declared = declared;
        this.limit = limit;
        this.reservation = budget.reserve();
    }

    /** Appends {@code piece} and releases it; or, once the body cannot grow, only releases it. */
    @Override
    public void accept(ByteBuf piece) {
        try {
            if (refusal != null) {
                return;
            }
            int length = piece.readableBytes();
            if ((long) size + length > limit) {
                refuse(Refusal.TOO_LONG);
                return;
            }
            if (size + length > bytes.length && !grow(size + length)) {
                return;
            }
            piece.readBytes(bytes, size, length);
            size += length;
        } finally {
            piece.release();
        }
    }

    private boolean grow(int needed) {
        int capacity = (int) Math.min(Math.max(declared, needed),
                Math.max(needed, Math.max(INITIAL_CAPACITY, 2L * bytes.length)));
        if (!reservation.grow(capacity - bytes.length)) {
            refuse(Refusal.BUDGET_SPENT);
            return false;
        }
        try {
            bytes = Arrays.copyOf(bytes, capacity);
            return true;
        } catch (OutOfMemoryError e) {
            allocationFailure = e;
            refuse(Refusal.OUT_OF_MEMORY);
            return false;
        }
    }

    private void refuse(Refusal why) {
        refusal = why;
        bytes = new byte[0];
        size = 0;
        reservation.close();
    }

    /** Why the body was not kept, if it was not. */
    Optional<Refusal> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** The allocation that failed, when {@link #refusal()} is {@link Refusal#OUT_OF_MEMORY}. */
    Optional<OutOfMemoryError> allocationFailure() {
        return Optional.ofNullable(allocationFailure);
    }

    /** The bytes held so far. */
    int size() {
        return size;
    }

    /**
     * The body, taken out: this object no longer holds it, but its reservation stands until {@link #close()}, for as
     * long as the caller holds the array.
     */
    byte[] take() {
        byte[] body = size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        bytes = new byte[0];
        size = 0;
        return body;
    }

    /** Drops the body, if still held, and gives its reservation back. */
    @Override
    public void close() {
        bytes = new byte[0];
        size = 0;
        reservation.close();
    }
}
