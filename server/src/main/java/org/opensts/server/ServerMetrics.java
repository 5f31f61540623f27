package org.opensts.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The server's metrics, served at {@code /metrics} in the Prometheus text format: calls by API, action and outcome (the
 * error code, or {@code OK}) with their latency, and gauges added by the components that own them.
 */
final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    void recordCall(ApiVersion api, String action, String outcome, long nanos) {
        Timer.builder("opensts.requests")
                .description("Query API calls by API, action and outcome")
                .tag("api", api.signingName())
                .tag("action", action.isEmpty() ? "none" : action)
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
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
