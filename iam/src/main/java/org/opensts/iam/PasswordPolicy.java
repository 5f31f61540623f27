package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * An account's password policy, as UpdateAccountPasswordPolicy set it (IAM API Reference, "PasswordPolicy"). OpenSTS
 * has no console passwords, so the policy is only kept and reported, never applied.
 *
 * <p>UpdateAccountPasswordPolicy replaces the whole policy: a member the request leaves out takes its default (a
 * minimum length of 6, every {@code Require*} and {@code AllowUsersToChangePassword} false). The three members whose
 * default is "none" — {@code MaxPasswordAge}, {@code PasswordReusePrevention} and {@code HardExpiry} — stay empty when
 * left out, and GetAccountPasswordPolicy leaves them out, as AWS's recorded answers show.
 *
 * @param maxPasswordAge days a password is valid (1 to 1095); empty: passwords never expire
 * @param passwordReusePrevention how many previous passwords may not be reused (1 to 24); empty: any may be
 */
public record PasswordPolicy(int minimumPasswordLength, boolean requireSymbols, boolean requireNumbers,
        boolean requireUppercaseCharacters, boolean requireLowercaseCharacters, boolean allowUsersToChangePassword,
        Optional<Integer> maxPasswordAge, Optional<Integer> passwordReusePrevention, Optional<Boolean> hardExpiry) {
    /** The length IAM requires when the request gives none. */
    public static final int DEFAULT_MINIMUM_PASSWORD_LENGTH = 6;

    public PasswordPolicy {
        requireNonNull(maxPasswordAge, "maxPasswordAge");
        requireNonNull(passwordReusePrevention, "passwordReusePrevention");
        requireNonNull(hardExpiry, "hardExpiry");
        requireInRange("minimumPasswordLength", minimumPasswordLength, 6, 128);
        maxPasswordAge.ifPresent(age -> requireInRange("maxPasswordAge", age, 1, 1095));
        passwordReusePrevention.ifPresent(count -> requireInRange("passwordReusePrevention", count, 1, 24));
    }

    /**
     * Whether passwords expire: "true if MaxPasswordAge contains a value greater than 0", false when it is absent
     * (IAM API Reference, "PasswordPolicy", ExpirePasswords).
     */
    public boolean expirePasswords() {
        return maxPasswordAge.isPresent();
    }

    private static void requireInRange(String member, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(member + " must be from " + min + " to " + max + ": " + value);
        }
    }
}
