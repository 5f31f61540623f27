package org.opensts.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.cli.OpenSts;

/**
 * What the client commands' help says about their options, against what the commands accept: no node is needed, as
 * help and usage errors come before any call.
 */
class ClientHelpTest {
    @TempDir
    Path home;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Map<String, String> variables = Map.of();

    private int run(String... args) {
        var commandLine = OpenSts.commandLine(new ClientEnvironment(variables, home, Clock.systemUTC(),
                serial -> "000000")).setUsageHelpWidth(200);
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    /** The help's lines from the option {@code name} in the list of options (after the synopsis) to the next one. */
    private String optionHelp(String name) {
        String help = out.toString();
        int start = help.lastIndexOf(name);
        assertThat(start).as(name + " in the help").isNotNegative();
        Matcher next = Pattern.compile("\n\\s+-").matcher(help);
        return help.substring(start, next.find(start) ? next.start() : help.length());
    }

    @Test
    void getCallerIdentityHelp_namesOnlyJsonForOutput_theOnlyFormatItAccepts() {
        assertThat(run("sts", "get-caller-identity", "--help")).isZero();

        assertThat(optionHelp("--output=FORMAT")).contains("json").doesNotContain("env")
                .doesNotContain("credential-process");
    }

    @Test
    void getCallerIdentity_outputEnv_isStillRefusedSayingWhy() {
        variables = Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY",
                "example-secret", "AWS_ENDPOINT_URL", "http://127.0.0.1:1");

        assertThat(run("sts", "get-caller-identity", "--output", "env")).isEqualTo(ClientCommands.USAGE_ERROR);

        assertThat(err.toString()).contains("--output env prints credentials, and GetCallerIdentity returns none");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void getCallerIdentity_outputOfAnotherFormat_isRefusedNamingJsonAlone() {
        assertThat(run("sts", "get-caller-identity", "--output", "text")).isEqualTo(ClientCommands.USAGE_ERROR);

        assertThat(err.toString()).contains("expected json, got 'text'").doesNotContain("credential-process");
    }

    @Test
    void credentialCommandsHelp_stillNameEveryOutputFormat() {
        assertThat(run("sts", "assume-role", "--help")).isZero();

        assertThat(optionHelp("--output=FORMAT")).contains("json", "env", "credential-process");
    }

    @Test
    void assumeRoleHelp_synopsisShowsRoleSessionNameAsRequired() {
        assertThat(run("sts", "assume-role", "--help")).isZero();

        String synopsis = out.toString().substring(0, out.toString().indexOf("Assume a role"));
        assertThat(synopsis).contains(" --role-arn=ARN", " --role-session-name=NAME")
                .doesNotContain("[--role-session-name=NAME]");
    }

    @Test
    void assumeRole_withoutRoleSessionName_isRefusedInTheAwsCliWords() {
        assertThat(run("sts", "assume-role", "--role-arn", "arn:aws:iam::123456789012:role/demo"))
                .isEqualTo(ClientCommands.USAGE_ERROR);

        assertThat(err.toString()).startsWith("the following arguments are required: --role-session-name\n")
                .contains("Try 'opensts sts assume-role --help'");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void assumeRole_withNeitherRequiredOption_namesBoth() {
        assertThat(run("sts", "assume-role")).isEqualTo(ClientCommands.USAGE_ERROR);

        assertThat(err.toString())
                .startsWith("the following arguments are required: --role-arn, --role-session-name\n");
    }

    @Test
    void credentialProcessHelp_statesTheDefaultSessionName() {
        assertThat(run("credential-process", "--help")).isZero();

        assertThat(optionHelp("--role-session-name=NAME"))
                .contains("(default: " + CredentialProcessCommand.DEFAULT_SESSION_NAME + ")");
        assertThat(CredentialProcessCommand.DEFAULT_SESSION_NAME).isEqualTo("opensts-credential-process");
    }

    @Test
    void credentialProcessHelp_showsRoleSessionNameAsOptional() {
        assertThat(run("credential-process", "--help")).isZero();

        assertThat(out.toString()).contains("[--role-session-name=NAME]");
    }
}
