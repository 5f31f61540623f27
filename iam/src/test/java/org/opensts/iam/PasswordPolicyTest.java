package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The password policy value: IAM's ranges, and ExpirePasswords derived from MaxPasswordAge. */
class PasswordPolicyTest {
    private static PasswordPolicy policy(int minimumLength, Optional<Integer> maxAge, Optional<Integer> reuse) {
        return new PasswordPolicy(minimumLength, false, false, false, false, false, maxAge, reuse, Optional.empty());
    }

    @Test
    void expirePasswords_isWhetherAMaximumAgeIsSet() {
        assertThat(policy(6, Optional.empty(), Optional.empty()).expirePasswords()).isFalse();
        assertThat(policy(6, Optional.of(1), Optional.empty()).expirePasswords()).isTrue();
    }

    @Test
    void theEdgesOfEveryRange_areAccepted() {
        policy(6, Optional.of(1), Optional.of(1));
        policy(128, Optional.of(1095), Optional.of(24));
    }

    record OutOfRange(String name, int minimumLength, Optional<Integer> maxAge, Optional<Integer> reuse) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<OutOfRange> outOfRange() {
        return Stream.of(
                new OutOfRange("a minimum length of 5", 5, Optional.empty(), Optional.empty()),
                new OutOfRange("a minimum length of 129", 129, Optional.empty(), Optional.empty()),
                new OutOfRange("a maximum age of 0", 6, Optional.of(0), Optional.empty()),
                new OutOfRange("a maximum age of 1096", 6, Optional.of(1096), Optional.empty()),
                new OutOfRange("a reuse prevention of 0", 6, Optional.empty(), Optional.of(0)),
                new OutOfRange("a reuse prevention of 25", 6, Optional.empty(), Optional.of(25)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outOfRange")
    void aValueOutsideIamsRange_isRefused(OutOfRange value) {
        assertThatThrownBy(() -> policy(value.minimumLength(), value.maxAge(), value.reuse()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
