package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opensts.protocol.ErrorCode;

/** What {@code /metrics} shows of the calls, and that nothing a caller sends makes it grow without bound. */
class ServerMetricsTest {
    private final ServerMetrics metrics = new ServerMetrics();

    private List<String> series(String prefix) {
        return metrics.scrape().lines().filter(line -> line.startsWith(prefix)).toList();
    }

    @Test
    void scrape_countsEachActionByOutcome() {
        metrics.recordCall(ApiVersion.STS, "GetCallerIdentity", Optional.empty(), 1_000_000);
        metrics.recordCall(ApiVersion.STS, "GetCallerIdentity", Optional.empty(), 3_000_000);
        metrics.recordCall(ApiVersion.STS, "AssumeRole", Optional.of(ErrorCode.THROTTLING), 1_000_000);

        assertThat(metrics.scrape())
                .contains("opensts_requests_seconds_count{action=\"GetCallerIdentity\",api=\"sts\",outcome=\"OK\"} 2")
                .contains("opensts_requests_seconds_sum{action=\"GetCallerIdentity\",api=\"sts\",outcome=\"OK\"} 0.004")
                .contains("opensts_requests_seconds_max{action=\"GetCallerIdentity\",api=\"sts\",outcome=\"OK\"} 0.003")
                .contains("opensts_requests_seconds_count{action=\"AssumeRole\",api=\"sts\",outcome=\"Throttling\"} 1");
    }

    @Test
    void scrape_errorsAreClientOrServerErrorsByAction_andCountedByCodePerApi() {
        metrics.recordCall(ApiVersion.IAM, "GetUser", Optional.of(ErrorCode.ACCESS_DENIED), 1_000);
        metrics.recordCall(ApiVersion.IAM, "GetUser", Optional.of(ErrorCode.NO_SUCH_ENTITY), 1_000);
        metrics.recordCall(ApiVersion.IAM, "ListRoles", Optional.of(ErrorCode.ACCESS_DENIED), 1_000);
        metrics.recordCall(ApiVersion.IAM, "GetUser", Optional.of(ErrorCode.SERVICE_UNAVAILABLE), 1_000);

        assertThat(metrics.scrape())
                .contains("opensts_requests_seconds_count{action=\"GetUser\",api=\"iam\",outcome=\"ClientError\"} 2")
                .contains("opensts_requests_seconds_count{action=\"GetUser\",api=\"iam\",outcome=\"ServerError\"} 1")
                .contains("opensts_request_errors_total{api=\"iam\",code=\"AccessDenied\"} 2")
                .contains("opensts_request_errors_total{api=\"iam\",code=\"NoSuchEntity\"} 1")
                .contains("opensts_request_errors_total{api=\"iam\",code=\"ServiceUnavailable\"} 1")
                .doesNotContain("outcome=\"AccessDenied\"");
    }

    @Test
    void scrape_latencyIsInAFewFixedBucketsPerApi_notAPercentileHistogramPerAction() {
        metrics.recordCall(ApiVersion.STS, "AssumeRole", Optional.empty(), 7_000_000);
        metrics.recordCall(ApiVersion.STS, "GetCallerIdentity", Optional.of(ErrorCode.ACCESS_DENIED), 7_000_000);

        assertThat(series("opensts_requests_seconds_bucket")).isEmpty();
        assertThat(series("opensts_api_requests_seconds_bucket{api=\"sts\"")).hasSize(12)
                .contains("opensts_api_requests_seconds_bucket{api=\"sts\",le=\"0.005\"} 0",
                        "opensts_api_requests_seconds_bucket{api=\"sts\",le=\"0.01\"} 2",
                        "opensts_api_requests_seconds_bucket{api=\"sts\",le=\"+Inf\"} 2");
    }

    /**
     * The abuse this guards against: unauthenticated calls of every action, each refused with a different code, made
     * a new histogram of 69 buckets per (action, code), and the page 5 MB. Now an action has at most four series
     * whatever the codes, and the codes are counted once per API.
     */
    @Test
    void scrape_everyErrorOfEveryAction_staysBoundedBySeriesPerAction() {
        int actions = 200; // more than STS and IAM have together
        for (int i = 0; i < actions; i++) {
            metrics.recordCall(ApiVersion.IAM, "Action" + i, Optional.empty(), 1_000);
            for (ErrorCode code : ErrorCode.values()) {
                metrics.recordCall(ApiVersion.IAM, "Action" + i, Optional.of(code), 1_000);
            }
        }

        assertThat(series("opensts_requests_seconds_count{action=\"Action7\"")).hasSize(4);
        assertThat(series("opensts_requests_seconds_count")).hasSize(actions * 4);
        assertThat(series("opensts_request_errors_total")).hasSize(ErrorCode.values().length);
        assertThat(metrics.scrape().length()).isLessThan(300_000);
    }

    @Test
    void requestCounts_errorsAreEveryOutcomeButOk() {
        metrics.recordCall(ApiVersion.STS, "AssumeRole", Optional.empty(), 1_000);
        metrics.recordCall(ApiVersion.STS, "AssumeRole", Optional.of(ErrorCode.THROTTLING), 1_000);
        metrics.recordCall(ApiVersion.STS, "AssumeRole", Optional.of(ErrorCode.INTERNAL_FAILURE), 1_000);
        metrics.recordCall(ApiVersion.IAM, "unknown", Optional.of(ErrorCode.INVALID_ACTION), 1_000);

        ServerMetrics.RequestCounts counts = metrics.requestCounts();

        assertThat(counts.total()).isEqualTo(4);
        assertThat(counts.errors()).isEqualTo(3);
        assertThat(counts.byAction()).containsEntry("AssumeRole", 3L).containsEntry("unknown", 1L);
    }
}
