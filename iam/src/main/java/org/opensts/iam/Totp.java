package org.opensts.iam;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;
import org.opensts.token.Secret;

/**
 * Time-based one-time passwords (RFC 6238) with the parameters of AWS virtual MFA devices: HMAC-SHA1, a 30-second
 * time step counted from the Unix epoch, 6 digits.
 *
 * <p>Pure functions of a seed and a time step. Which steps a caller may use, and that each is used once, is
 * {@link TotpVerifier}'s job.
 */
public final class Totp {
    /** The length of one time step (RFC 6238 {@code X}). */
    public static final Duration TIME_STEP = Duration.ofSeconds(30);
    /** The digits of a code, as IAM's {@code authenticationCodeType} and STS's {@code tokenCodeType} require. */
    public static final int DIGITS = 6;

    private static final String ALGORITHM = TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1;

    private Totp() {
    }

    /** The time step {@code at} falls in: whole 30-second periods since the Unix epoch (RFC 6238 {@code T}). */
    public static long timeStep(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), TIME_STEP.getSeconds());
    }

    /** The 6-digit code of {@code seed} for {@code timeStep}, with leading zeros. */
    public static String code(Secret seed, long timeStep) {
        return code(seed, timeStep, DIGITS);
    }

    /**
     * Whether {@code code} is the code of {@code seed} for {@code timeStep}. The comparison takes the same time
     * whichever digit differs.
     */
    public static boolean matches(Secret seed, long timeStep, String code) {
        requireNonNull(code, "code");
        return MessageDigest.isEqual(code(seed, timeStep).getBytes(US_ASCII), code.getBytes(US_ASCII));
    }

    /**
     * The code with {@code digits} digits (6 to 8); RFC 6238's own test vectors have 8.
     *
     * @throws IllegalArgumentException if the seed is empty
     */
    static String code(Secret seed, long timeStep, int digits) {
        requireNonNull(seed, "seed");
        var generator = new TimeBasedOneTimePasswordGenerator(TIME_STEP, digits, ALGORITHM);
        byte[] key = seed.revealBytes();
        try {
            int value = generator.generateOneTimePassword(new SecretKeySpec(key, "RAW"),
                    Instant.ofEpochSecond(Math.multiplyExact(timeStep, TIME_STEP.getSeconds())));
            // Formatted here rather than by the library, whose formatting follows the default locale's digits.
            var text = new StringBuilder(Integer.toString(value));
            while (text.length() < digits) {
                text.insert(0, '0');
            }
            return text.toString();
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA1 accepts a key of any length", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
