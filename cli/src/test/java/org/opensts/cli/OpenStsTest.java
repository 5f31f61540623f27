package org.opensts.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class OpenStsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = OpenSts.commandLine().setUsageHelpWidth(200);
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    @Test
    void serveHelp_listsEveryOptionWithItsDefault() {
        assertThat(run("serve", "--help")).isZero();

        assertThat(out.toString())
                .contains("--data-dir=DIR", "default: data")
                .contains("--listen=HOST:PORT", "default: 127.0.0.1:8790")
                .contains("--account-id=ID", "default: 123456789012")
                .contains("--bootstrap=FILE");
    }

    @Test
    void serve_accountIdThatIsNotTwelveDigits_isAUsageError() {
        assertThat(run("serve", "--account-id", "12345")).isEqualTo(CommandLine.ExitCode.USAGE);

        assertThat(err.toString()).contains("--account-id must be 12 digits");
    }

    @Test
    void serve_listenWithoutPort_isAUsageError() {
        assertThat(run("serve", "--listen", "localhost")).isEqualTo(CommandLine.ExitCode.USAGE);

        assertThat(err.toString()).contains("expected HOST:PORT");
    }

    @Test
    void noSubcommand_printsUsage() {
        assertThat(run()).isZero();

        assertThat(out.toString()).contains("Usage: opensts", "serve");
    }

    /** Every command under {@code opensts} but {@code help}, as the words that run it: [admin, revoke-sessions]. */
    private static List<List<String>> everySubcommand(CommandLine parent, List<String> path) {
        var commands = new ArrayList<List<String>>();
        for (var entry : parent.getSubcommands().entrySet()) {
            if (entry.getValue().getCommandSpec().helpCommand()) {
                continue;
            }
            var words = new ArrayList<>(path);
            words.add(entry.getKey());
            commands.add(words);
            commands.addAll(everySubcommand(entry.getValue(), words));
        }
        return commands;
    }

    static Stream<List<String>> everySubcommand() {
        return everySubcommand(OpenSts.commandLine(), List.of()).stream();
    }

    @Test
    void everySubcommand_isFound() {
        assertThat(everySubcommand()).contains(List.of("serve"), List.of("agent"), List.of("admin"),
                List.of("admin", "revoke-sessions"), List.of("sts"), List.of("sts", "assume-role"),
                List.of("sts", "get-caller-identity"), List.of("credential-process"));
    }

    @ParameterizedTest(name = "opensts {0} --version")
    @MethodSource("everySubcommand")
    void everySubcommand_listsVersionInItsHelp_andPrintsTheTopLevelVersionLine(List<String> command) {
        assertThat(run("--version")).isZero();
        String topLevel = out.toString();
        assertThat(topLevel).startsWith("OpenSTS ");
        out.getBuffer().setLength(0);

        var help = new ArrayList<>(command);
        help.add("--help");
        assertThat(run(help.toArray(String[]::new))).isZero();
        assertThat(out.toString()).contains("-V, --version", "Print version information and exit.");
        out.getBuffer().setLength(0);

        var version = new ArrayList<>(command);
        version.add("--version");
        assertThat(run(version.toArray(String[]::new))).isZero();
        assertThat(out.toString()).isEqualTo(topLevel);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void listenAddress_whoseHostDoesNotResolve_isAUsageErrorNamingTheHost() {
        assertThatThrownBy(() -> new ListenAddressConverter().convert("no-such-host.invalid:8790"))
                .isInstanceOf(picocli.CommandLine.TypeConversionException.class)
                .hasMessage("cannot resolve the host 'no-such-host.invalid'");
    }

    @Test
    void listenAddress_acceptsBracketedIpv6() {
        var address = new ListenAddressConverter().convert("[::1]:8790");

        assertThat(address.getPort()).isEqualTo(8790);
        assertThat(address.getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    }
}
