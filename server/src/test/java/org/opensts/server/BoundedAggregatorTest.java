package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.FullHttpRequest;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.opensts.gateway.BodyBudget;

/**
 * The body cap and the listener's budget for the bodies all its connections hold while they arrive: what a flood of
 * connections that each send all but the last byte of a large body can make the node hold.
 */
class BoundedAggregatorTest {
    private static final int MAX_BODY_BYTES = 4096;
    private static final Clock CLOCK = Clock.systemUTC();

    @Test
    void budgetSmallerThanTwoBodies_secondConnectionIsRefused503AndClosed_andTheFirstCompletes() {
        var budget = new BodyBudget(6_000);
        var first = connection(budget);
        var second = connection(budget);

        first.writeInbound(text(head(4_000) + "a".repeat(3_000)));
        second.writeInbound(text(head(4_000) + "b".repeat(3_500)));

        String refusal = answer(second);
        assertThat(refusal).startsWith("HTTP/1.1 503 ").contains("<Code>ServiceUnavailable</Code>")
                .contains("<Type>Receiver</Type>").contains(BoundedAggregator.BUDGET_SPENT_MESSAGE)
                .contains("x-amzn-RequestId: ").containsIgnoringCase("connection: close");
        assertThat(second.isOpen()).isFalse();
        assertThat((Object) second.readInbound()).as("nothing of it was handed on").isNull();
        assertThat(budget.reserved()).as("only the first body is held").isEqualTo(3_000);

        first.writeInbound(text("a".repeat(1_000)));

        FullHttpRequest request = first.readInbound();
        assertThat(request.content().readableBytes()).isEqualTo(4_000);
        request.release();
        assertThat(budget.reserved()).as("handed on: given back").isZero();
        first.finishAndReleaseAll();
    }

    @Test
    void connectionClosedInTheMiddleOfTheBody_givesItsBudgetBack() {
        var budget = new BodyBudget(6_000);
        var channel = connection(budget);
        channel.writeInbound(text(head(4_000) + "a".repeat(3_999)));
        assertThat(budget.reserved()).isEqualTo(3_999);

        Throwable reported = catchThrowable(() -> {
            channel.close();
            channel.checkException();
        });

        assertThat(budget.reserved()).isZero();
        assertThat(reported).as("the body cut short, which the last handler logs as the peer's doing")
                .isInstanceOf(PrematureChannelClosureException.class);
        channel.finishAndReleaseAll();
    }

    @Test
    void requestsOneAfterAnother_eachGivesItsBudgetBack() {
        var budget = new BodyBudget(MAX_BODY_BYTES);
        var channel = connection(budget);

        for (int i = 0; i < 5; i++) {
            channel.writeInbound(text(head(MAX_BODY_BYTES) + "a".repeat(MAX_BODY_BYTES)));
            FullHttpRequest request = channel.readInbound();
            assertThat(request.content().readableBytes()).isEqualTo(MAX_BODY_BYTES);
            request.release();
        }

        assertThat(budget.reserved()).isZero();
        assertThat(channel.isOpen()).isTrue();
        channel.finishAndReleaseAll();
    }

    @Test
    void chunkedBodyOverTheCap_is413_andGivesItsBudgetBack() {
        var budget = new BodyBudget(2 * MAX_BODY_BYTES);
        var channel = connection(budget);
        String chunk = Integer.toHexString(3_000) + "\r\n" + "c".repeat(3_000) + "\r\n";

        channel.writeInbound(text("POST / HTTP/1.1\r\nHost: sts.example.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                + chunk + chunk));

        assertThat(answer(channel)).startsWith("HTTP/1.1 413 ").contains("<Code>RequestEntityTooLarge</Code>");
        assertThat(budget.reserved()).isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void requestWithoutBody_takesNothingFromASpentBudget() {
        var budget = new BodyBudget(1_000);
        BodyBudget.Reservation other = budget.reserve();
        other.grow(1_000);
        var channel = connection(budget);

        channel.writeInbound(text("GET /healthz HTTP/1.1\r\nHost: sts.example.test\r\n\r\n"));

        FullHttpRequest request = channel.readInbound();
        assertThat(request.uri()).isEqualTo("/healthz");
        request.release();
        channel.finishAndReleaseAll();
    }

    private static EmbeddedChannel connection(BodyBudget budget) {
        return new EmbeddedChannel(HttpLimits.withMaxBody(MAX_BODY_BYTES).codec(),
                new BoundedAggregator(MAX_BODY_BYTES, RequestRefusals.unrecorded(CLOCK), budget, CLOCK));
    }

    private static String head(int contentLength) {
        return "POST / HTTP/1.1\r\nHost: sts.example.test\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + contentLength + "\r\n\r\n";
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, UTF_8);
    }

    private static String answer(EmbeddedChannel channel) {
        var out = new StringBuilder();
        for (Object message; (message = channel.readOutbound()) != null; ) {
            ByteBuf bytes = (ByteBuf) message;
            out.append(bytes.toString(UTF_8));
            bytes.release();
        }
        return out.toString();
    }
}
