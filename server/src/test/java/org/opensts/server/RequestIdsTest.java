package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestIdsTest {
    @Test
    void next_isARandomVersion4UuidAndDoesNotRepeat() {
        var seen = new HashSet<String>();
        for (int i = 0; i < 10_000; i++) {
            String id = RequestIds.next();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(seen.add(id)).isTrue();
        }
    }
}
