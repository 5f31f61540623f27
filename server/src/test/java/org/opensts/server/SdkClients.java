package org.opensts.server;

import java.net.URI;
import org.opensts.iam.AccessKeyCredentials;
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

    static URI endpoint(OpenStsNode node) {
        return URI.create("http://127.0.0.1:" + node.address().getPort());
    }

    static IamClient iam(OpenStsNode node, AwsCredentials credentials) {
        return IamClient.builder()
                .endpointOverride(endpoint(node))
                .region(Region.AWS_GLOBAL)
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

    /** The SDK's view of a long-term key OpenSTS created. */
    static AwsBasicCredentials credentials(AccessKeyCredentials key) {
        return AwsBasicCredentials.create(key.accessKey().accessKeyId(), key.secretAccessKey().revealUtf8());
    }
}
