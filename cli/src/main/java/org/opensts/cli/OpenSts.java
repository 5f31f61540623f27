package org.opensts.cli;

import java.io.IOException;
import java.io.PrintWriter;
import org.opensts.cli.client.ClientCommands;
import org.opensts.cli.client.ClientEnvironment;
import org.opensts.cli.client.CredentialProcessCommand;
import org.opensts.cli.client.StsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code opensts} command. Its {@code -h, --help} and {@code -V, --version} options and its version provider are
 * inherited by every subcommand, to any depth, so that {@code opensts serve --version} prints what
 * {@code opensts --version} prints; a subcommand that declares its own {@code -h} would lose them.
 */
@Command(name = "opensts", mixinStandardHelpOptions = true, versionProvider = Version.class,
        scope = CommandLine.ScopeType.INHERIT,
        description = "A self-hostable Security Token Service that speaks the AWS STS and IAM Query APIs.",
        subcommands = {ServeCommand.class, AdminCommand.class, StsCommand.class, CredentialProcessCommand.class,
                AgentCommand.class, CommandLine.HelpCommand.class})
public final class OpenSts implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, for {@link #main} and for tests that run it with captured output. */
    public static CommandLine commandLine() {
        return commandLine(ClientEnvironment.system());
    }

    /** The command line with the client commands reading {@code environment} instead of this process's. */
    public static CommandLine commandLine(ClientEnvironment environment) {
        CommandLine commandLine = new CommandLine(new OpenSts(), new ClientCommands(environment));
        return commandLine.setParameterExceptionHandler(ClientCommands.usageErrors())
                .setExecutionExceptionHandler(OpenSts::ioFailures);
    }

    /**
     * An {@link IOException} no command turned into a message of its own — a file or directory that cannot be used,
     * a peer that cannot be reached — is the user's to fix: one line with the path and the reason, not a stack trace.
     * Anything else is a bug, and its stack trace is printed as picocli prints it.
     */
    private static int ioFailures(Exception failure, CommandLine commandLine, CommandLine.ParseResult parseResult)
            throws Exception {
        if (!(failure instanceof IOException io)) {
            throw failure;
        }
        PrintWriter err = commandLine.getErr();
        err.println(commandLine.getCommandSpec().qualifiedName() + ": " + PathOptions.describeWithoutOptions(io));
        err.flush();
        return commandLine.getCommandSpec().exitCodeOnExecutionException();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
