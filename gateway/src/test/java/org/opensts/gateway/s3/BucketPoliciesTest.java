package org.opensts.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The checks S3 makes on a bucket policy before it stores it, each refused with S3's MalformedPolicy message. */
class BucketPoliciesTest {

    private static String policy(String principal, String action, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\"," + principal + "\"Action\":"
                + action + ",\"Resource\":" + resource + "}]}";
    }

    private static final String ANYONE = "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},";

    record Case(String name, String json, Optional<String> message) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case ok(String name, String json) {
        return new Case(name, json, Optional.empty());
    }

    private static Case refused(String name, String json, String message) {
        return new Case(name, json, Optional.of(message));
    }

    static Stream<Case> policies() {
        return Stream.of(
                ok("objects of the bucket", policy(ANYONE, "\"s3:GetObject\"", "\"arn:aws:s3:::bkt/*\"")),
                ok("the bucket and its objects", policy(ANYONE, "[\"s3:ListBucket\",\"s3:GetObject\"]",
                        "[\"arn:aws:s3:::bkt\",\"arn:aws:s3:::bkt/home/*\"]")),
                ok("a wildcard action", policy("\"Principal\":\"*\",", "\"s3:Get*\"", "\"arn:aws:s3:::bkt/*\"")),
                ok("every action", policy(ANYONE, "\"s3:*\"", "\"arn:aws:s3:::bkt*\"")),
                ok("a pattern on the bucket name that matches it", policy(ANYONE, "\"s3:ListBucket\"",
                        "\"arn:aws:s3:::b?t\"")),
                ok("actions in any case", policy(ANYONE, "\"S3:getobject\"", "\"arn:aws:s3:::bkt/*\"")),
                refused("another bucket", policy(ANYONE, "\"s3:GetObject\"", "\"arn:aws:s3:::other/*\""),
                        "Policy has invalid resource"),
                refused("a bucket whose name only starts like this one",
                        policy(ANYONE, "\"s3:GetObject\"", "\"arn:aws:s3:::bkt2/*\""), "Policy has invalid resource"),
                refused("a bare *", policy(ANYONE, "\"s3:GetObject\"", "\"*\""), "Policy has invalid resource"),
                refused("a resource of another service", policy(ANYONE, "\"s3:GetObject\"",
                        "\"arn:aws:sqs:us-east-1:111122223333:q\""), "Policy has invalid resource"),
                refused("an action of another service", policy(ANYONE, "\"iam:PassRole\"", "\"arn:aws:s3:::bkt/*\""),
                        "Policy has invalid action"),
                refused("an S3 action that does not exist", policy(ANYONE, "\"s3:GetObjekt\"",
                        "\"arn:aws:s3:::bkt/*\""), "Policy has invalid action"),
                refused("an S3 pattern that matches nothing", policy(ANYONE, "\"s3:Frobnicate*\"",
                        "\"arn:aws:s3:::bkt/*\""), "Policy has invalid action"),
                refused("an object action on the bucket alone", policy(ANYONE, "\"s3:GetObject\"",
                        "\"arn:aws:s3:::bkt\""), "Action does not apply to any resource(s) in statement"),
                refused("a bucket action on objects alone", policy(ANYONE, "\"s3:ListBucket\"",
                        "\"arn:aws:s3:::bkt/*\""), "Action does not apply to any resource(s) in statement"),
                ok("a wildcard action on the bucket alone", policy(ANYONE, "\"s3:*\"", "\"arn:aws:s3:::bkt\"")),
                ok("a pattern naming a bucket action on the bucket", policy(ANYONE, "\"s3:List*\"",
                        "\"arn:aws:s3:::bkt\"")),
                refused("no principal", policy("", "\"s3:GetObject\"", "\"arn:aws:s3:::bkt/*\""),
                        "Missing required field Principal"),
                refused("not JSON", "{\"Statement\": [", "This policy contains invalid Json"),
                refused("an empty object (S3's recorded answer)", "{}", "Missing required field Statement"),
                refused("no Statement", "{\"Version\": \"2012-10-17\"}", "Missing required field Statement"),
                refused("not starting with {", " " + policy(ANYONE, "\"s3:GetObject\"", "\"arn:aws:s3:::bkt/*\""),
                        "Policies must be valid JSON and the first byte must be '{'"),
                refused("empty", "", "Policies must be valid JSON and the first byte must be '{'"),
                refused("over 20 KB", "{\"Id\":\"" + "x".repeat(20 * 1024) + "\"}",
                        "Policy exceeds the maximum allowed document size."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policies")
    void validate_policy_isWhatS3Says(Case c) {
        Optional<S3Error> error = BucketPolicies.validate("bkt", c.json());

        assertThat(error.map(S3Error::message)).isEqualTo(c.message());
        error.ifPresent(e -> {
            assertThat(e.code()).isEqualTo(S3ErrorCode.MALFORMED_POLICY);
            assertThat(e.httpStatus()).isEqualTo(400);
        });
    }

    @Test
    void parse_validPolicy_isCompiledForEvaluation() throws S3Exception {
        var compiled = BucketPolicies.parse("bkt", policy(ANYONE, "\"s3:GetObject\"", "\"arn:aws:s3:::bkt/*\""));

        assertThat(compiled.statements()).hasSize(1);
    }

    @Test
    void validate_exactly20Kb_isAccepted() {
        String base = policy(ANYONE, "\"s3:GetObject\"", "\"arn:aws:s3:::bkt/*\"");
        String padded = base.substring(0, base.length() - 1) + ",\"Id\":\"" + "x".repeat(
                BucketPolicies.MAX_POLICY_BYTES - base.length() - 8) + "\"}";

        assertThat(padded.length()).isEqualTo(BucketPolicies.MAX_POLICY_BYTES);
        assertThat(BucketPolicies.validate("bkt", padded)).isEmpty();
    }
}
