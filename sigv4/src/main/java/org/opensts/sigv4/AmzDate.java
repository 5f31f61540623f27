package org.opensts.sigv4;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The SigV4 timestamp: ISO 8601 basic format in UTC, {@code 20150830T123600Z}. */
final class AmzDate {

    private static final int LENGTH = 16;

    private AmzDate() {
    }

    /** Formats {@code instant} (truncated to the second) as {@code YYYYMMDD'T'HHMMSS'Z'}. */
    static String format(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        char[] out = new char[LENGTH];
        digits(out, 0, t.getYear(), 4);
        digits(out, 4, t.getMonthValue(), 2);
        digits(out, 6, t.getDayOfMonth(), 2);
        out[8] = 'T';
        digits(out, 9, t.getHour(), 2);
        digits(out, 11, t.getMinute(), 2);
        digits(out, 13, t.getSecond(), 2);
        out[15] = 'Z';
        return new String(out);
    }

    /** Parses {@code YYYYMMDD'T'HHMMSS'Z'} exactly, or returns {@code null}. */
    static Instant parseBasic(String text) {
        if (text.length() != LENGTH || text.charAt(8) != 'T' || text.charAt(15) != 'Z') {
            return null;
        }
        for (int i = 0; i < 15; i++) {
            char c = text.charAt(i);
            if (i != 8 && (c < '0' || c > '9')) {
                return null;
            }
        }
        try {
            return LocalDateTime.of(
                    Integer.parseInt(text, 0, 4, 10),
                    Integer.parseInt(text, 4, 6, 10),
                    Integer.parseInt(text, 6, 8, 10),
                    Integer.parseInt(text, 9, 11, 10),
                    Integer.parseInt(text, 11, 13, 10),
                    Integer.parseInt(text, 13, 15, 10)).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /**
     * Parses an HTTP {@code Date} header: RFC 1123 ({@code Sun, 30 Aug 2015 12:36:00 GMT}) or, as the SigV4
     * documentation also allows, the basic format. Returns {@code null} if it is neither.
     */
    static Instant parseHttpDate(String text) {
        Instant basic = parseBasic(text);
        if (basic != null) {
            return basic;
        }
        try {
            return DateTimeFormatter.RFC_1123_DATE_TIME.parse(text, Instant::from);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
