package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/**
 * A node's exclusive hold on its data directory, taken before anything in it is opened and kept for the node's life,
 * so that a second node started on the same directory is refused, whatever its store. Two nodes on one directory
 * would each append to its {@code audit.log} at their own file position and overwrite each other's events; the
 * embedded store's own file lock refuses a second node only when that store is used.
 *
 * <p>The hold is an operating-system lock on {@code DIR/node.lock}, which the kernel drops when the process ends,
 * however it ends: a node killed outright leaves the file behind but no lock, and the next node starts. The file is
 * never deleted while in use (a node that deleted it could leave a second node locking a new file of that name while a
 * third still held the old one), except by a start that fails in a directory it created itself.
 *
 * <p>Such locks belong to the whole process, not to the channel that took them, and on Linux closing any channel open
 * on the file drops every lock the process holds on it. So a second hold in this process is refused from a table of
 * the directories (and lock files) held here before the file is even opened.
 */
public final class DataDirectoryLock implements AutoCloseable {
    static final String LOCK_FILE = "node.lock";

    /** The real paths of the directories, and the identities of the lock files, that this process holds. */
    private static final Set<Object> HELD = new HashSet<>();

    private final Path directory;
    private final Path file;
    private final Object fileKey;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean released;

    private DataDirectoryLock(Path directory, Path file, Object fileKey, FileChannel channel, FileLock lock) {
        this.directory = directory;
        this.file = file;
        this.fileKey = fileKey;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock on {@code dataDir}, which must exist, and writes this process's id into the lock file.
     *
     * @throws DataDirectoryInUseException if another node, in this process or another, holds it
     * @throws IOException if the lock file cannot be created or locked
     */
    public static DataDirectoryLock acquire(Path dataDir) throws IOException {
        Path directory = dataDir.toRealPath();
        Path file = directory.resolve(LOCK_FILE);
        synchronized (HELD) {
            Object existingKey = fileKey(file);
            if (HELD.contains(directory) || existingKey != null && HELD.contains(existingKey)) {
                throw new DataDirectoryInUseException(dataDir, file, ProcessHandle.current().pid());
            }
            var channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                // Held in this process under a path the table does not know. Closing this channel would drop that
                // hold too (see the class comment), so it stays open: a refused start's one descriptor.
                throw new DataDirectoryInUseException(dataDir, file, ProcessHandle.current().pid());
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                long holder = readHolder(channel);
                channel.close();
                throw new DataDirectoryInUseException(dataDir, file, holder);
            }
            try {
                channel.truncate(0);
                channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(UTF_8)), 0);
                Object key = fileKey(file);
                HELD.add(directory);
                if (key != null) {
                    HELD.add(key);
                }
                return new DataDirectoryLock(directory, file, key, channel, lock);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }
    }

    /** The real path of the locked directory. */
    public Path directory() {
        return directory;
    }

    /** Whether this is the hold on {@code dataDir}. */
    boolean holds(Path dataDir) throws IOException {
        return !released && directory.equals(dataDir.toRealPath());
    }

    /** Releases the lock; the file stays, for the next node to lock. Releasing twice does nothing. */
    @Override
    public void close() throws IOException {
        release(/* deleteFile= */ false);
    }

    /**
     * Deletes the lock file, then releases the lock: for a start that fails in a data directory it created, which
     * leaves nothing behind.
     */
    public void closeAndDelete() throws IOException {
        release(/* deleteFile= */ true);
    }

    private void release(boolean deleteFile) throws IOException {
        synchronized (HELD) {
            if (released) {
                return;
            }
            released = true;
            try {
                if (deleteFile) {
                    Files.deleteIfExists(file);
                }
                lock.release();
            } finally {
                channel.close();
                HELD.remove(directory);
                if (fileKey != null) {
                    HELD.remove(fileKey);
                }
            }
        }
    }

    /** The file's identity (device and inode on Unix), read without opening it; null if absent or unknown. */
    private static Object fileKey(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The process id the holder wrote into the file, or -1 if it cannot be read. */
    private static long readHolder(FileChannel channel) {
        try {
            var bytes = ByteBuffer.allocate(32);
            channel.read(bytes, 0);
            return Long.parseLong(new String(bytes.array(), 0, bytes.position(), UTF_8).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Another node holds the data directory. */
    public static final class DataDirectoryInUseException extends IOException {
        private static final long serialVersionUID = 1L;

        DataDirectoryInUseException(Path dataDir, Path file, long holder) {
            super("The data directory " + dataDir + " is in use by another node ("
                    + (holder > 0 ? "process " + holder + ", " : "") + "which holds " + file
                    + "); each node needs a data directory of its own");
        }
    }
}
