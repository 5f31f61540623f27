package org.opensts.token.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;

/**
 * A growable byte buffer with the few encodings the token formats use: bytes, big-endian integers, unsigned LEB128
 * varints and length-prefixed UTF-8 strings.
 *
 * <p>The buffer may hold secrets (a secret access key, key material), so it wipes each array it outgrows and
 * {@link #wipe()} clears the live one; callers wipe what they copy out.
 */
public final class ByteWriter {
    private byte[] buffer;
    private int size;

    public ByteWriter(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    public int size() {
        return size;
    }

    public void writeByte(int b) {
        ensureRoom(1);
        buffer[size++] = (byte) b;
    }

    public void writeBytes(byte[] bytes) {
        writeBytes(bytes, 0, bytes.length);
    }

    public void writeBytes(byte[] bytes, int offset, int length) {
        ensureRoom(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
    }

    /** Writes {@code n} zero bytes. */
    public void writeZeros(int n) {
        ensureRoom(n);
        size += n; // the room past size is always zero: ensureRoom copies into a fresh array, wipe() clears
    }

    public void writeInt(int value) {
        ensureRoom(4);
        buffer[size++] = (byte) (value >>> 24);
        buffer[size++] = (byte) (value >>> 16);
        buffer[size++] = (byte) (value >>> 8);
        buffer[size++] = (byte) value;
    }

    public void writeLong(long value) {
        writeInt((int) (value >>> 32));
        writeInt((int) value);
    }

    /**
     * Writes a non-negative value as an unsigned LEB128 varint (7 bits a byte, low group first).
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public void writeVarint(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("varint must not be negative: " + value);
        }
        ensureRoom(10);
        while (value >= 0x80) {
            buffer[size++] = (byte) (value | 0x80);
            value >>>= 7;
        }
        buffer[size++] = (byte) value;
    }

    /** Writes the varint length of {@code bytes}, then the bytes. */
    public void writeLengthPrefixed(byte[] bytes) {
        writeVarint(bytes.length);
        writeBytes(bytes);
    }

    /** Writes the varint length of the UTF-8 encoding of {@code value}, then the encoding. */
    public void writeString(String value) {
        writeLengthPrefixed(value.getBytes(UTF_8));
    }

    /** A copy of the bytes written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    /** Zeroes the buffer and empties it. */
    public void wipe() {
        Arrays.fill(buffer, (byte) 0);
        size = 0;
    }

    private void ensureRoom(int n) {
        if (buffer.length - size >= n) {
            return;
        }
        var grown = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + n));
        Arrays.fill(buffer, (byte) 0);
        buffer = grown;
    }
}
