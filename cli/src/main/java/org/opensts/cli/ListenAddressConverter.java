package org.opensts.cli;

import java.net.InetSocketAddress;
import picocli.CommandLine;

/** Reads {@code HOST:PORT} (an IPv6 host in brackets: {@code [::1]:8790}). */
final class ListenAddressConverter implements CommandLine.ITypeConverter<InetSocketAddress> {
    @Override
    public InetSocketAddress convert(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new CommandLine.TypeConversionException("expected HOST:PORT, got '" + value + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value.substring(colon + 1) + "' is not a port");
        }
        if (port < 0 || port > 65535) {
            throw new CommandLine.TypeConversionException("port " + port + " is out of range");
        }
        var address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            // Binding it would fail later with an exception that names nothing; say it here, as a usage error.
            throw new CommandLine.TypeConversionException("cannot resolve the host '" + host + "'");
        }
        return address;
    }
}
