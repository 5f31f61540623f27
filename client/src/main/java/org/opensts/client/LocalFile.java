package org.opensts.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a small local file that a user or an orchestrator names — a token file, a config file — within a size bound
 * and a time limit, so that no file can hold the reader: a FIFO, a directory or an endless device is an
 * {@link IOException} with a one-line reason, never a hang or an exhausted heap.
 *
 * <p>The type is checked first, but a check by path cannot cover what a later open by path finds: one who may write
 * the file's directory can swap a FIFO in between, and Java opens no file without blocking, so an {@code open()} of a
 * FIFO waits in the kernel for a writer that may never come, where no interrupt reaches it. The open and the read
 * therefore run on a thread of their own, waited for {@link #TIME_LIMIT} at most. A read that outlives its limit is
 * abandoned; if the path is then a FIFO, it is opened for reading and writing once (which Linux never blocks on) to
 * give the stuck open the writer it waits for. At most {@link #MAX_READS} reads are under way at once, stuck ones
 * included: beyond that a read fails at once rather than leaving threads behind without bound.
 */
public final class LocalFile {
    /** How long a read may take: a local file of a few kilobytes is read in microseconds. */
    public static final Duration TIME_LIMIT = Duration.ofSeconds(2);
    /** Reads under way at once, stuck ones included. */
    static final int MAX_READS = 16;

    private static final ThreadPoolExecutor READERS = new ThreadPoolExecutor(0, MAX_READS, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), task -> {
                Thread thread = new Thread(task, "opensts-local-file-read");
                thread.setDaemon(true);
                return thread;
            });

    private LocalFile() {
    }

    /** Which files besides regular ones may be read. */
    public enum Accept {
        /** Regular files only (after links). */
        REGULAR_FILES,
        /**
         * Regular files and character devices: {@code /dev/null}, the usual way to say "no config file", reads as
         * empty, and an endless device stops at the bound.
         */
        REGULAR_FILES_AND_CHARACTER_DEVICES
    }

    /**
     * The bytes of {@code file}.
     *
     * @throws IOException with a short reason as its message ("No such file or directory", "Permission denied", "not
     *     a regular file", "larger than N bytes", "not read within 2 seconds") if the file is missing, unreadable, of a
     *     type {@code accept} does not take, longer than {@code maxBytes} or not read within {@link #TIME_LIMIT}
     */
    public static byte[] read(Path file, int maxBytes, Accept accept) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new IOException(reason(e), e);
        }
        if (!attributes.isRegularFile()
                && !(accept == Accept.REGULAR_FILES_AND_CHARACTER_DEVICES && isCharacterDevice(file))) {
            throw new IOException(attributes.isDirectory() ? "is a directory" : "not a regular file");
        }
        return readWithinTheLimit(file, maxBytes);
    }

    /** Opens and reads {@code file} on a reader thread, waiting {@link #TIME_LIMIT} at most; the type unchecked. */
    static byte[] readWithinTheLimit(Path file, int maxBytes) throws IOException {
        Future<byte[]> reading;
        try {
            reading = READERS.submit(() -> readAtMost(file, maxBytes));
        } catch (RejectedExecutionException e) {
            throw new IOException("not read: " + MAX_READS + " earlier reads of local files are still waiting", e);
        }
        try {
            return reading.get(TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            reading.cancel(true); // a read of an open channel ends at the interrupt; an open does not
            releaseAStuckOpen(file);
            throw new IOException("not read within " + TIME_LIMIT.toSeconds() + " seconds (not a regular file?)");
        } catch (InterruptedException e) {
            reading.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading " + file);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TooLarge) {
                throw new IOException(cause.getMessage());
            }
            throw cause instanceof IOException io ? new IOException(reason(io), io) : new IOException(cause);
        }
    }

    /** Reads under way now, stuck ones included. */
    static int readsUnderWay() {
        return READERS.getActiveCount();
    }

    /**
     * A one-line reason for {@code e}: the system's ("No such file or directory") where it gave one, not the path that
     * the messages of {@link FileSystemException}s consist of.
     */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileSystemException fileSystem) {
            return fileSystem.getReason() != null ? fileSystem.getReason() : "cannot be read";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static byte[] readAtMost(Path file, int maxBytes) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new TooLarge(maxBytes);
            }
            return bytes;
        }
    }

    /**
     * Opens {@code file} for reading and writing if it is now a FIFO: on Linux that never blocks, and it wakes an open
     * for reading that waits for a writer. Best effort: the FIFO may be gone, or not ours to write.
     */
    private static void releaseAStuckOpen(Path file) {
        try {
            if (isFifo(file)) {
                FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
            }
        } catch (IOException | UnsupportedOperationException e) {
            // nothing more to do: the reader stays counted among the MAX_READS until its open ends
        }
    }

    private static boolean isCharacterDevice(Path file) throws IOException {
        return fileType(file) == 0020000;
    }

    private static boolean isFifo(Path file) throws IOException {
        return fileType(file) == 0010000;
    }

    /** The {@code S_IFMT} bits of the file's mode, or -1 where the system does not say. */
    private static int fileType(Path file) throws IOException {
        try {
            return (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }

    /** The file holds more than the bound; a reason of its own, not the system's. */
    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(int maxBytes) {
            super("larger than " + maxBytes + " bytes");
        }
    }
}
