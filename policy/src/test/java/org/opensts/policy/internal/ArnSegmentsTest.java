package org.opensts.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ArnSegmentsTest {
    record Case(String name, String pattern, String value, boolean matches) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("* matches anything", "*", "arn:aws:s3:::b/k", true),
                new Case("* matches even a non-ARN", "*", "*", true),
                new Case("exact ARN", "arn:aws:sqs:us-east-2:123456789012:queue1",
                        "arn:aws:sqs:us-east-2:123456789012:queue1", true),
                new Case("a resource-part star crosses slashes", "arn:aws:iam::123456789012:user/accounting/*",
                        "arn:aws:iam::123456789012:user/accounting/sub/alice", true),
                new Case("a resource-part star crosses colons", "arn:aws:logs:*:*:*",
                        "arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:s", true),
                new Case("a region star stays in the region", "arn:aws:sqs:*:111122223333:*",
                        "arn:aws:sqs:us-east-1:444455556666:q", false),
                new Case("a short pattern's trailing star spans the rest", "arn:aws:s3:*", "arn:aws:s3:::b/k", true),
                new Case("a short pattern without a star needs the rest to match", "arn:aws:s3:x", "arn:aws:s3:::b",
                        false),
                new Case("a full pattern never matches a short value", "arn:aws:s3:::b", "*", false),
                new Case("empty segments match empty segments", "arn:aws:s3:::*", "arn:aws:s3:::bucket", true),
                new Case("empty region in the pattern rejects a region", "arn:aws:s3:::*",
                        "arn:aws:s3:us-east-1::bucket", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matches_segmentBySegment(Case c) {
        List<String> parts = ArnSegments.splitPattern(c.pattern(), false);
        var compiled = parts.stream().map(Wildcard::compile).toArray(Wildcard[]::new);
        assertThat(ArnSegments.of(c.value()).matches(compiled)).isEqualTo(c.matches());
    }

    @Test
    void of_splitsAtTheFirstFiveColons() {
        var arn = ArnSegments.of("arn:aws:sqs:us-east-1:123456789012:queue:extra");
        assertThat(arn.count()).isEqualTo(6);
        assertThat(arn.segment(3)).isEqualTo("us-east-1");
        assertThat(arn.segment(5)).isEqualTo("queue:extra");
    }

    @Test
    void splitPattern_keepsVariablesWhole() {
        assertThat(ArnSegments.splitPattern("arn:aws:s3:::b/${aws:username}/*", true))
                .containsExactly("arn", "aws", "s3", "", "", "b/${aws:username}/*");
        assertThat(ArnSegments.splitPattern("arn:aws:s3:::b/${aws:username}/*", false))
                .containsExactly("arn", "aws", "s3", "", "", "b/${aws:username}/*");
        assertThat(ArnSegments.splitPattern("arn:${aws:x}:s3:::b", true))
                .containsExactly("arn", "${aws:x}", "s3", "", "", "b");
    }

    @Test
    void segmentEqualsAndStartsWith_compareOneSegmentInPlace() {
        ArnSegments arn = ArnSegments.of("arn:aws:iam::123456789012:role/aws-service-role/x.amazonaws.com/R");

        assertThat(arn.segmentEquals(2, "iam")).isTrue();
        assertThat(arn.segmentEquals(2, "ia")).isFalse();
        assertThat(arn.segmentEquals(3, "")).isTrue();
        assertThat(arn.segmentStartsWith(5, "role/aws-service-role/")).isTrue();
        assertThat(arn.segmentStartsWith(4, "1234567890123")).isFalse();
    }
}
