package org.opensts.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code opensts} command. */
@Command(name = "opensts", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "A self-hostable Security Token Service that speaks the AWS STS and IAM Query APIs.",
        subcommands = {ServeCommand.class, AdminCommand.class, CommandLine.HelpCommand.class})
public final class OpenSts implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, for {@link #main} and for tests that run it with captured output. */
    public static CommandLine commandLine() {
        return new CommandLine(new OpenSts());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
