package org.opensts.policy.internal;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Reads the date and time values of the {@code Date*} condition operators into epoch milliseconds.
 *
 * <p>IAM accepts "one of the W3C implementations of the ISO 8601 date formats" or epoch (UNIX) time. So do
 * we: {@code YYYY}, {@code YYYY-MM}, {@code YYYY-MM-DD}, {@code YYYY-MM-DDThh:mm}, {@code ...:ss} and
 * {@code ...:ss.fraction}, each with an optional zone designator ({@code Z}, {@code +hh:mm}, {@code +hhmm},
 * {@code +hh}; none means UTC), and a plain number of seconds since the epoch, possibly fractional.
 * Anything else is not a date, and a condition comparing with it does not match.
 */
public final class PolicyDates {
    /** What {@link #parseEpochMillis} returns for text that is not a date. */
    public static final long INVALID = Long.MIN_VALUE;

    private PolicyDates() {
    }

    /** The instant {@code text} names, in milliseconds since the epoch, or {@link #INVALID}. */
    public static long parseEpochMillis(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            return INVALID;
        }
        if (isEpochNumber(s)) {
            try {
                return new java.math.BigDecimal(s).movePointRight(3).setScale(0, java.math.RoundingMode.FLOOR)
                        .longValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                return INVALID;
            }
        }
        try {
            return parseIso(s);
        } catch (DateTimeException | IndexOutOfBoundsException e) {
            return INVALID;
        }
    }

    private static boolean isEpochNumber(String s) {
        int i = s.charAt(0) == '-' ? 1 : 0;
        boolean digits = false;
        boolean dot = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits = true;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                return false;
            }
        }
        // Four digits alone are a year ("2020"), not 2020 seconds after the epoch.
        return digits && !(s.length() == 4 && !dot);
    }

    private static long parseIso(String s) {
        var cursor = new int[] {0};
        int year = digits(s, cursor, 4);
        int month = 1;
        int day = 1;
        int hour = 0;
        int minute = 0;
        int second = 0;
        int nanos = 0;
        if (accept(s, cursor, '-')) {
            month = digits(s, cursor, 2);
            if (accept(s, cursor, '-')) {
                day = digits(s, cursor, 2);
                if (accept(s, cursor, 'T') || accept(s, cursor, 't')) {
                    hour = digits(s, cursor, 2);
                    expect(s, cursor, ':');
                    minute = digits(s, cursor, 2);
                    if (accept(s, cursor, ':')) {
                        second = digits(s, cursor, 2);
                        if (accept(s, cursor, '.')) {
                            nanos = fraction(s, cursor);
                        }
                    }
                }
            }
        }
        int offsetSeconds = zone(s, cursor);
        if (cursor[0] != s.length()) {
            throw new DateTimeException("trailing text");
        }
        var local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
        return local.toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds)).toEpochMilli();
    }

    private static int zone(String s, int[] cursor) {
        if (cursor[0] == s.length()) {
            return 0;
        }
        char c = s.charAt(cursor[0]);
        if (c == 'Z' || c == 'z') {
            cursor[0]++;
            return 0;
        }
        if (c != '+' && c != '-') {
            throw new DateTimeException("bad zone");
        }
        cursor[0]++;
        int hours = digits(s, cursor, 2);
        int minutes = 0;
        if (accept(s, cursor, ':')) {
            minutes = digits(s, cursor, 2);
        } else if (cursor[0] < s.length()) {
            minutes = digits(s, cursor, 2);
        }
        int total = hours * 3600 + minutes * 60;
        return c == '-' ? -total : total;
    }

    private static int fraction(String s, int[] cursor) {
        int start = cursor[0];
        int nanos = 0;
        int scale = 100_000_000;
        while (cursor[0] < s.length() && Character.isDigit(s.charAt(cursor[0]))) {
            nanos += (s.charAt(cursor[0]) - '0') * scale;
            scale /= 10;
            cursor[0]++;
        }
        if (cursor[0] == start) {
            throw new DateTimeException("empty fraction");
        }
        return nanos;
    }

    private static int digits(String s, int[] cursor, int count) {
        int value = 0;
        for (int i = 0; i < count; i++) {
            char c = s.charAt(cursor[0]++);
            if (c < '0' || c > '9') {
                throw new DateTimeException("digit expected");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean accept(String s, int[] cursor, char c) {
        if (cursor[0] < s.length() && s.charAt(cursor[0]) == c) {
            cursor[0]++;
            return true;
        }
        return false;
    }

    private static void expect(String s, int[] cursor, char c) {
        if (!accept(s, cursor, c)) {
            throw new DateTimeException("'" + c + "' expected");
        }
    }
}
