package org.opensts.policy;

import java.util.List;

/**
 * IAM's {@code MalformedPolicyDocument} messages, written once. Each constant is the text IAM returns, as
 * seen in real responses; {@code README.md} lists which were confirmed and which are our closest reading.
 */
final class PolicyErrors {
    static final String SYNTAX_ERRORS = "Syntax errors in policy.";
    /** A trust policy that is not JSON at all (IAM words this one differently from other policies). */
    static final String INVALID_JSON = "This policy contains invalid Json";
    static final String LEGACY_PARSING = "The policy failed legacy parsing";
    /** A customer managed policy without {@code "Version": "2012-10-17"}. */
    static final String MANAGED_POLICY_VERSION = "Policy document must be version 2012-10-17 or greater.";
    static final String SHOULD_NOT_SPECIFY_PRINCIPAL = "Policy document should not specify a principal.";
    static final String MISSING_PRINCIPAL = "Missing required field Principal";
    static final String MISSING_ACTIONS = "Policy statement must contain actions.";
    static final String MISSING_RESOURCES = "Policy statement must contain resources.";
    static final String ASSUME_ROLE_ACTIONS = "AssumeRole policy may only specify STS AssumeRole actions.";
    static final String ACTION_VENDOR = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
    static final String ACTION_ONE_COLON = "Actions/Condition can contain only one colon.";
    static final String SID_ALPHANUMERIC =
            "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression "
                    + "[0-9A-Za-z]*";
    static final String SID_UNIQUE = "Statement IDs (SID) in a single policy must be unique.";
    /**
     * STS's answer to a session policy that is not a JSON object at all, its first character not {@code {} (recorded
     * answers to AssumeRole with {@code Policy=invalid policy}); one that starts as an object and fails later gets
     * IAM's syntax error, as STS answers it.
     */
    static final String SESSION_POLICY_NOT_JSON = "The policy is not in the valid JSON format.";
    /** A resource with no service segment, such as {@code arn:aws}. */
    static final String RESOURCE_VENDOR = "Resource vendor must be fully qualified and cannot contain regexes.";

    private PolicyErrors() {
    }

    static MalformedPolicyException syntax(Position position) {
        return new MalformedPolicyException(SYNTAX_ERRORS, position);
    }

    /** A document without {@code Statement}: a syntax error to IAM, which its exception names for S3. */
    static MalformedPolicyException missingStatement(Position position) {
        return new MalformedPolicyException(SYNTAX_ERRORS, position, "Statement");
    }

    /** Text that does not parse as JSON: a trust policy's is "invalid Json", any other's a syntax error. */
    static MalformedPolicyException notJson(PolicyType type, Position position) {
        return new MalformedPolicyException(type == PolicyType.TRUST ? INVALID_JSON : SYNTAX_ERRORS, position);
    }

    static MalformedPolicyException of(String message) {
        return new MalformedPolicyException(message);
    }

    static MalformedPolicyException prohibitedField(String field) {
        return new MalformedPolicyException("Has prohibited field " + field);
    }

    /** An unknown condition operator or qualifier: a syntax error, as AWS's real responses show. */
    static MalformedPolicyException invalidConditionType(String operator) {
        return new MalformedPolicyException(SYNTAX_ERRORS);
    }

    /** An action whose service prefix has a character no prefix has, such as a space. */
    static MalformedPolicyException invalidVendor(String vendor) {
        return new MalformedPolicyException("Vendor " + vendor + " is not valid");
    }

    static MalformedPolicyException resourceNotArn(String resource) {
        return new MalformedPolicyException("Resource " + resource + " must be in ARN format or \"*\".");
    }

    static MalformedPolicyException invalidPartition(String partition, String resourceAsNamed) {
        return new MalformedPolicyException("Partition \"" + partition + "\" is not valid for resource \""
                + resourceAsNamed + "\".");
    }

    static MalformedPolicyException iamResourceRegion(String resource) {
        return new MalformedPolicyException("IAM resource " + resource + " cannot contain region information.");
    }

    /** An S3 resource with a region it cannot have; IAM writes "can not" here and "cannot" for IAM resources. */
    static MalformedPolicyException resourceRegion(String resource) {
        return new MalformedPolicyException("Resource " + resource + " can not contain region information.");
    }

    /** IAM's words as its answers recorded since 2026 give them, naming {@code root} as well. */
    static MalformedPolicyException iamResourcePath(List<String> resourceTypes) {
        return new MalformedPolicyException("IAM resource path must either be \"*\", root, or start with "
                + String.join(", ", resourceTypes) + ".");
    }

    /** A {@code Federated} principal that is neither a provider's ARN nor a domain name, in IAM's words. */
    static MalformedPolicyException invalidFederatedPrincipal() {
        return new MalformedPolicyException("Federated principals must be valid domain names or SAML metadata ARNs");
    }

    static MalformedPolicyException invalidPrincipal(String type, String value) {
        return new MalformedPolicyException("Invalid principal in policy: \"" + type + "\":\"" + value + "\"");
    }
}
