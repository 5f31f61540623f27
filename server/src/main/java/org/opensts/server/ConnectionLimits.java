package org.opensts.server;

import java.lang.management.ManagementFactory;

/** The default cap on open client connections, sized from the file descriptors the process may open. */
public final class ConnectionLimits {
    /** Beyond this a node is better scaled out than given more connections. */
    public static final int CEILING = 10_000;
    /** Enough for a test or a small deployment even under a tight descriptor limit. */
    public static final int FLOOR = 64;

    private ConnectionLimits() {
    }

    /**
     * Half the process's file-descriptor limit, between {@link #FLOOR} and {@link #CEILING}: the other half stays for
     * the store's connections, the audit log, the S3 gateway's upstream connections and the JVM's own files. 10,000
     * when the limit cannot be read.
     */
    public static int defaultMaxConnections() {
        return forDescriptorLimit(maxFileDescriptors());
    }

    static int forDescriptorLimit(long maxFileDescriptors) {
        if (maxFileDescriptors <= 0) {
            return CEILING;
        }
        return (int) Math.max(FLOOR, Math.min(CEILING, maxFileDescriptors / 2));
    }

    private static long maxFileDescriptors() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }
}
