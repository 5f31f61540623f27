package org.opensts.sigv4;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** aws-chunked bodies: AWS's documented example, then every way a body can be wrong. */
class AwsChunkedDecoderTest {
    static final byte[] SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".getBytes(UTF_8);
    static final Instant TIME = Instant.parse("2013-05-24T00:00:00Z");
    static final CredentialScope SCOPE = new CredentialScope(LocalDate.of(2013, 5, 24), "us-east-1", "s3");
    static final String SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";

    /**
     * The example of the Amazon S3 API Reference, "Signature calculations for the Authorization header: Transferring
     * payload in multiple chunks (chunked upload)": 66560 bytes of {@code a} in a 65536-byte and a 1024-byte chunk.
     */
    @Test
    void awsDocumentedExample_seedAndChunkSignatures() throws Exception {
        SignableRequest request = SignableRequest.builder().method("PUT").path("/examplebucket/chunkObject.txt")
                .addHeader("Host", "s3.amazonaws.com")
                .addHeader("x-amz-date", "20130524T000000Z")
                .addHeader("x-amz-storage-class", "REDUCED_REDUNDANCY")
                .addHeader("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
                .addHeader("Content-Encoding", "aws-chunked")
                .addHeader("x-amz-decoded-content-length", "66560")
                .addHeader("Content-Length", "66824")
                .build();
        SignableRequest signed = SigV4Signer.create(SigV4Signer.Options.defaults().withNormalizePath(false)
                .withDoubleEncodePath(false)).sign(request, SigningCredentials.of("AKIAIOSFODNN7EXAMPLE", SECRET),
                "us-east-1", "s3", TIME);
        assertThat(signed.firstHeader("Authorization").orElseThrow()).endsWith("Signature=" + SEED);

        byte[] data = new byte[66560];
        Arrays.fill(data, (byte) 'a');
        ChunkSignatures chain = ChunkSignatures.forSigning(SECRET, SCOPE, TIME, SEED);
        assertThat(chain.signChunk(sha256(Arrays.copyOf(data, 65536))))
                .isEqualTo("ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648");
        assertThat(chain.signChunk(sha256(Arrays.copyOf(data, 1024))))
                .isEqualTo("0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497");
        assertThat(chain.signChunk(sha256(new byte[0])))
                .isEqualTo("b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");

        byte[] body = AwsChunkedEncoder.encode(data, 65536, ChunkSignatures.forSigning(SECRET, SCOPE, TIME, SEED),
                false);
        assertThat(body).hasSize(66824);
        assertThat(decode(body, signedChain(), false, List.of(), 66560, 1000)).isEqualTo(data);
    }

    /** Published check values (the CRC of {@code 123456789}) and a value S3 computed for {@code hello\n}. */
    @Test
    void checksums_matchPublishedValues() {
        byte[] check = "123456789".getBytes(UTF_8);
        assertThat(checksum(ChecksumAlgorithm.CRC32, check)).isEqualTo(base64(0xCBF43926L, 4));
        assertThat(checksum(ChecksumAlgorithm.CRC32C, check)).isEqualTo(base64(0xE3069283L, 4));
        assertThat(checksum(ChecksumAlgorithm.CRC64NVME, check)).isEqualTo(base64(0xAE8B14860A799888L, 8));
        assertThat(checksum(ChecksumAlgorithm.CRC32, "hello\n".getBytes(UTF_8))).isEqualTo("NjowIA==");
        assertThat(checksum(ChecksumAlgorithm.SHA256, new byte[0]))
                .isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
        assertThat(checksum(ChecksumAlgorithm.SHA1, new byte[0])).isEqualTo("2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
    }

    @Test
    void crc64nvme_ofNothingIsZero_andItResets() {
        Crc64Nvme crc = new Crc64Nvme();
        assertThat(crc.getValue()).isZero();
        crc.update("123456789".getBytes(UTF_8));
        crc.reset();
        crc.update("123456789".getBytes(UTF_8), 0, 9);
        assertThat(crc.getValue()).isEqualTo(0xAE8B14860A799888L);
    }

    // Failures, on a signed body with a crc32 trailer and on an unsigned one.

    static final byte[] DATA = "The quick brown fox jumps over the lazy dog, twice over and over again.".getBytes(UTF_8);

    record Case(String name, boolean signed, UnaryOperator<String> tamper, long decodedLength, List<String> declared,
            AwsChunkedDecoder.Failure failure) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> failures() {
        List<String> crc32 = List.of("x-amz-checksum-crc32");
        long n = DATA.length;
        return Stream.of(
                new Case("signed: changed data is a signature failure", true, b -> b.replace("fox", "cat"), n, crc32,
                        AwsChunkedDecoder.Failure.SIGNATURE),
                new Case("signed: a changed chunk signature is a signature failure", true,
                        b -> b.replaceFirst("chunk-signature=.", "chunk-signature=0"), n, crc32,
                        AwsChunkedDecoder.Failure.SIGNATURE),
                new Case("signed: swapped chunks are a signature failure", true, AwsChunkedDecoderTest::swapFirstChunks,
                        n, crc32, AwsChunkedDecoder.Failure.SIGNATURE),
                new Case("signed: a changed trailer is a signature failure", true,
                        b -> b.replace("x-amz-checksum-crc32:", "x-amz-checksum-crc32:A"), n, crc32,
                        AwsChunkedDecoder.Failure.SIGNATURE),
                new Case("signed: a missing trailer signature is a signature failure", true,
                        b -> b.replaceAll("x-amz-trailer-signature:[0-9a-f]+\r\n", ""), n, crc32,
                        AwsChunkedDecoder.Failure.SIGNATURE),
                new Case("signed: a chunk without its signature is malformed", true,
                        b -> b.replaceFirst(";chunk-signature=[0-9a-f]+", ""), n, crc32,
                        AwsChunkedDecoder.Failure.MALFORMED),
                new Case("unsigned: changed data fails the checksum", false, b -> b.replace("fox", "cat"), n, crc32,
                        AwsChunkedDecoder.Failure.CHECKSUM),
                new Case("unsigned: a changed checksum fails", false,
                        b -> b.replaceFirst("crc32:.", "crc32:/"), n, crc32, AwsChunkedDecoder.Failure.CHECKSUM),
                new Case("unsigned: an undeclared trailer is malformed", false, UnaryOperator.identity(), n,
                        List.of("x-amz-checksum-sha256"), AwsChunkedDecoder.Failure.MALFORMED),
                new Case("unsigned: a declared trailer that is missing is malformed", false,
                        UnaryOperator.identity(), n, List.of("x-amz-checksum-crc32", "x-amz-checksum-sha256"),
                        AwsChunkedDecoder.Failure.MALFORMED),
                new Case("unsigned: a chunk size that is not hex is malformed", false, b -> "1g" + b.substring(2), n,
                        crc32, AwsChunkedDecoder.Failure.MALFORMED),
                new Case("unsigned: data longer than its size is malformed", false,
                        b -> b.replaceFirst("fox", "foxes"), n, crc32, AwsChunkedDecoder.Failure.MALFORMED),
                new Case("unsigned: a bare LF is malformed", false, b -> b.replaceFirst("\r\n", "\n"), n, crc32,
                        AwsChunkedDecoder.Failure.MALFORMED),
                new Case("unsigned: a body cut before its end is malformed", false,
                        b -> b.substring(0, b.length() - 2), n, crc32, AwsChunkedDecoder.Failure.MALFORMED),
                new Case("unsigned: bytes after the end are malformed", false, b -> b + "x", n, crc32,
                        AwsChunkedDecoder.Failure.MALFORMED),
                new Case("unsigned: fewer bytes than x-amz-decoded-content-length is malformed", false,
                        UnaryOperator.identity(), n + 1, crc32, AwsChunkedDecoder.Failure.MALFORMED),
                new Case("unsigned: more bytes than x-amz-decoded-content-length is malformed", false,
                        UnaryOperator.identity(), n - 1, crc32, AwsChunkedDecoder.Failure.MALFORMED),
                new Case("unsigned: an endless chunk header is malformed", false,
                        b -> "1" + "0".repeat(600) + b, n, crc32, AwsChunkedDecoder.Failure.MALFORMED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void tamperedBody_isRefused(Case c) {
        byte[] body = AwsChunkedEncoder.encode(DATA, 16, c.signed() ? signedChain() : null, true,
                ChecksumAlgorithm.CRC32);
        byte[] tampered = c.tamper().apply(new String(body, UTF_8)).getBytes(UTF_8);

        AwsChunkedDecoder.DecodingException e = null;
        try {
            decode(tampered, c.signed() ? signedChain() : null, true, c.declared(), c.decodedLength(), 5);
        } catch (AwsChunkedDecoder.DecodingException thrown) {
            e = thrown;
        }

        assertThat(e).as("refused").isNotNull();
        assertThat(e.failure()).isEqualTo(c.failure());
    }

    @Test
    void trailers_areReturned_withoutTheirSignature() throws Exception {
        byte[] body = AwsChunkedEncoder.encode(DATA, 10, signedChain(), true, ChecksumAlgorithm.CRC32C,
                ChecksumAlgorithm.SHA1);
        AwsChunkedDecoder decoder = AwsChunkedDecoder.create(signedChain(), true,
                List.of("x-amz-checksum-crc32c", "x-amz-checksum-sha1"), DATA.length);

        decoder.feed(ByteBuffer.wrap(body), data -> { });

        assertThat(decoder.finish()).isEqualTo(Map.of(
                "x-amz-checksum-crc32c", checksum(ChecksumAlgorithm.CRC32C, DATA),
                "x-amz-checksum-sha1", checksum(ChecksumAlgorithm.SHA1, DATA)));
    }

    private static String swapFirstChunks(String body) {
        String[] parts = body.split("\r\n", -1);
        // parts: header0, data0, header1, data1, ...: swap the first two chunks whole (header and data).
        String h0 = parts[0];
        String d0 = parts[1];
        parts[0] = parts[2];
        parts[1] = parts[3];
        parts[2] = h0;
        parts[3] = d0;
        return String.join("\r\n", parts);
    }

    static ChunkSignatures signedChain() {
        return ChunkSignatures.forSigning(SECRET, SCOPE, TIME, SEED);
    }

    /** Decodes {@code body} fed in pieces of {@code piece} bytes. */
    static byte[] decode(byte[] body, ChunkSignatures chain, boolean trailer, List<String> declared,
            long decodedLength, int piece) throws AwsChunkedDecoder.DecodingException {
        AwsChunkedDecoder decoder = AwsChunkedDecoder.create(chain, trailer, declared, decodedLength);
        var out = new ByteArrayOutputStream();
        for (int i = 0; i < body.length; i += piece) {
            decoder.feed(ByteBuffer.wrap(body, i, Math.min(piece, body.length - i)), data -> {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                out.writeBytes(bytes);
            });
        }
        decoder.finish();
        return out.toByteArray();
    }

    static String checksum(ChecksumAlgorithm algorithm, byte[] data) {
        ChecksumAlgorithm.Running running = algorithm.start();
        running.update(ByteBuffer.wrap(data));
        return running.base64();
    }

    private static String base64(long value, int bytes) {
        byte[] out = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            out[i] = (byte) (value >>> (8 * (bytes - 1 - i)));
        }
        return java.util.Base64.getEncoder().encodeToString(out);
    }

    static byte[] sha256(byte[] data) {
        return Digests.sha256(data);
    }
}
