package org.opensts.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code opensts admin}: operations an administrator runs against a node, as an IAM client of it. */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = "Administrative operations, run against a node's IAM API with the credentials in the"
                + " environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN).",
        subcommands = {RevokeSessionsCommand.class})
final class AdminCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
