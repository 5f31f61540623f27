package org.opensts.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shared files' INI dialect: what the AWS CLI reads as a setting, sub-section or comment, and what it refuses. */
class IniFileTest {
    /** The usual way to say "no config file", which the AWS CLI reads as empty. */
    @Test
    void read_devNull_isEmpty() throws Exception {
        assertThat(IniFile.read(java.nio.file.Path.of("/dev/null")).sections()).isEmpty();
    }

    @Test
    void parse_readsSettingsCommentsContinuationsAndSubSections() throws Exception {
        IniFile ini = IniFile.parse("""
                # a comment
                ; another
                [profile dev]
                Region = eu-west-1
                output: json
                note = keeps # this, as no inline comment is stripped
                long = first
                    second
                s3 =
                    max_concurrent_requests = 20
                    addressing_style = path

                  [services local]
                """, "config");

        IniFile.Section dev = ini.section("profile dev").orElseThrow();
        assertThat(dev.values()).containsExactlyInAnyOrderEntriesOf(Map.of("region", "eu-west-1", "output", "json",
                "note", "keeps # this, as no inline comment is stripped", "long", "first\nsecond"));
        assertThat(dev.subSections()).containsExactly(Map.entry("s3",
                Map.of("max_concurrent_requests", "20", "addressing_style", "path")));
    }

    @Test
    void parse_sectionNamesKeepTheirInnerSpacing_andProfilePrefixesAreReadBySharedConfig() throws Exception {
        IniFile config = IniFile.parse("[profile   spaced]\nregion = a\n[default]\nregion = b\n[plain]\nregion = c\n",
                "config");

        SharedConfig shared = SharedConfig.of(config, IniFile.empty());

        assertThat(shared.profile("spaced").flatMap(p -> p.get("region"))).contains("a");
        assertThat(shared.profile("default").flatMap(p -> p.get("region"))).contains("b");
        assertThat(shared.profile("plain")).isEmpty();
    }

    @Test
    void toString_ofSectionAndProfile_namesSettingsButNeverPrintsTheirValues() throws Exception {
        IniFile credentials = IniFile.parse("""
                [dev]
                aws_access_key_id = AKIAEXAMPLEKEYID0001
                aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
                aws_session_token = FwoGZXIvYXdzEXAMPLETOKEN
                """, "credentials");

        String section = credentials.section("dev").orElseThrow().toString();
        String profile = SharedConfig.of(IniFile.empty(), credentials).profile("dev").orElseThrow().toString();

        for (String printed : List.of(section, profile)) {
            assertThat(printed).contains("dev", "aws_secret_access_key", "aws_session_token")
                    .doesNotContain("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "FwoGZXIvYXdzEXAMPLETOKEN");
        }
    }

    @Test
    void sharedConfig_servicesSection_givesEachServiceItsSettings() throws Exception {
        IniFile config = IniFile.parse("""
                [profile dev]
                services = local
                [services local]
                sts =
                  endpoint_url = http://127.0.0.1:8790
                """, "config");

        SharedConfig shared = SharedConfig.of(config, IniFile.empty());

        assertThat(shared.serviceSetting("local", "sts", "endpoint_url")).contains("http://127.0.0.1:8790");
        assertThat(shared.serviceSetting("local", "s3", "endpoint_url")).isEmpty();
    }

    record Broken(String name, String text) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Broken> brokenFiles() {
        return Stream.of(
                new Broken("a setting before any section", "region = us-east-1\n[default]\n"),
                new Broken("a section named twice", "[default]\na = 1\n[default]\nb = 2\n"),
                new Broken("a line that is no setting", "[default]\njust words\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void parse_brokenFile_isUnreadableAsAWhole(Broken broken) {
        ClientConfigException e = catchThrowableOfType(ClientConfigException.class,
                () -> IniFile.parse(broken.text(), "/home/u/.aws/config"));

        assertThat(e.getMessage()).isEqualTo("Unable to parse config file: /home/u/.aws/config");
        assertThat(e.exitCode()).isEqualTo(255);
    }

    @Test
    void shellWords_splitLikeAShellWithoutRunningOne() throws Exception {
        assertThat(ShellWords.split("/opt/x --a 'b c' \"d \\\"e\\\"\" f\\ g $HOME"))
                .isEqualTo(List.of("/opt/x", "--a", "b c", "d \"e\"", "f g", "$HOME"));
    }
}
