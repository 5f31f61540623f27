package org.opensts.cli.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.server.OpenStsNode;
import org.opensts.server.tls.TlsSource;
import org.slf4j.LoggerFactory;

/**
 * A real node on an ephemeral loopback port for the client commands' tests, on the test's clock: account
 * {@value #ACCOUNT} with its admin user, a role {@code demo} admin may assume (with tags and a source identity), a role
 * {@code chained} that sessions of {@code demo} may assume, and a count of the calls its audit log records.
 */
final class ClientTestNode implements AutoCloseable {
    static final String ACCOUNT = "123456789012";
    static final String DEMO_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/demo";
    static final String CHAINED_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/chained";

    private static final String BOOTSTRAP = """
            accounts:
              - id: "123456789012"
                roles:
                  - name: demo
                    maxSessionDuration: 43200
                    trustPolicy:
                      Version: "2012-10-17"
                      Statement:
                        - Effect: Allow
                          Principal:
                            AWS: arn:aws:iam::123456789012:user/admin
                          Action: [sts:AssumeRole, sts:TagSession, sts:SetSourceIdentity]
                    policies:
                      - name: WhoAmI
                        document:
                          Version: "2012-10-17"
                          Statement:
                            - Effect: Allow
                              Action: [sts:GetCallerIdentity, sts:AssumeRole]
                              Resource: "*"
                  - name: chained
                    trustPolicy:
                      Version: "2012-10-17"
                      Statement:
                        - Effect: Allow
                          Principal:
                            AWS: arn:aws:iam::123456789012:role/demo
                          Action: sts:AssumeRole
                    policies:
                      - name: WhoAmI
                        document:
                          Version: "2012-10-17"
                          Statement:
                            - Effect: Allow
                              Action: sts:GetCallerIdentity
                              Resource: "*"
            """;

    private final OpenStsNode node;
    private final ListAppender<ILoggingEvent> audit = new ListAppender<>();
    private final Logger auditLogger = (Logger) LoggerFactory.getLogger("opensts.audit");
    private final Level auditLevel;

    private ClientTestNode(OpenStsNode node) {
        this.node = node;
        auditLevel = auditLogger.getLevel();
        audit.start();
        auditLogger.addAppender(audit);
        auditLogger.setLevel(Level.INFO);
        auditLogger.setAdditive(false);
    }

    static ClientTestNode start(Path dir, Clock clock) throws IOException, InterruptedException {
        return start(dir, clock, Optional.empty());
    }

    /** Starts a node that trusts {@code trustedCaFile} (an OIDC issuer's CA), if given. */
    static ClientTestNode start(Path dir, Clock clock, Optional<Path> trustedCaFile)
            throws IOException, InterruptedException {
        Path bootstrap = Files.writeString(dir.resolve("bootstrap.yaml"), BOOTSTRAP, UTF_8);
        OpenStsNode.Config config = OpenStsNode.Config.embedded(dir.resolve("node"),
                new InetSocketAddress("127.0.0.1", 0), ACCOUNT).withBootstrapFile(bootstrap).withClock(clock);
        if (trustedCaFile.isPresent()) {
            config = config.withTrustedCaFile(trustedCaFile.get());
        }
        return new ClientTestNode(OpenStsNode.start(config));
    }

    /** Starts a node serving HTTPS with a certificate of its own private CA ({@link #caBundle()}). */
    static ClientTestNode startHttps(Path dir, Clock clock) throws IOException, InterruptedException {
        Path bootstrap = Files.writeString(dir.resolve("bootstrap.yaml"), BOOTSTRAP, UTF_8);
        return new ClientTestNode(OpenStsNode.start(OpenStsNode.Config.embedded(dir.resolve("node"),
                new InetSocketAddress("127.0.0.1", 0), ACCOUNT).withBootstrapFile(bootstrap).withClock(clock),
                Optional.of(new TlsSource.SelfSigned())));
    }

    /** The CA certificate of an HTTPS node's private CA. */
    Path caBundle() {
        return node.caBundle().orElseThrow();
    }

    /** A credentials file holding the admin's key as profile {@code base}, and as {@code default}. */
    String adminCredentialsFile() {
        return "[default]\naws_access_key_id = " + adminKeyId() + "\naws_secret_access_key = " + adminSecret()
                + "\n[base]\naws_access_key_id = " + adminKeyId() + "\naws_secret_access_key = " + adminSecret()
                + "\n";
    }

    URI endpoint() {
        return node.endpoint();
    }

    AccessKeyCredentials admin() {
        return node.initialAdmin().orElseThrow();
    }

    String adminKeyId() {
        return admin().accessKey().accessKeyId();
    }

    String adminSecret() {
        return admin().secretAccessKey().revealUtf8();
    }

    /** How many calls of {@code action} the node's audit log has recorded so far. */
    long calls(String action) {
        synchronized (audit) {
            return audit.list.stream()
                    .filter(event -> event.getFormattedMessage().contains("\"eventName\":\"" + action + "\""))
                    .count();
        }
    }

    @Override
    public void close() {
        auditLogger.detachAppender(audit);
        node.close();
        auditLogger.setLevel(auditLevel);
        auditLogger.setAdditive(true);
    }
}
