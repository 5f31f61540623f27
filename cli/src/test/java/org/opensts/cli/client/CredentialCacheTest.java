package org.opensts.cli.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CredentialCache}'s lock, held by another process as a run stopped in a terminal holds it: the others wait
 * for it no longer than the wait allows, then call STS themselves.
 */
class CredentialCacheTest {
    private static final String DOCUMENT = "{\"Version\":1,\"AccessKeyId\":\"ASIAEXAMPLE\",\"SecretAccessKey\":\"s\","
            + "\"SessionToken\":\"t\",\"Expiration\":\"2999-01-01T00:00:00Z\"}";

    /** Takes a POSIX lock on the file named by its argument, says so, and holds it until killed. */
    private static final String LOCK_HOLDER = """
            import java.nio.channels.FileChannel;
            import java.nio.file.*;
            import java.nio.file.attribute.PosixFilePermissions;
            import java.util.Set;
            public class LockHolder {
                public static void main(String[] args) throws Exception {
                    FileChannel channel = FileChannel.open(Path.of(args[0]), Set.of(StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                    channel.lock();
                    System.out.println("locked");
                    Thread.sleep(120_000);
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void lockHeldByAStoppedRun_isWaitedForOnlyUntilTheLimit_thenStsIsCalledDirectly() throws Exception {
        Path cache = Files.createDirectory(dir.resolve("cache"));
        Path holder = Files.writeString(dir.resolve("LockHolder.java"), LOCK_HOLDER, UTF_8);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holding = new ProcessBuilder(java, holder.toString(), cache.resolve("key.lock").toString())
                .redirectErrorStream(true).start();
        try (var said = new BufferedReader(new InputStreamReader(holding.getInputStream(), UTF_8))) {
            assertThat(said.readLine()).isEqualTo("locked");
            var fetches = new AtomicInteger();
            var warnings = new StringBuilder();

            String printed = new CredentialCache(cache, Clock.systemUTC(), Duration.ofSeconds(1))
                    .getOrFetch("key", () -> {
                        fetches.incrementAndGet();
                        return DOCUMENT;
                    }, warnings);

            assertThat(printed).isEqualTo(DOCUMENT);
            assertThat(fetches).hasValue(1);
            assertThat(warnings.toString()).isEqualTo("opensts: not caching credentials: another run has held "
                    + cache.resolve("key.lock") + " for more than 1 second\n");
        } finally {
            holding.destroyForcibly().waitFor();
        }
    }

    @Test
    void lockReleasedWithinTheLimit_isTaken_andTheEntryCached() throws Exception {
        Path cache = Files.createDirectory(dir.resolve("cache"));
        var warnings = new StringBuilder();
        var credentialCache = new CredentialCache(cache, Clock.systemUTC(), Duration.ofSeconds(1));

        credentialCache.getOrFetch("key", () -> DOCUMENT, warnings);
        String second = credentialCache.getOrFetch("key", () -> {
            throw new AssertionError("served from the cache, not fetched");
        }, warnings);

        assertThat(second).isEqualTo(DOCUMENT);
        assertThat(warnings).isEmpty();
    }
}
