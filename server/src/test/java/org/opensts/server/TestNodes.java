package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.opensts.token.AccessKeyIds;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/** Nodes for the API tests: started on an ephemeral loopback port, with users of known keys from a bootstrap file. */
final class TestNodes {
    static final String ACCOUNT = "123456789012";
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestNodes() {
    }

    /** A fresh long-term key of {@link #ACCOUNT} for a bootstrap file to give a test user. */
    static AwsBasicCredentials knownKey(String userName) {
        return AwsBasicCredentials.create(AccessKeyIds.newLongTerm(ACCOUNT, RANDOM),
                userName + "-secret-0123456789abcdef");
    }

    /** Starts a node in {@code dataDir}, its first start creating the admin, then applying {@code bootstrapYaml}. */
    static OpenStsNode start(Path dataDir, String bootstrapYaml) throws IOException, InterruptedException {
        Path bootstrap = Files.writeString(dataDir.resolve("bootstrap.yaml"), bootstrapYaml, UTF_8);
        return OpenStsNode.start(OpenStsNode.Config.embedded(dataDir.resolve("node"),
                new InetSocketAddress("127.0.0.1", 0), ACCOUNT).withBootstrapFile(bootstrap));
    }
}
