package org.opensts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per operator behaviour, most taken from the examples of the IAM User Guide ("Condition operators",
 * "Creating a condition with multiple keys or values", "Multivalued context key examples"). Each row is a
 * single-clause {@code Allow} statement: the request is allowed exactly when the clause holds.
 */
class ConditionOperatorsTest {
    private static final PolicyEvaluator EVALUATOR = new PolicyEvaluator();
    private static final List<String> ABSENT = null;

    record Case(String name, String operator, String key, String policyValues, List<String> context,
            boolean holds) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case c(String name, String operator, String key, String policyValues, List<String> context,
            boolean holds) {
        return new Case(name, operator, key, policyValues, context, holds);
    }

    static Stream<Case> stringOperators() {
        return Stream.of(
                c("StringEquals matches the exact value", "StringEquals", "aws:PrincipalTag/job-category",
                        "\"iamuser-admin\"", List.of("iamuser-admin"), true),
                c("StringEquals is case-sensitive", "StringEquals", "aws:PrincipalTag/job-category",
                        "\"iamuser-admin\"", List.of("IAMUser-Admin"), false),
                c("StringEquals with a missing key is false", "StringEquals", "aws:PrincipalTag/job-category",
                        "\"iamuser-admin\"", ABSENT, false),
                c("StringEquals values are OR-ed", "StringEquals", "aws:RequestedRegion",
                        "[\"us-east-1\",\"eu-west-1\"]", List.of("eu-west-1"), true),
                c("StringEquals does not treat * as a wildcard", "StringEquals", "s3:prefix", "\"home/*\"",
                        List.of("home/alice"), false),
                c("StringEquals compares a JSON number as text", "StringEquals", "s3:max-keys", "10",
                        List.of("10"), true),
                c("StringEquals compares a JSON boolean as text", "StringEquals", "aws:SecureTransport", "true",
                        List.of("true"), true),
                c("StringNotEquals holds for another value", "StringNotEquals", "aws:RequestedRegion",
                        "\"us-east-1\"", List.of("eu-west-1"), true),
                c("StringNotEquals fails for the value", "StringNotEquals", "aws:RequestedRegion",
                        "\"us-east-1\"", List.of("us-east-1"), false),
                c("StringNotEquals with several values fails if any equals", "StringNotEquals",
                        "aws:RequestedRegion", "[\"us-east-1\",\"eu-west-1\"]", List.of("eu-west-1"), false),
                c("StringNotEquals with a missing key is true", "StringNotEquals", "aws:RequestedRegion",
                        "\"us-east-1\"", ABSENT, true),
                c("StringEqualsIgnoreCase ignores case", "StringEqualsIgnoreCase", "aws:PrincipalTag/team",
                        "\"DevOps\"", List.of("devops"), true),
                c("StringNotEqualsIgnoreCase ignores case", "StringNotEqualsIgnoreCase", "aws:PrincipalTag/team",
                        "\"DevOps\"", List.of("DEVOPS"), false),
                c("StringNotEqualsIgnoreCase with a missing key is true", "StringNotEqualsIgnoreCase",
                        "aws:PrincipalTag/team", "\"DevOps\"", ABSENT, true),
                c("StringLike * matches any run", "StringLike", "s3:prefix", "\"home/*\"", List.of("home/a/b"),
                        true),
                c("StringLike ? matches one character", "StringLike", "ec2:InstanceType", "\"t?.micro\"",
                        List.of("t2.micro"), true),
                c("StringLike ? does not match two characters", "StringLike", "ec2:InstanceType", "\"t?.micro\"",
                        List.of("t22.micro"), false),
                c("StringLike is case-sensitive", "StringLike", "s3:prefix", "\"home/*\"", List.of("HOME/a"),
                        false),
                c("StringLike matches the empty string with an empty pattern", "StringLike", "s3:prefix",
                        "[\"\",\"home/\"]", List.of(""), true),
                c("StringNotLike holds when nothing matches", "StringNotLike", "s3:prefix", "\"home/*\"",
                        List.of("public/x"), true),
                c("StringNotLike with a missing key is true", "StringNotLike", "s3:prefix", "\"home/*\"", ABSENT,
                        true),
                c("StringLike with an escaped ${*} matches only a literal star", "StringLike", "s3:prefix",
                        "\"a${*}\"", List.of("a*"), true),
                c("StringLike with an escaped ${*} does not match other text", "StringLike", "s3:prefix",
                        "\"a${*}\"", List.of("abc"), false),
                c("StringEquals with ${$} matches a dollar", "StringEquals", "s3:prefix", "\"${$}HOME\"",
                        List.of("$HOME"), true));
    }

    static Stream<Case> numericOperators() {
        return Stream.of(
                c("NumericLessThanEquals allows up to 10 (s3:max-keys example)", "NumericLessThanEquals",
                        "s3:max-keys", "\"10\"", List.of("10"), true),
                c("NumericLessThanEquals rejects 11", "NumericLessThanEquals", "s3:max-keys", "\"10\"",
                        List.of("11"), false),
                c("NumericEquals compares numbers, not text", "NumericEquals", "s3:max-keys", "\"10\"",
                        List.of("10.0"), true),
                c("NumericEquals takes a JSON number", "NumericEquals", "s3:max-keys", "10", List.of("10"), true),
                c("NumericNotEquals holds for another number", "NumericNotEquals", "s3:max-keys", "\"10\"",
                        List.of("9"), true),
                c("NumericNotEquals with a missing key is true", "NumericNotEquals", "s3:max-keys", "\"10\"",
                        ABSENT, true),
                c("NumericLessThan is strict", "NumericLessThan", "s3:max-keys", "\"10\"", List.of("10"), false),
                c("NumericGreaterThan holds above", "NumericGreaterThan", "aws:MultiFactorAuthAge", "\"3600\"",
                        List.of("3601"), true),
                c("NumericGreaterThanEquals holds at", "NumericGreaterThanEquals", "aws:MultiFactorAuthAge",
                        "\"3600\"", List.of("3600"), true),
                c("NumericLessThan handles decimals", "NumericLessThan", "x:ratio", "\"0.5\"", List.of("0.25"),
                        true),
                c("Numeric with a missing key is false", "NumericLessThan", "aws:MultiFactorAuthAge", "\"3600\"",
                        ABSENT, false),
                c("Numeric with a non-numeric request value does not match", "NumericLessThan", "s3:max-keys",
                        "\"10\"", List.of("ten"), false),
                c("Numeric with a non-numeric policy value does not match", "NumericEquals", "s3:max-keys",
                        "\"ten\"", List.of("10"), false));
    }

    static Stream<Case> dateOperators() {
        return Stream.of(
                c("DateGreaterThan after the date (aws:TokenIssueTime example)", "DateGreaterThan",
                        "aws:TokenIssueTime", "\"2020-01-01T00:00:01Z\"", List.of("2020-06-01T00:00:00Z"), true),
                c("DateGreaterThan before the date", "DateGreaterThan", "aws:TokenIssueTime",
                        "\"2020-01-01T00:00:01Z\"", List.of("2019-12-31T23:59:59Z"), false),
                c("DateLessThan compares instants across zones", "DateLessThan", "aws:CurrentTime",
                        "\"2020-01-01T01:00:00+01:00\"", List.of("2019-12-31T23:59:59Z"), true),
                c("DateEquals with a date-only value", "DateEquals", "aws:CurrentTime", "\"2020-01-01\"",
                        List.of("2020-01-01T00:00:00Z"), true),
                c("DateEquals with epoch seconds in the policy", "DateEquals", "aws:EpochTime", "\"1577836800\"",
                        List.of("2020-01-01T00:00:00Z"), true),
                c("DateLessThanEquals with epoch seconds in the request", "DateLessThanEquals", "aws:EpochTime",
                        "\"2020-01-01T00:00:00Z\"", List.of("1577836800"), true),
                c("DateNotEquals with a missing key is true", "DateNotEquals", "aws:CurrentTime",
                        "\"2020-01-01\"", ABSENT, true),
                c("DateGreaterThanEquals with fractional seconds", "DateGreaterThanEquals", "aws:CurrentTime",
                        "\"2020-01-01T00:00:00.500Z\"", List.of("2020-01-01T00:00:00.499Z"), false),
                c("Date with a missing key is false", "DateLessThan", "aws:TokenIssueTime",
                        "\"2020-01-01T00:00:00Z\"", ABSENT, false),
                c("Date with an unreadable request value does not match", "DateLessThan", "aws:CurrentTime",
                        "\"2020-01-01T00:00:00Z\"", List.of("yesterday"), false));
    }

    static Stream<Case> boolBinaryIpArnNull() {
        return Stream.of(
                c("Bool matches false (aws:SecureTransport example)", "Bool", "aws:SecureTransport", "\"false\"",
                        List.of("false"), true),
                c("Bool does not match the other value", "Bool", "aws:SecureTransport", "\"false\"",
                        List.of("true"), false),
                c("Bool accepts a JSON boolean", "Bool", "aws:MultiFactorAuthPresent", "true", List.of("true"),
                        true),
                c("Bool ignores case", "Bool", "aws:MultiFactorAuthPresent", "\"TRUE\"", List.of("true"), true),
                c("Bool with a missing key is false", "Bool", "aws:MultiFactorAuthPresent", "\"true\"", ABSENT,
                        false),
                c("BoolIfExists with a missing key is true", "BoolIfExists", "aws:MultiFactorAuthPresent",
                        "\"true\"", ABSENT, true),
                c("BinaryEquals compares decoded bytes", "BinaryEquals", "x:blob", "\"QmluYXJ5VmFsdWVJbkJhc2U2NA==\"",
                        List.of("QmluYXJ5VmFsdWVJbkJhc2U2NA=="), true),
                c("BinaryEquals rejects other bytes", "BinaryEquals", "x:blob", "\"QmluYXJ5VmFsdWVJbkJhc2U2NA==\"",
                        List.of("AAAA"), false),
                c("IpAddress in an IPv4 range", "IpAddress", "aws:SourceIp", "\"203.0.113.0/24\"",
                        List.of("203.0.113.77"), true),
                c("IpAddress outside an IPv4 range", "IpAddress", "aws:SourceIp", "\"203.0.113.0/24\"",
                        List.of("203.0.114.1"), false),
                c("IpAddress without a prefix is /32", "IpAddress", "aws:SourceIp", "\"203.0.113.5\"",
                        List.of("203.0.113.5"), true),
                c("IpAddress in an IPv6 range", "IpAddress", "aws:SourceIp",
                        "[\"203.0.113.0/24\",\"2001:DB8:1234:5678::/64\"]", List.of("2001:db8:1234:5678::1"), true),
                c("IpAddress outside an IPv6 range", "IpAddress", "aws:SourceIp", "\"2001:DB8:1234:5678::/64\"",
                        List.of("2001:db8:1234:5679::1"), false),
                c("IpAddress never matches IPv4 against an IPv6 range", "IpAddress", "aws:SourceIp", "\"::/0\"",
                        List.of("10.0.0.1"), false),
                c("NotIpAddress holds outside the range", "NotIpAddress", "aws:SourceIp", "\"203.0.113.0/24\"",
                        List.of("198.51.100.1"), true),
                c("NotIpAddress with a missing key is true", "NotIpAddress", "aws:SourceIp", "\"203.0.113.0/24\"",
                        ABSENT, true),
                c("IpAddress with a missing key is false (VPC endpoint example)", "IpAddress", "aws:SourceIp",
                        "\"203.0.113.0/24\"", ABSENT, false),
                c("ArnEquals matches the exact ARN (SNS to SQS example)", "ArnEquals", "aws:SourceArn",
                        "\"arn:aws:sns:us-east-2:123456789012:TOPIC-ID\"",
                        List.of("arn:aws:sns:us-east-2:123456789012:TOPIC-ID"), true),
                c("ArnLike wildcard stays inside its segment", "ArnLike", "aws:SourceArn",
                        "\"arn:aws:someservice:*:111122223333:finance/*\"",
                        List.of("arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/doc.txt"),
                        false),
                c("StringLike on the same ARN crosses colons", "StringLike", "aws:SourceArn",
                        "\"arn:aws:someservice:*:111122223333:finance/*\"",
                        List.of("arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/doc.txt"),
                        true),
                c("ArnLike matches per segment", "ArnLike", "aws:SourceArn", "\"arn:aws:s3:::bucket-*\"",
                        List.of("arn:aws:s3:::bucket-logs"), true),
                c("ArnEquals allows wildcards like ArnLike", "ArnEquals", "aws:SourceArn",
                        "\"arn:aws:sns:*:123456789012:*\"", List.of("arn:aws:sns:us-east-1:123456789012:t"), true),
                c("ArnLike does not match a non-ARN value", "ArnLike", "aws:SourceArn",
                        "\"arn:aws:sns:*:123456789012:*\"", List.of("not-an-arn"), false),
                c("ArnNotLike holds for another account", "ArnNotLike", "aws:PrincipalArn",
                        "\"arn:aws:iam::111122223333:role/*\"", List.of("arn:aws:iam::444455556666:role/x"), true),
                c("ArnNotEquals with a missing key is true", "ArnNotEquals", "aws:SourceArn",
                        "\"arn:aws:sns:*:123456789012:*\"", ABSENT, true),
                c("Null true holds when the key is absent", "Null", "aws:TokenIssueTime", "\"true\"", ABSENT, true),
                c("Null true fails when the key is present", "Null", "aws:TokenIssueTime", "\"true\"",
                        List.of("2020-01-01T00:00:00Z"), false),
                c("Null false holds when the key is present", "Null", "aws:TokenIssueTime", "false",
                        List.of("2020-01-01T00:00:00Z"), true),
                c("Null false fails when the key is absent", "Null", "aws:TokenIssueTime", "\"false\"", ABSENT,
                        false));
    }

    static Stream<Case> ifExistsAndSetOperators() {
        return Stream.of(
                c("StringLikeIfExists with a missing key is true", "StringLikeIfExists", "ec2:InstanceType",
                        "[\"t1.*\",\"t2.*\",\"m3.*\"]", ABSENT, true),
                c("StringLikeIfExists with the key checks it", "StringLikeIfExists", "ec2:InstanceType",
                        "[\"t1.*\",\"t2.*\",\"m3.*\"]", List.of("c5.large"), false),
                c("StringNotEqualsIfExists with a missing key is true", "StringNotEqualsIfExists",
                        "aws:PrincipalTag/team", "\"x\"", ABSENT, true),
                c("NumericLessThanIfExists with the key checks it", "NumericLessThanIfExists",
                        "aws:MultiFactorAuthAge", "\"3600\"", List.of("7200"), false),
                c("ForAllValues: every request value is listed", "ForAllValues:StringLike",
                        "dynamodb:requestedAttributes", "[\"PostDateTime\",\"Message\",\"Tags\"]",
                        List.of("PostDateTime", "Message"), true),
                c("ForAllValues: one request value is not listed", "ForAllValues:StringLike",
                        "dynamodb:requestedAttributes", "[\"PostDateTime\",\"Message\",\"Tags\"]",
                        List.of("PostDateTime", "UserName"), false),
                c("ForAllValues: a missing key is true", "ForAllValues:StringEquals", "aws:TagKeys",
                        "[\"env\",\"team\"]", ABSENT, true),
                c("ForAllValues: an empty set is true", "ForAllValues:StringEquals", "aws:TagKeys",
                        "[\"env\",\"team\"]", List.of(), true),
                c("ForAllValues: an empty string is a null data set, so true", "ForAllValues:StringEquals",
                        "aws:TagKeys", "\"env\"", List.of(""), true),
                c("ForAnyValue: an empty string is a null data set, so false", "ForAnyValue:StringEquals",
                        "aws:TagKeys", "\"\"", List.of(""), false),
                c("ForAnyValue: one request value is listed", "ForAnyValue:StringLike",
                        "dynamodb:requestedAttributes", "[\"ID\",\"PostDateTime\"]",
                        List.of("UserName", "Message", "PostDateTime"), true),
                c("ForAnyValue: no request value is listed", "ForAnyValue:StringLike",
                        "dynamodb:requestedAttributes", "[\"ID\",\"PostDateTime\"]", List.of("UserName"), false),
                c("ForAnyValue: a missing key is false", "ForAnyValue:StringEquals", "aws:TagKeys", "\"env\"",
                        ABSENT, false),
                c("ForAnyValue: an empty set is false", "ForAnyValue:StringEquals", "aws:TagKeys", "\"env\"",
                        List.of(), false),
                c("ForAllValues:StringNotLike: a key1 value is not a match", "ForAllValues:StringNotLike",
                        "aws:TagKeys", "\"key1*\"", List.of("key1:legal"), false),
                c("ForAllValues:StringNotLike: all key1 values are not a match", "ForAllValues:StringNotLike",
                        "aws:TagKeys", "\"key1*\"", List.of("key1:hr", "key1:personnel"), false),
                c("ForAllValues:StringNotLike: a key2 value matches", "ForAllValues:StringNotLike", "aws:TagKeys",
                        "\"key1*\"", List.of("key2:audit"), true),
                c("ForAllValues:StringNotLike: a missing key matches", "ForAllValues:StringNotLike", "aws:TagKeys",
                        "\"key1*\"", ABSENT, true),
                c("ForAnyValue:StringNotEquals: one value outside the list", "ForAnyValue:StringNotEquals",
                        "aws:TagKeys", "[\"env\",\"team\"]", List.of("env", "cost"), true),
                c("ForAnyValue:StringNotEquals: all values inside the list", "ForAnyValue:StringNotEquals",
                        "aws:TagKeys", "[\"env\",\"team\"]", List.of("env", "team"), false),
                c("ForAllValues qualifier is case-insensitive", "forallvalues:StringEquals", "aws:TagKeys",
                        "\"env\"", List.of("env"), true),
                c("ForAnyValue with IfExists and a missing key is true", "ForAnyValue:StringEqualsIfExists",
                        "aws:TagKeys", "\"env\"", ABSENT, true),
                c("without a qualifier any request value may match", "StringEquals", "aws:TagKeys", "\"env\"",
                        List.of("team", "env"), true),
                c("without a qualifier a negated operator fails if any request value matches", "StringNotEquals",
                        "aws:TagKeys", "\"env\"", List.of("team", "env"), false),
                c("condition keys are case-insensitive", "StringEquals", "AWS:principaltag/Team", "\"blue\"",
                        List.of("blue"), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"stringOperators", "numericOperators", "dateOperators", "boolBinaryIpArnNull",
            "ifExistsAndSetOperators"})
    void condition_holdsExactlyAsAwsDocuments(Case c) throws MalformedPolicyException {
        assertThat(holds(c.operator(), c.key(), c.policyValues(), c.context())).isEqualTo(c.holds());
    }

    static boolean holds(String operator, String key, String policyValues, List<String> context)
            throws MalformedPolicyException {
        String json = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\","
                + "\"Resource\":\"*\",\"Condition\":{\"" + operator + "\":{\"" + key + "\":" + policyValues + "}}}}";
        Policy policy = Policy.parse(json, PolicyType.IDENTITY);
        var contextBuilder = RequestContext.builder();
        if (context != null) {
            // The request spells the key its own way: keys are case-insensitive.
            contextBuilder.put(key.toUpperCase(java.util.Locale.ROOT), context);
        }
        var request = AuthorizationRequest.builder(RequestPrincipal.fromArn("arn:aws:iam::111122223333:user/Alice"),
                        "s3:GetObject", "arn:aws:s3:::bucket/key")
                .context(contextBuilder.build())
                .identityPolicy(LabeledPolicy.of("p", SourcePolicyType.USER, policy))
                .build();
        return EVALUATOR.evaluate(request).isAllowed();
    }
}
