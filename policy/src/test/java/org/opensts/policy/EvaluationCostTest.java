package org.opensts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What one evaluation is estimated to cost, by what its policies hold and how long the context values are. */
class EvaluationCostTest {
    private static final String LONG_LITERAL = "x".repeat(40);
    private static final String LONG_WITH_QUESTION_MARK = "x".repeat(39) + "?";

    static Stream<Arguments> weights() {
        return Stream.of(
                Arguments.of("no condition", "", 0),
                Arguments.of("one short value", condition("\"a*\""), 1),
                Arguments.of("three short values", condition("\"a*\",\"b?\",\"c\""), 3),
                Arguments.of("a long literal is compared once per character",
                        condition("\"" + LONG_LITERAL + "\""), 1),
                Arguments.of("a long pattern holding ? is matched by a transform",
                        condition("\"" + LONG_WITH_QUESTION_MARK + "\""), EvaluationCost.TRANSFORM_WEIGHT),
                Arguments.of("a policy variable is replaced by a context value",
                        condition("\"home/${aws:username}/*\""), 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("weights")
    void ofOneEvaluation_isThePolicysLength_plusItsWeightedValuesTimesTheContext(String name, String condition,
            long weight) {
        Policy policy = policy(condition);
        long contextCharacters = 1_000;

        long units = EvaluationCost.ofOneEvaluation(List.of(LabeledPolicy.of("p", SourcePolicyType.USER, policy)),
                contextCharacters, 0);

        // The statement's one action and one resource pattern are matched with the request's 0 characters.
        assertThat(units).isEqualTo(policy.document().length() + weight * (contextCharacters + 1) + 2);
    }

    /**
     * In a request's context, a condition value is weighed against the values of the key it tests, which it is
     * matched with: once per character of them, and its own length once per value of them. Other keys' values, however
     * long, do not count; a key named through a policy variable, and a variable, are weighed against every value.
     */
    @Test
    void ofOneEvaluationInAContext_weighsEachValueAgainstItsOwnKeysValues() {
        Policy policy = policy(condition("\"" + LONG_LITERAL + "\",\"b*\""));
        RequestContext context = RequestContext.builder().put("s3:prefix", "abc", "de")
                .put("aws:UserAgent", "u".repeat(100_000)).build();
        long valueCharacters = LONG_LITERAL.length() + "b*".length();

        long units = EvaluationCost.ofOneEvaluation(List.of(LabeledPolicy.of("p", SourcePolicyType.USER, policy)),
                context, 0);

        // s3:prefix: 2 values against 4 + 3 characters, and 42 characters of values against its 2 values.
        assertThat(units).isEqualTo(policy.document().length() + 2 * (7 + 1) + valueCharacters * (2 + 1) + 2);
    }

    @Test
    void ofOneEvaluationInAContext_aKeyNamedThroughAVariable_isWeighedAgainstEveryValue() {
        Policy policy = policy(",\"Condition\":{\"StringLike\":{\"aws:ResourceTag/${aws:username}\":[\"a\"]}}");
        RequestContext context = RequestContext.builder().put("aws:username", "bob")
                .put("aws:UserAgent", "u".repeat(996)).build();
        long everyCharacter = 4 + 997;

        long units = EvaluationCost.ofOneEvaluation(List.of(LabeledPolicy.of("p", SourcePolicyType.USER, policy)),
                context, 0);

        // The condition's one value and the document's one variable, each of 1 character, against both values.
        assertThat(units).isEqualTo(policy.document().length() + 2 * (everyCharacter + 1) + 2 * (2 + 1) + 2);
    }

    @Test
    void ofOneEvaluation_addsUpEveryPolicy() {
        Policy first = policy(condition("\"a\""));
        Policy second = policy(condition("\"b\",\"c\""));

        long units = EvaluationCost.ofOneEvaluation(List.of(LabeledPolicy.of("1", SourcePolicyType.USER, first),
                LabeledPolicy.of("2", SourcePolicyType.ROLE, second)), 9, 99);

        assertThat(units).isEqualTo(first.document().length() + second.document().length() + 3 * 10 + 4 * 100);
    }

    @Test
    void ofOneEvaluation_saturatesInsteadOfOverflowing() {
        Policy policy = policy(condition("\"a\""));

        assertThat(EvaluationCost.ofOneEvaluation(List.of(LabeledPolicy.of("p", SourcePolicyType.USER, policy)),
                Long.MAX_VALUE - 1, 0)).isEqualTo(Long.MAX_VALUE);
        assertThat(EvaluationCost.ofOneEvaluation(List.of(LabeledPolicy.of("p", SourcePolicyType.USER, policy)),
                0, Long.MAX_VALUE - 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(EvaluationCost.saturatedMultiply(Long.MAX_VALUE / 2, 3)).isEqualTo(Long.MAX_VALUE);
        assertThat(EvaluationCost.saturatedMultiply(1L << 31, 1L << 32)).isEqualTo(Long.MAX_VALUE);
        assertThat(EvaluationCost.saturatedMultiply(0, Long.MAX_VALUE)).isZero();
        assertThat(EvaluationCost.saturatedMultiply(1L << 20, 1L << 20)).isEqualTo(1L << 40);
    }

    static Stream<Arguments> patterns() {
        String resourceWithQuestionMark = "arn:aws:s3:::" + "b?".repeat(20);
        return Stream.of(
                Arguments.of("one action, one resource", "\"Action\":\"s3:GetObject\",\"Resource\":\"*\"", 2),
                Arguments.of("NotAction and NotResource lists",
                        "\"NotAction\":[\"s3:Get*\",\"s3:List*\"],"
                                + "\"NotResource\":[\"arn:aws:s3:::a\",\"arn:aws:s3:::b\",\"arn:aws:s3:::c\"]", 5),
                Arguments.of("a long resource holding ? is matched by a transform",
                        "\"Action\":\"s3:*\",\"Resource\":\"" + resourceWithQuestionMark + "\"",
                        1 + EvaluationCost.TRANSFORM_WEIGHT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("patterns")
    void ofOneEvaluation_weighsTheActionAndResourcePatterns_byTheRequestsCharacters(String name, String elements,
            long weight) {
        Policy policy = PolicyEvaluatorTest.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + elements + "}]}", PolicyType.IDENTITY);

        long units = EvaluationCost.ofOneEvaluation(List.of(LabeledPolicy.of("p", SourcePolicyType.USER, policy)),
                0, 60_000);

        assertThat(units).isEqualTo(policy.document().length() + weight * 60_001);
    }

    @Test
    void requestContext_characters_countsEveryValuePlusOne() {
        RequestContext context = RequestContext.builder().put("s3:prefix", "abc").put("aws:TagKeys", "k1", "k22")
                .build();

        assertThat(context.characters()).isEqualTo(4 + 3 + 4);
    }

    private static String condition(String values) {
        return ",\"Condition\":{\"StringLike\":{\"s3:prefix\":[" + values + "]}}";
    }

    private static Policy policy(String condition) {
        return PolicyEvaluatorTest.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"s3:ListBucket\",\"Resource\":\"*\"" + condition + "}]}", PolicyType.IDENTITY);
    }
}
