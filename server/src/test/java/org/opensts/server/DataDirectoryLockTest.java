package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory's lock: a second hold is refused, in this process (where the operating system's locks would not
 * tell) and from another process, and a refused attempt leaves the first hold in place.
 */
class DataDirectoryLockTest {
    @TempDir
    Path dir;

    @Test
    void acquire_twiceInOneProcess_isRefusedNamingTheDirectory() throws IOException {
        try (var first = DataDirectoryLock.acquire(dir)) {
            var refused = catchThrowableOfType(() -> DataDirectoryLock.acquire(dir),
                    DataDirectoryLock.DataDirectoryInUseException.class);

            assertThat(refused.getMessage()).startsWith("The data directory " + dir + " is in use by another node")
                    .contains(dir.resolve("node.lock").toString()).doesNotContain("\n");
        }
    }

    @Test
    void acquire_throughASymbolicLinkToAHeldDirectory_isRefused() throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), data);
        try (var first = DataDirectoryLock.acquire(data)) {
            assertThat(catchThrowableOfType(() -> DataDirectoryLock.acquire(link),
                    DataDirectoryLock.DataDirectoryInUseException.class)).isNotNull();
        }
    }

    @Test
    void acquire_afterTheHolderClosed_succeeds_andTheFileStays() throws IOException {
        DataDirectoryLock.acquire(dir).close();

        try (var second = DataDirectoryLock.acquire(dir)) {
            assertThat(second.directory()).isEqualTo(dir.toRealPath());
        }
        assertThat(dir.resolve("node.lock")).exists();
    }

    @Test
    void closeAndDelete_leavesNoLockFile() throws IOException {
        DataDirectoryLock.acquire(dir).closeAndDelete();

        assertThat(dir.resolve("node.lock")).doesNotExist();
    }

    @Test
    void acquire_heldByAnotherProcess_isRefusedNamingThatProcess() throws Exception {
        Process holder = holdInAnotherProcess(dir);
        try {
            var refused = catchThrowableOfType(() -> DataDirectoryLock.acquire(dir),
                    DataDirectoryLock.DataDirectoryInUseException.class);

            assertThat(refused.getMessage()).contains("process " + holder.pid());
        } finally {
            holder.destroy();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void refusedSecondHoldInThisProcess_leavesTheFirstInPlace_forOtherProcessesToo() throws Exception {
        try (var first = DataDirectoryLock.acquire(dir)) {
            catchThrowableOfType(() -> DataDirectoryLock.acquire(dir), IOException.class);

            // On Linux, closing any channel on the lock file would have dropped the first hold: another process
            // would then get it.
            Process other = startHolder(dir);
            try {
                assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(other.exitValue()).isEqualTo(Holder.REFUSED);
            } finally {
                other.destroy();
            }
        }
    }

    /** Starts {@link Holder} on {@code directory} and returns once it holds the lock. */
    private static Process holdInAnotherProcess(Path directory) throws IOException {
        Process process = startHolder(directory);
        var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
        assertThat(lines.readLine()).isEqualTo("held");
        return process;
    }

    private static Process startHolder(Path directory) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                Holder.class.getName(), directory.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    /** Another node's process: takes the lock and holds it until its standard input ends, or exits refused. */
    static final class Holder {
        static final int REFUSED = 3;

        public static void main(String[] args) throws IOException {
            try (var lock = DataDirectoryLock.acquire(Path.of(args[0]))) {
                System.out.println("held");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // Held until the test ends this process.
                }
            } catch (DataDirectoryLock.DataDirectoryInUseException e) {
                System.exit(REFUSED);
            }
        }
    }
}
