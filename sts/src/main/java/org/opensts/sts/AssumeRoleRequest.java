package org.opensts.sts;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.opensts.protocol.shape.Struct;
import org.opensts.token.SessionTag;

/**
 * The input of AssumeRole (STS API Reference), once the model's constraints have been checked by the binder.
 * {@code toString()} leaves out the MFA code.
 */
public record AssumeRoleRequest(String roleArn, String roleSessionName, List<String> policyArns,
        Optional<String> policy, Optional<Integer> durationSeconds, List<SessionTag> tags,
        List<String> transitiveTagKeys, Optional<String> externalId, Optional<String> serialNumber,
        Optional<String> tokenCode, Optional<String> sourceIdentity, boolean hasProvidedContexts) {
    public AssumeRoleRequest {
        requireNonNull(roleArn, "roleArn");
        requireNonNull(roleSessionName, "roleSessionName");
        policyArns = List.copyOf(policyArns);
        requireNonNull(policy, "policy");
        requireNonNull(durationSeconds, "durationSeconds");
        tags = List.copyOf(tags);
        transitiveTagKeys = List.copyOf(transitiveTagKeys);
        requireNonNull(externalId, "externalId");
        requireNonNull(serialNumber, "serialNumber");
        requireNonNull(tokenCode, "tokenCode");
        requireNonNull(sourceIdentity, "sourceIdentity");
    }

    /** A request for a role and a session name, nothing else. */
    public static AssumeRoleRequest of(String roleArn, String roleSessionName) {
        return new AssumeRoleRequest(roleArn, roleSessionName, List.of(), Optional.empty(), Optional.empty(),
                List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false);
    }

    /** Reads a request bound with {@link StsShapes#ASSUME_ROLE_REQUEST}. */
    public static AssumeRoleRequest from(Struct input) {
        return new AssumeRoleRequest(input.requiredString("RoleArn"), input.requiredString("RoleSessionName"),
                policyArns(input), input.string("Policy"), input.integer("DurationSeconds"), tags(input),
                input.strings("TransitiveTagKeys"), input.string("ExternalId"), input.string("SerialNumber"),
                input.string("TokenCode"), input.string("SourceIdentity"), input.has("ProvidedContexts"));
    }

    static List<String> policyArns(Struct input) {
        return input.structs("PolicyArns").stream().flatMap(descriptor -> descriptor.string("arn").stream()).toList();
    }

    static List<SessionTag> tags(Struct input) {
        return input.structs("Tags").stream()
                .map(tag -> new SessionTag(tag.requiredString("Key"), tag.requiredString("Value")))
                .toList();
    }

    @Override
    public String toString() {
        return "AssumeRoleRequest[roleArn=" + roleArn + ", roleSessionName=" + roleSessionName + ", policyArns="
                + policyArns + ", policy=" + policy.isPresent() + ", durationSeconds=" + durationSeconds + ", tags="
                + tags + ", transitiveTagKeys=" + transitiveTagKeys + ", externalId=" + externalId + ", serialNumber="
                + serialNumber + ", tokenCode=" + (tokenCode.isPresent() ? "[redacted]" : "none")
                + ", sourceIdentity=" + sourceIdentity + "]";
    }
}
