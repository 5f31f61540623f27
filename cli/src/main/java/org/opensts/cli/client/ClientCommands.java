package org.opensts.cli.client;

import java.lang.reflect.Constructor;
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
     * Prints a usage error of a client command as picocli does, but returns 252 as the AWS CLI does; other commands'
     * usage errors keep {@code delegate}'s answer.
     */
    public static CommandLine.IParameterExceptionHandler usageErrors(CommandLine.IParameterExceptionHandler delegate) {
        return (exception, args) -> {
            int exitCode = delegate.handleParseException(exception, args);
            return isClientCommand(exception.getCommandLine()) ? USAGE_ERROR : exitCode;
        };
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
