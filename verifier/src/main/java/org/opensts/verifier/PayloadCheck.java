package org.opensts.verifier;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * What a request's signature says about its body, checked as the body streams through so that a service never has
 * to hold a large body in memory: a signed SHA-256 of the whole body, nothing ({@code UNSIGNED-PAYLOAD}), or an
 * {@code aws-chunked} stream whose chunks (and trailer) are each signed or checksummed.
 *
 * <p>A service feeds every received body byte to {@link #update}, forwards or stores only the decoded bytes handed to
 * the sink, and calls {@link #finish} at the end of the body; it must not act on the body (commit a write) before
 * {@code finish} returns. Not thread-safe: one request's body is fed by one thread at a time.
 *
 * <p>{@code update} holds nothing back: it hands out every decoded byte as soon as it has decoded it, before the check
 * that covers it (the body's hash, the chunk's signature, the trailer's checksum) has run, since those checks can only
 * run at the end of a chunk or of the body. Holding back is the service's job: a proxy must not let its upstream
 * commit a body until {@code finish} has returned (withhold the last bytes, or end the upstream request incomplete
 * when a check fails). The buffers handed to the sink are valid only during the call.
 */
public interface PayloadCheck {

    /**
     * Feeds the next bytes of the body as received, and hands the payload bytes they decode to (the body itself, or
     * the data of {@code aws-chunked} chunks without their framing) to {@code decoded}, in order.
     *
     * @throws VerificationException as soon as a chunk's signature or the framing is wrong
     */
    void update(ByteBuffer received, Consumer<ByteBuffer> decoded) throws VerificationException;

    /**
     * Ends the body: checks the signed hash, the final chunk, and the trailer's signature and checksums.
     *
     * @return the trailing headers the request carried ({@code x-amz-checksum-crc32} …), checked; empty if none
     * @throws VerificationException if the body was not what the request signed
     */
    Map<String, String> finish() throws VerificationException;

    /**
     * The length of the decoded payload, when the request declares it ({@code Content-Length}, or
     * {@code x-amz-decoded-content-length} for {@code aws-chunked}).
     */
    OptionalLong decodedContentLength();
}
