package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.opensts.sigv4.SigningCredentials;

/**
 * A real S3 server on loopback, with an in-memory store and a key of its own that only the gateway holds: the upstream
 * the gateway stands in front of in the tests.
 */
final class UpstreamS3 implements AutoCloseable {
    static final String ACCESS_KEY_ID = "UPSTREAMGATEWAYKEY01";
    static final String SECRET_ACCESS_KEY = "upstream-secret-known-to-the-gateway-only";

    private final S3Proxy proxy;
    private final BlobStoreContext context;

    private UpstreamS3(S3Proxy proxy, BlobStoreContext context) {
        this.proxy = proxy;
        this.context = context;
    }

    static UpstreamS3 start() throws Exception {
        BlobStoreContext context = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY_ID, SECRET_ACCESS_KEY)
                // This store predates the flexible checksum headers that current SDKs send; S3 itself accepts them.
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        return new UpstreamS3(proxy, context);
    }

    /**
     * The options of a gateway in front of this store. This store reads no {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}
     * body (S3 does), so the gateway sends it no checksum trailers, as {@code --no-s3-upstream-checksum-trailers}.
     */
    S3GatewayOptions gatewayOptions() {
        return new S3GatewayOptions(new InetSocketAddress("127.0.0.1", 0), endpoint(),
                SigningCredentials.of(ACCESS_KEY_ID, SECRET_ACCESS_KEY.getBytes(UTF_8)), Optional.empty(),
                /* upstreamChecksumTrailers= */ false);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("The upstream S3 server did not stop", e);
        } finally {
            context.close();
        }
    }
}
