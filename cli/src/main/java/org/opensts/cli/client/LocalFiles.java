package org.opensts.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.opensts.client.LocalFile;

/**
 * Reads the files a user points the client commands at — the config and credentials files, a web identity token, a
 * parameter's {@code file://} — and a credential process's output, each within a bound: a FIFO, a directory or an
 * endless device is a one-line error, not a hang or an exhausted heap (see {@link LocalFile}). A character device is
 * read as far as the bound allows, so that {@code AWS_CONFIG_FILE=/dev/null}, the usual way to say "no config", reads
 * as empty.
 */
final class LocalFiles {
    /** Far beyond any config file, token or policy document: a web identity token is at most 20,000 characters. */
    static final int MAX_BYTES = 1024 * 1024;

    private LocalFiles() {
    }

    /**
     * The text of {@code file}, UTF-8.
     *
     * @throws IOException with the reason as its message ("No such file or directory") if the file cannot be read
     *     within {@link LocalFile#TIME_LIMIT}, is neither a regular file nor a character device (after links), holds
     *     more than {@link #MAX_BYTES} bytes or is not UTF-8
     */
    static String readString(Path file) throws IOException {
        byte[] bytes = LocalFile.read(file, MAX_BYTES, LocalFile.Accept.REGULAR_FILES_AND_CHARACTER_DEVICES);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("not UTF-8", e);
        }
    }

    /**
     * Up to {@link #MAX_BYTES} bytes of {@code in}.
     *
     * @throws IOException if it has more, or cannot be read
     */
    static byte[] readAtMost(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw new IOException("larger than " + MAX_BYTES + " bytes");
        }
        return bytes;
    }
}
