package org.opensts.sigv4;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The additional checksums S3 accepts for a body, in an {@code x-amz-checksum-…} header or trailer (Amazon S3 User
 * Guide, "Checking object integrity"): the base64 of the big-endian checksum of the decoded body.
 */
public enum ChecksumAlgorithm {
    CRC32("CRC32", "x-amz-checksum-crc32"),
    CRC32C("CRC32C", "x-amz-checksum-crc32c"),
    CRC64NVME("CRC64NVME", "x-amz-checksum-crc64nvme"),
    SHA1("SHA1", "x-amz-checksum-sha1"),
    SHA256("SHA256", "x-amz-checksum-sha256");

    private final String awsName;
    private final String headerName;

    ChecksumAlgorithm(String awsName, String headerName) {
        this.awsName = awsName;
        this.headerName = headerName;
    }

    /** The name as S3 writes it in {@code x-amz-sdk-checksum-algorithm} and its messages, e.g. {@code CRC32}. */
    public String awsName() {
        return awsName;
    }

    /** The header or trailer carrying the value, lower-case, e.g. {@code x-amz-checksum-crc32}. */
    public String headerName() {
        return headerName;
    }

    /** The algorithm whose header or trailer is named {@code name} (any case). */
    public static Optional<ChecksumAlgorithm> ofHeader(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        for (ChecksumAlgorithm algorithm : values()) {
            if (algorithm.headerName.equals(lower)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /** A fresh running checksum. */
    public Running start() {
        return switch (this) {
            case CRC32 -> new OfChecksum(new CRC32(), 4);
            case CRC32C -> new OfChecksum(new CRC32C(), 4);
            case CRC64NVME -> new OfChecksum(new Crc64Nvme(), 8);
            case SHA1 -> new OfDigest(digest("SHA-1"));
            case SHA256 -> new OfDigest(digest("SHA-256"));
        };
    }

    /** A checksum being computed over bytes as they stream; not thread-safe. */
    public interface Running {
        /** Adds the remaining bytes of {@code bytes}, moving its position to its limit. */
        void update(ByteBuffer bytes);

        /** The checksum of everything added, as S3 writes it: base64 of the big-endian bytes. */
        String base64();
    }

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides " + name, e);
        }
    }

    private static final class OfChecksum implements Running {
        private final Checksum checksum;
        private final int bytes;

        OfChecksum(Checksum checksum, int bytes) {
            this.checksum = checksum;
            this.bytes = bytes;
        }

        @Override
        public void update(ByteBuffer data) {
            checksum.update(data);
        }

        @Override
        public String base64() {
            long value = checksum.getValue();
            byte[] out = new byte[bytes];
            for (int i = 0; i < bytes; i++) {
                out[i] = (byte) (value >>> (8 * (bytes - 1 - i)));
            }
            return Base64.getEncoder().encodeToString(out);
        }
    }

    private static final class OfDigest implements Running {
        private final MessageDigest digest;

        OfDigest(MessageDigest digest) {
            this.digest = digest;
        }

        @Override
        public void update(ByteBuffer data) {
            digest.update(data);
        }

        @Override
        public String base64() {
            return Base64.getEncoder().encodeToString(digest.digest());
        }
    }
}
