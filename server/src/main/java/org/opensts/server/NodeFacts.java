package org.opensts.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.TreeMap;
import org.opensts.token.KeyRing;
import org.opensts.verifier.SessionKeys;

/**
 * What {@code POST /node} tells about the node (docs/console-api.md): its version, region and store, when it started,
 * its session key ring's age, and its Query API calls from the metrics — in total, failed, by action, and per second
 * over the last minute. The rate comes from samples of the call count that the node's maintenance schedule takes every
 * few seconds ({@link #sample}), so no request pays for it.
 */
final class NodeFacts {
    static final Duration RATE_WINDOW = Duration.ofMinutes(1);

    private final String version;
    private final String region;
    private final boolean postgres;
    private final Instant startedAt;
    private final SessionKeys keys;
    private final ServerMetrics metrics;
    private final Clock clock;
    private final Deque<Sample> samples = new ArrayDeque<>();

    private record Sample(Instant at, long total) {
    }

    NodeFacts(String version, String region, boolean postgres, Instant startedAt, SessionKeys keys,
            ServerMetrics metrics, Clock clock) {
        this.version = version;
        this.region = region;
        this.postgres = postgres;
        this.startedAt = startedAt;
        this.keys = keys;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The version in the jar's manifest, or {@code development build} when run from classes. */
    static String jarVersion() {
        String version = NodeFacts.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }

    /** The node's schedule samples every {@value #SAMPLE_PERIOD_SECONDS} seconds. */
    static final int SAMPLE_PERIOD_SECONDS = 5;
    /** Enough samples to span the window and one more period, at the schedule's pace. */
    private static final int MAX_SAMPLES = (int) (RATE_WINDOW.toSeconds() / SAMPLE_PERIOD_SECONDS) + 2;

    /** Records the call count now, keeping the samples that span the rate's window. */
    synchronized void sample() {
        samples.addLast(new Sample(clock.instant(), metrics.requestCounts().total()));
        while (samples.size() > MAX_SAMPLES) {
            samples.removeFirst();
        }
    }

    ObjectNode describe() {
        Instant now = clock.instant();
        ServerMetrics.RequestCounts counts = metrics.requestCounts();
        ObjectNode node = ConsoleJson.MAPPER.createObjectNode();
        node.put("Version", version);
        node.put("Region", region);
        node.put("Store", postgres ? "postgresql" : "embedded");
        node.put("StartedAt", json(startedAt));
        KeyRing ring = keys.codec().keyRing();
        ObjectNode keyRing = node.putObject("KeyRing");
        keyRing.put("Keys", ring.keys().size());
        keyRing.put("CurrentKeyCreated", json(ring.primary().createdAt()));
        keyRing.put("CurrentKeyAgeSeconds", Math.max(0, Duration.between(ring.primary().createdAt(), now)
                .toSeconds()));
        ObjectNode requests = node.putObject("Requests");
        requests.put("PerSecond1m", perSecond(now, counts.total()));
        requests.put("Total", counts.total());
        requests.put("Errors", counts.errors());
        ObjectNode byAction = requests.putObject("ByAction");
        new TreeMap<>(counts.byAction()).forEach(byAction::put);
        return node;
    }

    /**
     * A time as the node's JSON and XML answers write it: ISO 8601 in UTC to the whole second, as AWS's answers and
     * CloudTrail's eventTime are; the rate and the key's age are worked out from the exact instants.
     */
    private static String json(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * Calls per second over the last minute: since the newest sample at least a minute old (or the start, when there
     * is none), rounded to two decimals.
     */
    private synchronized double perSecond(Instant now, long total) {
        Sample from = new Sample(startedAt, 0);
        for (Sample sample : samples) {
            if (sample.at().isAfter(now.minus(RATE_WINDOW))) {
                break;
            }
            from = sample;
        }
        long millis = Duration.between(from.at(), now).toMillis();
        if (millis <= 0) {
            return 0;
        }
        double rate = (total - from.total()) * 1000.0 / millis;
        return Math.round(rate * 100) / 100.0;
    }
}
