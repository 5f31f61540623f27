package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Optional;
import org.opensts.token.MasterKey;

/**
 * The master key file of a start. A file that exists is read. One that does not is not created at once: a new key is
 * written to a temporary file beside it, readable by the owner only and forced to the disk, and is put in place by
 * {@link #keep()} only once the store has shown that it holds no key ring of its own. So a deleted key file, or one on
 * a volume not mounted yet, leaves no new key behind for the next start to blame as a wrong one.
 *
 * <p>Closing it deletes the temporary file of a key that was not kept.
 */
final class MasterKeyFile implements AutoCloseable {
    private final Path file;
    private final MasterKey key;
    private final Optional<Path> pending;

    private MasterKeyFile(Path file, MasterKey key, Optional<Path> pending) {
        this.file = file;
        this.key = key;
        this.pending = pending;
    }

    /**
     * Reads the key in {@code file}, or, if there is none, makes a new key, not yet in place.
     *
     * @throws IOException if the file is not a key, cannot be read, or its directory cannot take a new one
     */
    static MasterKeyFile open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            // Reading one fails with the reason alone; the path says which file is meant.
            throw new FileSystemException(file.toString(), null, "Is a directory");
        }
        if (Files.exists(file)) {
            return new MasterKeyFile(file, read(file), Optional.empty());
        }
        String keyset;
        MasterKey key;
        try {
            keyset = MasterKey.generateKeysetJson();
            key = MasterKey.fromKeysetJson(keyset);
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot generate a master key", e);
        }
        Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), ".opensts", ".tmp",
                PosixFilePermissions.asFileAttribute(OpenStsNode.OWNER_ONLY));
        try {
            OpenStsNode.writeAndForce(temporary, keyset);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        return new MasterKeyFile(file, key, Optional.of(temporary));
    }

    Path file() {
        return file;
    }

    /** The key read, or the new one. */
    MasterKey key() {
        return key;
    }

    /** Whether the file did not exist, so that {@link #key()} is a new key, not yet in place. */
    boolean isNew() {
        return pending.isPresent();
    }

    /**
     * Puts a new key in place, unless another node put its own there first, and returns the key in the file: this
     * one's, or the other node's, which is then the one to use. The file and its directory entry are on the disk before
     * this returns: the store is about to hold secrets sealed under the key, and a crash that lost it would leave them
     * sealed under a key no one has.
     */
    MasterKey keep() throws IOException {
        if (pending.isEmpty()) {
            return key;
        }
        Path temporary = pending.get();
        boolean placed = true;
        try {
            // A hard link appears atomically and fails if the name is taken: of two racing nodes, one key wins.
            Files.createLink(file, temporary);
        } catch (FileAlreadyExistsException e) {
            placed = false;
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (Files.exists(file)) {
                placed = false;
            } else {
                Files.move(temporary, file);
            }
        }
        OpenStsNode.forceDirectory(file.toAbsolutePath().getParent());
        Files.deleteIfExists(temporary);
        return placed ? key : read(file);
    }

    @Override
    public void close() throws IOException {
        if (pending.isPresent()) {
            Files.deleteIfExists(pending.get());
        }
    }

    private static MasterKey read(Path file) throws IOException {
        try {
            return MasterKey.fromKeysetJson(Files.readString(file, UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IOException("The master key in " + file + " is not a valid key", e);
        }
    }
}
