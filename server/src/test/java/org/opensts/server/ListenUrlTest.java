package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListenUrlTest {
    @ParameterizedTest(name = "{0} (https {1}) -> {2}")
    @CsvSource({
            "127.0.0.1, false, http://127.0.0.1:8790",
            "::1, true, https://[0:0:0:0:0:0:0:1]:8790",
            // A wildcard address is no host a client can reach or verify a certificate for: localhost is.
            "0.0.0.0, true, https://localhost:8790",
            "::, false, http://localhost:8790"})
    void listenUrl_isAUrlAClientOnThisMachineCanUse(String host, boolean https, String url) {
        assertThat(OpenStsNode.listenUrl(new InetSocketAddress(host, 8790), https)).isEqualTo(url);
    }
}
