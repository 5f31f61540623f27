package org.opensts.sts;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.opensts.protocol.shape.Struct;

/**
 * The input of AssumeRoleWithSAML (STS API Reference), once the model's constraints have been checked by the binder.
 * {@code toString()} leaves out the assertion, which is a bearer credential.
 */
public record AssumeRoleWithSamlRequest(String roleArn, String principalArn, String samlAssertion,
        List<String> policyArns, Optional<String> policy, Optional<Integer> durationSeconds) {
    public AssumeRoleWithSamlRequest {
        requireNonNull(roleArn, "roleArn");
        requireNonNull(principalArn, "principalArn");
        requireNonNull(samlAssertion, "samlAssertion");
        policyArns = List.copyOf(policyArns);
        requireNonNull(policy, "policy");
        requireNonNull(durationSeconds, "durationSeconds");
    }

    /** A request for a role, a SAML provider and an assertion, nothing else. */
    public static AssumeRoleWithSamlRequest of(String roleArn, String principalArn, String samlAssertion) {
        return new AssumeRoleWithSamlRequest(roleArn, principalArn, samlAssertion, List.of(), Optional.empty(),
                Optional.empty());
    }

    /** Reads a request bound with {@link StsShapes#ASSUME_ROLE_WITH_SAML_REQUEST}. */
    public static AssumeRoleWithSamlRequest from(Struct input) {
        return new AssumeRoleWithSamlRequest(input.requiredString("RoleArn"), input.requiredString("PrincipalArn"),
                input.requiredString("SAMLAssertion"), AssumeRoleRequest.policyArns(input), input.string("Policy"),
                input.integer("DurationSeconds"));
    }

    @Override
    public String toString() {
        return "AssumeRoleWithSamlRequest[roleArn=" + roleArn + ", principalArn=" + principalArn
                + ", samlAssertion=[redacted], policyArns=" + policyArns + ", policy=" + policy.isPresent()
                + ", durationSeconds=" + durationSeconds + "]";
    }
}
