package org.opensts.iam.testing;

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
 * A TCP proxy on loopback that can stop passing bytes on, in both directions, while every connection stays open: a
 * network path that drops packets silently, as a failover or a partition does, where a closed connection would be
 * noticed at once. It can also stand for a database that is stopped: every connection closed, and each new one closed
 * as soon as it is accepted. Published in this module's test-jar for the server's tests of a node on such a store.
 */
public final class FreezableTcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private boolean frozen;
    private volatile boolean down;

    private FreezableTcpProxy(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
    }

    public static FreezableTcpProxy to(String host, int port) throws IOException {
        var proxy = new FreezableTcpProxy(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")),
                new InetSocketAddress(host, port));
        daemon(proxy::accept, "proxy-accept");
        return proxy;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** From now on no byte passes, until {@link #thaw}. */
    public void freeze() {
        synchronized (gate) {
            frozen = true;
        }
    }

    public void thaw() {
        synchronized (gate) {
            frozen = false;
            gate.notifyAll();
        }
    }

    /** Closes every connection and, until {@link #start}, every new one at once: the database is stopped. */
    public void stop() {
        down = true;
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    /** Passes connections on again. */
    public void start() {
        down = false;
    }

    private void accept() {
        try {
            while (true) {
                Socket client = listener.accept();
                if (down) {
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

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (gate) {
                    while (frozen) {
                        gate.wait();
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
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
        thaw();
        listener.close();
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }
}
