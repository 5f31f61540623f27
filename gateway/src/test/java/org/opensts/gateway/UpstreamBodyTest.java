package org.opensts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.sigv4.AwsChunkedDecoder;
import org.opensts.sigv4.ChecksumAlgorithm;
import org.opensts.verifier.ReceivedRequest;
import org.opensts.verifier.VerificationException;

class UpstreamBodyTest {
    record Case(String name, int length, int pieceSize, List<ChecksumAlgorithm> checksums) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> bodies() {
        return List.of(
                new Case("one byte", 1, 1, List.of(ChecksumAlgorithm.CRC32)),
                new Case("one byte short of a chunk", 65_535, 1000, List.of(ChecksumAlgorithm.CRC32C)),
                new Case("exactly one chunk", 65_536, 65_536, List.of(ChecksumAlgorithm.SHA256)),
                new Case("a chunk and a byte, in one piece", 65_537, 65_537, List.of(ChecksumAlgorithm.SHA1)),
                new Case("pieces across chunk ends", 150_000, 7_000, List.of(ChecksumAlgorithm.CRC64NVME)),
                new Case("pieces larger than chunks", 300_000, 200_000, List.of(ChecksumAlgorithm.CRC32)),
                new Case("two checksums", 70_000, 4096, List.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.SHA256)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void checksumTrailer_framedBody_decodesToTheDataAndItsChecksumsAtTheDeclaredLength(Case body) throws Exception {
        byte[] data = new byte[body.length()];
        new Random(body.length()).nextBytes(data);
        var framing = new UpstreamBody.ChecksumTrailer(body.checksums(), data.length);
        var framed = new ByteArrayOutputStream();

        for (int offset = 0; offset < data.length; offset += body.pieceSize()) {
            ByteBuffer piece = ByteBuffer.wrap(data, offset, Math.min(body.pieceSize(), data.length - offset));
            append(framed, framing.frame(piece, ByteBufAllocator.DEFAULT));
        }
        append(framed, framing.end(checksumsOf(body.checksums(), data), ByteBufAllocator.DEFAULT).orElseThrow());

        assertThat((long) framed.size()).isEqualTo(framing.encodedLength());
        AwsChunkedDecoder decoder = AwsChunkedDecoder.create(null, /* trailer= */ true,
                AwsChunkedDecoder.trailerNames(framing.trailerHeader()), data.length);
        var decoded = new ByteArrayOutputStream();
        decoder.feed(ByteBuffer.wrap(framed.toByteArray()), piece -> {
            byte[] bytes = new byte[piece.remaining()];
            piece.get(bytes);
            decoded.writeBytes(bytes);
        });
        assertThat(decoder.finish()).isEqualTo(checksumsOf(body.checksums(), data));
        assertThat(decoded.toByteArray()).isEqualTo(data);
    }

    @Test
    void checksumTrailer_checksumMissingFromTheTrailers_isRefused() {
        var framing = new UpstreamBody.ChecksumTrailer(List.of(ChecksumAlgorithm.CRC32), 5);

        assertThatThrownBy(() -> framing.end(Map.of(), ByteBufAllocator.DEFAULT))
                .isInstanceOf(VerificationException.class);
    }

    @Test
    void of_uploadWithACrc32Trailer_isFramedWithThatTrailer() {
        UpstreamBody body = UpstreamBody.of(upload("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
                "x-amz-checksum-crc32"), 11, /* forwardTrailers= */ true);

        assertThat(body.checksumTrailer()).hasValueSatisfying(trailer ->
                assertThat(trailer.trailerHeader()).isEqualTo("x-amz-checksum-crc32"));
    }

    @Test
    void of_trailersNotForwarded_emptyBodyOrNoChecksumTrailer_isTheDecodedBody() {
        ReceivedRequest trailed = upload("STREAMING-UNSIGNED-PAYLOAD-TRAILER", "x-amz-checksum-crc32");

        assertThat(UpstreamBody.of(trailed, 11, /* forwardTrailers= */ false)).isSameAs(UpstreamBody.DECODED);
        assertThat(UpstreamBody.of(trailed, 0, /* forwardTrailers= */ true)).isSameAs(UpstreamBody.DECODED);
        assertThat(UpstreamBody.of(upload("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", null), 11, true))
                .isSameAs(UpstreamBody.DECODED);
        assertThat(UpstreamBody.of(upload("STREAMING-UNSIGNED-PAYLOAD-TRAILER", "x-amz-meta-other"), 11, true))
                .isSameAs(UpstreamBody.DECODED);
    }

    @Test
    void whole_checksumsOfTheTrailer_goAsHeadersAndOtherTrailersDoNot() {
        UpstreamBody body = UpstreamBody.whole(Map.of("x-amz-checksum-sha256", "value", "x-amz-meta-other", "x"));

        assertThat(body).isEqualTo(new UpstreamBody.ChecksumHeaders(Map.of("x-amz-checksum-sha256", "value")));
        assertThat(UpstreamBody.whole(Map.of())).isSameAs(UpstreamBody.DECODED);
    }

    private static ReceivedRequest upload(String payload, String trailer) {
        var builder = ReceivedRequest.builder().method("PUT").rawPath("/photos/a").rawQuery("")
                .addHeader("x-amz-content-sha256", payload);
        if (trailer != null) {
            builder.addHeader("x-amz-trailer", trailer);
        }
        return builder.build();
    }

    private static Map<String, String> checksumsOf(List<ChecksumAlgorithm> algorithms, byte[] data) {
        var checksums = new LinkedHashMap<String, String>();
        for (ChecksumAlgorithm algorithm : algorithms) {
            ChecksumAlgorithm.Running running = algorithm.start();
            running.update(ByteBuffer.wrap(data));
            checksums.put(algorithm.headerName(), running.base64());
        }
        return checksums;
    }

    private static void append(ByteArrayOutputStream out, ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        out.writeBytes(bytes);
    }
}
