package org.opensts.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code DIR/audit.log}, rolled over daily (UTC) and when a batch would grow it past a size, and its rolled-over files
 * {@code audit.YYYY-MM-DD.N.log.gz}: the day the events were written, a counter within the day, gzip-compressed.
 *
 * <p>A rollover renames {@code audit.log} to {@code audit.YYYY-MM-DD.N.log} and opens a new {@code audit.log}; a
 * background thread compresses the renamed file into {@code audit.YYYY-MM-DD.N.log.gz} (through a {@code .part} file,
 * forced to the disk, then renamed) and only then deletes it, so an event is always in exactly one complete file. A
 * compression cut short by a crash is done again at the next start. Rolled-over files of days more than the retention
 * before today are deleted at each rollover and at start.
 *
 * <p>{@code audit.log} may be moved or deleted under a running node (a log rotation that renames it and expects the
 * writer to create a new one, or a careless clean-up): the open channel would go on writing to the moved file, or to
 * a deleted one that no one can read. So a write checks, at most once a second
 * ({@link #IDENTITY_CHECK_INTERVAL_MILLIS}), that the file named {@code audit.log} is still the one it holds (by file
 * key, the inode on Unix), and if not, opens or creates {@code audit.log} and says so on the operational log. The
 * check is one {@code stat} a second rather than one per batch, as log shippers check their files: the cost is that
 * the events of up to that second after a move go to the moved file, and are lost with it if it is deleted within the
 * second. A file truncated in place (a copy-then-truncate
 * rotation) is noticed by the same check, and written on from its new end rather than past a hole.
 *
 * <p>Called by one thread at a time, the one writing the audit log's current batch ({@link AuditWriter}); the
 * compressions run on their own thread.
 */
final class RollingAuditFile implements AuditOutput {
    private static final Logger LOG = LoggerFactory.getLogger(RollingAuditFile.class);
    static final String ACTIVE_FILE_NAME = "audit.log";
    /** A rolled-over file: compressed, or (until its compression is done) not. */
    private static final Pattern ROLLED = Pattern.compile("audit\\.(\\d{4}-\\d{2}-\\d{2})\\.(\\d{1,9})\\.log(\\.gz)?");
    private static final String PART = ".part";
    /** The direct buffer a batch is copied into for its one write; a larger batch gets a larger one, kept. */
    private static final int INITIAL_BUFFER_BYTES = 256 * 1024;
    /** How often a write at most checks that {@code audit.log} is still the file it holds. */
    static final long IDENTITY_CHECK_INTERVAL_MILLIS = 1_000;

    private final Path dir;
    private final Path active;
    private final long maxBytes;
    private final int retentionDays;
    private final Clock clock;
    private final ExecutorService compressor;
    /** Null after a failure that left it unusable, until the next write reopens it. */
    private FileChannel channel;
    /**
     * The file key (inode) of the file {@link #size} and {@link #day} describe, the one the channel was opened on;
     * null where the file system has none, or before the first open.
     */
    private Object fileKey;
    /** Whether a file was opened: {@link #fileKey} and {@link #size} describe it. */
    private boolean opened;
    /** When (clock millis) the last write checked that {@code audit.log} is still the file held. */
    private long identityCheckedAt;
    /** Bytes of whole lines in the active file: where a failed write is cut back to. */
    private long size;
    /** The UTC day the active file's events were written on. */
    private LocalDate day;
    /** A file was created or renamed since the last force, so the directory must be forced too. */
    private boolean directoryChanged;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(INITIAL_BUFFER_BYTES);

    private RollingAuditFile(Path dir, long maxBytes, int retentionDays, Clock clock) {
        this.dir = dir;
        this.active = dir.resolve(ACTIVE_FILE_NAME);
        this.maxBytes = maxBytes;
        this.retentionDays = retentionDays;
        this.clock = clock;
        this.compressor = Executors.newSingleThreadExecutor(runnable -> {
            var thread = new Thread(runnable, "opensts-audit-compressor");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Opens (or creates) {@code dir/audit.log} for appending, cuts off a last line a crash left incomplete, and in the
     * background finishes compressions a crash cut short and deletes files past the retention.
     *
     * @param maxBytes a batch that would grow the active file past this many bytes goes to a new file
     * @param retentionDays rolled-over files of days more than this many days before today are deleted
     */
    static RollingAuditFile open(Path dir, long maxBytes, int retentionDays, Clock clock) throws IOException {
        Files.createDirectories(dir);
        var file = new RollingAuditFile(dir, maxBytes, retentionDays, clock);
        file.openActive();
        LocalDate today = file.today();
        file.compressor.execute(() -> {
            file.recoverCompressions();
            file.deleteExpired(today);
        });
        return file;
    }

    /**
     * Opens (or creates) {@code audit.log} for appending. The file held before a failure closed its channel is cut
     * back to the end of its last whole batch, so that the retry does not repeat a line. Any other file (at start, or
     * one put in the place of the file held) is taken as a start takes it: a last line left incomplete by a crash is
     * cut off, and its events were written on the day it was last modified.
     */
    private void openActive() throws IOException {
        boolean existed = Files.exists(active);
        // Read before a cut below touches the file: it says which day the events in it were written.
        Instant lastWritten = existed ? Files.getLastModifiedTime(active).toInstant() : clock.instant();
        // Appending: a write goes to the file's end whatever happened to it meanwhile, so that a copy-then-truncate
        // rotation between two writes leaves no hole of zeros before the next line.
        channel = FileChannel.open(active, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Object key = fileKey(active);
        // Where the file system has no file keys, a reopened file is taken for the one held, as it was before keys.
        if (opened && Objects.equals(key, fileKey)) {
            if (channel.size() > size) {
                channel.truncate(size);
            }
            size = channel.size();
        } else {
            size = endOfLastLine(active);
            if (size < channel.size()) {
                LOG.warn("{} ended with an incomplete line of {} bytes, left by a crash; it is cut off", active,
                        channel.size() - size);
                channel.truncate(size);
            }
            day = size > 0 ? LocalDate.ofInstant(lastWritten, ZoneOffset.UTC) : today();
        }
        fileKey = key;
        opened = true;
        identityCheckedAt = clock.millis();
        directoryChanged |= !existed;
    }

    /** The file key (inode) of the file at {@code path}; null if the file system has none or it cannot be read. */
    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * At most once per {@link #IDENTITY_CHECK_INTERVAL_MILLIS}: if {@code audit.log} is gone or is another file than
     * the one held (moved away, deleted, replaced), opens or creates {@code audit.log}; the events already written
     * stay in the file they went to. (A file truncated in place is found at every write: {@link #followTruncation}.)
     */
    private void reopenIfMoved(long nowMillis) throws IOException {
        if (channel == null
                || (nowMillis >= identityCheckedAt && nowMillis - identityCheckedAt < IDENTITY_CHECK_INTERVAL_MILLIS)) {
            return;
        }
        identityCheckedAt = nowMillis;
        Object key;
        try {
            key = Files.readAttributes(active, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            LOG.warn("{} was moved away or deleted while the node wrote to it; the events written to it stay where it "
                    + "went, and the events from now on go to a new {}", active, ACTIVE_FILE_NAME);
            closeChannel();
            openActive();
            return;
        } catch (IOException e) {
            // Cannot tell (a directory made unreadable): the file held is written on, as it was before the check.
            LOG.debug("Cannot check that {} is the file being written", active, e);
            return;
        }
        if (key != null && fileKey != null && !key.equals(fileKey)) {
            LOG.warn("{} was replaced by another file while the node wrote to it; the events written to the file it "
                    + "replaced stay there, and the events from now on go to the new {}", active, ACTIVE_FILE_NAME);
            closeChannel();
            openActive();
            return;
        }
    }

    /**
     * Before each write: if the file held is shorter than what was written to it (truncated in place, as a
     * copy-then-truncate rotation does), writes on from its new end, after its last whole line.
     */
    private void followTruncation() throws IOException {
        if (channel == null) {
            return;
        }
        long length = channel.size();
        if (length < size) {
            LOG.warn("{} was truncated from {} to {} bytes while the node wrote to it; the node writes on from its "
                    + "new end", active, size, length);
            size = endOfLastLine(active);
            channel.truncate(size);
        }
    }

    /** The length of the file up to and including its last line break. */
    private static long endOfLastLine(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return endOfLastLine(channel);
        }
    }

    private static long endOfLastLine(FileChannel channel) throws IOException {
        var chunk = ByteBuffer.allocate(8192);
        long end = channel.size();
        while (end > 0) {
            long start = Math.max(0, end - chunk.capacity());
            chunk.clear().limit((int) (end - start));
            while (chunk.hasRemaining()) {
                if (channel.read(chunk, start + chunk.position()) < 0) {
                    break;
                }
            }
            for (int i = chunk.position() - 1; i >= 0; i--) {
                if (chunk.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }

    @Override
    public void write(List<byte[]> lines) throws IOException {
        long bytes = 0;
        for (byte[] line : lines) {
            bytes += line.length;
        }
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        reopenIfMoved(now.toEpochMilli());
        followTruncation();
        if (size > 0 && (!today.equals(day) || size + bytes > maxBytes)) {
            roll(today);
        }
        reopenIfNeeded();
        ByteBuffer out = bufferFor(bytes);
        for (byte[] line : lines) {
            out.put(line);
        }
        out.flip();
        try {
            while (out.hasRemaining()) {
                channel.write(out);
            }
        } catch (IOException e) {
            undo(e);
            throw e;
        } catch (RuntimeException | Error e) {
            // Bytes may be in the file already: cut off as for an I/O error, so that the retry does not repeat them.
            undo(e);
            throw e;
        }
        if (size == 0) {
            day = today;
        }
        size += bytes;
    }

    private ByteBuffer bufferFor(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("an audit batch of " + bytes + " bytes");
        }
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect((int) bytes);
        }
        return buffer.clear();
    }

    /** Cuts off what a failed write left, so that the retry does not duplicate a line. */
    private void undo(Throwable cause) {
        try {
            channel.truncate(size);
        } catch (IOException e) {
            cause.addSuppressed(e);
            closeChannel();
        }
    }

    private void reopenIfNeeded() throws IOException {
        if (channel == null) {
            openActive();
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("Cannot close {}", active, e);
            }
            channel = null;
        }
    }

    /** Renames the active file for compression and starts a new one. */
    private void roll(LocalDate today) throws IOException {
        // Not forced here: with --audit-fsync batch every batch already is, and with none the renamed file's unwritten
        // pages are at the risk the active file's are (a power cut loses what the kernel had not written back). A
        // force here wrote back a whole file's pages on the writer's thread, every call waiting: 100 MB put the
        // loaded node's p99 at 20-40 ms instead of 4 (docs/PERFORMANCE.md). The compression forces its .gz.
        reopenIfNeeded();
        closeChannel();
        Path rolled = dir.resolve("audit." + day + "." + nextIndex(day) + ".log");
        Files.move(active, rolled, StandardCopyOption.ATOMIC_MOVE);
        size = 0;
        day = today;
        directoryChanged = true;
        reopenIfNeeded();
        compressor.execute(() -> {
            compress(rolled);
            deleteExpired(today);
        });
    }

    /** One more than the highest counter of the day's files, compressed or not; 0 for the day's first. */
    private int nextIndex(LocalDate rolledDay) throws IOException {
        String date = rolledDay.toString();
        OptionalInt highest;
        try (Stream<Path> listing = Files.list(dir)) {
            highest = listing.map(path -> ROLLED.matcher(path.getFileName().toString()))
                    .filter(Matcher::matches)
                    .filter(matcher -> matcher.group(1).equals(date))
                    .mapToInt(matcher -> Integer.parseInt(matcher.group(2)))
                    .max();
        }
        return highest.isPresent() ? highest.getAsInt() + 1 : 0;
    }

    /** Compresses {@code audit.D.N.log} into {@code audit.D.N.log.gz}, then deletes it. */
    private void compress(Path rolled) {
        Path compressed = rolled.resolveSibling(rolled.getFileName() + ".gz");
        Path part = rolled.resolveSibling(rolled.getFileName() + ".gz" + PART);
        try {
            try (InputStream in = Files.newInputStream(rolled);
                    FileChannel partChannel = FileChannel.open(part, StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                    var gzip = new FastGzipOutputStream(Channels.newOutputStream(partChannel))) {
                in.transferTo(gzip);
                gzip.finish();
                gzip.flush();
                partChannel.force(true);
            }
            Files.move(part, compressed, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory();
            Files.delete(rolled);
        } catch (IOException e) {
            LOG.warn("Cannot compress {}; it stays as it is and is compressed at the next start", rolled, e);
        }
    }

    /**
     * Gzip at zlib's fastest level. The compression shares the node's CPUs with the calls whose events it compresses:
     * at the default level it took a quarter of a core while a 2-CPU node answered 30,000 calls a second; the fastest
     * level takes about 40% less for files about 14% larger (JSON events compress about ninefold either way).
     */
    private static final class FastGzipOutputStream extends GZIPOutputStream {
        FastGzipOutputStream(OutputStream out) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }

    /** Compressions a crash cut short: a {@code .part} is dropped, a file with its complete {@code .gz} deleted. */
    private void recoverCompressions() {
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path path : listing.toList()) {
                String name = path.getFileName().toString();
                if (name.endsWith(PART) && ROLLED.matcher(name.substring(0, name.length() - PART.length()))
                        .matches()) {
                    Files.deleteIfExists(path);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list {} for unfinished audit compressions", dir, e);
            return;
        }
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path path : listing.toList()) {
                Matcher matcher = ROLLED.matcher(path.getFileName().toString());
                if (matcher.matches() && matcher.group(3) == null) {
                    Path compressed = path.resolveSibling(path.getFileName() + ".gz");
                    if (Files.exists(compressed)) {
                        Files.delete(path);
                    } else {
                        compress(path);
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot finish the audit compressions in {}", dir, e);
        }
    }

    /** Deletes the rolled-over, compressed files of days more than the retention before {@code today}. */
    void deleteExpired(LocalDate today) {
        LocalDate oldestKept = today.minusDays(retentionDays);
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path path : listing.toList()) {
                Matcher matcher = ROLLED.matcher(path.getFileName().toString());
                if (matcher.matches() && matcher.group(3) != null && parseDay(matcher.group(1)).isBefore(oldestKept)) {
                    Files.deleteIfExists(path);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot delete the audit files past the retention in {}", dir, e);
        }
    }

    private static LocalDate parseDay(String date) {
        try {
            return LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            // 2026-02-31 is no day we wrote: keep it, an operator put it there.
            return LocalDate.MAX;
        }
    }

    @Override
    public void force() throws IOException {
        reopenIfNeeded();
        channel.force(false);
        if (directoryChanged) {
            forceDirectory();
            directoryChanged = false;
        }
    }

    /** A new or renamed file's directory entry is on the disk only once the directory is forced (Linux). */
    private void forceDirectory() throws IOException {
        FileChannel directory;
        try {
            directory = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException e) {
            // Some systems cannot open a directory at all; they keep their directory entries by other means.
            return;
        }
        try (directory) {
            directory.force(true);
        }
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** Closes the active file and waits for the compressions under way. */
    @Override
    public void close() throws IOException {
        try {
            if (channel != null) {
                channel.close();
            }
        } finally {
            channel = null;
            compressor.shutdown();
            try {
                if (!compressor.awaitTermination(1, TimeUnit.MINUTES)) {
                    LOG.warn("An audit compression is still running at shutdown; it is done again at the next start");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
