package org.opensts.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.timeout.TimeoutException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a handler does with an exception that reaches the end of its pipeline: log it once and close the connection.
 * A connection the peer broke (reset, broken pipe, closed under a write: any {@link IOException}; closed in the middle
 * of a request's body), one that timed out, a TLS record or handshake the peer got wrong, or more requests sent ahead
 * of their answers than the HTTP codec decodes ({@link #isPipelineDepthExceeded}) is the peer's doing, at
 * {@code DEBUG}; anything else is a fault of this node's own, at {@code WARN}, with the remote address and the
 * exception's classes and stack frames. Messages are left out, at both levels: a codec's message may quote the request
 * (a header value, so a session token), which a log must not hold. The STS/IAM listener's pipeline ends here too.
 *
 * <p>Whatever a client can provoke, it must not fill the log: at most {@value #WARNINGS_PER_MINUTE} such warnings are
 * written a minute, and the first one after a minute in which some were left out says how many.
 */
public final class ConnectionErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionErrors.class);
    /** Enough for any real chain; a cycle or a crafted chain stops here. */
    private static final int MAX_CAUSES = 16;
    /** Warnings with a stack trace written in one minute at most. */
    public static final int WARNINGS_PER_MINUTE = 10;
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** What the node's and the gateway's listeners use. */
    private static final ConnectionErrors SHARED = new ConnectionErrors(System::nanoTime);

    private final LongSupplier nanoTime;
    private long windowStart;
    private int warnedInWindow;
    private long leftOut;

    /** Errors logged with their own budget of warnings, on {@code nanoTime}'s clock. */
    public ConnectionErrors(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.windowStart = nanoTime.getAsLong();
    }

    /** Logs {@code cause} as described above, within the listeners' shared budget, and closes the channel. */
    public static void closeAfter(ChannelHandlerContext context, Throwable cause) {
        SHARED.close(context, cause);
    }

    /**
     * Logs {@code cause} as described above, within the listeners' shared budget, leaving the connection to the caller:
     * for a failure the caller still answers, such as an allocation that failed ({@link OutOfMemoryError}).
     */
    public static void log(ChannelHandlerContext context, Throwable cause) {
        SHARED.logOnly(context, cause);
    }

    /** Logs {@code cause} as described above, within this instance's budget, and closes the channel. */
    public void close(ChannelHandlerContext context, Throwable cause) {
        logOnly(context, cause);
        context.close();
    }

    private void logOnly(ChannelHandlerContext context, Throwable cause) {
        if (isPeers(cause)) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("Closing the connection with {} after {}", context.channel().remoteAddress(),
                        cause.getClass().getName());
            }
        } else {
            long notLogged = admitWarning();
            if (notLogged >= 0) {
                LOG.warn("Closing the connection with {} after an unexpected {}{}", context.channel().remoteAddress(),
                        cause.getClass().getName(), notLogged == 0 ? ""
                                : " (" + notLogged + " more such errors were not logged since the last one)",
                        withoutMessages(cause));
            }
        }
    }

    /** -1 if the minute's warnings are spent; otherwise how many were left out since the last one written. */
    private synchronized long admitWarning() {
        long now = nanoTime.getAsLong();
        if (now - windowStart >= MINUTE_NANOS) {
            windowStart = now;
            warnedInWindow = 0;
        }
        if (warnedInWindow >= WARNINGS_PER_MINUTE) {
            leftOut++;
            return -1;
        }
        warnedInWindow++;
        long notLogged = leftOut;
        leftOut = 0;
        return notLogged;
    }

    /**
     * Whether the peer, not this node, caused {@code cause}: an I/O error on the connection, a connection closed in the
     * middle of a request, a timeout, or a TLS record or handshake the TLS handler could not accept.
     */
    public static boolean isPeers(Throwable cause) {
        if (cause instanceof IOException || cause instanceof TimeoutException
                || cause instanceof NotSslRecordException || cause instanceof PrematureChannelClosureException
                || isPipelineDepthExceeded(cause)) {
            return true;
        }
        return cause instanceof DecoderException && cause.getCause() instanceof SSLException;
    }

    /**
     * Whether the HTTP codec refused to decode more requests than its depth ahead of their answers: a client that
     * pipelines that far without reading ({@link Http1ServerCodec.TooManyRequestsAhead}).
     */
    public static boolean isPipelineDepthExceeded(Throwable cause) {
        return cause instanceof Http1ServerCodec.TooManyRequestsAhead;
    }

    /** {@code cause} and its causes as exceptions that keep only their class names and stack frames. */
    public static Throwable withoutMessages(Throwable cause) {
        var chain = new ArrayList<Throwable>();
        for (Throwable t = cause; t != null && chain.size() < MAX_CAUSES && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        Throwable copy = null;
        for (int i = chain.size() - 1; i >= 0; i--) {
            copy = new Redacted(chain.get(i).getClass().getName(), copy);
            copy.setStackTrace(chain.get(i).getStackTrace());
        }
        return copy;
    }

    /** An exception that names the class of the one it stands for, without its message. */
    private static final class Redacted extends Exception {
        Redacted(String className, Throwable cause) {
            super(className, cause, /* enableSuppression= */ false, /* writableStackTrace= */ true);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
