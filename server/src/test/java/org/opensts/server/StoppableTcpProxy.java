package org.opensts.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback in front of a database, that can stand for the database being stopped: every connection
 * closed, and each new one closed as soon as it is accepted, until it is started again.
 */
final class StoppableTcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    private StoppableTcpProxy(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
    }

    static StoppableTcpProxy to(String host, int port) throws IOException {
        var proxy = new StoppableTcpProxy(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")),
                new InetSocketAddress(host, port));
        daemon(proxy::accept, "proxy-accept");
        return proxy;
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Closes every connection, and every new one at once, until {@link #start}. */
    void stop() {
        stopped = true;
        sockets.forEach(StoppableTcpProxy::closeQuietly);
        sockets.clear();
    }

    void start() {
        stopped = false;
    }

    private void accept() {
        try {
            while (true) {
                Socket client = listener.accept();
                if (stopped) {
                    closeQuietly(client);
                    continue;
                }
                Socket server = new Socket(target.getHostString(), target.getPort());
                sockets.add(client);
                sockets.add(server);
                daemon(() -> pump(client, server), "proxy-up");
                daemon(() -> pump(server, client), "proxy-down");
            }
        } catch (IOException closed) {
            // The proxy was closed.
        }
    }

    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // One side closed: so does the other, below.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void daemon(Runnable task, String name) {
        var thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(StoppableTcpProxy::closeQuietly);
    }
}
