package org.opensts.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Reads HTTP/1.1 answers off a raw socket, for tests that write requests byte for byte. */
final class RawHttpAnswers {
    private RawHttpAnswers() {
    }

    /**
     * Reads one answer of a kept-alive connection: its head, then a body of its {@code Content-Length}.
     *
     * @throws IOException if the connection closes before the answer's head is complete
     */
    static String readOne(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        while (!head.toString(US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head.toString(US_ASCII));
            }
            head.write(b);
        }
        String text = head.toString(US_ASCII);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return text + new String(in.readNBytes(length), UTF_8);
    }
}
