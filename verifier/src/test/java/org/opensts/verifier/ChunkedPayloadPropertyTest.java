package org.opensts.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opensts.verifier.TestKeys.NOW;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.opensts.sigv4.AwsChunkedEncoder;
import org.opensts.sigv4.ChecksumAlgorithm;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SignableRequest;
import org.opensts.token.TemporaryCredentials;

/**
 * Through the whole verifier: an aws-chunked upload with a checksum trailer verifies, and gives back its data,
 * wherever the body is split as it arrives; one flipped byte anywhere in the data is always refused.
 */
class ChunkedPayloadPropertyTest {
    private static final TestKeys KEYS = new TestKeys();
    private static final TemporaryCredentials SESSION = KEYS.roleSession();
    private static final RequestVerifier VERIFIER = KEYS.verifier();

    private static SignableRequest upload(byte[] data, ChecksumAlgorithm checksum, int chunk) {
        byte[] body = AwsChunkedEncoder.encode(data, chunk, null, true, checksum);
        return SigV4Signer.create(SigV4Signer.Options.defaults().withNormalizePath(false).withDoubleEncodePath(false))
                .sign(SignableRequest.builder().method("PUT").path("/bucket/object")
                        .addHeader("Host", "s3.us-east-1.amazonaws.com")
                        .addHeader("Content-Encoding", "aws-chunked")
                        .addHeader("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
                        .addHeader("x-amz-decoded-content-length", Integer.toString(data.length))
                        .addHeader("x-amz-trailer", checksum.headerName())
                        .body(body).build(), TestKeys.credentials(SESSION), "us-east-1", "s3", NOW);
    }

    private static byte[] bodyOf(SignableRequest request) {
        byte[] body = new byte[request.bodyLength()];
        request.body().get(body);
        return body;
    }

    @Property(tries = 100)
    void anySplit_verifiesAndDecodes(@ForAll @Size(min = 1, max = 2000) byte[] data,
            @ForAll ChecksumAlgorithm checksum, @ForAll @IntRange(min = 1, max = 500) int chunk,
            @ForAll @Size(max = 30) Set<@IntRange(min = 1, max = 3000) Integer> cuts) throws Exception {
        SignableRequest request = upload(data, checksum, chunk);
        byte[] body = bodyOf(request);
        PayloadCheck check = VERIFIER.verify(TestKeys.received(request), "s3").payload();
        var out = new ByteArrayOutputStream();
        int start = 0;
        TreeSet<Integer> points = new TreeSet<>(cuts);
        points.add(body.length);
        for (int cut : points) {
            if (cut > start && cut <= body.length) {
                check.update(ByteBuffer.wrap(body, start, cut - start), decoded -> {
                    byte[] bytes = new byte[decoded.remaining()];
                    decoded.get(bytes);
                    out.writeBytes(bytes);
                });
                start = cut;
            }
        }

        assertThat(check.finish()).containsOnlyKeys(checksum.headerName());
        assertThat(out.toByteArray()).isEqualTo(data);
    }

    @Property(tries = 100)
    void aFlippedDataByte_isAlwaysRefused(@ForAll @Size(min = 1, max = 1000) byte[] data,
            @ForAll ChecksumAlgorithm checksum, @ForAll @IntRange(min = 0, max = 999) int at,
            @ForAll @IntRange(min = 1, max = 255) int flip) throws Exception {
        SignableRequest request = upload(data, checksum, data.length + 1);
        byte[] body = bodyOf(request);
        int header = Integer.toHexString(data.length).length() + 2;
        body[header + at % data.length] ^= (byte) flip;
        PayloadCheck check = VERIFIER.verify(TestKeys.received(request), "s3").payload();

        VerificationFailure failure = null;
        try {
            check.update(ByteBuffer.wrap(body), decoded -> { });
            check.finish();
        } catch (VerificationException e) {
            failure = e.failure();
        }

        assertThat(failure).isEqualTo(VerificationFailure.BAD_DIGEST);
    }
}
