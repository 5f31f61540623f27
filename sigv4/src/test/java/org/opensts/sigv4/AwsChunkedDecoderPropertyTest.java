package org.opensts.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Whatever the data, chunk size and the points the body is split at, decoding gives back the data. */
class AwsChunkedDecoderPropertyTest {

    @Property(tries = 200)
    void anySplit_decodesTheData(@ForAll @Size(max = 3000) byte[] data, @ForAll @IntRange(min = 1, max = 700) int chunk,
            @ForAll boolean signed, @ForAll boolean trailer, @ForAll @Size(max = 40) Set<@IntRange(min = 0,
                    max = 4000) Integer> cuts) throws Exception {
        ChunkSignatures chain = signed ? AwsChunkedDecoderTest.signedChain() : null;
        boolean withTrailer = trailer || !signed;
        byte[] body = withTrailer
                ? AwsChunkedEncoder.encode(data, chunk, chain, true, ChecksumAlgorithm.CRC64NVME)
                : AwsChunkedEncoder.encode(data, chunk, chain, false);
        AwsChunkedDecoder decoder = AwsChunkedDecoder.create(signed ? AwsChunkedDecoderTest.signedChain() : null,
                withTrailer, withTrailer ? List.of("x-amz-checksum-crc64nvme") : List.of(), data.length);
        var out = new ByteArrayOutputStream();
        int start = 0;
        for (int cut : new TreeSet<>(cuts)) {
            if (cut > start && cut < body.length) {
                feed(decoder, body, start, cut, out);
                start = cut;
            }
        }
        feed(decoder, body, start, body.length, out);
        decoder.finish();

        assertThat(out.toByteArray()).isEqualTo(data);
    }

    private static void feed(AwsChunkedDecoder decoder, byte[] body, int from, int to, ByteArrayOutputStream out)
            throws AwsChunkedDecoder.DecodingException {
        decoder.feed(ByteBuffer.wrap(body, from, to - from), data -> {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            out.writeBytes(bytes);
        });
    }
}
