package org.opensts.client.agent;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The role credentials an agent serves: whatever its refreshing provider returns now, with the instant the agent
 * first saw them (IMDS's {@code LastUpdated}) and the role they belong to. Thread-safe.
 */
public final class AgentCredentials {

    /** EC2's timestamps: UTC to the second, e.g. {@code 2026-03-01T10:00:00Z}. */
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    /** Credentials as served: all four parts and when they were first seen. {@link #toString()} hides the secrets. */
    public static final class Snapshot {
        private final String accessKeyId;
        private final String secretAccessKey;
        private final String sessionToken;
        private final Instant expiration;
        private final Instant lastUpdated;

        Snapshot(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration,
                Instant lastUpdated) {
            this.accessKeyId = accessKeyId;
            this.secretAccessKey = secretAccessKey;
            this.sessionToken = sessionToken;
            this.expiration = expiration;
            this.lastUpdated = lastUpdated;
        }

        public String accessKeyId() {
            return accessKeyId;
        }

        String secretAccessKey() {
            return secretAccessKey;
        }

        String sessionToken() {
            return sessionToken;
        }

        public Instant expiration() {
            return expiration;
        }

        public Instant lastUpdated() {
            return lastUpdated;
        }

        @Override
        public String toString() {
            return "Snapshot[accessKeyId=" + accessKeyId + ", expiration=" + expiration + ']';
        }
    }

    private final AwsCredentialsProvider provider;
    private final String roleArn;
    private final Clock clock;
    private volatile Snapshot last;
    /** Whether {@link #keepFresh} runs, so that requests are served from {@link #last} without waiting. */
    private volatile boolean kept;

    /**
     * @param provider a refreshing provider of the role's credentials; it must return session credentials with an
     *                 expiration time, as this module's providers do
     * @param roleArn  the role they are for, e.g. {@code arn:aws:iam::123456789012:role/app}
     */
    public AgentCredentials(AwsCredentialsProvider provider, String roleArn, Clock clock) {
        this.provider = requireNonNull(provider, "provider");
        this.roleArn = requireNonNull(roleArn, "roleArn");
        this.clock = requireNonNull(clock, "clock");
        int slash = roleArn.lastIndexOf('/');
        if (!roleArn.startsWith("arn:") || !roleArn.contains(":role/") || slash == roleArn.length() - 1) {
            throw new IllegalArgumentException("not a role ARN: " + roleArn);
        }
    }

    public String roleArn() {
        return roleArn;
    }

    /** The role's name: the last segment of its ARN (a role's path comes before it). */
    public String roleName() {
        return roleArn.substring(roleArn.lastIndexOf('/') + 1);
    }

    /** The account in the role's ARN. */
    public String accountId() {
        return roleArn.split(":", 6)[4];
    }

    Clock clock() {
        return clock;
    }

    /**
     * Returns the current credentials from the provider.
     *
     * @throws RuntimeException whatever the provider throws when it has no unexpired credentials
     */
    public Snapshot current() {
        AwsCredentials credentials = provider.resolveCredentials();
        if (!(credentials instanceof AwsSessionCredentialsIdentity session) || credentials.expirationTime().isEmpty()) {
            throw new IllegalStateException("the agent's provider returned credentials without a session token and "
                    + "expiration");
        }
        Snapshot previous = last;
        if (previous != null && previous.accessKeyId().equals(credentials.accessKeyId())) {
            return previous;
        }
        Snapshot fresh = new Snapshot(credentials.accessKeyId(), credentials.secretAccessKey(),
                session.sessionToken(), credentials.expirationTime().get(),
                clock.instant().truncatedTo(ChronoUnit.SECONDS));
        last = fresh;
        return fresh;
    }

    /**
     * The credentials for a program's request: with {@link #keepFresh} running, the last ones it obtained while they
     * are unexpired, without waiting on the provider (a refresh that hangs in the minute before expiry then holds up
     * the keeper's thread, not every program, whose SDKs give up on the endpoint after a second); otherwise
     * {@link #current()}.
     *
     * @throws IllegalStateException with a keeper running, when the last credentials have expired
     */
    public Snapshot served() {
        if (!kept) {
            return current();
        }
        Snapshot cached = last;
        if (cached == null || !clock.instant().isBefore(cached.expiration())) {
            throw new IllegalStateException("no unexpired credentials: the last refresh has not succeeded");
        }
        return cached;
    }

    /**
     * Asks the provider for the credentials every {@code period} on a daemon thread of its own, so that a refresh
     * starts when it falls due (five to six minutes before expiry) and not only when a program next asks: EC2 makes
     * an instance role's new credentials available at least five minutes before the old ones expire (EC2 User Guide,
     * "Retrieve security credentials from instance metadata"), and programs that ask rarely would otherwise be handed
     * credentials about to expire. {@code onFailure} hears of the first failure (the provider has no unexpired
     * credentials: the server has been unreachable or refusing since before they expired) and {@code onRecovery} of
     * the first success after one, so an operator learns of an outage once, not every period.
     *
     * @return what stops the thread
     */
    public AutoCloseable keepFresh(Duration period, Consumer<RuntimeException> onFailure, Runnable onRecovery) {
        requireNonNull(onFailure, "onFailure");
        requireNonNull(onRecovery, "onRecovery");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        ScheduledExecutorService keeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "opensts-agent-refresh");
            thread.setDaemon(true);
            return thread;
        });
        var failing = new AtomicBoolean();
        try {
            current();
        } catch (RuntimeException e) {
            // the first period's attempt tells of it
        }
        kept = true;
        keeper.scheduleWithFixedDelay(() -> {
            try {
                current();
                if (failing.compareAndSet(true, false)) {
                    onRecovery.run();
                }
            } catch (RuntimeException e) {
                if (failing.compareAndSet(false, true)) {
                    onFailure.accept(e);
                }
            }
        }, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
        return () -> {
            kept = false;
            keeper.shutdownNow();
        };
    }
}
