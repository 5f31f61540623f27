package org.opensts.token.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Reads what {@link ByteWriter} writes, from a window of an array, failing with {@link IllegalArgumentException} on
 * input that ends early or holds an impossible value. The reader never allocates more than the input could hold: a
 * length or count is checked against the bytes that remain before anything is built from it.
 */
public final class ByteReader {
    private final byte[] buffer;
    private final int end;
    private int position;

    public ByteReader(byte[] buffer) {
        this(buffer, 0, buffer.length);
    }

    public ByteReader(byte[] buffer, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buffer.length) {
            throw new IndexOutOfBoundsException("window outside the buffer");
        }
        this.buffer = buffer;
        this.position = offset;
        this.end = offset + length;
    }

    public int remaining() {
        return end - position;
    }

    public int position() {
        return position;
    }

    public int readByte() {
        require(1);
        return buffer[position++] & 0xff;
    }

    public byte[] readBytes(int n) {
        require(n);
        var out = new byte[n];
        System.arraycopy(buffer, position, out, 0, n);
        position += n;
        return out;
    }

    /** Skips {@code n} bytes, e.g. a region another reader consumes. */
    public void skip(int n) {
        require(n);
        position += n;
    }

    public int readInt() {
        require(4);
        int value = (buffer[position] & 0xff) << 24 | (buffer[position + 1] & 0xff) << 16
                | (buffer[position + 2] & 0xff) << 8 | buffer[position + 3] & 0xff;
        position += 4;
        return value;
    }

    public long readLong() {
        return (long) readInt() << 32 | readInt() & 0xffffffffL;
    }

    /** Reads an unsigned LEB128 varint of at most 63 bits. */
    public long readVarint() {
        long value = 0;
        for (int shift = 0; shift <= 56; shift += 7) { // nine groups of 7 bits: 63 bits, never negative
            int b = readByte();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than 63 bits");
    }

    /** Reads a varint that must lie in {@code [0, max]}. */
    public int readVarint(int max) {
        long value = readVarint();
        if (value > max) {
            throw new IllegalArgumentException("value " + value + " above " + max);
        }
        return (int) value;
    }

    /**
     * Reads a count of items each of which takes at least {@code minBytesEach} bytes, so that the count can never
     * promise more items than the remaining input could hold.
     */
    public int readCount(int minBytesEach) {
        return readVarint(remaining() / Math.max(1, minBytesEach));
    }

    public byte[] readLengthPrefixed() {
        return readBytes(readVarint(remaining()));
    }

    public String readString() {
        int length = readVarint(remaining());
        var value = new String(buffer, position, length, UTF_8);
        position += length;
        return value;
    }

    private void require(int n) {
        if (n < 0 || end - position < n) {
            throw new IllegalArgumentException("input ends early");
        }
    }
}
