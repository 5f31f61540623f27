package org.opensts.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * What every connection of one gateway shares: the decision, the store of policies, the way upstream, the audit log.
 */
final class GatewayContext {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final S3GatewayConfig config;
    private final AccessGate gate;
    private final BucketPolicyStore policies;
    private final Buckets buckets;
    private final S3AuditTrail audit;
    private final Executor decisions;
    private final UpstreamRequests upstreamRequests;
    private final Optional<SslContext> upstreamTls;
    private final BodyBudget bodyBudget;

    /** @param bodyBudget what the bodies read whole before their decision may hold together ({@link BufferedBody}) */
    GatewayContext(S3GatewayConfig config, AccessGate gate, BucketPolicyStore policies, Buckets buckets,
            S3AuditTrail audit, Executor decisions, UpstreamRequests upstreamRequests,
            Optional<SslContext> upstreamTls, BodyBudget bodyBudget) {
        this.bodyBudget = bodyBudget;
        this.config = config;
        this.gate = gate;
        this.policies = policies;
        this.buckets = buckets;
        this.audit = audit;
        this.decisions = decisions;
        this.upstreamRequests = upstreamRequests;
        this.upstreamTls = upstreamTls;
    }

    AccessGate gate() {
        return gate;
    }

    BucketPolicyStore policies() {
        return policies;
    }

    Buckets buckets() {
        return buckets;
    }

    S3AuditTrail audit() {
        return audit;
    }

    Executor decisions() {
        return decisions;
    }

    BodyBudget bodyBudget() {
        return bodyBudget;
    }

    UpstreamRequests upstreamRequests() {
        return upstreamRequests;
    }

    Clock clock() {
        return config.clock();
    }

    String accountId() {
        return config.accountId();
    }

    /** The region clients sign for, and the gateway at the store: S3's bucket region, as the gateway presents it. */
    String region() {
        return config.region();
    }

    /**
     * A connection to the upstream store on the client connection's own event loop, so that the two ends of an
     * exchange never need a lock or a hand-off between threads.
     */
    Bootstrap upstreamBootstrap(EventLoop eventLoop, ChannelHandler handler) {
        String host = config.upstream().getHost();
        int port = config.upstreamPort();
        return new Bootstrap()
                .group(eventLoop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .remoteAddress(host, port)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (upstreamTls.isPresent()) {
                            SslHandler tls = upstreamTls.get().newHandler(channel.alloc(), host, port);
                            SSLEngine engine = tls.engine();
                            SSLParameters parameters = engine.getSSLParameters();
                            parameters.setEndpointIdentificationAlgorithm("HTTPS");
                            engine.setSSLParameters(parameters);
                            channel.pipeline().addLast("tls", tls);
                        }
                        channel.pipeline().addLast("http", new HttpClientCodec()).addLast("exchange", handler);
                    }
                });
    }
}
