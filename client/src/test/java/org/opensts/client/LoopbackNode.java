package org.opensts.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.server.OpenStsNode;
import org.opensts.sigv4.SigningCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * A real node on an ephemeral loopback port for the client's tests: account {@value #ACCOUNT}, its admin user, and a
 * role {@code app} that admin may assume, tag and give a source identity, allowed to call GetCallerIdentity.
 */
public final class LoopbackNode implements AutoCloseable {
    public static final String ACCOUNT = "123456789012";
    public static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/app";

    private static final String BOOTSTRAP = """
            accounts:
              - id: "123456789012"
                roles:
                  - name: app
                    maxSessionDuration: 43200
                    trustPolicy:
                      Version: "2012-10-17"
                      Statement:
                        - Effect: Allow
                          Principal:
                            AWS: arn:aws:iam::123456789012:user/admin
                          Action:
                            - sts:AssumeRole
                            - sts:TagSession
                            - sts:SetSourceIdentity
                    policies:
                      - name: WhoAmI
                        document:
                          Version: "2012-10-17"
                          Statement:
                            - Effect: Allow
                              Action: sts:GetCallerIdentity
                              Resource: "*"
            """;

    private final Path dataDir;
    private final Clock clock;
    private final Optional<Path> trustedCaFile;
    private final InetSocketAddress listen;
    private OpenStsNode node;
    private AccessKeyCredentials admin;
    private boolean running;

    private LoopbackNode(Path dataDir, Clock clock, Optional<Path> trustedCaFile, InetSocketAddress listen) {
        this.dataDir = dataDir;
        this.clock = clock;
        this.trustedCaFile = trustedCaFile;
        this.listen = listen;
    }

    public static LoopbackNode start(Path dataDir, Clock clock) throws IOException, InterruptedException {
        return start(dataDir, clock, Optional.empty());
    }

    /** Starts a node that trusts {@code trustedCaFile} for fetching OIDC keys, if given. */
    public static LoopbackNode start(Path dataDir, Clock clock, Optional<Path> trustedCaFile)
            throws IOException, InterruptedException {
        LoopbackNode node = new LoopbackNode(dataDir, clock, trustedCaFile, new InetSocketAddress("127.0.0.1", 0));
        node.restart();
        return node;
    }

    /** Starts the node again on the same port and data (after {@link #stop()}). */
    void restart() throws IOException, InterruptedException {
        Path bootstrap = Files.writeString(dataDir.resolve("bootstrap.yaml"), BOOTSTRAP, UTF_8);
        InetSocketAddress address = node == null ? listen : node.address();
        OpenStsNode.Config config = OpenStsNode.Config.embedded(dataDir.resolve("node"), address, ACCOUNT)
                .withBootstrapFile(bootstrap)
                .withClock(clock);
        if (trustedCaFile.isPresent()) {
            config = config.withTrustedCaFile(trustedCaFile.get());
        }
        node = OpenStsNode.start(config);
        running = true;
        if (admin == null) {
            admin = node.initialAdmin().orElseThrow();
        }
    }

    public void stop() {
        if (running) {
            running = false;
            node.close();
        }
    }

    public URI endpoint() {
        return node.endpoint();
    }

    /** The admin user's long-term key, which the first start created. */
    AccessKeyCredentials admin() {
        return admin;
    }

    SigningCredentials adminSigning() {
        return SigningCredentials.of(admin.accessKey().accessKeyId(), admin.secretAccessKey().revealUtf8()
                .getBytes(UTF_8));
    }

    public AwsBasicCredentials adminSdk() {
        return AwsBasicCredentials.create(admin.accessKey().accessKeyId(), admin.secretAccessKey().revealUtf8());
    }

    @Override
    public void close() {
        stop();
    }
}
