package org.opensts.sts;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.opensts.protocol.shape.Struct;

/**
 * The input of AssumeRoleWithWebIdentity (STS API Reference), once the model's constraints have been checked by the
 * binder. {@code toString()} leaves out the token, which is a bearer credential.
 */
public record AssumeRoleWithWebIdentityRequest(String roleArn, String roleSessionName, String webIdentityToken,
        Optional<String> providerId, List<String> policyArns, Optional<String> policy,
        Optional<Integer> durationSeconds) {
    public AssumeRoleWithWebIdentityRequest {
        requireNonNull(roleArn, "roleArn");
        requireNonNull(roleSessionName, "roleSessionName");
        requireNonNull(webIdentityToken, "webIdentityToken");
        requireNonNull(providerId, "providerId");
        policyArns = List.copyOf(policyArns);
        requireNonNull(policy, "policy");
        requireNonNull(durationSeconds, "durationSeconds");
    }

    /** A request for a role, a session name and a token, nothing else. */
    public static AssumeRoleWithWebIdentityRequest of(String roleArn, String roleSessionName, String token) {
        return new AssumeRoleWithWebIdentityRequest(roleArn, roleSessionName, token, Optional.empty(), List.of(),
                Optional.empty(), Optional.empty());
    }

    /** Reads a request bound with {@link StsShapes#ASSUME_ROLE_WITH_WEB_IDENTITY_REQUEST}. */
    public static AssumeRoleWithWebIdentityRequest from(Struct input) {
        return new AssumeRoleWithWebIdentityRequest(input.requiredString("RoleArn"),
                input.requiredString("RoleSessionName"), input.requiredString("WebIdentityToken"),
                input.string("ProviderId"), AssumeRoleRequest.policyArns(input), input.string("Policy"),
                input.integer("DurationSeconds"));
    }

    @Override
    public String toString() {
        return "AssumeRoleWithWebIdentityRequest[roleArn=" + roleArn + ", roleSessionName=" + roleSessionName
                + ", webIdentityToken=[redacted], providerId=" + providerId + ", policyArns=" + policyArns
                + ", policy=" + policy.isPresent() + ", durationSeconds=" + durationSeconds + "]";
    }
}
