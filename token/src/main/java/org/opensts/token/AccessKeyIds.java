package org.opensts.token;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.opensts.token.internal.Base32;

/**
 * Access key ids ({@code AKIA…}, {@code ASIA…}) and IAM unique ids ({@code AIDA…}, {@code AROA…}, …).
 *
 * <h2>Layout of an access key id</h2>
 * Twenty characters: a 4-character prefix, then 16 base32 characters ({@code A-Z2-7}) that encode 10 bytes, 80 bits,
 * read from the most significant bit:
 * <pre>
 *   bit  79      1: the id embeds an account id (every id minted today carries it)
 *   bits 78..39  the 12-digit account id as a 40-bit integer
 *   bits 38..0   random
 * </pre>
 * This is how AWS's own ids are built, as far as public analysis of real ids shows: take the first 6 decoded bytes as a
 * big-endian integer {@code x}; the account id is {@code (x & 0x7fffffffff80) >> 7}. It is what lets
 * {@code GetAccessKeyInfo} answer without a store. Older AWS ids (such as the documentation's
 * {@code AKIAIOSFODNN7EXAMPLE}) have the top bit clear and carry no account id; {@link #accountIdOf} says so with an
 * empty result rather than inventing one.
 *
 * <p>Uniqueness costs: 39 random bits per account. Two ids of one account collide with probability about
 * {@code n²/2⁴⁰} after {@code n} ids; a temporary id needs no global uniqueness (its session token is the
 * authority), and the store checks long-term ids for collisions when it saves them.
 */
public final class AccessKeyIds {
    /** Prefix of long-term access key ids (IAM users and the root user). */
    public static final String LONG_TERM_PREFIX = "AKIA";
    /** Prefix of temporary access key ids (every STS session). */
    public static final String TEMPORARY_PREFIX = "ASIA";

    static final int LENGTH = 20;
    private static final int PREFIX_LENGTH = 4;
    private static final int PAYLOAD_BYTES = 10;
    /** How many random bytes an id takes (fewer are used: its first bits carry the account). */
    static final int RANDOM_BYTES = PAYLOAD_BYTES;
    private static final int UNIQUE_ID_LENGTH = 21;
    private static final long MAX_ACCOUNT_ID = 999_999_999_999L;
    private static final long ACCOUNT_MARKER = 0x8000_0000_0000L;
    private static final long ACCOUNT_MASK = 0x7fff_ffff_ff80L;
    private static final int ACCOUNT_SHIFT = 7;

    private AccessKeyIds() {
    }

    /**
     * A new long-term ({@code AKIA…}) access key id embedding {@code accountId}.
     *
     * @throws IllegalArgumentException if {@code accountId} is not 12 digits
     */
    public static String newLongTerm(String accountId, SecureRandom random) {
        return newAccessKeyId(LONG_TERM_PREFIX, accountId, random);
    }

    /**
     * A new temporary ({@code ASIA…}) access key id embedding {@code accountId}.
     *
     * @throws IllegalArgumentException if {@code accountId} is not 12 digits
     */
    public static String newTemporary(String accountId, SecureRandom random) {
        return newAccessKeyId(TEMPORARY_PREFIX, accountId, random);
    }

    /**
     * The account id embedded in a well-formed {@code AKIA…} or {@code ASIA…} id: 12 digits, zero-padded. Empty for
     * anything else, including ids of the older format that carry no account id; the caller then asks its store.
     */
    public static Optional<String> accountIdOf(String accessKeyId) {
        long account = embeddedAccount(accessKeyId);
        return account < 0 ? Optional.empty() : Optional.of(formatAccountId(account));
    }

    /**
     * A new IAM unique id: {@code prefix} (4 upper-case letters such as {@code AIDA}, {@code AROA}, {@code AGPA},
     * {@code ANPA}) followed by 17 random base32 characters (85 bits), 21 characters in all.
     *
     * @throws IllegalArgumentException if {@code prefix} is not 4 letters {@code A-Z}
     */
    public static String newUniqueId(String prefix, SecureRandom random) {
        requireNonNull(prefix, "prefix");
        requireNonNull(random, "random");
        if (prefix.length() != PREFIX_LENGTH || !prefix.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            throw new IllegalArgumentException("unique id prefix must be 4 letters A-Z: " + prefix);
        }
        var id = new StringBuilder(UNIQUE_ID_LENGTH).append(prefix);
        while (id.length() < UNIQUE_ID_LENGTH) {
            id.append(Base32.ALPHABET.charAt(random.nextInt(32)));
        }
        return id.toString();
    }

    /** The embedded account id as a number, or -1 if {@code accessKeyId} is not a well-formed AKIA/ASIA id. */
    static long embeddedAccount(String accessKeyId) {
        if (accessKeyId == null || accessKeyId.length() != LENGTH
                || !(accessKeyId.startsWith(LONG_TERM_PREFIX) || accessKeyId.startsWith(TEMPORARY_PREFIX))) {
            return -1;
        }
        long x = 0;
        for (int i = PREFIX_LENGTH; i < LENGTH; i++) {
            int value = Base32.valueOf(accessKeyId.charAt(i));
            if (value < 0) {
                return -1;
            }
            if (i < PREFIX_LENGTH + 12) { // 12 characters = 60 bits cover the first 48 bits of the payload
                x = (x << 5) | value;
            }
        }
        x >>>= 12; // keep the top 48 bits of those 60
        if ((x & ACCOUNT_MARKER) == 0) {
            return -1;
        }
        long account = (x & ACCOUNT_MASK) >>> ACCOUNT_SHIFT;
        return account <= MAX_ACCOUNT_ID ? account : -1;
    }

    /** The 10 bytes behind the 16 base32 characters of a well-formed id. */
    static byte[] payloadOf(String accessKeyId) {
        return Base32.decode(accessKeyId, PREFIX_LENGTH, LENGTH);
    }

    /** The temporary id whose 16 base32 characters encode {@code payload} (10 bytes). */
    static String temporaryFromPayload(byte[] payload) {
        return TEMPORARY_PREFIX + Base32.encode(payload, 0, PAYLOAD_BYTES);
    }

    /** {@code accountId} as a number, or -1 unless it is exactly 12 ASCII digits. */
    static long parseAccountId(String accountId) {
        if (accountId == null || accountId.length() != 12) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < 12; i++) {
            char c = accountId.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String newAccessKeyId(String prefix, String accountId, SecureRandom random) {
        requireNonNull(random, "random");
        var payload = new byte[PAYLOAD_BYTES];
        random.nextBytes(payload);
        return accessKeyId(prefix, accountId, payload);
    }

    /**
     * A new temporary ({@code ASIA}) id of the account from {@link #RANDOM_BYTES} bytes the caller drew from a
     * {@link SecureRandom} at {@code offset} of {@code randomBytes}: the minter draws the id's and the secret's bytes
     * at once. The bytes are left as they were.
     */
    static String newTemporary(String accountId, byte[] randomBytes, int offset) {
        var payload = Arrays.copyOfRange(randomBytes, offset, offset + PAYLOAD_BYTES);
        return accessKeyId(TEMPORARY_PREFIX, accountId, payload);
    }

    /** The id of the account with the random bits of {@code payload}, which it overwrites. */
    private static String accessKeyId(String prefix, String accountId, byte[] payload) {
        long account = parseAccountId(accountId);
        if (account < 0) {
            throw new IllegalArgumentException("account id must be 12 digits: " + accountId);
        }
        long x = ACCOUNT_MARKER | account << ACCOUNT_SHIFT | (payload[5] & 0x7f);
        for (int i = 5; i >= 0; i--) {
            payload[i] = (byte) x;
            x >>>= 8;
        }
        return prefix + Base32.encode(payload, 0, PAYLOAD_BYTES);
    }

    private static String formatAccountId(long account) {
        var digits = new char[12];
        for (int i = 11; i >= 0; i--) {
            digits[i] = (char) ('0' + account % 10);
            account /= 10;
        }
        return new String(digits);
    }
}
