package org.opensts.client;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * AssumeRoleWithWebIdentity's parameters. The call is not signed: the web identity token is the credential, so
 * {@link #toString()} omits it.
 */
public final class AssumeRoleWithWebIdentityRequest {

    private final String roleArn;
    private final String roleSessionName;
    private final String webIdentityToken;
    private final String providerId;
    private final List<String> policyArns;
    private final String policy;
    private final Integer durationSeconds;

    private AssumeRoleWithWebIdentityRequest(Builder builder) {
        this.roleArn = builder.roleArn;
        this.roleSessionName = builder.roleSessionName;
        this.webIdentityToken = builder.webIdentityToken;
        this.providerId = builder.providerId;
        this.policyArns = List.copyOf(builder.policyArns);
        this.policy = builder.policy;
        this.durationSeconds = builder.durationSeconds;
    }

    public static Builder builder(String roleArn, String roleSessionName, String webIdentityToken) {
        return new Builder(roleArn, roleSessionName, webIdentityToken);
    }

    public String roleArn() {
        return roleArn;
    }

    public String roleSessionName() {
        return roleSessionName;
    }

    QueryForm toForm() {
        return new QueryForm("AssumeRoleWithWebIdentity")
                .add("RoleArn", roleArn)
                .add("RoleSessionName", roleSessionName)
                .add("WebIdentityToken", webIdentityToken)
                .add("ProviderId", providerId)
                .addPolicyArns(policyArns)
                .add("Policy", policy)
                .add("DurationSeconds", durationSeconds);
    }

    @Override
    public String toString() {
        return "AssumeRoleWithWebIdentityRequest[roleArn=" + roleArn + ", roleSessionName=" + roleSessionName + ']';
    }

    /** Builds an {@link AssumeRoleWithWebIdentityRequest}. Not thread-safe. */
    public static final class Builder {
        private final String roleArn;
        private final String roleSessionName;
        private final String webIdentityToken;
        private String providerId;
        private final List<String> policyArns = new ArrayList<>();
        private String policy;
        private Integer durationSeconds;

        private Builder(String roleArn, String roleSessionName, String webIdentityToken) {
            this.roleArn = requireNonNull(roleArn, "roleArn");
            this.roleSessionName = requireNonNull(roleSessionName, "roleSessionName");
            this.webIdentityToken = requireNonNull(webIdentityToken, "webIdentityToken");
        }

        /** Sets the OAuth 2.0 provider's domain, for providers that issue access tokens rather than ID tokens. */
        public Builder providerId(String id) {
            this.providerId = id;
            return this;
        }

        public Builder policyArns(List<String> arns) {
            policyArns.addAll(arns);
            return this;
        }

        public Builder policy(String policyJson) {
            this.policy = policyJson;
            return this;
        }

        public Builder durationSeconds(int seconds) {
            this.durationSeconds = seconds;
            return this;
        }

        public AssumeRoleWithWebIdentityRequest build() {
            return new AssumeRoleWithWebIdentityRequest(this);
        }
    }
}
