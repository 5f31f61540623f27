package org.opensts.server;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header of a response in HTTP's preferred form (IMF-fixdate, RFC 9110 §5.6.7: a two-digit day, as
 * AWS's endpoints send it), formatted once per second rather than once
 * per response: the header has a resolution of one second, and {@link DateTimeFormatter} took a few percent of a
 * loaded node's samples. Every thread may call {@link #format}; a race between two threads only formats twice.
 */
final class HttpDate {
    // Not DateTimeFormatter.RFC_1123_DATE_TIME: it writes the day of the month without its leading zero.
    static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private record Formatted(long epochSecond, String text) {
    }

    private volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

    /** {@code now} as the header writes it, e.g. {@code Sun, 06 Dec 2026 09:15:00 GMT}. */
    String format(Instant now) {
        Formatted formatted = last;
        if (formatted.epochSecond() != now.getEpochSecond()) {
            formatted = new Formatted(now.getEpochSecond(), IMF_FIXDATE.format(now));
            last = formatted;
        }
        return formatted.text();
    }
}
