package org.opensts.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit file under the writer: rollovers by day and size, their names, what a crash leaves behind, and a file
 * moved, deleted or truncated under it.
 */
class RollingAuditFileTest {
    private static final Instant DAY_ONE = Instant.parse("2026-12-05T23:59:59Z");
    /** Far from midnight: a second later is the same day, so that no rollover mixes in. */
    private static final Instant MIDDAY = Instant.parse("2026-12-05T12:00:00Z");

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock(DAY_ONE);

    @Test
    void aNewUtcDay_rollsThePreviousDaysEventsIntoTheirOwnCompressedFile() throws IOException {
        RollingAuditFile file = RollingAuditFile.open(dir, 1 << 20, 90, clock);
        file.write(lines(List.of("a", "b")));
        clock.now = DAY_ONE.plusSeconds(2);

        file.write(lines(List.of("c")));
        file.close();

        assertThat(names()).containsExactlyInAnyOrder("audit.log", "audit.2026-12-05.0.log.gz");
        assertThat(gunzip(dir.resolve("audit.2026-12-05.0.log.gz"))).isEqualTo("a\nb\n");
        assertThat(Files.readString(dir.resolve("audit.log"))).isEqualTo("c\n");
    }

    @Test
    void aBatchThatWouldPassTheMaximumSize_goesWholeToANewFile_numberedAfterTheDaysLast() throws IOException {
        Files.write(dir.resolve("audit.2026-12-05.0.log.gz"), gzip("old\n"));
        Files.write(dir.resolve("audit.2026-12-05.4.log.gz"), gzip("old\n"));
        RollingAuditFile file = RollingAuditFile.open(dir, 1024, 90, clock);
        String line = "x".repeat(399);
        file.write(lines(List.of(line, line)));

        file.write(lines(List.of(line, line)));
        file.close();

        assertThat(gunzip(dir.resolve("audit.2026-12-05.5.log.gz"))).isEqualTo(line + "\n" + line + "\n");
        assertThat(Files.readString(dir.resolve("audit.log"))).isEqualTo(line + "\n" + line + "\n");
    }

    @Test
    void open_cutsOffAnIncompleteLastLine_andAppendsAfterTheWholeOnes() throws IOException {
        Path active = Files.writeString(dir.resolve("audit.log"), "{\"a\":1}\n{\"b\":2}\n{\"c\":", UTF_8);
        Files.setLastModifiedTime(active, FileTime.from(DAY_ONE));

        RollingAuditFile file = RollingAuditFile.open(dir, 1 << 20, 90, clock);
        file.write(lines(List.of("{\"d\":4}")));
        file.close();

        assertThat(Files.readString(dir.resolve("audit.log"))).isEqualTo("{\"a\":1}\n{\"b\":2}\n{\"d\":4}\n");
    }

    @Test
    void open_finishesACompressionACrashCutShort_andDropsOneThatWasDone() throws IOException {
        Files.writeString(dir.resolve("audit.2026-12-04.0.log"), "unfinished\n", UTF_8);
        Files.write(dir.resolve("audit.2026-12-04.0.log.gz.part"), new byte[] {31, -117, 8});
        Files.writeString(dir.resolve("audit.2026-12-04.1.log"), "done\n", UTF_8);
        Files.write(dir.resolve("audit.2026-12-04.1.log.gz"), gzip("done\n"));

        RollingAuditFile.open(dir, 1 << 20, 90, clock).close();

        assertThat(names()).containsExactlyInAnyOrder("audit.log", "audit.2026-12-04.0.log.gz",
                "audit.2026-12-04.1.log.gz");
        assertThat(gunzip(dir.resolve("audit.2026-12-04.0.log.gz"))).isEqualTo("unfinished\n");
        assertThat(gunzip(dir.resolve("audit.2026-12-04.1.log.gz"))).isEqualTo("done\n");
    }

    @Test
    void anExistingFileFromAnEarlierDay_isRolledAsThatDay_atTheFirstBatch() throws IOException {
        Path active = Files.writeString(dir.resolve("audit.log"), "yesterday\n", UTF_8);
        Files.setLastModifiedTime(active, FileTime.from(DAY_ONE.minusSeconds(86_400)));

        RollingAuditFile file = RollingAuditFile.open(dir, 1 << 20, 90, clock);
        file.write(lines(List.of("today")));
        file.close();

        assertThat(gunzip(dir.resolve("audit.2026-12-04.0.log.gz"))).isEqualTo("yesterday\n");
        assertThat(Files.readString(active)).isEqualTo("today\n");
    }

    @Test
    void audit_logMovedAway_theNextWriteAfterASecond_createsANewAuditLog_andTheMovedFileKeepsItsEvents()
            throws IOException {
        clock.now = MIDDAY;
        RollingAuditFile file = RollingAuditFile.open(dir, 1 << 20, 90, clock);
        file.write(lines(List.of("before")));
        Files.move(dir.resolve("audit.log"), dir.resolve("audit.log.1"));

        // Within the second since the last check, the file held is written on: one check a second, not per batch.
        file.write(lines(List.of("within")));
        clock.now = clock.now.plusMillis(RollingAuditFile.IDENTITY_CHECK_INTERVAL_MILLIS);
        file.write(lines(List.of("after")));
        file.close();

        assertThat(Files.readString(dir.resolve("audit.log.1"))).isEqualTo("before\nwithin\n");
        assertThat(Files.readString(dir.resolve("audit.log"))).isEqualTo("after\n");
    }

    @Test
    void audit_logDeleted_theNextWriteAfterASecond_createsANewAuditLog() throws IOException {
        clock.now = MIDDAY;
        RollingAuditFile file = RollingAuditFile.open(dir, 1 << 20, 90, clock);
        file.write(lines(List.of("before")));
        Files.delete(dir.resolve("audit.log"));
        clock.now = clock.now.plusMillis(RollingAuditFile.IDENTITY_CHECK_INTERVAL_MILLIS);

        file.write(lines(List.of("after")));
        file.force();
        file.close();

        assertThat(Files.readString(dir.resolve("audit.log"))).isEqualTo("after\n");
    }

    @Test
    void audit_logReplacedByANewFile_asALogRotationCreatesIt_theNextWritesGoToTheNewFile() throws IOException {
        clock.now = MIDDAY;
        RollingAuditFile file = RollingAuditFile.open(dir, 1 << 20, 90, clock);
        file.write(lines(List.of("before")));
        Files.move(dir.resolve("audit.log"), dir.resolve("audit.log.1"));
        Files.createFile(dir.resolve("audit.log"));
        clock.now = clock.now.plusMillis(RollingAuditFile.IDENTITY_CHECK_INTERVAL_MILLIS);

        file.write(lines(List.of("after")));
        file.write(lines(List.of("later")));
        file.close();

        assertThat(Files.readString(dir.resolve("audit.log.1"))).isEqualTo("before\n");
        assertThat(Files.readString(dir.resolve("audit.log"))).isEqualTo("after\nlater\n");
    }

    @Test
    void audit_logTruncatedInPlace_isWrittenOnFromItsNewEnd_notPastAHole() throws IOException {
        clock.now = MIDDAY;
        RollingAuditFile file = RollingAuditFile.open(dir, 1 << 20, 90, clock);
        file.write(lines(List.of("before", "more")));
        try (var channel = FileChannel.open(dir.resolve("audit.log"),
                StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        clock.now = clock.now.plusMillis(RollingAuditFile.IDENTITY_CHECK_INTERVAL_MILLIS);

        file.write(lines(List.of("after")));
        file.close();

        assertThat(Files.readString(dir.resolve("audit.log"))).isEqualTo("after\n");
    }

    /** Under traffic a copy-then-truncate rotation falls between two writes of one second: no hole either. */
    @Test
    void audit_logTruncatedInPlace_betweenTwoWritesOfOneSecond_isWrittenOnFromItsNewEnd() throws IOException {
        clock.now = MIDDAY;
        RollingAuditFile file = RollingAuditFile.open(dir, 1 << 20, 90, clock);
        file.write(lines(List.of("before", "more")));
        try (var channel = FileChannel.open(dir.resolve("audit.log"), StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }

        file.write(lines(List.of("after")));
        file.write(lines(List.of("later")));
        file.close();

        assertThat(Files.readString(dir.resolve("audit.log"))).isEqualTo("after\nlater\n");
    }

    @Test
    void audit_logMovedThenDeleted_underARunningWriter_theNextEventsLandInANewAuditLog() throws IOException {
        clock.now = MIDDAY;
        RollingAuditFile file = RollingAuditFile.open(dir, 1 << 20, 90, clock);
        try (AuditWriter writer = AuditWriter.start(file, AuditFsync.BATCH)) {
            writer.append("before");
            Files.move(dir.resolve("audit.log"), dir.resolve("audit.log.1"));
            Files.delete(dir.resolve("audit.log.1"));
            clock.now = clock.now.plusMillis(RollingAuditFile.IDENTITY_CHECK_INTERVAL_MILLIS);

            writer.append("after");
            writer.append("later");
        }

        assertThat(Files.readString(dir.resolve("audit.log"))).isEqualTo("after\nlater\n");
    }

    /** The lines of {@code events}, as the writer hands them to its output. */
    private static List<byte[]> lines(List<String> events) {
        return events.stream().map(event -> (event + "\n").getBytes(UTF_8)).toList();
    }

    private List<String> names() throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.map(path -> path.getFileName().toString()).toList();
        }
    }

    private static String gunzip(Path path) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path))) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    private static byte[] gzip(String text) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(UTF_8));
        }
        return bytes.toByteArray();
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
