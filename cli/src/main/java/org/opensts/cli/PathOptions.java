package org.opensts.cli;

import java.io.IOException;
import java.nio.file.AccessMode;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.opensts.client.LocalFile;

/**
 * The options of a command that name files or directories, to turn a file-system failure into one line that names the
 * option, the path as the user gave it and the system's reason: {@code --bootstrap: cannot read roles.yaml (No such
 * file or directory)}. A {@link FileSystemException}'s own message is only the path it failed on ({@code roles.yaml}),
 * or a temporary file the user never named; printed as it is, it says neither which option is wrong nor why.
 */
final class PathOptions {
    /** What the command does with an option's path, which says what it could not do. */
    enum Use {
        /** A file that is read. */
        READ("cannot read"),
        /** A file that is read, or created when absent through a temporary file beside it. */
        READ_OR_CREATE("cannot read or create"),
        /** A directory that is created when absent and written in. */
        DIRECTORY("cannot use");

        private final String failure;

        Use(String failure) {
            this.failure = failure;
        }
    }

    private record PathOption(String name, Path path, Use use) {
        Path absolute() {
            return absolute(path);
        }

        static Path absolute(Path path) {
            return path.toAbsolutePath().normalize();
        }
    }

    private final List<PathOption> options = new ArrayList<>();

    /** Adds an option, if it was given ({@code path} not null); the first added wins where several could match. */
    PathOptions add(String name, Path path, Use use) {
        if (path != null) {
            options.add(new PathOption(name, path, use));
        }
        return this;
    }

    /**
     * Checks that {@code file} exists, is not a directory (which opens, but does not read) and may be read, without
     * opening it (a FIFO would hold the open).
     *
     * @throws FileSystemException naming {@code file}, with the system's reason
     */
    static void checkReadable(Path file) throws IOException {
        if (Files.readAttributes(file, BasicFileAttributes.class).isDirectory()) {
            throw new FileSystemException(file.toString(), null, "Is a directory");
        }
        file.getFileSystem().provider().checkAccess(file, AccessMode.READ);
    }

    /** Why {@code file} cannot be read, if it cannot: "No such file or directory", "Is a directory", …. */
    static Optional<String> whyUnreadable(Path file) {
        try {
            checkReadable(file);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(LocalFile.reason(e));
        }
    }

    /**
     * One line for {@code failure}: the option it concerns, the option's path and the reason, when a
     * {@link FileSystemException} in its causes names a path at, inside, above or (for {@link Use#READ_OR_CREATE})
     * beside an option's; else that path and the reason; else the failure's message.
     */
    String describe(IOException failure) {
        FileSystemException fileSystem = fileSystemCause(failure);
        if (fileSystem == null || fileSystem.getFile() == null) {
            return describeWithoutOptions(failure);
        }
        String reason = LocalFile.reason(fileSystem);
        Path failed = PathOption.absolute(Path.of(fileSystem.getFile()));
        for (PathOption option : options) {
            if (option.absolute().equals(failed)) {
                return line(option, reason);
            }
        }
        for (PathOption option : options) {
            // Inside a directory option (its audit log, its store), or a directory above an option that is no
            // directory or cannot be created.
            if (failed.startsWith(option.absolute()) || option.absolute().startsWith(failed)) {
                return line(option, reason + ": " + fileSystem.getFile());
            }
        }
        for (PathOption option : options) {
            if (option.use == Use.READ_OR_CREATE && Objects.equals(failed.getParent(), option.absolute().getParent())) {
                // The temporary file the option's file is created through: its directory is what is wrong.
                return line(option, reason + ": " + Objects.requireNonNullElse(option.path.getParent(),
                        option.absolute().getParent()));
            }
        }
        return fileSystem.getFile() + ": " + reason;
    }

    /** One line for {@code failure} when no option is known: the path a file-system failure names and its reason. */
    static String describeWithoutOptions(IOException failure) {
        FileSystemException fileSystem = fileSystemCause(failure);
        if (fileSystem == null || fileSystem.getFile() == null) {
            return failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        }
        String other = fileSystem.getOtherFile() == null ? "" : " -> " + fileSystem.getOtherFile();
        return fileSystem.getFile() + other + ": " + LocalFile.reason(fileSystem);
    }

    private static String line(PathOption option, String reason) {
        return option.name + ": " + option.use.failure + " " + option.path + " (" + reason + ")";
    }

    /**
     * The failure if it is a {@link FileSystemException}, or the one it wraps without words of its own
     * ({@code new IOException(cause)}); a failure that says more than its cause keeps its message.
     */
    private static FileSystemException fileSystemCause(Throwable failure) {
        Throwable current = failure;
        while (current != null) {
            if (current instanceof FileSystemException fileSystem) {
                return fileSystem;
            }
            Throwable cause = current.getCause();
            if (cause == null || current.getMessage() != null && !current.getMessage().equals(cause.toString())) {
                return null;
            }
            current = cause;
        }
        return null;
    }
}
