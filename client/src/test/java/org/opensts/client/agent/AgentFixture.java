package org.opensts.client.agent;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.opensts.client.AssumeRoleCredentialsProvider;
import org.opensts.client.LoopbackNode;
import org.opensts.protocol.testing.MutableClock;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A node and the agent's credentials for role {@code app}: an AssumeRole provider with 15-minute sessions that
 * refreshes inline on the test's clock, so a test that moves the clock 11 minutes sees new credentials while the
 * SDK's own clock (which signs) stays within the node's allowed skew.
 */
final class AgentFixture implements AutoCloseable {
    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final LoopbackNode node;
    final AssumeRoleCredentialsProvider provider;
    final AgentCredentials credentials;

    AgentFixture(Path dir) throws Exception {
        node = LoopbackNode.start(dir, clock);
        provider = AssumeRoleCredentialsProvider.builder()
                .endpoint(node.endpoint())
                .sourceCredentials(StaticCredentialsProvider.create(node.adminSdk()))
                .roleArn(LoopbackNode.ROLE_ARN)
                .roleSessionName("agent")
                .durationSeconds(900)
                .clock(clock)
                .executor(Runnable::run)
                .build();
        credentials = new AgentCredentials(provider, LoopbackNode.ROLE_ARN, clock);
    }

    /** The ARN GetCallerIdentity returns when the SDK signs with {@code sdkProvider}'s credentials. */
    String callerArn(AwsCredentialsProvider sdkProvider) {
        try (StsClient sts = StsClient.builder()
                .endpointOverride(node.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(sdkProvider)
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            return sts.getCallerIdentity().arn();
        }
    }

    @Override
    public void close() {
        provider.close();
        node.close();
    }
}
