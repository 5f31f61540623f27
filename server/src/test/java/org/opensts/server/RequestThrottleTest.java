package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

class RequestThrottleTest {
    private static final String ACCOUNT = "123456789012";
    private static final String ALICE = "arn:aws:iam::123456789012:user/alice";
    private static final String BOB = "arn:aws:iam::123456789012:user/bob";

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    /** Admits as many calls as it can, up to {@code max}, and says how many it admitted. */
    private static int admitted(Runnable call, int max) {
        for (int i = 0; i < max; i++) {
            try {
                call.run();
            } catch (ApiException e) {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.THROTTLING);
                assertThat(e.getMessage()).isEqualTo("Rate exceeded");
                return i;
            }
        }
        return max;
    }

    @Test
    void admit_onePrincipal_getsHalfItsAccountsBurst() {
        var throttle = new RequestThrottle(new RateLimit(10, 20), now::get);

        assertThat(admitted(() -> throttle.admit(ACCOUNT, ALICE), 100)).isEqualTo(10);
    }

    @Test
    void admit_twoPrincipals_shareTheirAccountsBurst() {
        var throttle = new RequestThrottle(new RateLimit(10, 20), now::get);

        assertThat(admitted(() -> throttle.admit(ACCOUNT, ALICE), 100)).isEqualTo(10);
        assertThat(admitted(() -> throttle.admit(ACCOUNT, BOB), 100)).isEqualTo(10);
        assertThat(admitted(() -> throttle.admit(ACCOUNT, "arn:aws:iam::123456789012:user/carol"), 100)).isZero();
    }

    @Test
    void admit_anotherAccount_hasItsOwnBucket() {
        var throttle = new RequestThrottle(new RateLimit(1, 2), now::get);
        admitted(() -> throttle.admitAccount(ACCOUNT), 100);

        assertThat(admitted(() -> throttle.admitAccount("210987654321"), 100)).isEqualTo(2);
    }

    @Test
    void admit_afterTheClockMoves_isServedAgain() {
        var throttle = new RequestThrottle(new RateLimit(2, 4), now::get);
        admitted(() -> throttle.admit(ACCOUNT, ALICE), 100);
        assertThatThrownBy(() -> throttle.admit(ACCOUNT, ALICE)).isInstanceOf(ApiException.class);

        now.addAndGet(1_000_000_000L);

        assertThat(admitted(() -> throttle.admit(ACCOUNT, ALICE), 100)).isEqualTo(1);
    }

    @Test
    void admitAccount_floodOfUnsignedCallsNamingAnAccount_leavesItsSignedCallsServed() {
        var throttle = new RequestThrottle(new RateLimit(1, 2), now::get);
        assertThat(admitted(() -> throttle.admitAccount(ACCOUNT), 100)).isEqualTo(2);

        throttle.admit(ACCOUNT, ALICE);
    }

    @Test
    void admitAccount_unsignedCallsOfAnAccount_shareOneBucket() {
        var throttle = new RequestThrottle(new RateLimit(1, 2), now::get);
        throttle.admitAccount(ACCOUNT);
        throttle.admitAccount(ACCOUNT);

        assertThatThrownBy(() -> throttle.admitAccount(ACCOUNT)).isInstanceOf(ApiException.class)
                .hasMessage(RequestThrottle.RATE_EXCEEDED);
    }

    @Test
    void admit_disabled_neverThrottles() {
        var throttle = new RequestThrottle(RateLimit.DISABLED, now::get);

        assertThat(admitted(() -> throttle.admit(ACCOUNT, ALICE), 10_000)).isEqualTo(10_000);
    }
}
