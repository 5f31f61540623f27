package org.opensts.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.time.Clock;
import org.opensts.gateway.BodyBudget;
import org.opensts.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers a request's body up to the limit and refuses a larger one as {@link HttpRequestGuard} refuses a declared
 * length over it: {@code 413 RequestEntityTooLarge} in the Query protocol's shape, then the connection closed. Only a
 * chunked body gets here oversized; a {@code Content-Length} over the limit never reaches the aggregator.
 *
 * <p>The bodies all connections hold while they arrive share the listener's {@link BodyBudget}: each part is reserved
 * as it arrives, and the reservation is given back once the whole request has been handed on (the handler after this
 * one copies what it needs before it returns), when the request is refused, or when the connection closes in the
 * middle of the body. A part that does not fit is refused as the connection cap and a full queue refuse: {@code 503}
 * with the Query error {@code ServiceUnavailable}, unaudited (no call was read), logged once a minute with a count;
 * what the connection held is freed at once and the connection closed.
 */
final class BoundedAggregator extends HttpObjectAggregator {
    private static final Logger LOG = LoggerFactory.getLogger(BoundedAggregator.class);
    static final String BUDGET_SPENT_MESSAGE = "The service is holding too many request bodies; retry later.";
    /** Shared by every connection, so that a flood is one line a minute. */
    private static final RateLimitedLog BUDGET_REFUSALS = RateLimitedLog.perMinute(LOG);

    private final int maxBodyBytes;
    private final RequestRefusals refusals;
    private final BodyBudget budget;
    private final Clock clock;
    /** The body being aggregated's share of the budget; null between requests. */
    private BodyBudget.Reservation reservation;
    /** Set once a body is refused for the budget: what the connection still sends is dropped until it closes. */
    private boolean refused;

    /** An aggregator with a budget of its own, for one body: for a pipeline tested alone. */
    BoundedAggregator(int maxBodyBytes, Clock clock) {
        this(maxBodyBytes, RequestRefusals.unrecorded(clock), new BodyBudget(maxBodyBytes), clock);
    }

    /** An aggregator with a budget of its own, for one body: for a pipeline tested alone. */
    BoundedAggregator(int maxBodyBytes, RequestRefusals refusals) {
        this(maxBodyBytes, refusals, new BodyBudget(maxBodyBytes), Clock.systemUTC());
    }

    /**
     * @param refusals audits, counts and answers a request refused for its body
     * @param budget   the listener's budget for the bodies its connections hold
     * @param clock    the {@code Date} of a refusal for the budget
     */
    BoundedAggregator(int maxBodyBytes, RequestRefusals refusals, BodyBudget budget, Clock clock) {
        super(maxBodyBytes);
        this.maxBodyBytes = maxBodyBytes;
        this.refusals = refusals;
        this.budget = budget;
        this.clock = clock;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
        if (refused) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (message instanceof HttpRequest) {
            giveBack();
            reservation = budget.reserve();
        }
        // Never more than the cap: a body over it is refused 413 by the aggregator, whatever the budget holds.
        if (message instanceof HttpContent content && reservation != null
                && !reservation.grow(Math.min(content.content().readableBytes(), maxBodyBytes - reservation.held()))) {
            ReferenceCountUtil.release(message);
            refuseForBudget(ctx);
            return;
        }
        try {
            super.channelRead(ctx, message);
        } finally {
            if (message instanceof LastHttpContent) {
                // The whole request, if it was taken, has been handled by the time the aggregator returns.
                giveBack();
            }
        }
    }

    private void refuseForBudget(ChannelHandlerContext ctx) {
        refused = true;
        releaseCurrentMessage();
        giveBack();
        BUDGET_REFUSALS.warn("Refused a request body: the {} bytes of request bodies the listener may hold at once "
                + "are taken", budget.capacity());
        Refusals.query(ctx, clock, ErrorCode.SERVICE_UNAVAILABLE, BUDGET_SPENT_MESSAGE);
    }

    private void giveBack() {
        if (reservation != null) {
            reservation.close();
            reservation = null;
        }
    }

    /** Answers and closes; the aggregator releases what it had buffered, and the head once this returns. */
    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        giveBack();
        if (oversized instanceof HttpRequest request) {
            refusals.refuse(ctx, request, ErrorCode.REQUEST_ENTITY_TOO_LARGE, HttpRequestGuard.tooLarge(maxBodyBytes));
        } else {
            ctx.close(); // a server aggregates requests only
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        try {
            super.channelInactive(ctx);
        } finally {
            giveBack();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        try {
            super.handlerRemoved(ctx);
        } finally {
            giveBack();
        }
    }
}
