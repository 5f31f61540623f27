package org.opensts.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;

/** A listener that could not bind its address, said in one line that names the address and the system's reason. */
public final class ListenFailure {

    private ListenFailure() {
    }

    /**
     * {@code cannot listen on 127.0.0.1:8790 (Address already in use)}, whatever words the transport put before the
     * system's reason ({@code bind(..) failed with error(-98): Address already in use} from Linux's native transport).
     */
    public static IOException of(InetSocketAddress address, IOException failure) {
        String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (reason.startsWith("bind(") && reason.contains(": ")) {
            reason = reason.substring(reason.indexOf(": ") + 2);
        }
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return new IOException("cannot listen on " + host + ":" + address.getPort() + " (" + reason + ")", failure);
    }
}
