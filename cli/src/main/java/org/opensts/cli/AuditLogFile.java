package org.opensts.cli;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;
import org.opensts.server.AuditLog;

/**
 * The audit log of {@code opensts serve}: every node's events, one JSON line each, in {@code DATA/audit.log}, written
 * by one thread at a time in batches ({@link AuditWriter}) and rolled over daily (UTC) and when a batch would grow the
 * file past a size ({@link RollingAuditFile}).
 *
 * <p>A rolled-over file is named {@code audit.YYYY-MM-DD.N.log.gz}: the day its events were written, a counter within
 * the day, gzip-compressed. Files of days more than the retention before today are deleted at each rollover and at
 * start. A call is answered only once its event is written (and, with {@code --audit-fsync batch}, forced to the
 * disk); {@link #close} writes what is queued and waits for the last compression, so a clean shutdown leaves every
 * event in a complete file.
 *
 * <p>Set up in code: the data directory, the size, the retention and the fsync mode are options of {@code serve},
 * known only once the command line is read, and a test can set up the same file with a tiny size.
 */
final class AuditLogFile implements AutoCloseable {
    static final String ACTIVE_FILE_NAME = RollingAuditFile.ACTIVE_FILE_NAME;

    private final AuditWriter writer;
    private final RollingAuditFile file;

    private AuditLogFile(AuditWriter writer, RollingAuditFile file) {
        this.writer = writer;
        this.file = file;
    }

    /**
     * Sends this process's audit events to {@code DIR/audit.log} from now on.
     *
     * @param maxSize the size at which the active file is rolled over, at least 1 KB
     * @param retentionDays how many days of rolled-over files are kept, at least 1
     * @throws IllegalArgumentException for a size or retention out of range
     * @throws IOException if the file cannot be opened
     */
    static AuditLogFile install(Path dataDir, FileSize maxSize, int retentionDays, AuditFsync fsync)
            throws IOException {
        return install(dataDir, maxSize, retentionDays, fsync, Clock.systemUTC());
    }

    /** As {@link #install(Path, FileSize, int, AuditFsync)}, with the clock that says which day it is. */
    static AuditLogFile install(Path dataDir, FileSize maxSize, int retentionDays, AuditFsync fsync, Clock clock)
            throws IOException {
        requireNonNull(dataDir, "dataDir");
        requireNonNull(maxSize, "maxSize");
        requireNonNull(fsync, "fsync");
        if (maxSize.getSize() < FileSize.KB_COEFFICIENT) {
            throw new IllegalArgumentException("the audit log's maximum size must be at least 1KB");
        }
        if (retentionDays < 1) {
            throw new IllegalArgumentException("the audit log's retention must be at least 1 day");
        }
        RollingAuditFile file = RollingAuditFile.open(dataDir, maxSize.getSize(), retentionDays, clock);
        AuditWriter writer = AuditWriter.start(file, fsync);
        AuditLog.sendTo(writer);
        return new AuditLogFile(writer, file);
    }

    /** Deletes an empty {@code audit.log} in {@code dataDir}, then {@code dataDir} itself if that leaves it empty. */
    static void deleteIfEmpty(Path dataDir) throws IOException {
        Path active = dataDir.resolve(ACTIVE_FILE_NAME);
        if (Files.isRegularFile(active) && Files.size(active) == 0) {
            Files.delete(active);
        }
        try (Stream<Path> entries = Files.list(dataDir)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(dataDir);
            }
        }
    }

    /** The rolling file, for tests that run its clean-up. */
    RollingAuditFile file() {
        return file;
    }

    /**
     * Writes every queued event, forces the file to the disk, closes it and waits for a compression under way. Calls
     * whose events arrive afterwards are answered {@code ServiceUnavailable}, so close it once the node no longer
     * serves requests.
     */
    @Override
    public void close() {
        writer.close();
        AuditLog.sendToLogger();
    }
}
