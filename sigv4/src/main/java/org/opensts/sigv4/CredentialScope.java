package org.opensts.sigv4;

import static java.time.format.DateTimeFormatter.BASIC_ISO_DATE;
import static java.util.Objects.requireNonNull;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * The scope line of a SigV4 string to sign, e.g. {@code 20150830/us-east-1/sts/aws4_request}: the date, region and
 * service a signing key is derived for. The terminator {@code aws4_request} is implied.
 *
 * @param date    the UTC date the request was signed on
 * @param region  the region, e.g. {@code us-east-1}; non-empty, without {@code /}
 * @param service the service, e.g. {@code sts}; non-empty, without {@code /}
 */
public record CredentialScope(LocalDate date, String region, String service) {

    /** The last element of every SigV4 credential scope. */
    public static final String TERMINATOR = "aws4_request";

    public CredentialScope {
        requireNonNull(date, "date");
        requireElement(region, "region");
        requireElement(service, "service");
    }

    /**
     * Parses a scope string such as {@code 20150830/us-east-1/sts/aws4_request}.
     *
     * @throws IllegalArgumentException if the text does not have four {@code /}-separated elements, the date is not
     *                                  {@code YYYYMMDD}, an element is empty or the terminator is not
     *                                  {@code aws4_request}
     */
    public static CredentialScope parse(String scope) {
        requireNonNull(scope, "scope");
        String[] parts = scope.split("/", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("credential scope must be date/region/service/aws4_request: " + scope);
        }
        if (!TERMINATOR.equals(parts[3])) {
            throw new IllegalArgumentException("credential scope must end with aws4_request: " + scope);
        }
        LocalDate date = parseDate(parts[0]);
        if (date == null) {
            throw new IllegalArgumentException("credential scope date must be YYYYMMDD: " + scope);
        }
        return new CredentialScope(date, parts[1], parts[2]);
    }

    /** Returns the scope as it appears in a credential and a string to sign, with the {@code aws4_request} end. */
    public String toScopeString() {
        return formatDate(date) + '/' + region + '/' + service + '/' + TERMINATOR;
    }

    /**
     * Returns {@code date} as {@code YYYYMMDD}, what {@code BASIC_ISO_DATE} writes; each verification writes its
     * scope, and the formatter's machinery costs more than the rest of the line.
     */
    static String formatDate(LocalDate date) {
        int year = date.getYear();
        if (year < 0 || year > 9999) {
            return BASIC_ISO_DATE.format(date); // fails as before: the formatter writes four digits of year
        }
        int month = date.getMonthValue();
        int day = date.getDayOfMonth();
        return new String(new char[] {
            digit(year / 1000), digit(year / 100 % 10), digit(year / 10 % 10), digit(year % 10),
            digit(month / 10), digit(month % 10), digit(day / 10), digit(day % 10)});
    }

    private static char digit(int value) {
        return (char) ('0' + value);
    }

    /** Parses exactly eight digits {@code YYYYMMDD}, or returns {@code null}. */
    static LocalDate parseDate(String text) {
        return parseDate(text, 0, text.length());
    }

    /** Parses {@code text} from {@code start} to {@code end} as {@link #parseDate(String)} does. */
    static LocalDate parseDate(String text, int start, int end) {
        if (end - start != 8) {
            return null;
        }
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            return LocalDate.of(
                    Integer.parseInt(text, start, start + 4, 10),
                    Integer.parseInt(text, start + 4, start + 6, 10),
                    Integer.parseInt(text, start + 6, end, 10));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static void requireElement(String value, String name) {
        requireNonNull(value, name);
        if (value.isEmpty() || value.indexOf('/') >= 0) {
            throw new IllegalArgumentException(name + " must be non-empty and contain no '/': " + value);
        }
    }
}
