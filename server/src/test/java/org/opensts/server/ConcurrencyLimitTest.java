package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

class ConcurrencyLimitTest {
    @Test
    void run_belowTheLimit_runsTheCall() {
        var limit = new ConcurrencyLimit(2);

        assertThat(limit.run(() -> limit.run(() -> "inner"))).isEqualTo("inner");
    }

    @Test
    void run_atTheLimit_isThrottlingWithoutRunningTheCall() {
        var limit = new ConcurrencyLimit(1);
        var ran = new boolean[1];

        assertThatThrownBy(() -> limit.run(() -> limit.run(() -> ran[0] = true)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.THROTTLING);
                    assertThat(e.getMessage()).isEqualTo("Rate exceeded");
                });
        assertThat(ran[0]).isFalse();
    }

    @Test
    void run_callThatThrew_givesItsPlaceBack() {
        var limit = new ConcurrencyLimit(1);

        assertThatThrownBy(() -> limit.run(() -> {
            throw new IllegalStateException("failed");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(limit.run(() -> "next")).isEqualTo("next");
    }

    @Test
    void constructor_noPermits_isRefused() {
        assertThatThrownBy(() -> new ConcurrencyLimit(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
