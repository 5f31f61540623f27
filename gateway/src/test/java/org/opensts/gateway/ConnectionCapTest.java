package org.opensts.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ConnectionCapTest {

    @Test
    void connectionBeyondTheCap_isClosedAndAClosedOneFreesItsPlace() {
        var cap = new ConnectionCap(2, () -> 0);
        var first = new EmbeddedChannel();
        var second = new EmbeddedChannel();
        var third = new EmbeddedChannel();

        assertThat(cap.admit(first)).isTrue();
        assertThat(cap.admit(second)).isTrue();
        assertThat(cap.admit(third)).isFalse();
        assertThat(third.isOpen()).isFalse();
        assertThat(cap.open()).isEqualTo(2);

        first.close();
        assertThat(cap.open()).isEqualTo(1);
        assertThat(cap.admit(new EmbeddedChannel())).isTrue();
    }

    @Test
    void acceptFailures_areTakenByTheLastHandler() {
        var cap = new ConnectionCap(1, () -> 0);
        var listening = new EmbeddedChannel(cap.acceptFailures());

        for (int i = 0; i < 100; i++) {
            listening.pipeline().fireExceptionCaught(new IOException("Too many open files"));
        }

        listening.checkException(); // none reached the end of the pipeline
        assertThat(listening.isOpen()).isTrue();
    }
}
