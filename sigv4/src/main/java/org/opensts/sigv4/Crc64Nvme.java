package org.opensts.sigv4;

import java.util.zip.Checksum;

/**
 * CRC-64/NVME, the checksum S3 names {@code CRC64NVME}: reflected polynomial {@code 0x9A6C9329AC4BC9B5}, initial value
 * and final XOR all ones (catalogued as CRC-64/NVME; its check value, the CRC of the nine bytes {@code 123456789}, is
 * {@code 0xAE8B14860A799888}). Table-driven, one byte at a time: the JDK has CRC-32 and CRC-32C but no CRC-64.
 */
public final class Crc64Nvme implements Checksum {
    private static final long POLYNOMIAL_REFLECTED = 0x9A6C9329AC4BC9B5L;
    private static final long[] TABLE = table();

    private long crc = -1L;

    private static long[] table() {
        long[] table = new long[256];
        for (int n = 0; n < 256; n++) {
            long c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLYNOMIAL_REFLECTED : c >>> 1;
            }
            table[n] = c;
        }
        return table;
    }

    @Override
    public void update(int b) {
        crc = TABLE[(int) ((crc ^ b) & 0xFF)] ^ (crc >>> 8);
    }

    @Override
    public void update(byte[] bytes, int offset, int length) {
        long c = crc;
        for (int i = offset; i < offset + length; i++) {
            c = TABLE[(int) ((c ^ bytes[i]) & 0xFF)] ^ (c >>> 8);
        }
        crc = c;
    }

    /** The full 64-bit CRC (the {@link Checksum} interface's {@code long} holds all of it). */
    @Override
    public long getValue() {
        return ~crc;
    }

    @Override
    public void reset() {
        crc = -1L;
    }
}
