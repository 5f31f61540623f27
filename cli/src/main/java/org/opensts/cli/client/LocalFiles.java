package org.opensts.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads the files a user points the client commands at — the config and credentials files, a web identity token, a
 * parameter's {@code file://} — and a credential process's output, each within a bound: a device, a FIFO or an endless
 * file is a one-line error, not a hang or an exhausted heap.
 */
final class LocalFiles {
    /** Far beyond any config file, token or policy document: a web identity token is at most 20,000 characters. */
    static final int MAX_BYTES = 1024 * 1024;

    private LocalFiles() {
    }

    /**
     * The text of {@code file}, UTF-8.
     *
     * @throws IOException if the file cannot be read, is not a regular file (after links), holds more than
     *     {@link #MAX_BYTES} bytes or is not UTF-8
     */
    static String readString(Path file) throws IOException {
        if (!Files.readAttributes(file, BasicFileAttributes.class).isRegularFile()) {
            throw new IOException("not a regular file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = readAtMost(in);
        }
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
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
