package org.opensts.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer in a JVM of its own, on the real file behind a slow disk (each batch's write takes 20 ms, so events
 * queue up while it runs), with producers that print each event's number once {@link AuditWriter#append} has
 * returned for it. Killed with SIGKILL after enough of them: every number printed is in the file. A writer that
 * acknowledged events before writing them would lose the ones queued at the kill, and this test would see it.
 */
class AuditWriterKillTest {
    private static final int ACKNOWLEDGED_BEFORE_THE_KILL = 500;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @EnumSource(AuditFsync.class)
    void sigkill_losesNoAcknowledgedEvent(AuditFsync fsync) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Producers.class.getName(), dir.toString(),
                fsync.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Set<String> acknowledged = new HashSet<>();
        try (var out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                acknowledged.add(line);
                if (acknowledged.size() == ACKNOWLEDGED_BEFORE_THE_KILL) {
                    // SIGKILL, through the handle: Process.destroyForcibly would also close the pipe still read.
                    child.toHandle().destroyForcibly();
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        List<String> lines = Files.readAllLines(dir.resolve(AuditLogFile.ACTIVE_FILE_NAME), UTF_8);
        Set<String> written = new HashSet<>();
        for (String line : lines) {
            assertThat(line).matches("\\{\"n\":\"\\d+-\\d+\"}");
            written.add(line.substring(6, line.length() - 2));
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_THE_KILL);
        assertThat(written).containsAll(acknowledged);
    }

    /** The child: four producers appending as fast as the writer lets them, printing what it acknowledged. */
    static final class Producers {
        public static void main(String[] args) throws Exception {
            RollingAuditFile file = RollingAuditFile.open(Path.of(args[0]), 1L << 30, 90, Clock.systemUTC());
            AuditOutput slowDisk = new AuditOutput() {
                @Override
                public void write(List<byte[]> lines) throws IOException {
                    try {
                        // Not a test waiting: the disk this child simulates takes its time.
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    file.write(lines);
                }

                @Override
                public void force() throws IOException {
                    file.force();
                }

                @Override
                public void close() throws IOException {
                    file.close();
                }
            };
            AuditWriter writer = AuditWriter.start(slowDisk, AuditFsync.parse(args[1]));
            PrintStream out = new PrintStream(System.out, true, UTF_8);
            for (int t = 0; t < 4; t++) {
                int producer = t;
                new Thread(() -> {
                    for (int n = 0; ; n++) {
                        String id = producer + "-" + n;
                        writer.append("{\"n\":\"" + id + "\"}");
                        out.println(id);
                    }
                }).start();
            }
        }
    }
}
