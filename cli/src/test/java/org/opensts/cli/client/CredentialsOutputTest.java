package org.opensts.cli.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.client.StsCredentials;

/** The three output formats, byte for byte, and the shell quoting of the env format read back by a real shell. */
class CredentialsOutputTest {
    private static final StsCredentials CREDENTIALS = StsCredentials.of("ASIAEXAMPLEKEYID0001",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "FwoGZXIvYXdzEBYaDH+token/with=chars",
            Instant.parse("2026-12-06T08:15:30Z"));

    @Test
    void json_isTheAwsCliLayoutWithFourSpaceIndentsAndAnOffsetTimestamp() {
        String json = StsCommand.print(CredentialsOutput.JSON, CREDENTIALS, Optional.empty(), rest -> {
            rest.put("PackedPolicySize", 6);
            return rest;
        });

        assertThat(json).isEqualTo("""
                {
                    "Credentials": {
                        "AccessKeyId": "ASIAEXAMPLEKEYID0001",
                        "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                        "SessionToken": "FwoGZXIvYXdzEBYaDH+token/with=chars",
                        "Expiration": "2026-12-06T08:15:30+00:00"
                    },
                    "PackedPolicySize": 6
                }
                """);
    }

    @Test
    void env_isExportLinesWithTheExpiration() {
        assertThat(StsCommand.print(CredentialsOutput.ENV, CREDENTIALS, Optional.empty(), rest -> rest)).isEqualTo("""
                export AWS_ACCESS_KEY_ID=ASIAEXAMPLEKEYID0001
                export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
                export AWS_SESSION_TOKEN=FwoGZXIvYXdzEBYaDH+token/with=chars
                export AWS_CREDENTIAL_EXPIRATION=2026-12-06T08:15:30+00:00
                """);
    }

    @Test
    void credentialProcess_isVersion1JsonWithAnRfc3339Expiration() {
        assertThat(StsCommand.print(CredentialsOutput.CREDENTIAL_PROCESS, CREDENTIALS, Optional.empty(),
                rest -> rest)).isEqualTo("""
                {
                    "Version": 1,
                    "AccessKeyId": "ASIAEXAMPLEKEYID0001",
                    "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                    "SessionToken": "FwoGZXIvYXdzEBYaDH+token/with=chars",
                    "Expiration": "2026-12-06T08:15:30Z"
                }
                """);
    }

    /** The SDKs read AccountId from a credential process for account-based endpoints. */
    @Test
    void credentialProcess_ofARoleSession_namesItsAccount() {
        assertThat(StsCommand.print(CredentialsOutput.CREDENTIAL_PROCESS, CREDENTIALS,
                Optional.of("arn:aws:sts::123456789012:assumed-role/demo/app"), rest -> rest))
                .endsWith("""
                    "Expiration": "2026-12-06T08:15:30Z",
                    "AccountId": "123456789012"
                }
                """);
        assertThat(CredentialsOutput.accountOf("arn:aws:sts::12345:assumed-role/demo/app")).isEmpty();
        assertThat(CredentialsOutput.accountOf("not-an-arn")).isEmpty();
    }

    @Test
    void cliTimestamp_withFractionsOfASecond_printsMicroseconds() {
        assertThat(CredentialsOutput.cliTimestamp(Instant.parse("2026-12-06T08:15:30.123456789Z")))
                .isEqualTo("2026-12-06T08:15:30.123456+00:00");
    }

    @Test
    void json_escapesQuotesBackslashesAndControlCharacters() {
        var json = new java.util.LinkedHashMap<String, Object>();
        json.put("Name", "a\"b\\c\nd\u0001é");

        assertThat(CliJson.write(json)).isEqualTo("{\n    \"Name\": \"a\\\"b\\\\c\\nd\\u0001é\"\n}\n");
    }

    record QuoteCase(String name, String value) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<QuoteCase> awkwardValues() {
        return Stream.of(
                new QuoteCase("a plain token", "FwoGZXIvYXdzEBYaDH+token/with=chars"),
                new QuoteCase("spaces", "two words  and more"),
                new QuoteCase("a single quote", "it's"),
                new QuoteCase("shell expansions", "$HOME `id` $(id) ${x} * ? ~ !"),
                new QuoteCase("separators", "a;b|c&d>e<f"),
                new QuoteCase("a line break", "line1\nline2"),
                new QuoteCase("double quotes and backslashes", "\"\\\""),
                new QuoteCase("the empty string", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awkwardValues")
    void shellQuote_readBackByAShell_isTheSameValue(QuoteCase c) throws IOException, InterruptedException {
        Process shell = new ProcessBuilder("sh", "-c", "eval \"export V=$1\"; printf '%s' \"$V\"", "sh",
                CredentialsOutput.shellQuote(c.value())).start();
        String echoed = new String(shell.getInputStream().readAllBytes(), UTF_8);

        assertThat(shell.waitFor()).isZero();
        assertThat(echoed).isEqualTo(c.value());
    }
}
