package org.opensts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
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

    @Test
    void listenAddress_acceptsBracketedIpv6() {
        var address = new ListenAddressConverter().convert("[::1]:8790");

        assertThat(address.getPort()).isEqualTo(8790);
        assertThat(address.getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    }
}
