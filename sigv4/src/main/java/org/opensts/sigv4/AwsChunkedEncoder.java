package org.opensts.sigv4;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a whole body in the {@code aws-chunked} encoding that {@link AwsChunkedDecoder} reads: for a client that
 * sends small bodies this way, and for tests. The checksum trailers are computed from the data.
 */
public final class AwsChunkedEncoder {
    private AwsChunkedEncoder() {
    }

    /**
     * Encodes {@code data}.
     *
     * @param chunkSize the size of every chunk but the last (AWS requires at least 8 KiB; any size decodes)
     * @param signatures the chain to sign chunks (and the trailer) with, seeded with the request's signature;
     *     {@code null} for unsigned chunks
     * @param trailer whether to end with trailing headers
     * @param checksums the checksum trailers to compute and send, in order
     */
    public static byte[] encode(byte[] data, int chunkSize, ChunkSignatures signatures, boolean trailer,
            ChecksumAlgorithm... checksums) {
        requireNonNull(data, "data");
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be positive: " + chunkSize);
        }
        var out = new ByteArrayOutputStream(data.length + 256);
        for (int offset = 0; offset < data.length; offset += chunkSize) {
            byte[] chunk = Arrays.copyOfRange(data, offset, Math.min(data.length, offset + chunkSize));
            writeChunkHeader(out, chunk, signatures);
            out.writeBytes(chunk);
            out.writeBytes("\r\n".getBytes(UTF_8));
        }
        writeChunkHeader(out, new byte[0], signatures);
        if (trailer) {
            Map<String, String> trailers = new LinkedHashMap<>();
            for (ChecksumAlgorithm algorithm : checksums) {
                ChecksumAlgorithm.Running running = algorithm.start();
                running.update(ByteBuffer.wrap(data));
                trailers.put(algorithm.headerName(), running.base64());
            }
            String text = ChunkSignatures.trailerText(new ArrayList<>(trailers.entrySet()));
            out.writeBytes(text.replace("\n", "\r\n").getBytes(UTF_8));
            if (signatures != null) {
                String signature = signatures.signTrailer(sha256(text.getBytes(UTF_8)));
                out.writeBytes(("x-amz-trailer-signature:" + signature + "\r\n").getBytes(UTF_8));
            }
        } else if (checksums.length > 0) {
            throw new IllegalArgumentException("checksums travel in a trailer");
        }
        out.writeBytes("\r\n".getBytes(UTF_8));
        return out.toByteArray();
    }

    private static void writeChunkHeader(ByteArrayOutputStream out, byte[] chunk, ChunkSignatures signatures) {
        String header = Integer.toHexString(chunk.length);
        if (signatures != null) {
            header += ";chunk-signature=" + signatures.signChunk(sha256(chunk));
        }
        out.writeBytes((header + "\r\n").getBytes(UTF_8));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
