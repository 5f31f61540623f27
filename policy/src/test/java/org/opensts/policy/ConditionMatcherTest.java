package org.opensts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each operator family's matcher on its own: how it reads the policy values and whether one request value
 * matches. What every family shares (qualifiers, {@code IfExists}, negation, missing keys) is the clause's and
 * is shown through whole policies in {@link ConditionOperatorsTest}.
 */
class ConditionMatcherTest {
    private static final String ALICE = "arn:aws:iam::111122223333:user/alice";

    record Case(String name, ConditionOperator operator, List<String> policyValues, String requestValue,
            boolean matches) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case c(String name, ConditionOperator operator, List<String> policyValues, String requestValue,
            boolean matches) {
        return new Case(name, operator, policyValues, requestValue, matches);
    }

    static Stream<Case> oneRequestValue() {
        return Stream.of(
                c("StringEquals matches an equal value", ConditionOperator.STRING_EQUALS, List.of("a", "b"), "b",
                        true),
                c("StringEquals is case-sensitive", ConditionOperator.STRING_EQUALS, List.of("a"), "A", false),
                c("StringEqualsIgnoreCase ignores case", ConditionOperator.STRING_EQUALS_IGNORE_CASE,
                        List.of("DevOps"), "devops", true),
                c("StringNotEquals compiles as StringEquals", ConditionOperator.STRING_NOT_EQUALS, List.of("a"), "a",
                        true),
                c("StringEquals takes * literally", ConditionOperator.STRING_EQUALS, List.of("a*"), "ab", false),
                c("StringLike reads * as a wildcard", ConditionOperator.STRING_LIKE, List.of("a*"), "ab", true),
                c("StringLike reads ? as one character", ConditionOperator.STRING_LIKE, List.of("a?"), "abc", false),
                c("NumericEquals compares decimals", ConditionOperator.NUMERIC_EQUALS, List.of("10"), "10.00", true),
                c("NumericLessThan is strict", ConditionOperator.NUMERIC_LESS_THAN, List.of("10"), "10", false),
                c("NumericLessThanEquals holds at the value", ConditionOperator.NUMERIC_LESS_THAN_EQUALS,
                        List.of("10"), "10", true),
                c("NumericGreaterThan holds above", ConditionOperator.NUMERIC_GREATER_THAN, List.of("10"), "10.5",
                        true),
                c("NumericGreaterThanEquals fails below", ConditionOperator.NUMERIC_GREATER_THAN_EQUALS,
                        List.of("10"), "9", false),
                c("Numeric drops a policy value that is no number", ConditionOperator.NUMERIC_EQUALS,
                        List.of("ten", "10"), "10", true),
                c("Numeric with a request value that is no number fails", ConditionOperator.NUMERIC_EQUALS,
                        List.of("10"), "ten", false),
                c("DateEquals compares instants across zones", ConditionOperator.DATE_EQUALS,
                        List.of("2020-01-01T01:00:00+01:00"), "2020-01-01T00:00:00Z", true),
                c("DateLessThan with epoch seconds in the request", ConditionOperator.DATE_LESS_THAN,
                        List.of("2020-01-01"), "1577836799", true),
                c("DateGreaterThanEquals is not strict", ConditionOperator.DATE_GREATER_THAN_EQUALS,
                        List.of("2020-01-01"), "2020-01-01T00:00:00Z", true),
                c("Date drops a policy value that is no date", ConditionOperator.DATE_LESS_THAN,
                        List.of("tomorrow", "2030-01-01"), "2020-01-01", true),
                c("Date with a request value that is no date fails", ConditionOperator.DATE_LESS_THAN,
                        List.of("2030-01-01"), "yesterday", false),
                c("Bool matches true", ConditionOperator.BOOL, List.of("true"), "true", true),
                c("Bool ignores case and spaces on both sides", ConditionOperator.BOOL, List.of(" TRUE "), "True",
                        true),
                c("Bool with both values matches false", ConditionOperator.BOOL, List.of("true", "false"), "false",
                        true),
                c("Bool does not match the other value", ConditionOperator.BOOL, List.of("false"), "true", false),
                c("Bool with a policy value that is no boolean matches nothing", ConditionOperator.BOOL,
                        List.of("yes"), "true", false),
                c("Bool with a request value that is no boolean fails", ConditionOperator.BOOL, List.of("true"),
                        "yes", false),
                c("BinaryEquals compares decoded bytes", ConditionOperator.BINARY_EQUALS, List.of("QUJD"), "QUJD",
                        true),
                c("BinaryEquals ignores surrounding spaces before decoding", ConditionOperator.BINARY_EQUALS,
                        List.of(" QUJD"), "QUJD ", true),
                c("BinaryEquals rejects other bytes", ConditionOperator.BINARY_EQUALS, List.of("QUJD"), "QUJE",
                        false),
                c("IpAddress in a range", ConditionOperator.IP_ADDRESS, List.of("10.0.0.0/8"), "10.1.2.3", true),
                c("IpAddress outside the range", ConditionOperator.IP_ADDRESS, List.of("10.0.0.0/8"), "11.0.0.1",
                        false),
                c("IpAddress drops a policy value that is no range", ConditionOperator.IP_ADDRESS,
                        List.of("intranet", "2001:db8::/32"), "2001:db8::7", true),
                c("IpAddress with a request value that is no address fails", ConditionOperator.IP_ADDRESS,
                        List.of("0.0.0.0/0"), "localhost", false),
                c("NotIpAddress compiles as IpAddress", ConditionOperator.NOT_IP_ADDRESS, List.of("10.0.0.0/8"),
                        "10.0.0.1", true),
                c("ArnLike matches segment by segment", ConditionOperator.ARN_LIKE,
                        List.of("arn:aws:iam::*:user/*"), ALICE, true),
                c("ArnLike wildcard stays in its segment", ConditionOperator.ARN_LIKE,
                        List.of("arn:aws:iam::*:user/*"), "arn:aws:iam:us-east-1:111122223333:user/alice", false),
                c("ArnEquals behaves as ArnLike", ConditionOperator.ARN_EQUALS, List.of("arn:aws:iam::*:user/*"),
                        ALICE, true),
                c("Arn with a request value that is no ARN fails", ConditionOperator.ARN_LIKE, List.of("arn:*"),
                        "alice", false),
                c("Null false matches a value that is present", ConditionOperator.NULL, List.of("false"), "x", true),
                c("Null true does not match a value that is present", ConditionOperator.NULL, List.of("true"), "x",
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneRequestValue")
    void matches_oneRequestValue(Case c) {
        ConditionMatcher matcher = ConditionMatcher.compile(c.operator(), c.policyValues(), true);

        assertThat(matcher.matches(values(c.requestValue()), 0)).isEqualTo(c.matches());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ConditionOperator.class)
    void compile_eachOperator_getsTheMatcherOfItsFamily(ConditionOperator operator) {
        Class<?> expected = switch (operator.family()) {
            case STRING -> operator.positive() == ConditionOperator.STRING_LIKE ? ConditionMatcher.StringLike.class
                    : ConditionMatcher.StringEquals.class;
            case NUMERIC -> ConditionMatcher.Numeric.class;
            case DATE -> ConditionMatcher.Date.class;
            case BOOL -> ConditionMatcher.Bool.class;
            case BINARY -> ConditionMatcher.Binary.class;
            case IP -> ConditionMatcher.IpAddress.class;
            case ARN -> ConditionMatcher.Arn.class;
            case NULL -> ConditionMatcher.Null.class;
        };

        assertThat(ConditionMatcher.compile(operator, List.of("x"), true)).isExactlyInstanceOf(expected);
    }

    @Test
    void null_holdsByPresenceAsItsValuesSay() {
        var isAbsent = (ConditionMatcher.Null) ConditionMatcher.compile(ConditionOperator.NULL, List.of("true"), true);
        var isPresent = (ConditionMatcher.Null) ConditionMatcher.compile(ConditionOperator.NULL, List.of("False"),
                true);
        var either = (ConditionMatcher.Null) ConditionMatcher.compile(ConditionOperator.NULL,
                List.of("true", "false"), true);
        var neither = (ConditionMatcher.Null) ConditionMatcher.compile(ConditionOperator.NULL, List.of("maybe"), true);

        assertThat(List.of(isAbsent.holds(true), isAbsent.holds(false))).containsExactly(true, false);
        assertThat(List.of(isPresent.holds(true), isPresent.holds(false))).containsExactly(false, true);
        assertThat(List.of(either.holds(true), either.holds(false))).containsExactly(true, true);
        assertThat(List.of(neither.holds(true), neither.holds(false))).containsExactly(false, false);
    }

    @Test
    void resolve_withoutVariables_isTheMatcherItself() {
        for (ConditionOperator operator : ConditionOperator.values()) {
            ConditionMatcher matcher = ConditionMatcher.compile(operator, List.of("${aws:username}"), false);

            assertThat(matcher.resolve(scope(RequestContext.builder().build()))).as(operator.wireName())
                    .isSameAs(matcher);
        }
    }

    @Test
    void resolve_substitutesVariablesAsLiteralText() {
        ConditionMatcher matcher = ConditionMatcher.compile(ConditionOperator.STRING_LIKE,
                List.of("home/${aws:username}/*"), true);

        ConditionMatcher resolved = matcher.resolve(scope(RequestContext.builder().put("aws:username", "a*").build()));

        assertThat(resolved.matches(values("home/a*/x"), 0)).isTrue();
        assertThat(resolved.matches(values("home/abc/x"), 0)).isFalse();
    }

    @Test
    void resolve_dropsOnlyTheValuesWhoseVariableHasNoValue() {
        ConditionMatcher matcher = ConditionMatcher.compile(ConditionOperator.STRING_EQUALS,
                List.of("${x:missing}", "${aws:username}"), true);
        EvaluationScope scope = scope(RequestContext.builder().put("aws:username", "alice").build());

        ConditionMatcher resolved = matcher.resolve(scope);

        assertThat(resolved.matches(values("alice"), 0)).isTrue();
        assertThat(scope.missingKeys()).containsExactly("x:missing");
    }

    @Test
    void resolve_everyValueUnresolved_isNull() {
        for (ConditionOperator operator : List.of(ConditionOperator.STRING_EQUALS, ConditionOperator.STRING_LIKE,
                ConditionOperator.BOOL, ConditionOperator.ARN_LIKE)) {
            ConditionMatcher matcher = ConditionMatcher.compile(operator, List.of("arn:aws:iam::1:user/${x:a}",
                    "${x:b}"), true);

            assertThat(matcher.resolve(scope(RequestContext.builder().build()))).as(operator.wireName()).isNull();
        }
    }

    @Test
    void resolve_arn_dropsAValueWithAnUnresolvedSegment() {
        ConditionMatcher matcher = ConditionMatcher.compile(ConditionOperator.ARN_LIKE,
                List.of("arn:aws:iam::${x:account}:user/*", "arn:aws:iam::*:user/${aws:username}"), true);

        ConditionMatcher resolved = matcher.resolve(scope(RequestContext.builder().put("aws:username", "alice")
                .build()));

        assertThat(resolved.matches(values(ALICE), 0)).isTrue();
        assertThat(resolved.matches(values("arn:aws:iam::111122223333:user/bob"), 0)).isFalse();
    }

    @Test
    void resolve_bool_readsTheSubstitutedValue() {
        ConditionMatcher matcher = ConditionMatcher.compile(ConditionOperator.BOOL, List.of("${x:flag}"), true);

        ConditionMatcher resolved = matcher.resolve(scope(RequestContext.builder().put("x:flag", "FALSE").build()));

        assertThat(resolved.matches(values("false"), 0)).isTrue();
        assertThat(resolved.matches(values("true"), 0)).isFalse();
    }

    @Test
    void collectKeys_namesTheVariablesOfStringBoolAndArnValuesOnly() {
        Set<String> keys = new LinkedHashSet<>();
        ConditionMatcher.compile(ConditionOperator.STRING_NOT_LIKE, List.of("${aws:username}/*"), true)
                .collectKeys(keys);
        ConditionMatcher.compile(ConditionOperator.BOOL, List.of("${x:Flag}"), true).collectKeys(keys);
        ConditionMatcher.compile(ConditionOperator.ARN_NOT_EQUALS, List.of("arn:aws:iam::${x:Account}:root"), true)
                .collectKeys(keys);
        ConditionMatcher.compile(ConditionOperator.NUMERIC_EQUALS, List.of("${x:Number}"), true).collectKeys(keys);
        ConditionMatcher.compile(ConditionOperator.STRING_EQUALS, List.of("${x:Literal}"), false).collectKeys(keys);

        assertThat(keys).containsExactly("aws:username", "x:Flag", "x:Account");
    }

    @Property
    void numericOrderings_agreeWithDecimalComparison(@ForAll long policy, @ForAll long request,
            @ForAll @LongRange(min = 0, max = 4) long scale) {
        BigDecimal p = BigDecimal.valueOf(policy, (int) scale);
        BigDecimal r = BigDecimal.valueOf(request, (int) scale);
        int comparison = r.compareTo(p);
        ContextValues value = values(r.toPlainString());

        assertThat(matches(ConditionOperator.NUMERIC_EQUALS, p.toString(), value)).isEqualTo(comparison == 0);
        assertThat(matches(ConditionOperator.NUMERIC_LESS_THAN, p.toString(), value)).isEqualTo(comparison < 0);
        assertThat(matches(ConditionOperator.NUMERIC_LESS_THAN_EQUALS, p.toString(), value))
                .isEqualTo(comparison <= 0);
        assertThat(matches(ConditionOperator.NUMERIC_GREATER_THAN, p.toString(), value)).isEqualTo(comparison > 0);
        assertThat(matches(ConditionOperator.NUMERIC_GREATER_THAN_EQUALS, p.toString(), value))
                .isEqualTo(comparison >= 0);
    }

    @Property
    void dateOrderings_agreeWithInstantComparison(
            @ForAll @LongRange(min = 1_000_000_000L, max = 4_102_444_800L) long policy,
            @ForAll @LongRange(min = 1_000_000_000L, max = 4_102_444_800L) long request) {
        // The policy writes an ISO 8601 instant, the request epoch seconds (ten digits: four alone would be a
        // year): both are read as instants.
        String policyValue = Instant.ofEpochSecond(policy).toString();
        ContextValues value = values(Long.toString(request));
        int comparison = Long.compare(request, policy);

        assertThat(matches(ConditionOperator.DATE_EQUALS, policyValue, value)).isEqualTo(comparison == 0);
        assertThat(matches(ConditionOperator.DATE_LESS_THAN, policyValue, value)).isEqualTo(comparison < 0);
        assertThat(matches(ConditionOperator.DATE_LESS_THAN_EQUALS, policyValue, value)).isEqualTo(comparison <= 0);
        assertThat(matches(ConditionOperator.DATE_GREATER_THAN, policyValue, value)).isEqualTo(comparison > 0);
        assertThat(matches(ConditionOperator.DATE_GREATER_THAN_EQUALS, policyValue, value))
                .isEqualTo(comparison >= 0);
    }

    private static boolean matches(ConditionOperator operator, String policyValue, ContextValues value) {
        return ConditionMatcher.compile(operator, List.of(policyValue), true).matches(value, 0);
    }

    private static ContextValues values(String value) {
        return new ContextValues("x:key", Optional.empty(), List.of(value));
    }

    private static EvaluationScope scope(RequestContext context) {
        return new EvaluationScope(AuthorizationRequest.builder(RequestPrincipal.fromArn(ALICE), "s3:GetObject",
                "arn:aws:s3:::bucket/key").context(context).build());
    }
}
