package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Checksums the AWS SDK for Java v2 sends in an {@code aws-chunked} trailer (its default for PutObject and UploadPart)
 * reach the store through the gateway, in a trailer of the gateway's own: the store keeps them, answers with them,
 * and a multipart upload created with a checksum algorithm completes with each part's checksum, before a store that
 * refuses parts and completions without them, as S3 does.
 */
class S3GatewayChecksumTrailerTest {
    @TempDir
    static Path dataDir;

    private static ChecksumKeepingStore store;
    private static OpenStsNode node;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        store = new ChecksumKeepingStore();
        var gateway = new S3GatewayOptions(new InetSocketAddress("127.0.0.1", 0), store.endpoint(),
                ChecksumKeepingStore.KEY, Optional.empty());
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir, new InetSocketAddress("127.0.0.1", 0),
                TestNodes.ACCOUNT).withRateLimit(RateLimit.DISABLED), Optional.empty(), Optional.of(gateway));
        // The SDK's defaults: a checksum on every upload, sent in a trailer of an aws-chunked body.
        s3 = S3Client.builder()
                .endpointOverride(node.s3GatewayEndpoint().orElseThrow())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        SdkClients.credentials(node.initialAdmin().orElseThrow())))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
        node.close();
        store.close();
    }

    @Test
    void putObject_defaultTrailerChecksum_isKeptByTheStoreAndAnswered() {
        // More than two of the gateway's 64 KiB chunks, the last one partial.
        byte[] data = randomBytes(150_000);

        PutObjectResponse put = s3.putObject(p -> p.bucket("photos").key("trailer.bin"), RequestBody.fromBytes(data));

        String crc32 = checksum(org.opensts.sigv4.ChecksumAlgorithm.CRC32, data);
        assertThat(put.checksumCRC32()).isEqualTo(crc32);
        ChecksumKeepingStore.Stored stored = store.object("photos", "trailer.bin").orElseThrow();
        assertThat(stored.data()).isEqualTo(data);
        assertThat(stored.payloadForm()).isEqualTo("STREAMING-UNSIGNED-PAYLOAD-TRAILER");
        assertThat(stored.checksums()).containsEntry("x-amz-checksum-crc32", crc32);
    }

    @Test
    void putObject_emptyBodyWithTheDefaultChecksum_isKeptByTheStoreAndAnswered() {
        PutObjectResponse put = s3.putObject(p -> p.bucket("photos").key("empty.bin"), RequestBody.empty());

        String crc32 = checksum(org.opensts.sigv4.ChecksumAlgorithm.CRC32, new byte[0]);
        assertThat(put.checksumCRC32()).isEqualTo(crc32);
        assertThat(store.object("photos", "empty.bin").orElseThrow().checksums())
                .containsEntry("x-amz-checksum-crc32", crc32);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ChecksumAlgorithm.class, names = {"CRC32_C", "SHA1", "SHA256"})
    void putObject_trailerChecksumOfAnyLength_isKeptByTheStore(ChecksumAlgorithm algorithm) {
        byte[] data = randomBytes(65_536);
        String key = "trailer-" + algorithm + ".bin";

        PutObjectResponse put = s3.putObject(p -> p.bucket("photos").key(key).checksumAlgorithm(algorithm),
                RequestBody.fromBytes(data));

        var ours = org.opensts.sigv4.ChecksumAlgorithm.valueOf(algorithm.toString().replace("_", ""));
        ChecksumKeepingStore.Stored stored = store.object("photos", key).orElseThrow();
        assertThat(stored.data()).isEqualTo(data);
        assertThat(stored.checksums()).containsEntry(ours.headerName(), checksum(ours, data));
        assertThat(put.sdkHttpResponse().firstMatchingHeader(ours.headerName())).contains(checksum(ours, data));
    }

    @Test
    void multipartUpload_createdWithCrc32_partsKeepTheirChecksumsAndTheUploadCompletes() {
        byte[] first = randomBytes(70_000);
        byte[] last = "last part".getBytes(UTF_8);
        String key = "parts.bin";
        String uploadId = s3.createMultipartUpload(c -> c.bucket("photos").key(key)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();

        UploadPartResponse one = s3.uploadPart(u -> u.bucket("photos").key(key).uploadId(uploadId).partNumber(1)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(first));
        UploadPartResponse two = s3.uploadPart(u -> u.bucket("photos").key(key).uploadId(uploadId).partNumber(2)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(last));

        assertThat(one.checksumCRC32()).isEqualTo(checksum(org.opensts.sigv4.ChecksumAlgorithm.CRC32, first));
        assertThat(two.checksumCRC32()).isEqualTo(checksum(org.opensts.sigv4.ChecksumAlgorithm.CRC32, last));
        assertThat(store.part(uploadId, 1).orElseThrow().checksums())
                .containsEntry("x-amz-checksum-crc32", one.checksumCRC32());
        assertThat(store.part(uploadId, 1).orElseThrow().data()).isEqualTo(first);
        // The store refuses a completion that lacks a part's checksum, as S3 does for an upload created with one.
        var completed = s3.completeMultipartUpload(c -> c.bucket("photos").key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(
                        CompletedPart.builder().partNumber(1).eTag(one.eTag()).checksumCRC32(one.checksumCRC32())
                                .build(),
                        CompletedPart.builder().partNumber(2).eTag(two.eTag()).checksumCRC32(two.checksumCRC32())
                                .build())));
        assertThat(completed.sdkHttpResponse().isSuccessful()).isTrue();
    }

    private static byte[] randomBytes(int length) {
        byte[] data = new byte[length];
        new Random(length).nextBytes(data);
        return data;
    }

    private static String checksum(org.opensts.sigv4.ChecksumAlgorithm algorithm, byte[] data) {
        var running = algorithm.start();
        running.update(ByteBuffer.wrap(data));
        return running.base64();
    }
}
