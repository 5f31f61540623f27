package org.opensts.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.opensts.verifier.PayloadCheck;
import org.opensts.verifier.VerificationException;
import org.opensts.verifier.VerificationFailure;

/**
 * Passes a request body through its {@link PayloadCheck} on the way to the upstream store, so that the store never
 * holds a complete body the check has not passed: the last decoded piece is held back until {@link #finish()}
 * succeeds. The upstream request declares the decoded length, so without its last bytes the store cannot complete
 * (and commit) the write; when the check fails the caller aborts the upstream connection instead.
 *
 * <p>The decoded bytes are counted against the declared length: a body that decodes to more is refused at once
 * (the surplus would otherwise be read by the upstream as the start of another request), one that decodes to less
 * is refused at the end. Not thread-safe: used on one event loop.
 */
final class BodyRelay {
    private final PayloadCheck check;
    private final UpstreamBody upstreamBody;
    private final long declaredLength;
    private final ByteBufAllocator allocator;
    private final Consumer<ByteBuf> sink;
    private ByteBuf held;
    private long decodedLength;
    private boolean overflowed;

    /**
     * @param declaredLength the decoded length the upstream request declares
     * @param sink takes each decoded piece that is released, and owns it
     */
    BodyRelay(PayloadCheck check, long declaredLength, ByteBufAllocator allocator, Consumer<ByteBuf> sink) {
        this(check, UpstreamBody.DECODED, declaredLength, allocator, sink);
    }

    /**
     * @param upstreamBody how the decoded pieces are framed for the store, and what follows the last one
     * @param declaredLength the decoded length the upstream request declares
     * @param sink takes each framed piece that is released, and owns it
     */
    BodyRelay(PayloadCheck check, UpstreamBody upstreamBody, long declaredLength, ByteBufAllocator allocator,
            Consumer<ByteBuf> sink) {
        this.check = check;
        this.upstreamBody = upstreamBody;
        this.declaredLength = declaredLength;
        this.allocator = allocator;
        this.sink = sink;
    }

    /** Feeds received body bytes (not released here); releases the piece held back before, holds the newest. */
    void received(ByteBuf content) throws VerificationException {
        if (!content.isReadable()) {
            return;
        }
        for (ByteBuffer buffer : content.nioBuffers()) {
            check.update(buffer, this::decoded);
            if (overflowed) {
                throw new VerificationException(VerificationFailure.MALFORMED_BODY,
                        "The request body is longer than the length the request declared.");
            }
        }
    }

    private void decoded(ByteBuffer piece) {
        int length = piece.remaining();
        if (length == 0 || overflowed) {
            return;
        }
        if (decodedLength + length > declaredLength) {
            overflowed = true;
            return;
        }
        decodedLength += length;
        // The check may reuse its buffer after the callback, so the piece is copied (and framed, if it is to be).
        ByteBuf copy = upstreamBody.frame(piece, allocator);
        if (held != null) {
            sink.accept(held);
        }
        held = copy;
    }

    /**
     * Ends the body: once the check and the length have passed, releases the held-back piece, and after it what the
     * upstream body ends with (a checksum trailer).
     *
     * @return the checked trailing headers, if the body had any
     * @throws VerificationException if the check fails or the body was shorter than declared; the held piece is dropped
     */
    Map<String, String> finish() throws VerificationException {
        Map<String, String> trailers;
        Optional<ByteBuf> end;
        try {
            trailers = check.finish();
            if (decodedLength != declaredLength) {
                throw new VerificationException(VerificationFailure.MALFORMED_BODY,
                        "You did not provide the number of bytes specified by the Content-Length HTTP header.");
            }
            end = upstreamBody.end(trailers, allocator);
        } catch (VerificationException | RuntimeException e) {
            discard();
            throw e;
        }
        if (held != null) {
            sink.accept(held);
            held = null;
        }
        end.ifPresent(sink);
        return trailers;
    }

    /** Drops the held-back piece, when the request is abandoned. */
    void discard() {
        if (held != null) {
            held.release();
            held = null;
        }
    }

    long decodedLength() {
        return decodedLength;
    }
}
