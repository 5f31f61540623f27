package org.opensts.cli.client;

import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.StringJoiner;
import picocli.CommandLine;

/**
 * Wires the client commands into a command line: a factory that hands each of them the {@link ClientEnvironment}
 * (the process's own, or a test's), and usage errors under them answered with the AWS CLI's return code 252.
 */
public final class ClientCommands implements CommandLine.IFactory {
    /** The AWS CLI's return code for a command line it cannot parse. */
    public static final int USAGE_ERROR = 252;

    private final ClientEnvironment environment;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    public ClientCommands(ClientEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        try {
            Constructor<K> constructor = type.getDeclaredConstructor(ClientEnvironment.class);
            constructor.setAccessible(true);
            return constructor.newInstance(environment);
        } catch (NoSuchMethodException e) {
            return fallback.create(type);
        }
    }

    /**
     * Answers a command line that cannot be parsed, or whose options do not go together, with the reason, picocli's
     * suggestions for a mistyped option and a line saying where the help is — not the whole help, in which the reason
     * would scroll away. Client commands return 252 as the AWS CLI does, others picocli's code for invalid input.
     */
    public static CommandLine.IParameterExceptionHandler usageErrors() {
        return (exception, args) -> {
            CommandLine commandLine = exception.getCommandLine();
            PrintWriter err = commandLine.getErr();
            boolean client = isClientCommand(commandLine);
            err.println(client && exception instanceof CommandLine.MissingParameterException missing
                    ? awsCliMissingArguments(missing) : exception.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
            err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return client ? USAGE_ERROR
                    : commandLine.getCommandSpec().exitCodeOnInvalidInput();
        };
    }

    /**
     * The AWS CLI's words for required options left out, "the following arguments are required: --role-arn,
     * --role-session-name", where picocli would say "Missing required options: …".
     */
    private static String awsCliMissingArguments(CommandLine.MissingParameterException exception) {
        var names = new StringJoiner(", ");
        for (CommandLine.Model.ArgSpec missing : exception.getMissing()) {
            names.add(missing instanceof CommandLine.Model.OptionSpec option ? option.longestName()
                    : missing.paramLabel());
        }
        return "the following arguments are required: " + names;
    }

    private static boolean isClientCommand(CommandLine commandLine) {
        for (CommandLine c = commandLine; c != null; c = c.getParent()) {
            Object command = c.getCommand();
            if (command instanceof StsCommand || command instanceof ClientCommand
                    || command instanceof CredentialProcessCommand) {
                return true;
            }
        }
        return false;
    }
}
