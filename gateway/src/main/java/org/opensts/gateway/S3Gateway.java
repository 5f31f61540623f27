package org.opensts.gateway;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.opensts.gateway.s3.DeleteObjectsBody;
import org.opensts.gateway.s3.S3RequestClassifier;
import org.opensts.protocol.CallExecutor;
import org.opensts.verifier.AccessAuthorizer;
import org.opensts.verifier.RequestAuthenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 gateway: an S3 endpoint in front of an upstream S3-compatible store. Every request is authenticated with
 * OpenSTS credentials, mapped to the IAM actions S3 would authorize, and decided with the caller's effective
 * permissions and the bucket's policy (kept in OpenSTS); an allowed request is streamed to the store re-signed with
 * the gateway's own key, and the answer streamed back.
 */
public final class S3Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(S3Gateway.class);
    /** Decisions waiting for a thread beyond this many are refused with SlowDown, not queued without bound. */
    private static final int MAX_QUEUED_DECISIONS = 4096;
    /** The largest body read whole before its decision (a DeleteObjects): the budget for such bodies holds one. */
    private static final int MAX_BUFFERED_BODY_BYTES = DeleteObjectsBody.MAX_BODY_BYTES;
    /**
     * A client connection with no traffic either way for this long is closed, also in the middle of a request's body
     * or answer; one with no request in progress is closed sooner ({@link S3GatewayConfig#idleTimeout()}).
     */
    private static final int IDLE_SECONDS = 300;
    /**
     * A presigned URL carries its session token and signature in the request line: 16 KiB, as the node's listener.
     * Longer is answered {@code 400 Bad Request}.
     */
    static final int MAX_REQUEST_LINE_BYTES = 16 * 1024;
    /** S3's own bound on a request's headers: 8 KiB ("PUT request header is limited to 8 KB"). Larger is 400. */
    static final int MAX_HEADER_BYTES = 8 * 1024;
    /** Requests a connection may send ahead of their answers; one more closes it (the node's listener has as many). */
    static final int MAX_PIPELINED_REQUESTS = 128;
    /**
     * How long a stopping gateway lets the requests under way finish (a transfer of a large object included) before
     * it closes their connections anyway.
     */
    static final Duration FINISH_GRACE = Duration.ofSeconds(30);

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final CallExecutor decisions;
    private final Channel channel;
    private final ChannelGroup clients;
    private final boolean tls;

    private S3Gateway(EventLoopGroup bossGroup, EventLoopGroup workerGroup, CallExecutor decisions,
            Channel channel, ChannelGroup clients, boolean tls) {
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
        this.decisions = decisions;
        this.channel = channel;
        this.clients = clients;
        this.tls = tls;
    }

    /**
     * Starts listening.
     *
     * @param authenticator checks the signatures of S3 requests
     * @param authorizer decides with the caller's effective permissions and the bucket's policy
     * @param policies where bucket policies are kept
     * @param audit where the events of the audited calls go (bucket-level calls, the gateway's refusals of a known
     *     caller)
     * @param serverTls the TLS context of each new connection, when the gateway serves HTTPS
     * @throws InterruptedException if interrupted while binding
     */
    public static S3Gateway start(S3GatewayConfig config, RequestAuthenticator authenticator,
            AccessAuthorizer authorizer, BucketPolicyStore policies, S3AuditTrail audit,
            Optional<Supplier<SslContext>> serverTls) throws IOException, InterruptedException {
        // Decisions wait on the store (bucket policies, identities) and on the upstream store's answers to the
        // gateway's own calls (a bucket's existence, an object's tags), as the node's calls wait on theirs.
        var decisions = CallExecutor.forNode("opensts-s3-decision-", CallExecutor.nodeThreadCount(),
                MAX_QUEUED_DECISIONS, (thread, failure) -> LOG.error("A request failed outside its answer on {}",
                        thread.getName(), failure));
        var upstreamRequests = new UpstreamRequests(config);
        var upstreamCalls = new UpstreamCalls(config, upstreamRequests);
        // Path-style addressing: clients reach the gateway by address, and virtual hosts need wildcard DNS names.
        var gate = new AccessGate(authenticator, authorizer, new S3RequestClassifier(List.of()), policies,
                new UpstreamObjectTags(upstreamCalls), config.accountId(), config.region(),
                config.clock());
        var context = new GatewayContext(config, gate, policies, new UpstreamBuckets(upstreamCalls), audit,
                decisions, upstreamRequests, upstreamTls(config),
                BodyBudget.ofProcessMemory(MAX_BUFFERED_BODY_BYTES));
        var connections = new ConnectionCap(config.maxConnections(), System::nanoTime);
        EventLoopGroup bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workerGroup = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        try {
            Channel channel = new ServerBootstrap()
                    .group(bossGroup, workerGroup)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            if (!connections.admit(channel)) {
                                return;
                            }
                            clients.add(channel); // and leaves it once closed
                            // GatewayHandler finds the TLS handler to set aws:SecureTransport.
                            serverTls.ifPresent(current -> channel.pipeline().addLast("tls",
                                    current.get().newHandler(channel.alloc())));
                            var codec = new Http1ServerCodec(MAX_REQUEST_LINE_BYTES, MAX_HEADER_BYTES,
                                    MAX_PIPELINED_REQUESTS);
                            var deadlines = new ConnectionDeadlines(config.headerTimeout(),
                                    ConnectionDeadlines.Arrival.HEAD, config.idleTimeout(), codec);
                            channel.pipeline()
                                    .addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS))
                                    .addLast("deadline-bytes", deadlines.bytes())
                                    .addLast("http", codec)
                                    .addLast("deadline-messages", deadlines.messages())
                                    .addLast("gateway", new GatewayHandler(context));
                        }
                    })
                    .bind(config.listen())
                    .sync()
                    .channel();
            channel.pipeline().addLast("accept-failures", connections.acceptFailures());
            return new S3Gateway(bossGroup, workerGroup, decisions, channel, clients, serverTls.isPresent());
        } catch (Exception e) {
            bossGroup.shutdownGracefully();
            workerGroup.shutdownGracefully();
            decisions.shutdownNow();
            // The bind's failure reaches here unchecked from Netty, worded by the transport ("bind(..) failed: …").
            if (e instanceof IOException bind) {
                throw ListenFailure.of(config.listen(), bind);
            }
            throw e;
        }
    }

    private static Optional<SslContext> upstreamTls(S3GatewayConfig config) {
        if (!config.upstreamTls()) {
            return Optional.empty();
        }
        try {
            return Optional.of(SslContextBuilder.forClient().build());
        } catch (SSLException e) {
            throw new IllegalStateException("Cannot set up TLS for the upstream store", e);
        }
    }

    /** Where the gateway listens (the real port when the configuration asked for port 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The base URL S3 clients use: {@code http://} or {@code https://}, the listen host and the real port. */
    public URI endpoint() {
        InetSocketAddress address = address();
        String host = address.getHostString();
        return URI.create((tls ? "https://" : "http://") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":"
                + address.getPort());
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        // Each connection finishes the request under way (an upload or a download still streaming) and then closes;
        // one between requests closes at once. Those still open after the grace are closed, cut short.
        clients.forEach(client -> client.pipeline().fireUserEventTriggered(GatewayHandler.FINISH_AND_CLOSE));
        long deadline = System.nanoTime() + FINISH_GRACE.toNanos();
        while (!clients.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!clients.isEmpty()) {
            LOG.warn("Closing {} S3 gateway connections whose requests did not finish within {} s", clients.size(),
                    FINISH_GRACE.toSeconds());
            clients.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        decisions.shutdown();
    }
}
