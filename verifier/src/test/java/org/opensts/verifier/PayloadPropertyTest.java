package org.opensts.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.opensts.sigv4.ChecksumAlgorithm;
import org.opensts.sigv4.SignableRequest;

/**
 * The payload helpers on every call's path, rewritten to allocate less, against their former implementations (kept
 * here as the oracles): the body's hash with a per-thread digest, and the {@code x-amz-checksum-…} headers read into
 * a map only when there is one.
 */
class PayloadPropertyTest {

    @Property
    void sha256Hex_isTheHexOfAFreshDigest(@ForAll @Size(max = 3000) byte[] body, @ForAll boolean twice)
            throws NoSuchAlgorithmException {
        ByteBuffer buffer = ByteBuffer.wrap(body);
        if (twice) {
            PayloadChecks.sha256Hex(ByteBuffer.wrap(new byte[] {1, 2, 3})); // the thread's digest was used before
        }

        String hash = PayloadChecks.sha256Hex(buffer);

        assertThat(hash).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
        assertThat(buffer.position()).isZero();
    }

    @Provide
    Arbitrary<List<String[]>> headers() {
        Arbitrary<String> name = Arbitraries.of("x-amz-checksum-crc32", "X-Amz-Checksum-CRC32C",
                "x-amz-checksum-sha256", "x-amz-checksum-sha1", "X-AMZ-CHECKSUM-CRC64NVME", "x-amz-checksum-md5",
                "Host", "Content-MD5");
        Arbitrary<String> value = Arbitraries.of("AAAAAA==", " padded ", "", "x");
        return Arbitraries.entries(name, value).map(e -> new String[] {e.getKey(), e.getValue()}).list().ofMaxSize(4);
    }

    @Property
    void checksumHeaders_isTheFormerMap(@ForAll("headers") List<String[]> headers,
            @ForAll RequestVerifier.Streaming streaming) {
        SignableRequest.Builder builder = SignableRequest.builder();
        for (String[] header : headers) {
            builder.addHeader(header[0], header[1]);
        }
        SignableRequest request = builder.build();

        Map<ChecksumAlgorithm, String> map = RequestVerifier.checksumHeaders(request, streaming);

        assertThat(map).isEqualTo(oldChecksumHeaders(request, streaming));
        assertThat(List.copyOf(map.keySet())).isEqualTo(List.copyOf(oldChecksumHeaders(request, streaming).keySet()));
    }

    private static Map<ChecksumAlgorithm, String> oldChecksumHeaders(SignableRequest request,
            RequestVerifier.Streaming streaming) {
        if (streaming.trailer) {
            return Map.of();
        }
        Map<ChecksumAlgorithm, String> expected = new EnumMap<>(ChecksumAlgorithm.class);
        for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
            request.firstHeader(algorithm.headerName()).ifPresent(value -> expected.put(algorithm, value.strip()));
        }
        return expected;
    }
}
