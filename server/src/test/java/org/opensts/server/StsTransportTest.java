package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.EpollServerSocketChannel;
import org.junit.jupiter.api.Test;

class StsTransportTest {
    @Test
    void best_onLinuxX86_64_isTheNativeEpollTransport() {
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
                "the native transport is packaged for Linux on x86-64");

        StsTransport transport = StsTransport.best();

        assertThat(transport.name()).isEqualTo("epoll");
        assertThat(transport.serverChannel()).isEqualTo(EpollServerSocketChannel.class);
    }
}
