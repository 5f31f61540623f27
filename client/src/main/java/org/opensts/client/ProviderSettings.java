package org.opensts.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.opensts.sigv4.SigningCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/** What every provider's builder collects besides its operation's parameters, and the conversions they share. */
final class ProviderSettings {
    URI endpoint;
    String region = "us-east-1";
    AwsCredentialsProvider sourceCredentials;
    Clock clock = Clock.systemUTC();
    Executor executor;
    StsWireClient.Transport transport;
    CredentialsCache.Timing timing = CredentialsCache.Timing.defaults();

    StsWireClient wireClient(boolean signed) {
        if (endpoint == null) {
            throw new IllegalStateException("an STS endpoint is required");
        }
        StsWireClient.Builder builder = StsWireClient.builder(endpoint).region(region).clock(clock);
        if (signed) {
            if (sourceCredentials == null) {
                throw new IllegalStateException("source credentials are required");
            }
            AwsCredentialsProvider source = sourceCredentials;
            builder.credentials(() -> signing(source.resolveCredentials()));
        }
        if (transport != null) {
            builder.transport(transport);
        }
        return builder.build();
    }

    CredentialsCache cache(String name, Supplier<StsCredentials> fetch) {
        return new CredentialsCache(name, fetch, clock, executor, timing);
    }

    static SigningCredentials signing(AwsCredentials credentials) {
        requireNonNull(credentials, "source credentials");
        byte[] secret = credentials.secretAccessKey().getBytes(UTF_8);
        if (credentials instanceof AwsSessionCredentialsIdentity session) {
            return SigningCredentials.of(credentials.accessKeyId(), secret, session.sessionToken());
        }
        return SigningCredentials.of(credentials.accessKeyId(), secret);
    }

    /** The SDK's view of STS credentials, with their expiration so the SDK can tell when they run out. */
    static AwsSessionCredentials sdk(StsCredentials credentials, String accountId, String providerName) {
        AwsSessionCredentials.Builder builder = AwsSessionCredentials.builder()
                .accessKeyId(credentials.accessKeyId())
                .secretAccessKey(credentials.secretAccessKey())
                .sessionToken(credentials.sessionToken())
                .expirationTime(credentials.expiration())
                .providerName(providerName);
        if (accountId != null) {
            builder.accountId(accountId);
        }
        return builder.build();
    }

    /** The account of a role or assumed-role ARN ({@code arn:PARTITION:SERVICE::ACCOUNT:...}), or null. */
    static String accountOf(String arn) {
        String[] parts = arn.split(":", 6);
        return parts.length == 6 && parts[4].matches("\\d{12}") ? parts[4] : null;
    }
}
