package org.opensts.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The event loops and server channel of the STS/IAM listener: Linux's native epoll transport where it loads, Java NIO
 * elsewhere. Every call the operations executor answers hands its response back to an event loop, which must then be
 * woken; NIO's selector wake-up takes a lock that the event loop takes too, and in a profile of AssumeRole under load
 * (JFR, docs/PERFORMANCE.md) that lock was the most contended in the node. The native transport wakes its loop
 * through an eventfd, without a Java lock, and makes fewer system calls per request.
 */
record StsTransport(String name, IoHandlerFactory ioHandlerFactory, Class<? extends ServerChannel> serverChannel) {
    static StsTransport best() {
        if (Epoll.isAvailable()) {
            return new StsTransport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
        }
        return new StsTransport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }
}
