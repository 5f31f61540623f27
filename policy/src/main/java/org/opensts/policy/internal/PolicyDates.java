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

    /**
     * Whether IAM accepts {@code text} as a value of a {@code Date*} operator; it refuses a policy with any other as
     * "The policy failed legacy parsing" (IAM CreatePolicy's answers). IAM is looser than {@link #parseEpochMillis}:
     * a value with a {@code T} or a {@code -} is a date of one to three {@code -}-separated numbers (a year from
     * -292275054 to 292278993, a month, a day), then after the {@code T} a time of one to three {@code :}-separated
     * numbers (hours, minutes, seconds with at most nine digits of fraction) and a zone ({@code Z}, or a sign, two
     * digits of hours and optionally two of minutes); fields need not have two digits, so {@code 01T} and
     * {@code 2016-12-13t2:00:00+23} are dates. Any other value is seconds since the epoch, which must fit a long.
     * A value IAM accepts that {@link #parseEpochMillis} cannot read is kept, and matches nothing.
     */
    public static boolean isIamDate(String text) {
        int t = indexOfT(text);
        if (t < 0 && text.indexOf('-') < 0) {
            return isEpochSeconds(text);
        }
        String date = t < 0 ? text : text.substring(0, t);
        if (!isIamCalendarDate(date)) {
            return false;
        }
        return t < 0 || isIamTime(text.substring(t + 1));
    }

    private static int indexOfT(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == 'T' || text.charAt(i) == 't') {
                return i;
            }
        }
        return -1;
    }

    private static boolean isEpochSeconds(String text) {
        int dot = text.indexOf('.');
        String whole = dot < 0 ? text : text.substring(0, dot);
        if (dot >= 0 && number(text.substring(dot + 1), 18) < 0) {
            return false;
        }
        return number(whole, 19) >= 0;
    }

    private static boolean isIamCalendarDate(String date) {
        boolean negative = date.startsWith("-");
        String[] fields = (negative ? date.substring(1) : date).split("-", -1);
        if (fields.length > 3) {
            return false;
        }
        long year = number(fields[0], 9);
        if (year < 0 || (negative ? -year : year) < -292_275_054L || year > 292_278_993L) {
            return false;
        }
        return (fields.length < 2 || inRange(fields[1], 1, 12)) && (fields.length < 3 || inRange(fields[2], 1, 31));
    }

    private static boolean isIamTime(String time) {
        if (time.isEmpty()) {
            return true;
        }
        String clock = time;
        int zone = Math.max(time.indexOf('+'), time.indexOf('-'));
        char last = time.charAt(time.length() - 1);
        if (last == 'Z' || last == 'z') {
            clock = time.substring(0, time.length() - 1);
        } else if (zone >= 0) {
            clock = time.substring(0, zone);
            if (!isIamZoneOffset(time.substring(zone + 1))) {
                return false;
            }
        }
        String[] fields = clock.split(":", -1);
        if (fields.length > 3 || !inRange(fields[0], 0, 23) || fields.length > 1 && !inRange(fields[1], 0, 59)) {
            return false;
        }
        if (fields.length < 3) {
            return true;
        }
        String seconds = fields[2];
        int dot = seconds.indexOf('.');
        if (dot >= 0) {
            long fraction = number(seconds.substring(dot + 1), 18);
            if (fraction < 0 || fraction > 999_999_999L) {
                return false;
            }
            seconds = seconds.substring(0, dot);
        }
        return inRange(seconds, 0, 59);
    }

    /** Two digits of hours, then optionally two of minutes, with or without a colon between. */
    private static boolean isIamZoneOffset(String offset) {
        String hours = offset.length() >= 2 ? offset.substring(0, 2) : offset;
        String minutes = offset.length() > 2 ? offset.substring(offset.charAt(2) == ':' ? 3 : 2) : "";
        return hours.length() == 2 && inRange(hours, 0, 23)
                && (offset.length() == 2 || minutes.length() == 2 && inRange(minutes, 0, 59));
    }

    private static boolean inRange(String digits, long min, long max) {
        long value = number(digits, 9);
        return value >= min && value <= max;
    }

    /** The value of one to {@code maxDigits} decimal digits (at most 19), or -1 for anything else. */
    private static long number(String digits, int maxDigits) {
        if (digits.isEmpty() || digits.length() > maxDigits) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            int digit = c - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
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
