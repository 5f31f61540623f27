package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/** The README's examples, read from the README itself, work as written. */
class ReadmeExamplesTest {
    private static final Path README = Path.of("..", "README.md");

    @TempDir
    Path dir;

    private OpenStsNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** The first {@code yaml} block after {@code heading}, as it stands in the README. */
    private static String yamlBlockAfter(String heading) throws IOException {
        String readme = Files.readString(README, UTF_8);
        int section = readme.indexOf("\n" + heading + "\n");
        assertThat(section).as("README heading %s", heading).isNotNegative();
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        return readme.substring(start, readme.indexOf("```\n", start));
    }

    @Test
    void bootstrapFileExample_startsANode_whoseUserAliceMayAssumeTheDemoRoleWithHerGeneratedKey() throws Exception {
        Path bootstrap = Files.writeString(dir.resolve("bootstrap.yaml"), yamlBlockAfter("### The bootstrap file"));

        node = OpenStsNode.start(OpenStsNode.Config.embedded(dir.resolve("data"), new InetSocketAddress("127.0.0.1", 0),
                "123456789012").withBootstrapFile(bootstrap));

        assertThat(node.bootstrapKeys()).singleElement()
                .satisfies(key -> assertThat(key.profileName()).isEqualTo("alice@123456789012"));
        Map<String, String> alice = Files.readString(dir.resolve("data").resolve("bootstrap-credentials"), UTF_8)
                .lines().skip(1).map(line -> line.split(" = ", 2))
                .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
        Credentials session;
        try (StsClient sts = SdkClients.sts(node, AwsBasicCredentials.create(alice.get("aws_access_key_id"),
                alice.get("aws_secret_access_key")))) {
            assertThat(sts.getCallerIdentity().arn()).isEqualTo("arn:aws:iam::123456789012:user/team/alice");
            session = sts.assumeRole(request -> request.roleArn("arn:aws:iam::123456789012:role/demo")
                    .roleSessionName("readme")).credentials();
        }
        try (IamClient iam = SdkClients.iam(node, AwsSessionCredentials.create(session.accessKeyId(),
                session.secretAccessKey(), session.sessionToken()))) {
            assertThat(iam.getGroup(request -> request.groupName("developers")).users())
                    .extracting(user -> user.userName()).containsExactly("alice");
            assertThat(iam.listSAMLProviders().samlProviderList()).singleElement()
                    .satisfies(provider -> assertThat(provider.arn()).endsWith(":saml-provider/Corporate"));
            assertThat(iam.listOpenIDConnectProviders().openIDConnectProviderList()).hasSize(1);
        }
    }
}
