package org.opensts.cli.client;

import static java.util.Objects.requireNonNull;

import java.io.Console;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Everything the client commands read from outside their arguments, passed in so that tests give their own: the
 * environment variables, the home directory (for {@code ~/.aws} and the credential cache), the clock, and how to ask
 * a person for an MFA code.
 */
public record ClientEnvironment(Map<String, String> variables, Path home, Clock clock, MfaPrompt mfaPrompt) {
    /** Asks for the current code of an MFA device, as the AWS CLI does for a profile's {@code mfa_serial}. */
    @FunctionalInterface
    public interface MfaPrompt {
        String codeFor(String serialNumber) throws ClientConfigException;
    }

    public ClientEnvironment {
        variables = Map.copyOf(variables);
        requireNonNull(home, "home");
        requireNonNull(clock, "clock");
        requireNonNull(mfaPrompt, "mfaPrompt");
    }

    /** This process's environment, its home directory ({@link #homeDirectory}), the system clock and the terminal. */
    public static ClientEnvironment system() {
        Map<String, String> variables = System.getenv();
        return new ClientEnvironment(variables, homeDirectory(variables, System.getProperty("user.home")),
                Clock.systemUTC(), ClientEnvironment::promptOnConsole);
    }

    /**
     * The directory {@code ~} means: {@code $HOME} when it is set and not empty, else the account's home directory
     * ({@code userHome}, Java's {@code user.home}). The AWS CLI expands {@code ~} from {@code $HOME} (Python's
     * {@code os.path.expanduser}), and the AWS SDK for Java v2 also looks at {@code HOME} before {@code user.home}, so
     * a CI job, a container run as another user or a service that sets {@code HOME} finds the same {@code ~/.aws}
     * files with {@code opensts} as with the AWS CLI.
     */
    static Path homeDirectory(Map<String, String> variables, String userHome) {
        String home = variables.get("HOME");
        return Path.of(home == null || home.isEmpty() ? userHome : home);
    }

    /** The same environment with other variables. */
    public ClientEnvironment withVariables(Map<String, String> newVariables) {
        return new ClientEnvironment(newVariables, home, clock, mfaPrompt);
    }

    /** The same environment on another clock. */
    public ClientEnvironment withClock(Clock newClock) {
        return new ClientEnvironment(variables, home, newClock, mfaPrompt);
    }

    /** A variable's value; a variable set to the empty string counts as not set, as it does for the AWS CLI. */
    public Optional<String> variable(String name) {
        return Optional.ofNullable(variables.get(name)).filter(value -> !value.isEmpty());
    }

    /**
     * The variables' names only: the environment holds {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN}.
     */
    @Override
    public String toString() {
        return "ClientEnvironment[variables=" + new TreeSet<>(variables.keySet()) + ", home=" + home + ", clock="
                + clock + ']';
    }

    /** A path from the environment or the config file, with a leading {@code ~} meaning the home directory. */
    Path expandPath(String path) {
        if (path.equals("~")) {
            return home;
        }
        if (path.startsWith("~/")) {
            return home.resolve(path.substring(2));
        }
        return Path.of(path);
    }

    private static String promptOnConsole(String serialNumber) throws ClientConfigException {
        Console console = System.console();
        if (console == null) {
            throw ClientConfigException.general("The profile needs an MFA code from " + serialNumber
                    + " and there is no terminal to ask for it on");
        }
        String code = console.readLine("Enter MFA code for %s: ", serialNumber);
        if (code == null) {
            throw ClientConfigException.general("No MFA code was entered for " + serialNumber);
        }
        return code.strip();
    }
}
