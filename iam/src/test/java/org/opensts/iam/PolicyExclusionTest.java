package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.PolicyExclusion.InlineIdentifier;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/**
 * The syntax of a {@code PolicyExclusionList} entry (AWS IAM API Reference, "PolicyIdentifier" and
 * "InlinePolicyIdentifierType"): exactly one member of the union, policy types, managed policy ARNs with wildcards
 * only in the policy name, and inline identifiers with wildcards only in the entity name, at most one {@code *}.
 */
class PolicyExclusionTest {
    private static final String ACCOUNT = "123456789012";

    /** An identifier as the request gives it, and the message of the {@code InvalidInput} it gets, if any. */
    record Case(String name, Optional<String> policyType, Optional<String> policyArn,
            Optional<InlineIdentifier> inline, Optional<String> invalidInput) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case type(String name, String policyType, Optional<String> invalidInput) {
        return new Case(name, Optional.of(policyType), Optional.empty(), Optional.empty(), invalidInput);
    }

    private static Case arn(String name, String policyArn, boolean valid) {
        return new Case(name, Optional.empty(), Optional.of(policyArn), Optional.empty(),
                valid ? Optional.empty() : Optional.of("ARN " + policyArn + " is not valid."));
    }

    private static Case inline(String name, String policyName, String attachmentType, String attachmentName,
            boolean valid) {
        return inline(name, policyName, attachmentType, attachmentName,
                valid ? Optional.empty() : Optional.of(PolicyExclusion.INVALID_INLINE));
    }

    private static Case inline(String name, String policyName, String attachmentType, String attachmentName,
            Optional<String> invalidInput) {
        return new Case(name, Optional.empty(), Optional.empty(),
                Optional.of(new InlineIdentifier(policyName, attachmentType, attachmentName)), invalidInput);
    }

    /** Our words for a policy name with a character no name may hold: AWS's for it are not on record. */
    private static Optional<String> badPolicyName(String policyName) {
        return Optional.of("Invalid inline policy exclusion: policyName '" + policyName
                + "' may hold only letters, digits and +=,.@_-, at most 128 of them.");
    }

    /** Our words for an entity name with a character no name may hold: AWS's for it are not on record. */
    private static Optional<String> badAttachmentName(String attachmentName) {
        return Optional.of("Invalid inline policy exclusion: attachmentName '" + attachmentName
                + "' may hold only letters, digits, +=,.@_- and the wildcards * and ?, at most 128 of them.");
    }

    static List<Case> identifiers() {
        Optional<String> valid = Optional.empty();
        var invalidUnion = Optional.of(PolicyExclusion.INVALID_UNION);
        return List.of(
                type("every policy type of the model is valid: inline", "inline", valid),
                type("every policy type of the model is valid: aws-managed", "aws-managed", valid),
                type("every policy type of the model is valid: user-managed", "user-managed", valid),
                type("every policy type of the model is valid: permission-boundary", "permission-boundary", valid),
                type("every policy type of the model is valid: scp", "scp", valid),
                type("every policy type of the model is valid: rcp, though nothing is excluded by it", "rcp", valid),
                type("an unknown policy type is invalid", "bogus",
                        Optional.of("Invalid policy exclusion: unknown policyType bogus.")),
                type("a policy type is case-sensitive", "Inline",
                        Optional.of("Invalid policy exclusion: unknown policyType Inline.")),

                arn("a customer managed policy ARN is valid", "arn:aws:iam::123456789012:policy/ReadS3", true),
                arn("an AWS managed policy ARN is valid", "arn:aws:iam::aws:policy/ReadOnlyAccess", true),
                arn("a policy ARN with a path is valid", "arn:aws:iam::123456789012:policy/team/a/ReadS3", true),
                arn("one * in the policy name is valid", "arn:aws:iam::123456789012:policy/Read*", true),
                arn("a lone * as the policy name is valid", "arn:aws:iam::aws:policy/*", true),
                arn("any number of ? in the policy name is valid", "arn:aws:iam::123456789012:policy/Rea??3?", true),
                arn("one * and some ? in the policy name are valid", "arn:aws:iam::123456789012:policy/?ead*", true),
                arn("another partition's ARN is well formed", "arn:aws-cn:iam::123456789012:policy/ReadS3", true),
                arn("two * in the policy name are invalid", "arn:aws:iam::123456789012:policy/*Read*", false),
                arn("a * in the path is invalid", "arn:aws:iam::123456789012:policy/te*m/ReadS3", false),
                arn("a ? in the path is invalid", "arn:aws:iam::123456789012:policy/tea?/ReadS3", false),
                arn("a * as the account is invalid", "arn:aws:iam::*:policy/ReadS3", false),
                arn("a short account id is invalid", "arn:aws:iam::12345678901:policy/ReadS3", false),
                arn("a * in the service is invalid", "arn:aws:ia*::123456789012:policy/ReadS3", false),
                arn("a * in the partition is invalid", "arn:*:iam::123456789012:policy/ReadS3", false),
                arn("a region is invalid", "arn:aws:iam:us-east-1:123456789012:policy/ReadS3", false),
                arn("another service's ARN is invalid", "arn:aws:s3::123456789012:policy/ReadS3", false),
                arn("a role ARN is invalid", "arn:aws:iam::123456789012:role/ReadS3", false),
                arn("a * in the resource type is invalid", "arn:aws:iam::123456789012:pol*/ReadS3", false),
                arn("an empty policy name is invalid", "arn:aws:iam::123456789012:policy/", false),
                arn("an empty path element is invalid", "arn:aws:iam::123456789012:policy//ReadS3", false),
                arn("a space in the policy name is invalid", "arn:aws:iam::123456789012:policy/Read S3", false),
                arn("a text that is not an ARN is invalid", "not-an-arn-but-long-enough", false),
                arn("an ARN with too few parts is invalid", "arn:aws:iam::policy/ReadS3", false),

                inline("an exact inline identifier is valid", "UserInline", "user", "alice", true),
                inline("a group's inline policy is valid", "Deny", "group", "admins", true),
                inline("a role's inline policy is valid", "Deny", "role", "deployer", true),
                inline("one * in the entity name is valid", "Deny", "group", "team-*", true),
                inline("a lone * as the entity name is valid", "Deny", "group", "*", true),
                inline("any number of ? in the entity name is valid", "Deny", "user", "ali??", true),
                inline("one * and some ? in the entity name are valid", "Deny", "user", "?li*", true),
                inline("two * in the entity name are invalid, as AWS answers", "Deny", "user", "a*c*", false),
                inline("a * in the policy name is invalid, as AWS answers", "Extra*", "user", "alice", false),
                inline("a ? in the policy name is invalid, as AWS answers", "ExtraInlin?", "user", "alice", false),
                inline("two * in the entity name, all members present, get AWS's words that name a missing one",
                        "lim", "user", "*l*", false),
                inline("a lone * as the policy name is invalid, in AWS's words", "*", "user", "alice", false),
                inline("a space in the entity name is invalid, and the message says where", "Deny", "user",
                        "al ice", badAttachmentName("al ice")),
                inline("a / in the entity name is invalid, and the message says where", "lim", "user", "li/mited",
                        badAttachmentName("li/mited")),
                inline("a space in the policy name is invalid, and the message says where", "lim x", "user",
                        "limited", badPolicyName("lim x")),
                inline("a / in the policy name is invalid, and the message says where", "lim/x", "user", "limited",
                        badPolicyName("lim/x")),
                inline("a / besides a wildcard in the policy name is named, not the wildcard", "l*m/x", "user",
                        "limited", badPolicyName("l*m/x")),
                inline("a policy name of 129 characters is invalid", "p".repeat(129), "user", "alice",
                        badPolicyName("p".repeat(129))),
                inline("an empty policy name is a missing member", "", "user", "alice", false),
                inline("an empty attachment type is a missing member", "Deny", "", "alice", false),
                inline("an empty entity name is a missing member", "Deny", "user", "", false),
                inline("an unknown attachment type is invalid", "Deny", "policy", "alice",
                        Optional.of("Invalid inline policy exclusion: unknown attachmentType policy.")),
                inline("an attachment type is case-sensitive", "Deny", "User", "alice",
                        Optional.of("Invalid inline policy exclusion: unknown attachmentType User.")),

                new Case("a union with no member set is invalid", Optional.empty(), Optional.empty(),
                        Optional.empty(), invalidUnion),
                new Case("a union with a type and an ARN is invalid", Optional.of("inline"),
                        Optional.of("arn:aws:iam::aws:policy/ReadOnlyAccess"), Optional.empty(), invalidUnion),
                new Case("a union with a type and an inline identifier is invalid", Optional.of("inline"),
                        Optional.empty(), Optional.of(new InlineIdentifier("Deny", "user", "alice")), invalidUnion),
                new Case("a union with all three members set is invalid", Optional.of("inline"),
                        Optional.of("arn:aws:iam::aws:policy/ReadOnlyAccess"),
                        Optional.of(new InlineIdentifier("Deny", "user", "alice")), invalidUnion));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identifiers")
    void fromIdentifier_acceptsOrRefusesWithInvalidInput(Case c) {
        if (c.invalidInput().isEmpty()) {
            assertThat(PolicyExclusion.fromIdentifier(c.policyType(), c.policyArn(), c.inline())).isNotNull();
            return;
        }
        ApiException refused = catchThrowableOfType(
                () -> PolicyExclusion.fromIdentifier(c.policyType(), c.policyArn(), c.inline()), ApiException.class);

        assertThat(refused).as(c.name()).isNotNull();
        assertThat(refused.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThat(refused.getMessage()).isEqualTo(c.invalidInput().get());
    }

    /** A managed policy named by ARN, and whether an identifier names it. */
    record ArnMatch(String name, String identifier, String account, String policyName, boolean names) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<ArnMatch> arnMatches() {
        return List.of(
                new ArnMatch("the exact ARN names the policy", "arn:aws:iam::123456789012:policy/ReadS3", ACCOUNT,
                        "ReadS3", true),
                new ArnMatch("a * stands for any run of characters", "arn:aws:iam::123456789012:policy/Read*",
                        ACCOUNT, "ReadS3Objects", true),
                new ArnMatch("a * stands for no character too", "arn:aws:iam::123456789012:policy/ReadS3*",
                        ACCOUNT, "ReadS3", true),
                new ArnMatch("a ? stands for exactly one character", "arn:aws:iam::123456789012:policy/Read??",
                        ACCOUNT, "ReadS3", true),
                new ArnMatch("a ? never stands for no character", "arn:aws:iam::123456789012:policy/ReadS3?",
                        ACCOUNT, "ReadS3", false),
                new ArnMatch("prefix and suffix around a * must not overlap", "arn:aws:iam::123456789012:policy/ab*ba",
                        ACCOUNT, "aba", false),
                new ArnMatch("names are compared case for case", "arn:aws:iam::123456789012:policy/reads3", ACCOUNT,
                        "ReadS3", false),
                new ArnMatch("another account's policy is another policy", "arn:aws:iam::999999999999:policy/ReadS3",
                        ACCOUNT, "ReadS3", false),
                new ArnMatch("an AWS managed policy is the aws account's", "arn:aws:iam::aws:policy/ReadOnlyAccess",
                        "aws", "ReadOnlyAccess", true),
                new ArnMatch("a customer policy is not an AWS managed one",
                        "arn:aws:iam::123456789012:policy/ReadOnly*",
                        "aws", "ReadOnlyAccess", false),
                new ArnMatch("an ARN that spells out a path names nothing, as AWS answers",
                        "arn:aws:iam::123456789012:policy/team/ReadS3", ACCOUNT, "ReadS3", false),
                new ArnMatch("another partition names nothing here", "arn:aws-cn:iam::123456789012:policy/ReadS3",
                        ACCOUNT, "ReadS3", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("arnMatches")
    void byArn_namesTheManagedPoliciesItsPatternMatches(ArnMatch c) {
        var exclusion = (PolicyExclusion.ByArn) PolicyExclusion.fromIdentifier(Optional.empty(),
                Optional.of(c.identifier()), Optional.empty());

        assertThat(exclusion.names(c.account(), c.policyName())).isEqualTo(c.names());
    }

    /** An inline policy, and whether an identifier names it. */
    record InlineMatch(String name, InlineIdentifier identifier, PolicyOwner.Kind kind, String owner,
            String policyName, boolean names) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<InlineMatch> inlineMatches() {
        var user = PolicyOwner.Kind.USER;
        var group = PolicyOwner.Kind.GROUP;
        return List.of(
                new InlineMatch("the exact identifier names the policy", new InlineIdentifier("Deny", "group", "ops"),
                        group, "ops", "Deny", true),
                new InlineMatch("a * in the entity name matches the entities it stands for",
                        new InlineIdentifier("Deny", "group", "op*"), group, "operators", "Deny", true),
                new InlineMatch("a ? in the entity name stands for one character",
                        new InlineIdentifier("Deny", "user", "alic?"), user, "alice", "Deny", true),
                new InlineMatch("a lone * matches every entity of the type", new InlineIdentifier("Deny", "group", "*"),
                        group, "anyone", "Deny", true),
                new InlineMatch("another entity type is not named", new InlineIdentifier("Deny", "user", "ops"),
                        group, "ops", "Deny", false),
                new InlineMatch("another policy name is not named", new InlineIdentifier("Allow", "group", "ops"),
                        group, "ops", "Deny", false),
                new InlineMatch("another entity name is not named", new InlineIdentifier("Deny", "group", "ops"),
                        group, "dev", "Deny", false),
                new InlineMatch("policy names are compared case for case", new InlineIdentifier("deny", "group", "ops"),
                        group, "ops", "Deny", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inlineMatches")
    void inline_namesThePoliciesOfTheEntitiesItsPatternMatches(InlineMatch c) {
        var exclusion = (PolicyExclusion.Inline) PolicyExclusion.fromIdentifier(Optional.empty(), Optional.empty(),
                Optional.of(c.identifier()));

        assertThat(exclusion.names(c.kind(), c.owner(), c.policyName())).isEqualTo(c.names());
    }
}
