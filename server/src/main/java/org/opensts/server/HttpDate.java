package org.opensts.server;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The {@code Date} header of a response (RFC 1123's form, as before), formatted once per second rather than once
 * per response: the header has a resolution of one second, and {@link DateTimeFormatter} took a few percent of a
 * loaded node's samples. Every thread may call {@link #format}; a race between two threads only formats twice.
 */
final class HttpDate {
    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private record Formatted(long epochSecond, String text) {
    }

    private volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

    /** {@code now} as the header writes it, e.g. {@code Sun, 6 Dec 2026 09:15:00 GMT}. */
    String format(Instant now) {
        Formatted formatted = last;
        if (formatted.epochSecond() != now.getEpochSecond()) {
            formatted = new Formatted(now.getEpochSecond(), RFC_1123.format(now));
            last = formatted;
        }
        return formatted.text();
    }
}
