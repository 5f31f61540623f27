package org.opensts.policy.internal;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Reads the date and time values of the {@code Date*} condition operators into epoch milliseconds.
 *
 * <p>IAM accepts "one of the W3C implementations of the ISO 8601 date formats" or epoch (UNIX) time. So do
 * we: {@code YYYY}, {@code YYYY-MM}, {@code YYYY-MM-DD}, {@code YYYY-MM-DDThh}, {@code ...:mm}, {@code ...:ss}
 * and {@code ...:ss.fraction}, fields of any number of digits as IAM takes them ({@link #isIamDate}), each with an
 * optional zone designator ({@code Z}, {@code +hh:mm}, {@code +hhmm}, {@code +hh}; none means UTC), and a plain
 * number of seconds since the epoch, possibly fractional.
 * Anything else is not a date, and a condition comparing with it does not match.
 */
public final class PolicyDates {
    /** What {@link #parseEpochMillis} returns for text that is not a date. */
    public static final long INVALID = Long.MIN_VALUE;
    private static final java.math.BigDecimal MIN_MILLIS = java.math.BigDecimal.valueOf(Long.MIN_VALUE + 1);
    private static final java.math.BigDecimal MAX_MILLIS = java.math.BigDecimal.valueOf(Long.MAX_VALUE);

    private PolicyDates() {
    }

    /**
     * The longest text read as a date: every value {@link #isIamDate} takes is shorter (nine-digit fields, eighteen
     * digits of fraction), and reading a longer one (a 130,000-digit number) would cost time growing with the square
     * of its length, which a request's context value must not buy.
     */
    private static final int MAX_DATE_LENGTH = 100;

    /** The instant {@code text} names, in milliseconds since the epoch, or {@link #INVALID}. */
    public static long parseEpochMillis(String text) {
        String s = text.trim();
        if (s.isEmpty() || s.length() > MAX_DATE_LENGTH) {
            return INVALID;
        }
        if (isEpochNumber(s)) {
            try {
                var millis = new java.math.BigDecimal(s).movePointRight(3).setScale(0, java.math.RoundingMode.FLOOR);
                // IAM takes any number of seconds that fits a long; one beyond the milliseconds a long holds is
                // later (or earlier) than any time a request is made, and compares as the last (first) of them.
                return millis.max(MIN_MILLIS).min(MAX_MILLIS).longValueExact();
            } catch (NumberFormatException e) {
                return INVALID;
            }
        }
        try {
            return parseIso(s);
        } catch (DateTimeException | IndexOutOfBoundsException | ArithmeticException e) {
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
     * {@link #parseEpochMillis} reads every such value, so a statement IAM takes is a statement that applies.
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

    /**
     * Reads a calendar date the way {@link #isIamDate} accepts one, so that every date IAM takes in a policy is one a
     * condition compares with: fields of any number of digits ({@code 2030-1-1}, {@code 01T}), an optional time of
     * hours, minutes and seconds (with a fraction), an optional zone.
     */
    private static long parseIso(String s) {
        var cursor = new int[] {0};
        boolean negative = accept(s, cursor, '-');
        long year = run(s, cursor, 9);
        int month = 1;
        int day = 1;
        int hour = 0;
        int minute = 0;
        int second = 0;
        int nanos = 0;
        if (accept(s, cursor, '-')) {
            month = (int) run(s, cursor, 9);
            if (accept(s, cursor, '-')) {
                day = (int) run(s, cursor, 9);
            }
        }
        if (accept(s, cursor, 'T') || accept(s, cursor, 't')) {
            if (cursor[0] < s.length() && isDigit(s.charAt(cursor[0]))) {
                hour = (int) run(s, cursor, 9);
                if (accept(s, cursor, ':')) {
                    minute = (int) run(s, cursor, 9);
                    if (accept(s, cursor, ':')) {
                        second = (int) run(s, cursor, 9);
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
        var local = LocalDateTime.of(Math.toIntExact(negative ? -year : year), month, day, hour, minute, second,
                nanos);
        // IAM takes zones up to ±23:59, beyond the ±18:00 of ZoneOffset: the offset is applied by hand.
        return Math.subtractExact(local.toInstant(ZoneOffset.UTC).toEpochMilli(), offsetSeconds * 1000L);
    }

    /** A run of one to {@code max} decimal digits. */
    private static long run(String s, int[] cursor, int max) {
        int start = cursor[0];
        while (cursor[0] < s.length() && isDigit(s.charAt(cursor[0]))) {
            cursor[0]++;
        }
        long value = number(s.substring(start, cursor[0]), max);
        if (value < 0) {
            throw new DateTimeException("one to " + max + " digits expected");
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
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
        while (cursor[0] < s.length() && isDigit(s.charAt(cursor[0]))) {
            nanos += (s.charAt(cursor[0]) - '0') * scale; // digits past the ninth add nothing (scale is 0)
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
