package org.opensts.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyDatesTest {
    record Case(String text, String instant) {
        @Override
        public String toString() {
            return text;
        }
    }

    static Stream<Case> w3cFormatsAndEpoch() {
        return Stream.of(
                new Case("2020", "2020-01-01T00:00:00Z"),
                new Case("2020-06", "2020-06-01T00:00:00Z"),
                new Case("2020-06-15", "2020-06-15T00:00:00Z"),
                new Case("2020-06-15T10:30Z", "2020-06-15T10:30:00Z"),
                new Case("2020-06-15T10:30:45Z", "2020-06-15T10:30:45Z"),
                new Case("2020-06-15T10:30:45.25Z", "2020-06-15T10:30:45.250Z"),
                new Case("2020-06-15T10:30:45+02:00", "2020-06-15T08:30:45Z"),
                new Case("2020-06-15T10:30:45-0130", "2020-06-15T12:00:45Z"),
                new Case("2020-06-15T10:30:45", "2020-06-15T10:30:45Z"),
                // Fields of other lengths, as IAM takes them (isIamDate): read, not left to match nothing.
                new Case("2030-1-1", "2030-01-01T00:00:00Z"),
                new Case("20-06-15", "0020-06-15T00:00:00Z"),
                new Case("2020-06-15T10", "2020-06-15T10:00:00Z"),
                new Case("2016-12-13t2:00:00.593194+23", "2016-12-12T03:00:00.593Z"),
                new Case("01T", "0001-01-01T00:00:00Z"),
                new Case("1592217045", "2020-06-15T10:30:45Z"),
                new Case("1592217045.5", "2020-06-15T10:30:45.500Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("w3cFormatsAndEpoch")
    void parse_readsW3cDatesAndEpochSeconds(Case c) {
        assertThat(PolicyDates.parseEpochMillis(c.text())).isEqualTo(Instant.parse(c.instant()).toEpochMilli());
    }

    @ParameterizedTest(name = "{0} is not a date")
    @ValueSource(strings = {"", "yesterday", "2020-13-01", "2020-02-30", "2020-06-15T25:00Z",
            "2020-06-15T10:30:45Zjunk", "2020-06-15T10:30:45+2", "T10:00"})
    void parse_rejectsWhatIsNotADate(String text) {
        assertThat(PolicyDates.parseEpochMillis(text)).isEqualTo(PolicyDates.INVALID);
    }

    /** Reading a number this long would take time growing with the square of its length: it is no date. */
    @Test
    void parse_textLongerThanAnyDate_isNotADate() {
        assertThat(PolicyDates.parseEpochMillis("1." + "9".repeat(130_000))).isEqualTo(PolicyDates.INVALID);
        assertThat(PolicyDates.parseEpochMillis("9".repeat(130_000))).isEqualTo(PolicyDates.INVALID);
    }

    @ParameterizedTest(name = "IAM accepts {0}")
    @ValueSource(strings = {"2020", "2020-06", "2020-06-15", "2020-06-15T10:30Z", "2020-06-15T10:30:45.25Z",
            "2020-06-15T10:30:45+02:00", "2020-06-15T10:30:45-0130", "2020-06-15T10:30:45-05", "1592217045",
            "1592217045.5", "01T", "2016-12-13t2:00:00.593194+23", "-292275054", "9223372036854775807",
            // Every field as wide as IAM takes it: the longest dates a condition reads.
            "-000000001-000000001-000000001T000000001:000000001:000000001.000000000000000001+23:59",
            "9223372036854775807.999999999999999999"})
    void isIamDate_acceptsWhatIamAccepts_andEachIsADateAConditionReads(String text) {
        assertThat(PolicyDates.isIamDate(text)).isTrue();
        assertThat(PolicyDates.parseEpochMillis(text)).isNotEqualTo(PolicyDates.INVALID);
    }

    @Property
    void everyCalendarDateIamTakes_isReadAsTheSameInstantWhateverItsFieldWidths(
            @ForAll @IntRange(min = 1, max = 9999) int year, @ForAll @IntRange(min = 1, max = 12) int month,
            @ForAll @IntRange(min = 1, max = 28) int day, @ForAll @IntRange(min = 0, max = 23) int hour,
            @ForAll @IntRange(min = 0, max = 59) int minute, @ForAll boolean padded) {
        String format = padded ? "%04d-%02d-%02dT%02d:%02dZ" : "%d-%d-%dT%d:%dZ";
        String text = String.format(Locale.ROOT, format, year, month, day, hour, minute);
        long expected = LocalDateTime.of(year, month, day, hour, minute)
                .toInstant(ZoneOffset.UTC).toEpochMilli();

        assertThat(PolicyDates.isIamDate(text)).isTrue();
        assertThat(PolicyDates.parseEpochMillis(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "IAM refuses {0}")
    @ValueSource(strings = {"", "sdfdsf", "234-13", "2020-06-32", "2020-06-15T24:00Z", "2020-06-15T10:60Z",
            "2020-06-15T10:30:60Z", "2016-12-13t2:00:00.593194+1", "2016-12-13t2:00:00.1999999999+10:59",
            "2020-06-15T10:30:45+24:00", "2020-06-15T10:30:45Zjunk", "9223372036854775808",
            "292278994-01-01", "-292275055", "1-2-3-4", "2020-06-15T1:2:3:4", "T10:00"})
    void isIamDate_refusesWhatIamRefuses(String text) {
        assertThat(PolicyDates.isIamDate(text)).isFalse();
    }
}
