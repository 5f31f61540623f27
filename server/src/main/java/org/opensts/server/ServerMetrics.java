package org.opensts.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The server's metrics, served at {@code /metrics} in the Prometheus text format: calls by API, action and outcome (the
 * error code, or {@code OK}) with their latency, and gauges added by the components that own them.
 */
final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** One timer per API, action and outcome, looked up without building a meter id on every call. */
    private final Map<CallKey, Timer> timers = new ConcurrentHashMap<>();

    private record CallKey(ApiVersion api, String action, String outcome) {
    }

    void recordCall(ApiVersion api, String action, String outcome, long nanos) {
        timers.computeIfAbsent(new CallKey(api, action, outcome), key -> Timer.builder("opensts.requests")
                        .description("Query API calls by API, action and outcome")
                        .tag("api", key.api().signingName())
                        .tag("action", key.action().isEmpty() ? "none" : key.action())
                        .tag("outcome", key.outcome())
                        .publishPercentileHistogram()
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
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
            if (!entry.getKey().outcome().equals("OK")) {
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
