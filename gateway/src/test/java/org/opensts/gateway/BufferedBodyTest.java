package org.opensts.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The gateway's DeleteObjects, tagging and bucket policy bodies: held as they arrive, within the gateway's budget,
 * whatever length the request declares.
 */
class BufferedBodyTest {
    private static final int LIMIT = 8 * 1024 * 1024;

    @Test
    void declaredLength_isNotReserved_onlyWhatArrives() {
        var budget = new BodyBudget(64 * 1024);
        var body = new BufferedBody(LIMIT, LIMIT, budget);

        ByteBuf piece = bytes(100);
        body.accept(piece);

        assertThat(piece.refCnt()).as("released").isZero();
        assertThat(body.refusal()).isEmpty();
        assertThat(body.size()).isEqualTo(100);
        assertThat(budget.reserved()).isEqualTo(BufferedBody.INITIAL_CAPACITY);
    }

    @Test
    void growingBody_holdsAtMostTwiceWhatArrived_andNeverMoreThanItsDeclaredLength() {
        var budget = new BodyBudget(LIMIT);
        var body = new BufferedBody(100_000, LIMIT, budget);

        for (int i = 0; i < 10; i++) {
            body.accept(bytes(10_000));
            assertThat(budget.reserved()).isLessThanOrEqualTo(Math.max(BufferedBody.INITIAL_CAPACITY,
                    2L * body.size())).isLessThanOrEqualTo(100_000);
        }

        byte[] whole = body.take();
        assertThat(whole).hasSize(100_000);
        assertThat(budget.reserved()).as("held until the decision is over").isEqualTo(100_000);
        body.close();
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void budgetSmallerThanTwoBodies_secondBodyIsRefused_andTheFirstIsKeptWhole() {
        var budget = new BodyBudget(15_000);
        var first = new BufferedBody(10_000, LIMIT, budget);
        var second = new BufferedBody(10_000, LIMIT, budget);

        first.accept(bytes(6_000));
        second.accept(bytes(6_000));
        first.accept(bytes(4_000));
        second.accept(bytes(4_000));

        assertThat(second.refusal()).contains(BufferedBody.Refusal.BUDGET_SPENT);
        assertThat(first.refusal()).isEmpty();
        assertThat(first.take()).hasSize(10_000);
        assertThat(budget.reserved()).as("the refused body gave back what it held").isEqualTo(10_000);
    }

    @Test
    void closeInTheMiddleOfTheBody_givesTheBudgetBack() {
        var budget = new BodyBudget(15_000);
        var body = new BufferedBody(10_000, LIMIT, budget);
        body.accept(bytes(9_000));

        body.close();

        assertThat(budget.reserved()).isZero();
        var next = new BufferedBody(15_000, LIMIT, budget);
        next.accept(bytes(15_000));
        assertThat(next.refusal()).isEmpty();
    }

    @Test
    void bodyLongerThanItsLimit_isRefusedTooLong_andHoldsNothing() {
        var budget = new BodyBudget(LIMIT);
        var body = new BufferedBody(30_000, 20_000, budget);

        body.accept(bytes(15_000));
        body.accept(bytes(15_000));
        ByteBuf after = bytes(10);
        body.accept(after);

        assertThat(body.refusal()).contains(BufferedBody.Refusal.TOO_LONG);
        assertThat(body.size()).isZero();
        assertThat(after.refCnt()).as("a piece after the refusal is released too").isZero();
        assertThat(budget.reserved()).isZero();
    }

    private static ByteBuf bytes(int length) {
        byte[] content = new byte[length];
        Arrays.fill(content, (byte) 'k');
        return Unpooled.wrappedBuffer(content);
    }
}
