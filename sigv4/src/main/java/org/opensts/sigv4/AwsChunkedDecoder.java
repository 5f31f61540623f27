package org.opensts.sigv4;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Decodes and checks an {@code aws-chunked} body as it streams (Amazon S3 API Reference, "Signature calculations for
 * the Authorization header: Transferring payload in multiple chunks" and "… including trailing headers"):
 *
 * <pre>
 * hex-size;chunk-signature=sig CRLF data CRLF    (signed; unsigned chunks have no ";chunk-signature=…")
 * …
 * 0;chunk-signature=sig CRLF                     (the final, empty chunk)
 * x-amz-checksum-crc32:base64 CRLF               (trailing headers, if the request declared them in x-amz-trailer)
 * x-amz-trailer-signature:sig CRLF               (signed trailers only)
 * CRLF
 * </pre>
 *
 * <p>Each chunk's signature is checked when its data ends, the trailer's when the trailer ends, and the checksums
 * declared in {@code x-amz-trailer} against the decoded data. Memory is bounded whatever the body: a line may be at
 * most {@value #MAX_LINE} bytes and there may be at most {@value #MAX_TRAILERS} trailing headers; chunk data is hashed
 * as it passes and handed out as views of the input, never buffered. Bytes may arrive split anywhere. Not
 * thread-safe.
 */
public final class AwsChunkedDecoder {
    /** The longest chunk header or trailer line accepted, CRLF included. */
    public static final int MAX_LINE = 512;
    /** The most trailing headers accepted. */
    public static final int MAX_TRAILERS = 8;
    private static final String CHUNK_SIGNATURE = "chunk-signature=";
    private static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";
    private static final int MAX_SIZE_DIGITS = 15;

    /** What went wrong, for the caller to map onto its error codes. */
    public enum Failure {
        /** The framing is wrong: a chunk size, a missing CRLF, a line too long, an unexpected trailer, a length. */
        MALFORMED,
        /** A chunk's or the trailer's signature does not verify. */
        SIGNATURE,
        /** A checksum trailer does not match the decoded data. */
        CHECKSUM
    }

    /** A body that is not what its request signed or declared. Carries no secret; no stack trace. */
    public static final class DecodingException extends Exception {
        private static final long serialVersionUID = 1L;
        private final Failure failure;
        private final transient ChecksumAlgorithm algorithm;

        DecodingException(Failure failure, String message, ChecksumAlgorithm algorithm) {
            super(message, null, false, false);
            this.failure = failure;
            this.algorithm = algorithm;
        }

        public Failure failure() {
            return failure;
        }

        /** For {@link Failure#CHECKSUM}, the algorithm whose value did not match; otherwise {@code null}. */
        public ChecksumAlgorithm algorithm() {
            return algorithm;
        }
    }

    private enum State { SIZE_LINE, DATA, DATA_CR, DATA_LF, TRAILER_LINE, DONE }

    private final ChunkSignatures signatures;
    private final boolean trailer;
    private final List<String> declaredTrailers;
    private final Map<ChecksumAlgorithm, ChecksumAlgorithm.Running> checksums = new EnumMap<>(ChecksumAlgorithm.class);
    private final long decodedLength;
    private final MessageDigest chunkDigest;
    private final byte[] line = new byte[MAX_LINE];
    private int lineLength;
    private State state = State.SIZE_LINE;
    private long remaining;
    private long decoded;
    private String chunkSignature;
    private final Map<String, String> trailers = new LinkedHashMap<>();
    private String trailerSignature;

    private AwsChunkedDecoder(ChunkSignatures signatures, boolean trailer, List<String> declaredTrailers,
            long decodedLength) {
        this.signatures = signatures;
        this.trailer = trailer;
        this.declaredTrailers = declaredTrailers.stream().distinct().toList();
        this.decodedLength = decodedLength;
        this.chunkDigest = signatures == null ? null : sha256();
        for (String name : this.declaredTrailers) {
            ChecksumAlgorithm.ofHeader(name).ifPresent(algorithm -> checksums.put(algorithm, algorithm.start()));
        }
    }

    /**
     * A decoder.
     *
     * @param signatures the chain to check each chunk (and a signed trailer) with; {@code null} for
     *     {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}
     * @param trailer whether the body ends with trailing headers ({@code …-TRAILER})
     * @param declaredTrailers the names the request's {@code x-amz-trailer} header declared, lower-case; exactly
     *     these must come, and the {@code x-amz-checksum-…} ones are checked
     * @param decodedLength {@code x-amz-decoded-content-length}, or -1 if the request did not declare it
     */
    public static AwsChunkedDecoder create(ChunkSignatures signatures, boolean trailer, List<String> declaredTrailers,
            long decodedLength) {
        requireNonNull(declaredTrailers, "declaredTrailers");
        if (!trailer && !declaredTrailers.isEmpty()) {
            throw new IllegalArgumentException("trailing headers need a …-TRAILER payload");
        }
        return new AwsChunkedDecoder(signatures, trailer, declaredTrailers, decodedLength);
    }

    /**
     * Feeds the next received bytes, handing the chunk data they hold to {@code decoded} as views of
     * {@code received}, valid only during the call.
     */
    public void feed(ByteBuffer received, Consumer<ByteBuffer> decoded) throws DecodingException {
        ByteBuffer in = received.duplicate();
        while (in.hasRemaining()) {
            switch (state) {
                case SIZE_LINE -> {
                    if (readLine(in)) {
                        chunkHeader(lineText());
                    }
                }
                case DATA -> {
                    int take = (int) Math.min(remaining, in.remaining());
                    ByteBuffer data = in.slice(in.position(), take);
                    in.position(in.position() + take);
                    remaining -= take;
                    if (chunkDigest != null) {
                        chunkDigest.update(data.duplicate());
                    }
                    for (ChecksumAlgorithm.Running checksum : checksums.values()) {
                        checksum.update(data.duplicate());
                    }
                    decoded.accept(data);
                    if (remaining == 0) {
                        state = State.DATA_CR;
                    }
                }
                case DATA_CR -> expect(in.get(), '\r', State.DATA_LF);
                case DATA_LF -> {
                    expect(in.get(), '\n', State.SIZE_LINE);
                    if (signatures != null && !signatures.verifyChunk(chunkDigest.digest(), chunkSignature)) {
                        throw failure(Failure.SIGNATURE, "A chunk's signature does not match.");
                    }
                }
                case TRAILER_LINE -> {
                    if (readLine(in)) {
                        trailerLine(lineText());
                    }
                }
                case DONE -> throw malformed("The body goes on after its final chunk.");
            }
        }
    }

    /**
     * Ends the body: it must have ended with its final chunk (and trailer).
     *
     * @return the trailing headers, lower-case names, checked; without the trailer signature
     */
    public Map<String, String> finish() throws DecodingException {
        if (state != State.DONE) {
            throw malformed("The body ends before its final chunk.");
        }
        return Collections.unmodifiableMap(trailers);
    }

    private void chunkHeader(String text) throws DecodingException {
        int semicolon = text.indexOf(';');
        String sizeText = semicolon < 0 ? text : text.substring(0, semicolon);
        long size = parseSize(sizeText);
        if (signatures != null) {
            String extension = semicolon < 0 ? "" : text.substring(semicolon + 1);
            if (!extension.startsWith(CHUNK_SIGNATURE) || extension.length() != CHUNK_SIGNATURE.length() + 64) {
                throw malformed("A chunk has no valid chunk-signature.");
            }
            chunkSignature = extension.substring(CHUNK_SIGNATURE.length());
        } else if (semicolon >= 0) {
            throw malformed("An unsigned chunk carries an extension.");
        }
        if (decodedLength >= 0 && size > decodedLength - decoded) {
            throw malformed("The chunks hold more than x-amz-decoded-content-length.");
        }
        decoded += size;
        if (size > 0) {
            remaining = size;
            state = State.DATA;
            return;
        }
        if (decodedLength >= 0 && decoded != decodedLength) {
            throw malformed("The chunks hold less than x-amz-decoded-content-length.");
        }
        if (signatures != null && !signatures.verifyChunk(chunkDigest.digest(), chunkSignature)) {
            throw failure(Failure.SIGNATURE, "The final chunk's signature does not match.");
        }
        state = State.TRAILER_LINE;
    }

    private void trailerLine(String text) throws DecodingException {
        if (!text.isEmpty()) {
            int colon = text.indexOf(':');
            if (!trailer || colon <= 0) {
                throw malformed("A trailing header is not expected or not name:value.");
            }
            String name = text.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = text.substring(colon + 1).strip();
            if (name.equals(TRAILER_SIGNATURE) && signatures != null) {
                if (trailerSignature != null) {
                    throw malformed("The trailer has two signatures.");
                }
                trailerSignature = value;
                return;
            }
            if (!declaredTrailers.contains(name) || trailers.containsKey(name) || trailers.size() >= MAX_TRAILERS) {
                throw malformed("A trailing header was not declared in x-amz-trailer, or comes twice.");
            }
            trailers.put(name, value);
            return;
        }
        if (trailers.size() != declaredTrailers.size()) {
            throw malformed("A trailing header declared in x-amz-trailer is missing.");
        }
        if (signatures != null && trailer) {
            if (trailerSignature == null) {
                throw failure(Failure.SIGNATURE, "The trailer is not signed.");
            }
            byte[] hash = sha256().digest(ChunkSignatures.trailerText(trailers.entrySet()).getBytes(UTF_8));
            if (!signatures.verifyTrailer(hash, trailerSignature)) {
                throw failure(Failure.SIGNATURE, "The trailer's signature does not match.");
            }
        }
        for (var checksum : checksums.entrySet()) {
            String claimed = trailers.get(checksum.getKey().headerName());
            if (!MessageDigest.isEqual(checksum.getValue().base64().getBytes(ISO_8859_1), claimed.getBytes(UTF_8))) {
                throw new DecodingException(Failure.CHECKSUM, "A checksum trailer does not match the data.",
                        checksum.getKey());
            }
        }
        state = State.DONE;
    }

    private static long parseSize(String text) throws DecodingException {
        if (text.isEmpty() || text.length() > MAX_SIZE_DIGITS) {
            throw malformed("A chunk size is not hexadecimal.");
        }
        long size = 0;
        for (int i = 0; i < text.length(); i++) {
            int digit = Hex.value(text.charAt(i));
            if (digit < 0) {
                throw malformed("A chunk size is not hexadecimal.");
            }
            size = size * 16 + digit;
        }
        return size;
    }

    /** Reads up to the end of a line; returns whether the line (without CRLF) is complete in {@link #line}. */
    private boolean readLine(ByteBuffer in) throws DecodingException {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\n') {
                if (lineLength == 0 || line[lineLength - 1] != '\r') {
                    throw malformed("A line does not end with CRLF.");
                }
                lineLength--;
                return true;
            }
            if (lineLength == MAX_LINE - 1) {
                throw malformed("A chunk header or trailing header is too long.");
            }
            line[lineLength++] = b;
        }
        return false;
    }

    private String lineText() {
        String text = new String(line, 0, lineLength, UTF_8);
        lineLength = 0;
        return text;
    }

    private void expect(byte actual, char expected, State next) throws DecodingException {
        if (actual != expected) {
            throw malformed("A chunk's data does not end with CRLF where its size says.");
        }
        state = next;
    }

    private static DecodingException malformed(String message) {
        return failure(Failure.MALFORMED, message);
    }

    private static DecodingException failure(Failure failure, String message) {
        return new DecodingException(failure, message, null);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /** The declared trailer names of an {@code x-amz-trailer} header value, lower-case, in order. */
    public static List<String> trailerNames(String header) {
        List<String> names = new ArrayList<>(2);
        for (String name : header.split(",")) {
            String lower = name.strip().toLowerCase(Locale.ROOT);
            if (!lower.isEmpty()) {
                names.add(lower);
            }
        }
        return names;
    }
}
