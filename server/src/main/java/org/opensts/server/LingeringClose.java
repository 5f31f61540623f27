package org.opensts.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection after a refusal without losing the refusal (RFC 9112 §9.6, "tear-down"). A client refused
 * before its body was read (413 for a declared length over the cap) is usually still sending that body; closing the
 * socket with unread bytes in it makes the kernel answer with a reset, which may reach the client before it has read
 * the refusal, and it then sees a broken connection instead of {@code 413 RequestEntityTooLarge}. So the node closes
 * its side for writing once the answer is out, and reads and drops what the client still sends until the client
 * closes too, {@value #MAX_DISCARDED_BYTES} bytes have been dropped, or {@value #LINGER_MILLIS} ms have passed.
 */
final class LingeringClose extends ChannelInboundHandlerAdapter {
    /** How long a refused connection is drained at most: enough for a client to read an answer sent meanwhile. */
    static final long LINGER_MILLIS = 2_000;
    /** How much a refused client may still send before the connection is closed anyway: the body cap and more. */
    static final long MAX_DISCARDED_BYTES = 4L * 1024 * 1024;

    private long discarded;

    private LingeringClose() {
    }

    /** Once {@code answer} (the refusal) is written, half-closes its connection and drains it, then closes it. */
    static void afterWriting(ChannelFuture answer) {
        Channel channel = answer.channel();
        if (!answer.isSuccess() || !channel.isActive() || !(channel instanceof DuplexChannel duplex)
                || duplex.isInputShutdown()) {
            // A client that has half-closed sends nothing more: there is nothing to drain, and no reset to fear.
            channel.close();
            return;
        }
        if (channel.pipeline().get(LingeringClose.class) != null) {
            return; // a second refusal, of a request the codec had already decoded: the first one's drain goes on
        }
        // First in the pipeline: the bytes that follow are dropped before TLS or HTTP decoding sees them.
        channel.pipeline().addFirst("lingering-close", new LingeringClose());
        channel.config().setAutoRead(true);
        duplex.shutdownOutput().addListener(shutdown -> {
            if (!shutdown.isSuccess()) {
                channel.close();
            }
        });
        channel.eventLoop().schedule(() -> channel.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof ByteBuf bytes) {
            discarded += bytes.readableBytes();
        }
        ReferenceCountUtil.release(message);
        if (discarded > MAX_DISCARDED_BYTES) {
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            ctx.close();
        }
        ReferenceCountUtil.release(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // The refusal is out; whatever the peer does now only ends the connection.
        ctx.close();
    }
}
