package org.opensts.client;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * AssumeRole's parameters. Build with {@link #builder(String, String)}; the server validates values the AWS way, so
 * this class checks only that required members are present. {@link #toString()} omits the MFA token code.
 */
public final class AssumeRoleRequest {

    private final String roleArn;
    private final String roleSessionName;
    private final List<String> policyArns;
    private final String policy;
    private final Integer durationSeconds;
    private final List<Tag> tags;
    private final List<String> transitiveTagKeys;
    private final String externalId;
    private final String serialNumber;
    private final String tokenCode;
    private final String sourceIdentity;
    private final List<ProvidedContext> providedContexts;

    private AssumeRoleRequest(Builder builder) {
        this.roleArn = builder.roleArn;
        this.roleSessionName = builder.roleSessionName;
        this.policyArns = List.copyOf(builder.policyArns);
        this.policy = builder.policy;
        this.durationSeconds = builder.durationSeconds;
        this.tags = List.copyOf(builder.tags);
        this.transitiveTagKeys = List.copyOf(builder.transitiveTagKeys);
        this.externalId = builder.externalId;
        this.serialNumber = builder.serialNumber;
        this.tokenCode = builder.tokenCode;
        this.sourceIdentity = builder.sourceIdentity;
        this.providedContexts = List.copyOf(builder.providedContexts);
    }

    public static Builder builder(String roleArn, String roleSessionName) {
        return new Builder(roleArn, roleSessionName);
    }

    public String roleArn() {
        return roleArn;
    }

    public String roleSessionName() {
        return roleSessionName;
    }

    QueryForm toForm() {
        return new QueryForm("AssumeRole")
                .add("RoleArn", roleArn)
                .add("RoleSessionName", roleSessionName)
                .addPolicyArns(policyArns)
                .add("Policy", policy)
                .add("DurationSeconds", durationSeconds)
                .addTags(tags)
                .addMembers("TransitiveTagKeys", transitiveTagKeys)
                .add("ExternalId", externalId)
                .add("SerialNumber", serialNumber)
                .add("TokenCode", tokenCode)
                .add("SourceIdentity", sourceIdentity)
                .addProvidedContexts(providedContexts);
    }

    @Override
    public String toString() {
        return "AssumeRoleRequest[roleArn=" + roleArn + ", roleSessionName=" + roleSessionName
                + (durationSeconds == null ? "" : ", durationSeconds=" + durationSeconds) + ']';
    }

    /** Builds an {@link AssumeRoleRequest}. Not thread-safe. */
    public static final class Builder {
        private final String roleArn;
        private final String roleSessionName;
        private final List<String> policyArns = new ArrayList<>();
        private String policy;
        private Integer durationSeconds;
        private final List<Tag> tags = new ArrayList<>();
        private final List<String> transitiveTagKeys = new ArrayList<>();
        private String externalId;
        private String serialNumber;
        private String tokenCode;
        private String sourceIdentity;
        private final List<ProvidedContext> providedContexts = new ArrayList<>();

        private Builder(String roleArn, String roleSessionName) {
            this.roleArn = requireNonNull(roleArn, "roleArn");
            this.roleSessionName = requireNonNull(roleSessionName, "roleSessionName");
        }

        /** Adds managed session policies (their ARNs). */
        public Builder policyArns(List<String> arns) {
            policyArns.addAll(arns);
            return this;
        }

        /** Sets the inline session policy (JSON). */
        public Builder policy(String policyJson) {
            this.policy = policyJson;
            return this;
        }

        public Builder durationSeconds(int seconds) {
            this.durationSeconds = seconds;
            return this;
        }

        public Builder tags(List<Tag> sessionTags) {
            tags.addAll(sessionTags);
            return this;
        }

        public Builder transitiveTagKeys(List<String> keys) {
            transitiveTagKeys.addAll(keys);
            return this;
        }

        public Builder externalId(String id) {
            this.externalId = id;
            return this;
        }

        /** Sets the MFA device and the current code from it. */
        public Builder mfa(String mfaSerialNumber, String mfaTokenCode) {
            this.serialNumber = requireNonNull(mfaSerialNumber, "serialNumber");
            this.tokenCode = requireNonNull(mfaTokenCode, "tokenCode");
            return this;
        }

        public Builder sourceIdentity(String identity) {
            this.sourceIdentity = identity;
            return this;
        }

        public Builder providedContexts(List<ProvidedContext> contexts) {
            providedContexts.addAll(contexts);
            return this;
        }

        public AssumeRoleRequest build() {
            return new AssumeRoleRequest(this);
        }
    }
}
