package org.opensts.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.junit.jupiter.api.Test;

class ReceivedRequestTest {
    @Test
    void sourceIpOf_ipv4AndIpv6_isTheAddress() throws Exception {
        assertThat(ReceivedRequest.sourceIpOf(new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 443)))
                .isEqualTo("203.0.113.7");
        assertThat(ReceivedRequest.sourceIpOf(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 443)))
                .isEqualTo("2001:db8:0:0:0:0:0:7");
    }

    /** A link-local client as a server socket reports it, {@code fe80:0:0:0:0:0:0:1%2}: the zone is left out. */
    @Test
    void sourceIpOf_scopedIpv6_leavesTheZoneOut() throws Exception {
        byte[] linkLocal = InetAddress.getByName("fe80::1").getAddress();
        var scoped = Inet6Address.getByAddress(null, linkLocal, 2);

        assertThat(scoped.getHostAddress()).endsWith("%2");
        assertThat(ReceivedRequest.sourceIpOf(new InetSocketAddress(scoped, 443))).isEqualTo("fe80:0:0:0:0:0:0:1");
    }

    @Test
    void sourceIpOf_addressThatIsNoIpAddress_isTheUnspecifiedAddress() {
        assertThat(ReceivedRequest.sourceIpOf(new SocketAddress() { })).isEqualTo("0.0.0.0");
        assertThat(ReceivedRequest.sourceIpOf(InetSocketAddress.createUnresolved("example.com", 443)))
                .isEqualTo("0.0.0.0");
    }
}
