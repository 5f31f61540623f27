package org.opensts.token;

import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.opensts.token.internal.ByteWriter;

/**
 * Raw deflate (RFC 1951, no zlib header) for the sections a token or an authorization message compresses, and the
 * strict inverse the decoders use: a stream must inflate to exactly the length written beside it, which also bounds
 * what a forged length can make a decoder allocate (the caller checks the length first).
 */
final class RawDeflate {
    private RawDeflate() {
    }

    static byte[] deflate(byte[] raw, int level) {
        var deflater = new Deflater(level, /* nowrap= */ true);
        try {
            deflater.setInput(raw);
            deflater.finish();
            var out = new ByteWriter(raw.length / 2 + 16);
            var chunk = new byte[1024];
            while (!deflater.finished()) {
                out.writeBytes(chunk, 0, deflater.deflate(chunk));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /**
     * @throws IllegalArgumentException if {@code deflated} is not a deflate stream of exactly {@code inflatedLength}
     *     bytes with nothing after it
     */
    static byte[] inflate(byte[] deflated, int inflatedLength) {
        var inflated = new byte[inflatedLength];
        var inflater = new Inflater(/* nowrap= */ true);
        try {
            inflater.setInput(deflated);
            int n = inflater.inflate(inflated);
            if (n != inflatedLength || !inflater.finished() || inflater.getRemaining() != 0) {
                throw new IllegalArgumentException("the deflate stream does not inflate to its stated length");
            }
            return inflated;
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not a deflate stream", e);
        } finally {
            inflater.end();
        }
    }
}
