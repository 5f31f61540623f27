package org.opensts.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class PackedPolicySizeTest {
    /** The session policy of the AssumeRole example in the STS API reference. */
    private static final String EXAMPLE_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Stmt1\","
            + "\"Effect\":\"Allow\",\"Action\":\"s3:ListAllMyBuckets\",\"Resource\":\"*\"}]}";
    private static final List<SessionTag> EXAMPLE_TAGS = List.of(new SessionTag("Project", "Unicorn"),
            new SessionTag("Team", "Automation"), new SessionTag("Cost-Center", "12345"));

    // External vector: the figure AWS reports for its documented example

    @Test
    void percent_assumeRoleDocumentationExample_isEight() {
        assertThat(PackedPolicySize.percent(List.of(EXAMPLE_POLICY), List.of(), EXAMPLE_TAGS)).isEqualTo(8);
    }

    // Tables

    @Test
    void percent_nothingToPack_isZero() {
        assertThat(PackedPolicySize.percent(List.of(), List.of(), List.of())).isZero();
    }

    @Test
    void percent_whitespaceOutsideStrings_doesNotCount() {
        var pretty = """
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "Stmt1",
                            "Effect": "Allow",
                            "Action": "s3:ListAllMyBuckets",
                            "Resource": "*"
                        }
                    ]
                }
                """;

        assertThat(PackedPolicySize.packedBytes(List.of(pretty), List.of(), EXAMPLE_TAGS))
                .isEqualTo(PackedPolicySize.packedBytes(List.of(EXAMPLE_POLICY), List.of(), EXAMPLE_TAGS));
    }

    @Test
    void percent_whitespaceInsideStrings_counts() {
        var spaced = EXAMPLE_POLICY.replace("Stmt1", "Statement number one with spaces in its id");

        assertThat(PackedPolicySize.packedBytes(List.of(spaced), List.of(), List.of()))
                .isGreaterThan(PackedPolicySize.packedBytes(List.of(EXAMPLE_POLICY), List.of(), List.of()));
    }

    @Test
    void percent_policyArnsCount() {
        var arns = List.of("arn:aws:iam::123456789012:policy/ReadOnlyBuckets",
                "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");

        assertThat(PackedPolicySize.percent(List.of(EXAMPLE_POLICY), arns, EXAMPLE_TAGS))
                .isGreaterThan(PackedPolicySize.percent(List.of(EXAMPLE_POLICY), List.of(), EXAMPLE_TAGS));
    }

    @Test
    void percent_fiftyLongDistinctTags_isTooLarge() {
        var random = new SeededRandom(1);
        var tags = new ArrayList<SessionTag>();
        for (int i = 0; i < 50; i++) {
            tags.add(new SessionTag("key" + i + "-" + randomWord(random, 100), randomWord(random, 256)));
        }

        int percent = PackedPolicySize.percent(List.of(), List.of(), tags);

        assertThat(percent).isGreaterThan(100);
        assertThat(PackedPolicySize.isTooLarge(percent)).isTrue();
    }

    @Test
    void isTooLarge_isTrueAboveOneHundredOnly() {
        assertThat(PackedPolicySize.isTooLarge(0)).isFalse();
        assertThat(PackedPolicySize.isTooLarge(100)).isFalse();
        assertThat(PackedPolicySize.isTooLarge(101)).isTrue();
    }

    // Properties

    @Property
    void addingATagNeverMakesThePackedSizeSmaller(@ForAll("policies") List<String> policies,
            @ForAll("tagLists") List<SessionTag> tags, @ForAll("tagLists") List<SessionTag> more) {
        var all = new ArrayList<>(tags);
        more.stream().filter(t -> tags.stream().noneMatch(u -> u.key().equalsIgnoreCase(t.key()))).forEach(all::add);

        assertThat(PackedPolicySize.percent(policies, List.of(), all))
                .isGreaterThanOrEqualTo(PackedPolicySize.percent(policies, List.of(), tags));
        assertThat(PackedPolicySize.packedBytes(policies, List.of(), all))
                .isGreaterThanOrEqualTo(PackedPolicySize.packedBytes(policies, List.of(), tags));
    }

    @Property
    void eachAddedTagAddsBytes(@ForAll("tagLists") List<SessionTag> tags) {
        long previous = PackedPolicySize.packedBytes(List.of(EXAMPLE_POLICY), List.of(), List.of());
        for (int n = 1; n <= tags.size(); n++) {
            long size = PackedPolicySize.packedBytes(List.of(EXAMPLE_POLICY), List.of(), tags.subList(0, n));
            assertThat(size).isGreaterThan(previous);
            previous = size;
        }
    }

    @Provide
    Arbitrary<List<String>> policies() {
        return Arbitraries.oneOf(Arbitraries.just(List.of()), Arbitraries.just(List.of(EXAMPLE_POLICY)),
                TestSessions.texts().list().ofMinSize(1).ofMaxSize(2));
    }

    @Provide
    Arbitrary<List<SessionTag>> tagLists() {
        var text = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzABC0123456789 _.:/=+-@é中")
                .ofMinLength(1).ofMaxLength(60);
        return text.flatMap(k -> text.map(v -> new SessionTag(k, v))).list().ofMaxSize(12)
                .uniqueElements(tag -> tag.key().toLowerCase(Locale.ROOT));
    }

    private static String randomWord(SeededRandom random, int length) {
        var word = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            word.append((char) ('a' + random.nextInt(26)));
        }
        return word.toString();
    }
}
