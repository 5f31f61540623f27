package org.opensts.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.Fault;

/**
 * The server's metrics, served at {@code /metrics} in the Prometheus text format, without credentials: calls by API,
 * action and outcome with their count, total and longest latency ({@code opensts_requests_seconds}); the latency of
 * each API's calls in a few fixed buckets ({@code opensts_api_requests_seconds}); refused calls by API and error code
 * ({@code opensts_request_errors_total}); and gauges added by the components that own them.
 *
 * <p>Design note: anyone who can reach the port can both read this page and add calls to it, so its size is bounded
 * whatever they send. A tag takes only values from a fixed set: an action is a known action's name or
 * {@code unknown} (the caller's choice of name never becomes a tag), an outcome one of {@link Outcome}'s four, and
 * an error code one of {@link ErrorCode}'s. No series of an action carries a histogram: one of 69 percentile buckets
 * per (action, outcome) made the page 2 to 5 MB and 45 ms of CPU per scrape; the API-wide timer's dozen buckets say
 * as much about latency for every action at once.
 */
final class ServerMetrics {
    /** The buckets of {@code opensts_api_requests_seconds}: from a cached AssumeRole to a slow store or IdP. */
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5),
            Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** One timer per API, action and outcome, looked up without building a meter id on every call. */
    private final Map<CallKey, Timer> timers = new ConcurrentHashMap<>();
    private final Map<ApiVersion, Timer> apiTimers = new EnumMap<>(ApiVersion.class);
    private final Map<ErrorKey, Counter> errors = new ConcurrentHashMap<>();

    /**
     * What became of a call, as the {@code outcome} tag says it: {@code OK}; {@code Throttling}, which AWS counts
     * apart from other refusals too; or the fault of any other error, the client's ({@code ClientError}: bad input,
     * failed authentication, denied access) or the server's ({@code ServerError}: {@code InternalFailure},
     * {@code ServiceUnavailable}). The error code itself is counted per API in {@code opensts_request_errors_total}.
     */
    enum Outcome {
        OK("OK"), THROTTLING("Throttling"), CLIENT_ERROR("ClientError"), SERVER_ERROR("ServerError");

        private final String tag;

        Outcome(String tag) {
            this.tag = tag;
        }

        String tag() {
            return tag;
        }

        static Outcome of(Optional<ErrorCode> error) {
            if (error.isEmpty()) {
                return OK;
            }
            if (error.get() == ErrorCode.THROTTLING) {
                return THROTTLING;
            }
            return error.get().fault() == Fault.RECEIVER ? SERVER_ERROR : CLIENT_ERROR;
        }
    }

    private record CallKey(ApiVersion api, String action, Outcome outcome) {
    }

    private record ErrorKey(ApiVersion api, ErrorCode code) {
    }

    ServerMetrics() {
        for (ApiVersion api : ApiVersion.values()) {
            apiTimers.put(api, Timer.builder("opensts.api.requests")
                    .description("Query API calls by API, in fixed latency buckets")
                    .tag("api", api.signingName())
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry));
        }
    }

    /**
     * Counts one Query API call.
     *
     * @param action a known action's name, or {@code unknown}: never a name the caller chose
     * @param error the error the call was answered with, if any
     */
    void recordCall(ApiVersion api, String action, Optional<ErrorCode> error, long nanos) {
        Outcome outcome = Outcome.of(error);
        timers.computeIfAbsent(new CallKey(api, action, outcome), key -> Timer.builder("opensts.requests")
                        .description("Query API calls by API, action and outcome")
                        .tag("api", key.api().signingName())
                        .tag("action", key.action().isEmpty() ? "none" : key.action())
                        .tag("outcome", key.outcome().tag())
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
        apiTimers.get(api).record(nanos, TimeUnit.NANOSECONDS);
        if (error.isPresent()) {
            errors.computeIfAbsent(new ErrorKey(api, error.get()), key -> Counter.builder("opensts.request.errors")
                            .description("Query API calls answered with an error, by API and error code")
                            .tag("api", key.api().signingName())
                            .tag("code", key.code().code())
                            .register(registry))
                    .increment();
        }
    }

    /** The Query API calls so far: in total, failed (any outcome but {@code OK}), and by action. */
    record RequestCounts(long total, long errors, Map<String, Long> byAction) {
        RequestCounts {
            byAction = Map.copyOf(byAction);
        }
    }

    /** Sums the call timers' counts: a few dozen timers, read when the console asks, never on a request's path. */
    RequestCounts requestCounts() {
        long total = 0;
        long errors = 0;
        var byAction = new HashMap<String, Long>();
        for (Map.Entry<CallKey, Timer> entry : timers.entrySet()) {
            long count = entry.getValue().count();
            total += count;
            if (entry.getKey().outcome() != Outcome.OK) {
                errors += count;
            }
            String action = entry.getKey().action().isEmpty() ? "none" : entry.getKey().action();
            byAction.merge(action, count, Long::sum);
        }
        return new RequestCounts(total, errors, byAction);
    }

    void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    void ageGauge(String name, String description, Supplier<Duration> age) {
        gauge(name, description, () -> age.get().toSeconds());
    }

    String scrape() {
        return registry.scrape();
    }
}
