package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.opensts.protocol.shape.QueryParameters;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sts.RequestMetadata;
import org.opensts.sts.StsShapes;

class QueryDispatcherTest {
    /** An unsigned action whose input makes it recurse without bound, as a parser might on deeply nested input. */
    private static final QueryAction OVERFLOWING = StsActions.action("Overflow",
            StsShapes.GET_CALLER_IDENTITY_REQUEST, /* signed= */ false, (caller, metadata, input) -> {
                throw new StackOverflowError();
            });

    @Test
    void dispatch_auditLogCannotRecordTheEvent_isServiceUnavailable_thoughTheActionRan() {
        var runs = new AtomicInteger();
        QueryAction succeeding = StsActions.action("Succeed", StsShapes.GET_CALLER_IDENTITY_REQUEST,
                /* signed= */ false, (caller, metadata, input) -> {
                    runs.incrementAndGet();
                    return ActionResult.empty();
                });
        var dispatcher = new QueryDispatcher(null, Map.of(ApiVersion.STS, List.of(succeeding)), new ServerMetrics());
        var attempts = new ArrayList<String>();
        AuditLog.sendTo(event -> {
            attempts.add(event);
            throw new AuditUnavailableException("No space left on device");
        });
        QueryResponse response;
        try {
            response = dispatcher.dispatch(request("Succeed"));
        } finally {
            AuditLog.sendToLogger();
        }

        assertThat(runs).hasValue(1);
        assertThat(attempts).singleElement().asString().contains("\"eventName\":\"Succeed\"");
        assertThat(response.httpStatus()).isEqualTo(503);
        assertThat(response.body()).contains("<Code>ServiceUnavailable</Code>")
                .contains("The request has failed due to a temporary failure of the server.").contains("req-1");
    }

    @Test
    void dispatch_answersOnlyOnceTheSinkReportsTheEvent_andServiceUnavailableWhenItCannotRecordIt() throws Exception {
        QueryAction succeeding = StsActions.action("Succeed", StsShapes.GET_CALLER_IDENTITY_REQUEST,
                /* signed= */ false, (caller, metadata, input) -> ActionResult.empty());
        var dispatcher = new QueryDispatcher(null, Map.of(ApiVersion.STS, List.of(succeeding)), new ServerMetrics());
        var recorded = new ArrayList<Consumer<AuditUnavailableException>>();
        AuditLog.sendTo(new AuditSink() {
            @Override
            public void append(String event) {
                throw new AssertionError("the node must not wait for its events");
            }

            @Override
            public void append(String event, Consumer<AuditUnavailableException> whenDone) {
                recorded.add(whenDone);
            }
        });
        var answers = new ArrayList<QueryResponse>();
        try {
            dispatcher.dispatch(request("Succeed"), answers::add);
            dispatcher.dispatch(request("Succeed"), answers::add);

            assertThat(recorded).hasSize(2);
            assertThat(answers).as("nothing answered before its event is recorded").isEmpty();
            recorded.get(0).accept(null);
            recorded.get(1).accept(new AuditUnavailableException("No space left on device"));
        } finally {
            AuditLog.sendToLogger();
        }

        assertThat(answers).extracting(QueryResponse::httpStatus).containsExactly(200, 503);
        assertThat(answers.get(1).body()).contains("<Code>ServiceUnavailable</Code>");
    }

    @Test
    void dispatch_actionOverflowsItsStack_isInternalFailureWithTheRequestId() {
        var dispatcher = new QueryDispatcher(null, Map.of(ApiVersion.STS, List.of(OVERFLOWING)), new ServerMetrics());

        QueryResponse response = dispatcher.dispatch(request("Overflow"));

        assertThat(response.httpStatus()).isEqualTo(500);
        assertThat(response.body()).contains("<Code>InternalFailure</Code>").contains("req-1");
    }

    @Test
    void dispatch_namesNoActionItDoesNotKnow_inTheMetrics() {
        var metrics = new ServerMetrics();
        var dispatcher = new QueryDispatcher(null, Map.of(ApiVersion.STS, List.of(OVERFLOWING)), metrics);

        for (int i = 0; i < 50; i++) {
            dispatcher.dispatch(request("Made" + i));
        }
        dispatcher.dispatch(request(""));

        assertThat(metrics.scrape())
                .contains("opensts_requests_seconds_count{action=\"unknown\",api=\"sts\",outcome=\"ClientError\"} 51")
                .contains("opensts_request_errors_total{api=\"sts\",code=\"InvalidAction\"} 50")
                .contains("opensts_request_errors_total{api=\"sts\",code=\"MissingAction\"} 1")
                .doesNotContain("Made");
    }

    private static InboundRequest request(String action) {
        var metadata = new RequestMetadata("req-1", Instant.parse("2026-12-06T04:00:00Z"), "127.0.0.1", false,
                Optional.empty(), "us-east-1");
        return new InboundRequest(QueryParameters.of(Map.of("Action", action, "Version", "2011-06-15")),
                SignableRequest.builder().build(), metadata);
    }
}
