package org.opensts.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.opensts.gateway.BodyBudget;
import org.opensts.gateway.ListenFailure;
import org.opensts.protocol.CallExecutor;
import org.opensts.server.tls.ServerTlsContext;
import org.opensts.sts.StsService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the Query endpoint: one port for STS and IAM, {@code /healthz} and {@code /metrics} beside them.
 */
public final class StsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StsServer.class);
    /** Requests waiting for an operations thread beyond this many are refused with 503, not queued without bound. */
    private static final int MAX_QUEUED_REQUESTS = 4096;

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final CallExecutor operations;
    private final QueryProtocolHandler handler;
    private final Channel channel;
    /** The client connections open now, which a closing server tells to finish. */
    private final ChannelGroup openConnections;

    private StsServer(EventLoopGroup bossGroup, EventLoopGroup workerGroup, CallExecutor operations,
            QueryProtocolHandler handler, Channel channel, ChannelGroup openConnections) {
        this.openConnections = openConnections;
        this.handler = handler;
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
        this.operations = operations;
        this.channel = channel;
    }

    /**
     * Starts listening.
     *
     * @param actions the Query actions of each API
     * @param regions the node's region and the regions it serves STS in
     * @param throttle the node's per-account and per-principal token buckets
     * @throws InterruptedException if interrupted while binding
     */
    static StsServer start(ServerConfig config, StsService sts, Map<ApiVersion, List<QueryAction>> actions,
            ServerMetrics metrics, Clock clock, Regions regions, RequestThrottle throttle,
            Optional<ServerTlsContext> tls, Optional<IssuerEndpoints> issuers)
            throws IOException, InterruptedException {
        return start(config, sts, actions, metrics, clock, regions, throttle, tls, issuers, Optional.empty());
    }

    /**
     * Starts listening, with the console's routes when {@code console} is present.
     *
     * @throws InterruptedException if interrupted while binding
     */
    static StsServer start(ServerConfig config, StsService sts, Map<ApiVersion, List<QueryAction>> actions,
            ServerMetrics metrics, Clock clock, Regions regions, RequestThrottle throttle,
            Optional<ServerTlsContext> tls, Optional<IssuerEndpoints> issuers, Optional<ConsoleRoutes> console)
            throws IOException, InterruptedException {
        var operations = CallExecutor.forNode("opensts-operation-", config.operationThreads(), MAX_QUEUED_REQUESTS,
                (thread, failure) -> LOG.error("A call failed outside its answer on {}", thread.getName(), failure));
        metrics.gauge("opensts.operation.threads", "Threads of the operations pool, the spares started while calls "
                + "wait on the store included", operations::threadCount);
        metrics.gauge("opensts.calls.waiting.on.store", "Calls waiting on the identity store's database (or another "
                + "call's read of it), a web identity provider's keys or their audit event", operations::waitingCount);
        var dispatcher = new QueryDispatcher(sts.authenticator(), actions, metrics, regions, throttle);
        var authorizationApi = new AuthorizationApi(sts.authenticator(), sts.authorizer(), throttle);
        var handler = new QueryProtocolHandler(dispatcher, operations, metrics, clock, regions.nodeRegion(),
                issuers, Optional.of(authorizationApi), console);
        StsTransport transport = StsTransport.best();
        EventLoopGroup bossGroup = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        // One event loop per CPU, not the transport's default of two: a call also runs on an operations thread and is
        // answered through the audit writer, so more loops only add runnable threads, and a loaded node spent more
        // CPU switching between them (docs/PERFORMANCE.md).
        EventLoopGroup workerGroup = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                transport.ioHandlerFactory());
        var openConnections = new DefaultChannelGroup("opensts-connections", GlobalEventExecutor.INSTANCE);
        try {
            Channel channel = new ServerBootstrap()
                    .group(bossGroup, workerGroup)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    // A client's FIN ends what it sends, not the connection: the requests it sent before are still
                    // answered (OneRequestAtATime), as RFC 9112 §9.6 closes a connection in stages.
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new StsChannelInitializer(handler, HttpLimits.withMaxBody(config.maxBodyBytes()),
                            tls, config.timeouts(), new ConnectionLimiter(config.maxConnections(), clock),
                            BodyBudget.ofProcessMemory(config.maxBodyBytes()), clock, openConnections))
                    .bind(config.listen())
                    .sync()
                    .channel();
            // After the acceptor, so that it has paused accepting before the failure is logged, once a minute.
            channel.pipeline().addLast("accept-failures", new AcceptFailureLog());
            return new StsServer(bossGroup, workerGroup, operations, handler, channel, openConnections);
        } catch (Exception e) {
            bossGroup.shutdownGracefully();
            workerGroup.shutdownGracefully();
            operations.shutdownNow();
            // The bind's failure reaches here unchecked from Netty, worded by the transport ("bind(..) failed: …").
            if (e instanceof IOException bind) {
                throw ListenFailure.of(config.listen(), bind);
            }
            throw e;
        }
    }

    /** Where the server listens (the real port when the configuration asked for port 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /**
     * Stops in stages, so that every request the node has read and started is answered before its connection closes
     * (README, "Audit log"): no new connections; then each connection finishes ({@link
     * OneRequestAtATime#FINISH_AND_CLOSE}): one with no call under way is closed at once, one with a call under way
     * takes no further request and is closed once that call's answer is written; a Query request completed meanwhile is
     * answered 503 "shutting down", and audited. The calls under way (and those queued) finish, and their answers are
     * sent, and their audit events handed over before whoever closes the audit log next, while the event loops still
     * run; only once the connections have closed, or after a bound, do the event loops stop.
     */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        handler.stopTakingCalls();
        finishConnections();
        operations.shutdown();
        try {
            if (!operations.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Calls still under way 10 s after the server began to stop; their answers may be lost");
            } else if (!handler.awaitAnswers(Duration.ofSeconds(10))) {
                // Each is answered once the audit log holds its event.
                LOG.warn("Calls still waiting for their audit events 10 s after the server began to stop; their "
                        + "answers may be lost");
            } else if (!openConnections.newCloseFuture().await(5, TimeUnit.SECONDS)) {
                // Each closes once its last answer is written: these clients are not reading theirs.
                LOG.warn("{} connections still open 5 s after their calls were answered; their answers may be cut "
                        + "short", openConnections.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * Tells every open connection to finish, and waits until each event loop has told its own: after that no
     * connection takes a new request. First a turn of every event loop, so that a connection accepted just before the
     * listener closed has been set up (and has joined {@link #openConnections}).
     */
    private void finishConnections() {
        for (EventExecutor loop : workerGroup) {
            loop.submit(() -> { }).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        List<Future<?>> told = new ArrayList<>();
        for (Channel connection : openConnections) {
            told.add(connection.eventLoop().submit(
                    () -> connection.pipeline().fireUserEventTriggered(OneRequestAtATime.FINISH_AND_CLOSE)));
        }
        for (Future<?> each : told) {
            each.awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }
}
