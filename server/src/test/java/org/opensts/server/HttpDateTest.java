package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HttpDateTest {
    @Test
    void format_writesImfFixdateInGmt_withATwoDigitDay() {
        assertThat(new HttpDate().format(Instant.parse("2026-12-06T09:15:07.123Z")))
                .isEqualTo("Sun, 06 Dec 2026 09:15:07 GMT");
    }

    @Test
    void format_withinOneSecond_isTheSameText_andTheNextSecondIsNew() {
        var date = new HttpDate();
        String first = date.format(Instant.parse("2026-12-06T09:15:07.001Z"));
        assertThat(date.format(Instant.parse("2026-12-06T09:15:07.999Z"))).isSameAs(first);
        assertThat(date.format(Instant.parse("2026-12-06T09:15:08Z"))).isEqualTo("Sun, 06 Dec 2026 09:15:08 GMT");
        assertThat(date.format(Instant.parse("2026-12-06T09:15:06Z"))).isEqualTo("Sun, 06 Dec 2026 09:15:06 GMT");
    }
}
