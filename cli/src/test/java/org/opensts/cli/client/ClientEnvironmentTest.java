package org.opensts.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the client commands' environment shows of itself, and where it finds {@code ~/.aws} and the cache. */
class ClientEnvironmentTest {
    private static final String USER_HOME = "/home/passwd-entry";

    record Case(String name, Map<String, String> variables, String configFile, String credentialsFile,
            String cacheDirectory) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> homeCases() {
        return Stream.of(
                new Case("no HOME: the account's home directory", Map.of(),
                        "/home/passwd-entry/.aws/config", "/home/passwd-entry/.aws/credentials",
                        "/home/passwd-entry/.opensts/cache"),
                new Case("HOME set: HOME, as the AWS CLI expands ~", Map.of("HOME", "/ci/home"),
                        "/ci/home/.aws/config", "/ci/home/.aws/credentials", "/ci/home/.opensts/cache"),
                new Case("HOME empty: the account's home directory", Map.of("HOME", ""),
                        "/home/passwd-entry/.aws/config", "/home/passwd-entry/.aws/credentials",
                        "/home/passwd-entry/.opensts/cache"),
                new Case("AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE absolute: taken as they are",
                        Map.of("HOME", "/ci/home", "AWS_CONFIG_FILE", "/etc/aws/config",
                                "AWS_SHARED_CREDENTIALS_FILE", "/etc/aws/credentials"),
                        "/etc/aws/config", "/etc/aws/credentials", "/ci/home/.opensts/cache"),
                new Case("AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE with ~: below HOME",
                        Map.of("HOME", "/ci/home", "AWS_CONFIG_FILE", "~/aws/config",
                                "AWS_SHARED_CREDENTIALS_FILE", "~/aws/credentials"),
                        "/ci/home/aws/config", "/ci/home/aws/credentials", "/ci/home/.opensts/cache"),
                new Case("AWS_CONFIG_FILE empty: as if not set", Map.of("HOME", "/ci/home", "AWS_CONFIG_FILE", ""),
                        "/ci/home/.aws/config", "/ci/home/.aws/credentials", "/ci/home/.opensts/cache"),
                new Case("XDG_CACHE_HOME absolute: the cache below it, whatever HOME",
                        Map.of("HOME", "/ci/home", "XDG_CACHE_HOME", "/var/cache/ci"),
                        "/ci/home/.aws/config", "/ci/home/.aws/credentials", "/var/cache/ci/opensts"),
                new Case("XDG_CACHE_HOME relative: ignored, as the XDG base directory specification says",
                        Map.of("HOME", "/ci/home", "XDG_CACHE_HOME", "cache"),
                        "/ci/home/.aws/config", "/ci/home/.aws/credentials", "/ci/home/.opensts/cache"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("homeCases")
    void filesAndCache_areFoundWhereTheAwsCliLooks(Case example) {
        Path home = ClientEnvironment.homeDirectory(example.variables(), USER_HOME);
        var environment = new ClientEnvironment(example.variables(), home, Clock.systemUTC(), serial -> "123456");
        var chain = new CredentialChain(environment);

        assertThat(chain.configFile()).isEqualTo(Path.of(example.configFile()));
        assertThat(chain.credentialsFile()).isEqualTo(Path.of(example.credentialsFile()));
        assertThat(CredentialCache.defaultDirectory(environment)).isEqualTo(Path.of(example.cacheDirectory()));
    }

    @Test
    void toString_namesTheVariablesButNeverPrintsTheirValues() {
        var environment = new ClientEnvironment(Map.of(
                "AWS_ACCESS_KEY_ID", "AKIAEXAMPLEKEYID0001",
                "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "AWS_SESSION_TOKEN", "FwoGZXIvYXdzEXAMPLETOKEN"),
                Path.of("/home/someone"), Clock.systemUTC(), serial -> "123456");

        assertThat(environment.toString()).contains("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "/home/someone")
                .doesNotContain("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "FwoGZXIvYXdzEXAMPLETOKEN");
    }
}
