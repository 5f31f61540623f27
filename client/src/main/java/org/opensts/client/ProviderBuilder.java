package org.opensts.client;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * What every refreshing provider's builder takes besides its operation's parameters: where STS is, how to reach it,
 * and the clock and executor its refreshes run on.
 *
 * @param <B> the provider's own builder, returned by every setter so that calls chain
 */
public abstract class ProviderBuilder<B extends ProviderBuilder<B>> {
    final ProviderSettings settings = new ProviderSettings();

    ProviderBuilder() {
    }

    /** Sets the STS endpoint, e.g. {@code http://127.0.0.1:8790}. Required. */
    public B endpoint(URI endpoint) {
        settings.endpoint = requireNonNull(endpoint, "endpoint");
        return self();
    }

    /** Sets the region to sign for; {@code us-east-1} by default. */
    public B region(String region) {
        settings.region = requireNonNull(region, "region");
        return self();
    }

    /** Sets the clock that decides freshness and dates signatures; the system clock by default. */
    public B clock(Clock clock) {
        settings.clock = requireNonNull(clock, "clock");
        return self();
    }

    /** Sets the executor for background refreshes; a daemon thread of the provider's own by default. */
    public B executor(Executor executor) {
        settings.executor = requireNonNull(executor, "executor");
        return self();
    }

    /** Sends STS calls through {@code transport} (custom TLS trust, or a test's counting wrapper). */
    public B transport(StsWireClient.Transport transport) {
        settings.transport = requireNonNull(transport, "transport");
        return self();
    }

    /** Sets when refreshes start and how failures back off; tests shorten them. */
    B timing(CredentialsCache.Timing timing) {
        settings.timing = requireNonNull(timing, "timing");
        return self();
    }

    abstract B self();
}
