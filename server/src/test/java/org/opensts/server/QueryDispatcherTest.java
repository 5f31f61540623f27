package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    void dispatch_actionOverflowsItsStack_isInternalFailureWithTheRequestId() {
        var dispatcher = new QueryDispatcher(null, Map.of(ApiVersion.STS, List.of(OVERFLOWING)), new ServerMetrics());
        var metadata = new RequestMetadata("req-1", Instant.parse("2026-12-06T04:00:00Z"), "127.0.0.1", false,
                Optional.empty(), "us-east-1");
        var request = new InboundRequest(
                QueryParameters.of(Map.of("Action", "Overflow", "Version", "2011-06-15")),
                SignableRequest.builder().build(), metadata);

        QueryResponse response = dispatcher.dispatch(request);

        assertThat(response.httpStatus()).isEqualTo(500);
        assertThat(response.xml()).contains("<Code>InternalFailure</Code>").contains("req-1");
    }
}
