package org.opensts.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.server.tls.Pem;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/** The AWS SDK for Java v2's own clients, pointed at a node on loopback: how the tests talk to OpenSTS. */
final class SdkClients {
    private SdkClients() {
    }

    /** {@code http://} or {@code https://} as the node serves, on the loopback address. */
    static URI endpoint(OpenStsNode node) {
        return node.endpoint();
    }

    static IamClient iam(OpenStsNode node, AwsCredentials credentials) {
        return iam(node, credentials, Region.AWS_GLOBAL);
    }

    /** An IAM client that signs for {@code region}, as the AWS CLI does when given an endpoint URL and a region. */
    static IamClient iam(OpenStsNode node, AwsCredentials credentials, Region region) {
        return IamClient.builder()
                .endpointOverride(endpoint(node))
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    static StsClient sts(OpenStsNode node, AwsCredentials credentials) {
        return sts(node, credentials, Region.US_EAST_1);
    }

    /** An STS client that signs for {@code region}. */
    static StsClient sts(OpenStsNode node, AwsCredentials credentials, Region region) {
        return StsClient.builder()
                .endpointOverride(endpoint(node))
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** An STS client over HTTPS that trusts the CA certificates in {@code trustedCaFile} only. */
    static StsClient sts(OpenStsNode node, AwsCredentials credentials, Path trustedCaFile) {
        TrustManager[] trustManagers = trustManagers(trustedCaFile);
        return StsClient.builder()
                .endpointOverride(endpoint(node))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.builder().tlsTrustManagersProvider(() -> trustManagers).build())
                .build();
    }

    /** Trust managers that trust the CA certificates of a PEM bundle and nothing else. */
    static TrustManager[] trustManagers(Path trustedCaFile) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (X509Certificate certificate : Pem.readCertificates(trustedCaFile)) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SDK's view of a long-term key OpenSTS created. */
    static AwsBasicCredentials credentials(AccessKeyCredentials key) {
        return AwsBasicCredentials.create(key.accessKey().accessKeyId(), key.secretAccessKey().revealUtf8());
    }
}
