package org.opensts.client;

import static java.util.Objects.requireNonNull;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * An {@link AwsCredentialsProvider} that trades a user's long-term keys for temporary credentials with
 * GetSessionToken, so the long-term secret signs only one call per session, and keeps them fresh as
 * {@link AssumeRoleCredentialsProvider} does. (A session that needs an MFA code cannot be refreshed unattended, so
 * this provider sends none.) Thread-safe. Close it to stop its refresh thread.
 */
public final class SessionTokenCredentialsProvider implements AwsCredentialsProvider, SdkAutoCloseable {

    private static final String PROVIDER_NAME = "OpenStsSessionTokenCredentialsProvider";

    private final CredentialsCache cache;
    private final String description;

    private SessionTokenCredentialsProvider(Builder builder) {
        StsWireClient sts = builder.settings.wireClient(/* signed= */ true);
        GetSessionTokenRequest.Builder request = GetSessionTokenRequest.builder();
        if (builder.durationSeconds != null) {
            request.durationSeconds(builder.durationSeconds);
        }
        GetSessionTokenRequest built = request.build();
        this.cache = builder.settings.cache(PROVIDER_NAME, () -> sts.getSessionToken(built).credentials());
        this.description = PROVIDER_NAME + "[endpoint=" + sts.endpoint() + ']';
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns unexpired session credentials, with their expiration time.
     *
     * @throws software.amazon.awssdk.core.exception.SdkClientException if none can be had
     */
    @Override
    public AwsCredentials resolveCredentials() {
        return ProviderSettings.sdk(cache.get(), /* accountId= */ null, PROVIDER_NAME);
    }

    @Override
    public void close() {
        cache.close();
    }

    @Override
    public String toString() {
        return description;
    }

    /** Builds a {@link SessionTokenCredentialsProvider}. Not thread-safe. */
    public static final class Builder extends ProviderBuilder<Builder> {
        private Integer durationSeconds;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /** Sets the user's long-term keys that sign GetSessionToken. Required. */
        public Builder sourceCredentials(AwsCredentialsProvider source) {
            settings.sourceCredentials = requireNonNull(source, "sourceCredentials");
            return this;
        }

        /** Sets how long each session lasts; the server's default (12 hours) otherwise. */
        public Builder durationSeconds(int seconds) {
            this.durationSeconds = seconds;
            return this;
        }

        public SessionTokenCredentialsProvider build() {
            return new SessionTokenCredentialsProvider(this);
        }
    }
}
