package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.server.tls.TlsSource;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;

/** The gateway of a node that serves HTTPS serves HTTPS too, with the node's certificate. */
class S3GatewayTlsTest {
    @TempDir
    Path dataDir;

    @Test
    void gateway_nodeWithSelfSignedTls_servesHttpsThatTheNodesCaVouchesFor() throws Exception {
        try (UpstreamS3 upstream = UpstreamS3.start();
                OpenStsNode node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir,
                        new InetSocketAddress("127.0.0.1", 0), TestNodes.ACCOUNT),
                        Optional.of(new TlsSource.SelfSigned()),
                        Optional.of(upstream.gatewayOptions()))) {
            var admin = SdkClients.credentials(node.initialAdmin().orElseThrow());
            TrustManager[] trustTheNodesCa = SdkClients.trustManagers(node.caBundle().orElseThrow());
            assertThat(node.s3GatewayEndpoint().orElseThrow().getScheme()).isEqualTo("https");

            try (S3Client s3 = S3Client.builder()
                    .endpointOverride(node.s3GatewayEndpoint().orElseThrow())
                    .region(Region.US_EAST_1)
                    .forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(admin))
                    .httpClient(UrlConnectionHttpClient.builder().tlsTrustManagersProvider(() -> trustTheNodesCa)
                            .build())
                    .build()) {
                s3.createBucket(b -> b.bucket("secure"));
                s3.putObject(p -> p.bucket("secure").key("k"), RequestBody.fromString("over TLS"));

                assertThat(s3.getObjectAsBytes(g -> g.bucket("secure").key("k")).asUtf8String()).isEqualTo("over TLS");
            }
            try (S3Client untrusting = S3Client.builder()
                    .endpointOverride(node.s3GatewayEndpoint().orElseThrow())
                    .region(Region.US_EAST_1)
                    .forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(admin))
                    .httpClient(UrlConnectionHttpClient.create())
                    .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry()))
                    .build()) {
                assertThat(catchThrowableOfType(SdkClientException.class, untrusting::listBuckets)).isNotNull();
            }
        }
    }
}
