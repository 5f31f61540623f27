package org.opensts.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
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

    private final Path dir;
    private final Path active;
    private final long maxBytes;
    private final int retentionDays;
    private final Clock clock;
    private final ExecutorService compressor;
    /** Null after a failure that left it unusable, until the next write reopens it. */
    private FileChannel channel;
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

    private void openActive() throws IOException {
        boolean existed = Files.exists(active);
        // Read before a cut below touches the file: it says which day the events in it were written.
        Instant lastWritten = existed ? Files.getLastModifiedTime(active).toInstant() : clock.instant();
        channel = FileChannel.open(active, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        size = endOfLastLine(channel);
        if (size < channel.size()) {
            LOG.warn("{} ended with an incomplete line of {} bytes, left by a crash; it is cut off", active,
                    channel.size() - size);
            channel.truncate(size);
        }
        channel.position(size);
        day = size > 0 ? LocalDate.ofInstant(lastWritten, ZoneOffset.UTC) : today();
        directoryChanged = !existed;
    }

    /** The length of the file up to and including its last line break. */
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
        LocalDate today = today();
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
            channel.position(size);
        } catch (IOException e) {
            cause.addSuppressed(e);
            closeChannel();
        }
    }

    private void reopenIfNeeded() throws IOException {
        if (channel != null) {
            return;
        }
        boolean existed = Files.exists(active);
        channel = FileChannel.open(active, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        if (channel.size() > size) {
            channel.truncate(size);
        }
        size = channel.size();
        channel.position(size);
        directoryChanged |= !existed;
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
