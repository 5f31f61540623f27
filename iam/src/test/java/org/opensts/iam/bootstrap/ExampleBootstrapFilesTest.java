package org.opensts.iam.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.IamService;
import org.opensts.iam.TestStores;
import org.opensts.iam.jdbc.JdbcIdentityStore;

/**
 * Every bootstrap file the README and docs tell a user to start with ({@code examples/*.yaml}) applies to a fresh
 * store as the first start leaves it (the admin user, whom the examples' trust policies name), and creates at least
 * one role to assume.
 */
class ExampleBootstrapFilesTest {
    private static final Path EXAMPLES = Path.of("..", "examples");
    private static final String ACCOUNT = "123456789012";

    static Stream<Path> exampleFiles() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            List<Path> yaml = files.filter(file -> file.getFileName().toString().endsWith(".yaml")).sorted().toList();
            assertThat(yaml).as("bootstrap examples under " + EXAMPLES.toAbsolutePath()).isNotEmpty();
            return yaml.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exampleFiles")
    void exampleFile_appliesToAFreshStore_afterTheFirstStart(Path file) throws IOException {
        Clock clock = Clock.systemUTC();
        try (JdbcIdentityStore store = TestStores.inMemory(TestStores.newMasterKey(), clock)) {
            var iam = new IamService(store, clock, new SecureRandom());
            FirstStart.initializeIfEmpty(iam, ACCOUNT);
            BootstrapFile bootstrap = BootstrapFile.read(file);

            assertThatCode(() -> new Bootstrap(iam).apply(bootstrap)).doesNotThrowAnyException();
            assertThat(bootstrap.accounts()).isNotEmpty().allSatisfy(account -> {
                assertThat(account.roles()).isNotEmpty();
                for (BootstrapFile.RoleSpec role : account.roles()) {
                    assertThat(iam.roles().getRole(account.id(), role.name()).roleName()).isEqualTo(role.name());
                }
            });
        }
    }
}
