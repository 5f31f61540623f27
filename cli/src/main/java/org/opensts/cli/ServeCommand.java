package org.opensts.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.opensts.server.OpenStsNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code opensts serve}: runs a node until it is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Runs OpenSTS: the STS and IAM Query APIs on one port, on an embedded store by default.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
            description = "Where the embedded store, the master key and admin-credentials live (default: ${DEFAULT-VALUE}).")
    private Path dataDir;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8790",
            converter = ListenAddressConverter.class,
            description = "Address and port to listen on (default: ${DEFAULT-VALUE}; port 0 picks a free one).")
    private InetSocketAddress listen;

    @Option(names = "--account-id", paramLabel = "ID", defaultValue = "123456789012",
            description = "The account created on first start (default: ${DEFAULT-VALUE}).")
    private String accountId;

    @Option(names = "--bootstrap", paramLabel = "FILE",
            description = "A YAML file of accounts, users and roles to create or update at start-up.")
    private Path bootstrapFile;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!accountId.matches("\\d{12}")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--account-id must be 12 digits, not '" + accountId + "'");
        }
        // The audit log sits in the data directory; logging reads this property when it starts.
        System.setProperty("opensts.audit.file", dataDir.resolve("audit.log").toString());
        OpenStsNode.Config config = OpenStsNode.Config.embedded(dataDir, listen, accountId);
        if (bootstrapFile != null) {
            config = config.withBootstrapFile(bootstrapFile);
        }
        PrintWriter out = spec.commandLine().getOut();
        OpenStsNode node = OpenStsNode.start(config);
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "opensts-shutdown"));
        String endpoint = "http://" + node.address().getHostString() + ":" + node.address().getPort();
        node.initialAdmin().ifPresent(admin -> out.printf(
                "Created account %s with user admin; its credentials are in %s (access key id %s)%n", accountId,
                node.adminCredentialsFile(), admin.accessKey().accessKeyId()));
        node.bootstrapKeys().forEach(key -> out.printf(
                "Bootstrap created an access key for %s in account %s (access key id %s); see %s%n", key.userName(),
                key.accountId(), key.credentials().accessKey().accessKeyId(),
                dataDir.resolve("bootstrap-credentials")));
        out.printf("OpenSTS is ready at %s. Try:%n  AWS_SHARED_CREDENTIALS_FILE=%s aws --endpoint-url %s "
                + "--region us-east-1 sts get-caller-identity%n", endpoint, node.adminCredentialsFile(), endpoint);
        out.flush();
        stopped.await();
        return 0;
    }
}
