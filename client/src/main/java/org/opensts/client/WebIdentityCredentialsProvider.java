package org.opensts.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * An {@link AwsCredentialsProvider} that assumes a role with AssumeRoleWithWebIdentity, presenting the token in a
 * file (a Kubernetes projected service-account token, a CI job's OIDC token), and keeps the role's credentials fresh.
 * The file is read again on every refresh, because whoever writes it replaces the token before it expires.
 *
 * <p>It refreshes as {@link AssumeRoleCredentialsProvider} does. The call is unsigned: the token is the credential.
 * Thread-safe. Close it to stop its refresh thread.
 */
public final class WebIdentityCredentialsProvider implements AwsCredentialsProvider, SdkAutoCloseable {

    private static final String PROVIDER_NAME = "OpenStsWebIdentityCredentialsProvider";
    /** Tokens are a few kilobytes; a larger file is not a token. */
    static final int MAX_TOKEN_BYTES = 64 * 1024;

    private final CredentialsCache cache;
    private final String accountId;
    private final String description;

    private WebIdentityCredentialsProvider(Builder builder, String sessionName) {
        StsWireClient sts = builder.settings.wireClient(/* signed= */ false);
        Path tokenFile = builder.webIdentityTokenFile;
        String roleArn = builder.roleArn;
        List<String> policyArns = List.copyOf(builder.policyArns);
        Integer durationSeconds = builder.durationSeconds;
        String policy = builder.policy;
        String providerId = builder.providerId;
        this.cache = builder.settings.cache(PROVIDER_NAME, () -> {
            AssumeRoleWithWebIdentityRequest.Builder request = AssumeRoleWithWebIdentityRequest
                    .builder(roleArn, sessionName, readToken(tokenFile))
                    .policyArns(policyArns);
            if (durationSeconds != null) {
                request.durationSeconds(durationSeconds);
            }
            if (policy != null) {
                request.policy(policy);
            }
            if (providerId != null) {
                request.providerId(providerId);
            }
            return sts.assumeRoleWithWebIdentity(request.build()).credentials();
        });
        this.accountId = ProviderSettings.accountOf(roleArn);
        this.description = PROVIDER_NAME + "[roleArn=" + roleArn + ", roleSessionName=" + sessionName
                + ", webIdentityTokenFile=" + tokenFile + ", endpoint=" + sts.endpoint() + ']';
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the token: a regular file (a FIFO would hold the read until some writer came), at most
     * {@value #MAX_TOKEN_BYTES} bytes read within {@link LocalFile#TIME_LIMIT}, surrounding whitespace removed, not
     * empty.
     *
     * @throws UncheckedIOException if it cannot be read, its message naming the file and the reason
     * @throws IllegalStateException if it is empty
     */
    public static String readToken(Path file) {
        String token;
        try {
            token = new String(LocalFile.read(file, MAX_TOKEN_BYTES, LocalFile.Accept.REGULAR_FILES), UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web identity token file " + file + ": " + e.getMessage(),
                    e);
        }
        if (token.isEmpty()) {
            throw new IllegalStateException("the web identity token file " + file + " is empty");
        }
        return token;
    }

    /**
     * Returns unexpired role credentials, with their expiration time.
     *
     * @throws software.amazon.awssdk.core.exception.SdkClientException if none can be had
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

    /** Builds a {@link WebIdentityCredentialsProvider}. Not thread-safe. */
    public static final class Builder extends ProviderBuilder<Builder> {
        private String roleArn;
        private String roleSessionName;
        private Path webIdentityTokenFile;
        private Integer durationSeconds;
        private String policy;
        private final List<String> policyArns = new ArrayList<>();
        private String providerId;

        private Builder() {
        }

        @Override
        Builder self() {
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

        /** Sets the file holding the token, read on every refresh. Required. */
        public Builder webIdentityTokenFile(Path file) {
            this.webIdentityTokenFile = requireNonNull(file, "webIdentityTokenFile");
            return this;
        }

        public Builder durationSeconds(int seconds) {
            this.durationSeconds = seconds;
            return this;
        }

        public Builder policy(String policyJson) {
            this.policy = requireNonNull(policyJson, "policy");
            return this;
        }

        public Builder policyArns(List<String> arns) {
            policyArns.addAll(arns);
            return this;
        }

        public Builder providerId(String id) {
            this.providerId = requireNonNull(id, "providerId");
            return this;
        }

        /** Builds the provider; it reads the token and calls STS on the first resolve, not now. */
        public WebIdentityCredentialsProvider build() {
            if (roleArn == null || webIdentityTokenFile == null) {
                throw new IllegalStateException("roleArn and webIdentityTokenFile are required");
            }
            return new WebIdentityCredentialsProvider(this,
                    roleSessionName != null ? roleSessionName : "opensts-" + settings.clock.millis());
        }
    }
}
