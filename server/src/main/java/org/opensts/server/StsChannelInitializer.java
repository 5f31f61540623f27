package org.opensts.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import java.time.Clock;
import java.util.Optional;
import org.opensts.gateway.BodyBudget;
import org.opensts.gateway.ConnectionDeadlines;
import org.opensts.gateway.Http1ServerCodec;
import org.opensts.server.tls.ServerTlsContext;

/**
 * The pipeline: the connection cap (a connection beyond it is refused before anything else), TLS when configured
 * (each connection takes the context current when it is accepted), the idle and request deadlines around the HTTP
 * codec ({@link Http1ServerCodec}), whose request line and header section are bounded by {@link HttpLimits},
 * {@link OneRequestAtATime} (so that pipelined requests are answered in order), the {@link HttpRequestGuard} that
 * refuses a request by its head (version, {@code Host}, header count, {@code Expect}, declared length), an aggregator
 * that caps the body and holds it within the listener's {@link BodyBudget}, the parameter count limit, and the Query
 * protocol handler. Each admitted connection joins {@code openConnections}, which a stopping server tells to finish
 * ({@link OneRequestAtATime#FINISH_AND_CLOSE}).
 */
final class StsChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final QueryProtocolHandler handler;
    private final HttpLimits limits;
    private final Optional<ServerTlsContext> tls;
    private final ConnectionTimeouts timeouts;
    private final ConnectionLimiter connections;
    private final BodyBudget bodies;
    private final Clock clock;
    private final ChannelGroup openConnections;

    /**
     * @param bodies what the bodies of all connections may hold together while they arrive
     * @param openConnections the connections admitted and not yet closed, which a stopping server tells to finish
     */
    StsChannelInitializer(QueryProtocolHandler handler, HttpLimits limits, Optional<ServerTlsContext> tls,
            ConnectionTimeouts timeouts, ConnectionLimiter connections, BodyBudget bodies, Clock clock,
            ChannelGroup openConnections) {
        this.handler = handler;
        this.limits = limits;
        this.tls = tls;
        this.timeouts = timeouts;
        this.connections = connections;
        this.bodies = bodies;
        this.clock = clock;
        this.openConnections = openConnections;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        if (!connections.admit(channel, tls.isEmpty())) {
            return;
        }
        openConnections.add(channel); // and leaves it once closed
        if (tls.isPresent()) {
            // QueryProtocolHandler finds this handler to set aws:SecureTransport.
            channel.pipeline().addLast("tls", tls.get().current().newHandler(channel.alloc()));
        }
        var codec = limits.codec();
        var deadlines = new ConnectionDeadlines(timeouts.request(), ConnectionDeadlines.Arrival.WHOLE_REQUEST,
                timeouts.idle(), codec);
        channel.pipeline()
                .addLast("deadline-bytes", deadlines.bytes())
                .addLast("http", codec)
                .addLast("deadline-messages", deadlines.messages())
                .addLast("one-request-at-a-time", new OneRequestAtATime(timeouts.idle()))
                .addLast("guard", new HttpRequestGuard(limits, clock, handler))
                .addLast("aggregator", new BoundedAggregator(limits.maxBodyBytes(), handler, bodies, clock))
                .addLast("parameters", new QueryParameterLimit(limits.maxParameters(), handler))
                .addLast("query", handler);
    }
}
