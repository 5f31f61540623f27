package org.opensts.gateway;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.opensts.sigv4.AwsChunkedDecoder;
import org.opensts.sigv4.ChecksumAlgorithm;
import org.opensts.verifier.ReceivedRequest;
import org.opensts.verifier.VerificationException;
import org.opensts.verifier.VerificationFailure;

/**
 * How a checked, decoded request body is written on its way to the store: as it is ({@link Decoded}), or, when the
 * client sent its checksums in an {@code aws-chunked} trailer, framed again as {@code aws-chunked} with those
 * checksums in an unsigned trailer ({@link ChecksumTrailer}).
 *
 * <p>Why a trailer: a trailer checksum is known only once the whole body has passed, but the gateway streams the body
 * upstream as it arrives, so it cannot turn the checksum into a header. Dropping it leaves the store without the
 * checksum the client asked it to keep: the UploadPart answer then has none, and a multipart upload created with a
 * checksum algorithm cannot be completed at S3. S3 accepts an unsigned trailer from any signed request
 * ({@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}, Amazon S3 API Reference, "Signature calculations for the Authorization
 * header: Transferring payload in multiple chunks (chunked upload) (AWS Signature Version 4)", and the User Guide,
 * "Checking object integrity in Amazon S3": trailing checksums). The upstream request is signed with
 * the gateway's key for that payload form, and its length is known before the body is: every chunk but the last is
 * {@link ChecksumTrailer#CHUNK_SIZE} decoded bytes, and a checksum's base64 length is fixed by its algorithm. So the
 * body still streams through a window of a few buffers; only the chunk framing (a few bytes a chunk) is added.
 */
sealed interface UpstreamBody permits UpstreamBody.Decoded, UpstreamBody.ChecksumTrailer,
        UpstreamBody.ChecksumHeaders {

    /** The decoded bytes as they are; the upstream request declares their length. */
    UpstreamBody DECODED = new Decoded();

    /**
     * The framing for the body of {@code received}, whose decoded length is {@code decodedLength}: a checksum
     * trailer when the client sent its checksums in one and {@code forwardTrailers} is on, else the decoded bytes.
     */
    static UpstreamBody of(ReceivedRequest received, long decodedLength, boolean forwardTrailers) {
        if (!forwardTrailers || decodedLength <= 0) {
            return DECODED;
        }
        boolean trailerPayload = received.firstHeader("x-amz-content-sha256")
                .map(value -> value.strip().endsWith("-TRAILER")).orElse(false);
        if (!trailerPayload) {
            return DECODED;
        }
        List<ChecksumAlgorithm> checksums = new ArrayList<>();
        for (String value : received.headerValues("x-amz-trailer")) {
            for (String name : AwsChunkedDecoder.trailerNames(value)) {
                ChecksumAlgorithm.ofHeader(name).filter(algorithm -> !checksums.contains(algorithm))
                        .ifPresent(checksums::add);
            }
        }
        return checksums.isEmpty() ? DECODED : new ChecksumTrailer(checksums, decodedLength);
    }

    /**
     * The framing for a body the gateway holds whole once checked (an empty body, a DeleteObjects document): the
     * checksums of its trailer, as {@code trailers} the check passed, go as headers, which every store reads.
     */
    static UpstreamBody whole(Map<String, String> trailers) {
        Map<String, String> checksums = new LinkedHashMap<>();
        trailers.forEach((name, value) -> ChecksumAlgorithm.ofHeader(name)
                .ifPresent(algorithm -> checksums.put(algorithm.headerName(), value)));
        return checksums.isEmpty() ? DECODED : new ChecksumHeaders(checksums);
    }

    /** Whether the body goes upstream as {@code aws-chunked} with a checksum trailer. */
    default Optional<ChecksumTrailer> checksumTrailer() {
        return this instanceof ChecksumTrailer trailer ? Optional.of(trailer) : Optional.empty();
    }

    /** The next decoded piece, copied (the check may reuse its buffer), with whatever framing goes before it. */
    ByteBuf frame(ByteBuffer piece, ByteBufAllocator allocator);

    /**
     * What follows the last decoded piece, given the trailing headers the check passed.
     *
     * @throws VerificationException if a checksum to forward is missing from them or not of its algorithm's length
     */
    Optional<ByteBuf> end(Map<String, String> trailers, ByteBufAllocator allocator) throws VerificationException;

    /** Whether the store receives the checksums of the client's trailer, in a trailer or in headers. */
    default boolean carriesTrailerChecksums() {
        return !(this instanceof Decoded);
    }

    /** The decoded bytes, as they are. */
    final class Decoded implements UpstreamBody {
        private Decoded() {
        }

        @Override
        public ByteBuf frame(ByteBuffer piece, ByteBufAllocator allocator) {
            ByteBuf copy = allocator.buffer(piece.remaining());
            copy.writeBytes(piece);
            return copy;
        }

        @Override
        public Optional<ByteBuf> end(Map<String, String> trailers, ByteBufAllocator allocator) {
            return Optional.empty();
        }
    }

    /**
     * The decoded bytes as they are, sent whole, with the checked checksums of the client's trailer as headers.
     *
     * @param checksums the {@code x-amz-checksum-*} header names (lower-case) and their values
     */
    record ChecksumHeaders(Map<String, String> checksums) implements UpstreamBody {
        public ChecksumHeaders {
            checksums = Collections.unmodifiableMap(new LinkedHashMap<>(checksums));
        }

        @Override
        public ByteBuf frame(ByteBuffer piece, ByteBufAllocator allocator) {
            return DECODED.frame(piece, allocator);
        }

        @Override
        public Optional<ByteBuf> end(Map<String, String> trailers, ByteBufAllocator allocator) {
            return Optional.empty();
        }
    }

    /**
     * The decoded bytes framed as unsigned {@code aws-chunked} chunks ({@code hex-size CRLF data CRLF}), then the final
     * chunk and the checksum trailer ({@code 0 CRLF x-amz-checksum-crc32:value CRLF CRLF}). Not thread-safe: one body,
     * on one event loop.
     */
    final class ChecksumTrailer implements UpstreamBody {
        /** The decoded bytes of every chunk but the last (S3 asks for at least 8 KiB of each but the last). */
        static final int CHUNK_SIZE = 64 * 1024;
        /** The {@code x-amz-content-sha256} of the upstream request. */
        static final String PAYLOAD = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
        private static final byte[] CRLF = {'\r', '\n'};

        private final List<ChecksumAlgorithm> checksums;
        private final long decodedLength;
        private long framed;

        ChecksumTrailer(List<ChecksumAlgorithm> checksums, long decodedLength) {
            if (checksums.isEmpty() || decodedLength <= 0) {
                throw new IllegalArgumentException("a checksum trailer frames a body with checksums");
            }
            this.checksums = List.copyOf(checksums);
            this.decodedLength = decodedLength;
        }

        /** The upstream {@code x-amz-trailer}: the checksums' header names, in the client's order. */
        String trailerHeader() {
            return String.join(",", checksums.stream().map(ChecksumAlgorithm::headerName).toList());
        }

        long decodedLength() {
            return decodedLength;
        }

        /** The upstream {@code Content-Length}: the framed chunks, the final chunk and the trailer. */
        long encodedLength() {
            long full = decodedLength / CHUNK_SIZE;
            long rest = decodedLength % CHUNK_SIZE;
            long length = full * chunkOverhead(CHUNK_SIZE) + decodedLength;
            if (rest > 0) {
                length += chunkOverhead(rest);
            }
            length += "0\r\n".length();
            for (ChecksumAlgorithm checksum : checksums) {
                length += checksum.headerName().length() + 1 + base64Length(checksum) + CRLF.length;
            }
            return length + CRLF.length;
        }

        @Override
        public ByteBuf frame(ByteBuffer piece, ByteBufAllocator allocator) {
            int length = piece.remaining();
            // A piece touches at most length / CHUNK_SIZE + 2 chunks; each adds a size line and a CRLF.
            ByteBuf out = allocator.buffer(length + (length / CHUNK_SIZE + 2) * 16);
            while (piece.hasRemaining()) {
                long inChunk = framed % CHUNK_SIZE;
                long chunkLength = Math.min(CHUNK_SIZE, decodedLength - (framed - inChunk));
                if (inChunk == 0) {
                    out.writeCharSequence(Long.toHexString(chunkLength), US_ASCII);
                    out.writeBytes(CRLF);
                }
                int take = (int) Math.min(piece.remaining(), chunkLength - inChunk);
                ByteBuffer slice = piece.slice();
                slice.limit(take);
                out.writeBytes(slice);
                piece.position(piece.position() + take);
                framed += take;
                if (inChunk + take == chunkLength) {
                    out.writeBytes(CRLF);
                }
            }
            return out;
        }

        @Override
        public Optional<ByteBuf> end(Map<String, String> trailers, ByteBufAllocator allocator)
                throws VerificationException {
            StringBuilder text = new StringBuilder("0\r\n");
            for (ChecksumAlgorithm checksum : checksums) {
                String value = trailers.get(checksum.headerName().toLowerCase(Locale.ROOT));
                if (value == null || value.length() != base64Length(checksum)) {
                    // The check compares each declared checksum with the data's, so this does not happen; were it to,
                    // the upstream body would not have the length its request declared.
                    throw new VerificationException(VerificationFailure.MALFORMED_BODY,
                            "A checksum declared in x-amz-trailer did not come in the trailer.");
                }
                text.append(checksum.headerName()).append(':').append(value).append("\r\n");
            }
            text.append("\r\n");
            ByteBuf out = allocator.buffer(text.length());
            out.writeCharSequence(text, US_ASCII);
            return Optional.of(out);
        }

        private static long chunkOverhead(long chunkLength) {
            return Long.toHexString(chunkLength).length() + 2L * CRLF.length;
        }

        private static int base64Length(ChecksumAlgorithm checksum) {
            return checksum.start().base64().length();
        }
    }
}
