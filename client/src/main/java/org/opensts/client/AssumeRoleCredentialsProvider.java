package org.opensts.client;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * An {@link AwsCredentialsProvider} for the AWS SDK for Java v2 that assumes a role with OpenSTS's AssumeRole, signed
 * with source credentials from another provider, and keeps the role's credentials fresh.
 *
 * <p>Credentials are refreshed in the background from five minutes (plus up to a minute of jitter) before they expire,
 * so callers do not wait; only when they are within a minute of expiry does a caller wait for STS. However many threads
 * ask, one STS call is made per refresh. If STS cannot be reached the still-valid credentials are served and the call
 * retried with backoff; once they have expired, {@link #resolveCredentials()} throws an {@code SdkClientException}
 * naming the failure. Expired credentials are never returned.
 *
 * <pre>{@code
 * try (var provider = AssumeRoleCredentialsProvider.builder()
 *         .endpoint(URI.create("https://sts.example.internal:8790"))
 *         .sourceCredentials(DefaultCredentialsProvider.create())
 *         .roleArn("arn:aws:iam::123456789012:role/app")
 *         .roleSessionName("app")
 *         .build();
 *      var s3 = S3Client.builder().credentialsProvider(provider).build()) { ... }
 * }</pre>
 *
 * <p>Thread-safe. Close it to stop its refresh thread.
 */
public final class AssumeRoleCredentialsProvider implements AwsCredentialsProvider, SdkAutoCloseable {

    private static final String PROVIDER_NAME = "OpenStsAssumeRoleCredentialsProvider";

    private final CredentialsCache cache;
    private final String accountId;
    private final String description;

    private AssumeRoleCredentialsProvider(Builder builder, AssumeRoleRequest request) {
        StsWireClient sts = builder.settings.wireClient(/* signed= */ true);
        this.cache = builder.settings.cache(PROVIDER_NAME, () -> sts.assumeRole(request).credentials());
        this.accountId = ProviderSettings.accountOf(request.roleArn());
        this.description = PROVIDER_NAME + "[roleArn=" + request.roleArn() + ", roleSessionName="
                + request.roleSessionName() + ", endpoint=" + sts.endpoint() + ']';
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns unexpired role credentials, with their expiration time.
     *
     * @throws software.amazon.awssdk.core.exception.SdkClientException if none can be had: STS refused (its AWS
     *         error is the cause) or could not be reached while no cached credentials were left unexpired
     */
    @Override
    public AwsCredentials resolveCredentials() {
        return ProviderSettings.sdk(cache.get(), accountId, PROVIDER_NAME);
    }

    @Override
    public void close() {
        cache.close();
    }

    @Override
    public String toString() {
        return description;
    }

    /** Builds an {@link AssumeRoleCredentialsProvider}. Not thread-safe. */
    public static final class Builder extends ProviderBuilder<Builder> {
        private String roleArn;
        private String roleSessionName;
        private Integer durationSeconds;
        private String policy;
        private final List<String> policyArns = new ArrayList<>();
        private String externalId;
        private final List<Tag> tags = new ArrayList<>();
        private final List<String> transitiveTagKeys = new ArrayList<>();
        private String sourceIdentity;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /** Sets the credentials that sign AssumeRole: a user's keys, or another provider's session. Required. */
        public Builder sourceCredentials(AwsCredentialsProvider source) {
            settings.sourceCredentials = requireNonNull(source, "sourceCredentials");
            return this;
        }

        /** Required. */
        public Builder roleArn(String arn) {
            this.roleArn = requireNonNull(arn, "roleArn");
            return this;
        }

        /** Sets the session name; {@code opensts-} and the start time in milliseconds by default. */
        public Builder roleSessionName(String name) {
            this.roleSessionName = requireNonNull(name, "roleSessionName");
            return this;
        }

        /** Sets how long each session lasts; the server's default (an hour) otherwise. */
        public Builder durationSeconds(int seconds) {
            this.durationSeconds = seconds;
            return this;
        }

        /** Sets an inline session policy (JSON) that narrows the role's permissions. */
        public Builder policy(String policyJson) {
            this.policy = requireNonNull(policyJson, "policy");
            return this;
        }

        public Builder policyArns(List<String> arns) {
            policyArns.addAll(arns);
            return this;
        }

        public Builder externalId(String id) {
            this.externalId = requireNonNull(id, "externalId");
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

        public Builder sourceIdentity(String identity) {
            this.sourceIdentity = requireNonNull(identity, "sourceIdentity");
            return this;
        }

        /** Builds the provider; it calls STS on the first {@link #resolveCredentials()}, not now. */
        public AssumeRoleCredentialsProvider build() {
            if (roleArn == null) {
                throw new IllegalStateException("roleArn is required");
            }
            String sessionName = roleSessionName != null ? roleSessionName
                    : "opensts-" + settings.clock.millis();
            AssumeRoleRequest.Builder request = AssumeRoleRequest.builder(roleArn, sessionName)
                    .policyArns(policyArns)
                    .tags(tags)
                    .transitiveTagKeys(transitiveTagKeys);
            if (durationSeconds != null) {
                request.durationSeconds(durationSeconds);
            }
            if (policy != null) {
                request.policy(policy);
            }
            if (externalId != null) {
                request.externalId(externalId);
            }
            if (sourceIdentity != null) {
                request.sourceIdentity(sourceIdentity);
            }
            return new AssumeRoleCredentialsProvider(this, request.build());
        }
    }
}
