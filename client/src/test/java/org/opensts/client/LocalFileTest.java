package org.opensts.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.client.LocalFile.Accept;

/**
 * {@link LocalFile}: what a token or config file that cannot be read whole is told as, and that an open the type check
 * could not foresee (a FIFO swapped in after it) is abandoned after the time limit and its thread given back.
 */
class LocalFileTest {
    @TempDir
    Path dir;

    @Test
    void regularFile_isReadWhole() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "eyJ.token\n", UTF_8);

        assertThat(new String(LocalFile.read(file, 64, Accept.REGULAR_FILES), UTF_8)).isEqualTo("eyJ.token\n");
    }

    @Test
    void reasons_areTheSystemsWords_notThePathAgain() throws Exception {
        Path missing = dir.resolve("missing");
        Path directory = Files.createDirectory(dir.resolve("directory"));
        Path big = Files.write(dir.resolve("big"), new byte[65]);
        Path fifo = fifo("fifo");

        assertThatThrownBy(() -> LocalFile.read(missing, 64, Accept.REGULAR_FILES))
                .hasMessage("No such file or directory");
        assertThatThrownBy(() -> LocalFile.read(directory, 64, Accept.REGULAR_FILES)).hasMessage("is a directory");
        assertThatThrownBy(() -> LocalFile.read(big, 64, Accept.REGULAR_FILES)).hasMessage("larger than 64 bytes");
        assertThatThrownBy(() -> LocalFile.read(fifo, 64, Accept.REGULAR_FILES)).hasMessage("not a regular file");
        assertThatThrownBy(() -> LocalFile.read(Path.of("/dev/null"), 64, Accept.REGULAR_FILES))
                .hasMessage("not a regular file");
    }

    @Test
    void unreadableFile_isPermissionDenied() throws Exception {
        Path file = Files.writeString(dir.resolve("secret"), "x", UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        Assumptions.assumeFalse(Files.isReadable(file), "root reads any file");

        assertThatThrownBy(() -> LocalFile.read(file, 64, Accept.REGULAR_FILES)).hasMessage("Permission denied");
    }

    @Test
    void characterDevices_whenAccepted_readWithinTheBound() throws Exception {
        assertThat(LocalFile.read(Path.of("/dev/null"), 64, Accept.REGULAR_FILES_AND_CHARACTER_DEVICES)).isEmpty();
        assertThatThrownBy(() -> LocalFile.read(Path.of("/dev/zero"), 64, Accept.REGULAR_FILES_AND_CHARACTER_DEVICES))
                .hasMessage("larger than 64 bytes");
    }

    /**
     * What a FIFO swapped in between the type check and the open does: the open waits in the kernel for a writer. The
     * read gives up at the limit, and its thread, given the writer it waits for, does not stay behind.
     */
    @Test
    void openThatWaitsForAWriter_isAbandonedAtTheTimeLimit_andItsThreadReleased() throws Exception {
        Path fifo = fifo("swapped-in");
        Instant start = Instant.now();

        assertThatThrownBy(() -> LocalFile.readWithinTheLimit(fifo, 64)).isInstanceOf(IOException.class)
                .hasMessage("not read within 2 seconds (not a regular file?)");

        assertThat(Duration.between(start, Instant.now())).isLessThan(LocalFile.TIME_LIMIT.multipliedBy(5));
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (LocalFile.readsUnderWay() > 0 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(LocalFile.readsUnderWay()).isZero();
    }

    private Path fifo(String name) throws Exception {
        Path fifo = dir.resolve(name);
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        return fifo;
    }
}
