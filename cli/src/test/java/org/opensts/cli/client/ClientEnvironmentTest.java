package org.opensts.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the client commands' environment shows of itself. */
class ClientEnvironmentTest {
    @Test
    void toString_namesTheVariablesButNeverPrintsTheirValues() {
        var environment = new ClientEnvironment(Map.of(
                "AWS_ACCESS_KEY_ID", "AKIAEXAMPLEKEYID0001",
                "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "AWS_SESSION_TOKEN", "FwoGZXIvYXdzEXAMPLETOKEN"),
                Path.of("/home/someone"), Clock.systemUTC(), serial -> "123456");

        assertThat(environment.toString()).contains("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "/home/someone")
                .doesNotContain("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "FwoGZXIvYXdzEXAMPLETOKEN");
    }
}
