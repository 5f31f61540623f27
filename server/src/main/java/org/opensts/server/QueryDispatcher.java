package org.opensts.server;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.opensts.iam.jdbc.StoreException;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.Arn;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.QueryBinder;
import org.opensts.protocol.shape.Struct;
import org.opensts.protocol.shape.ViolationWording;
import org.opensts.sts.Authenticator;
import org.opensts.sts.CallerIdentity;
import org.opensts.sts.RequestMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes a Query request to its operation by {@code Version} and {@code Action}, authenticates it for that API's
 * signing name, refuses an STS request for a region that is not enabled ({@link Regions}), takes a token from the
 * caller's buckets ({@link RequestThrottle}; after authentication, because the buckets are per account), binds its
 * parameters to the operation's input shape, runs it, and renders the answer. Every {@link ApiException} becomes the
 * AWS error envelope, an identity store that cannot be reached {@code ServiceUnavailable} ({@link StoreUnavailable});
 * anything else is an {@code InternalFailure}, logged once with the request id. A refused or
 * throttled call is audited and counted like any other error ({@code RegionDisabledException}, {@code Throttling}).
 */
final class QueryDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(QueryDispatcher.class);
    /** The version AWS names in its error when a request has no {@code Version}. */
    private static final String NO_VERSION = "NO_VERSION_SPECIFIED";
    static final String INTERNAL_FAILURE_MESSAGE =
            "The request processing has failed because of an unknown error, exception or failure.";
    /** AWS's words for a temporary failure of the server (Common Errors, in the AWS API reference). */
    static final String AUDIT_UNAVAILABLE_MESSAGE =
            "The request has failed due to a temporary failure of the server.";

    private final Authenticator authenticator;
    private final Map<ApiVersion, Map<String, QueryAction>> actions = new EnumMap<>(ApiVersion.class);
    private final ServerMetrics metrics;
    private final Regions regions;
    private final RequestThrottle throttle;

    QueryDispatcher(Authenticator authenticator, Map<ApiVersion, List<QueryAction>> actionsByApi,
            ServerMetrics metrics) {
        this(authenticator, actionsByApi, metrics, Regions.defaults(), RequestThrottle.disabled());
    }

    QueryDispatcher(Authenticator authenticator, Map<ApiVersion, List<QueryAction>> actionsByApi,
            ServerMetrics metrics, Regions regions, RequestThrottle throttle) {
        this.authenticator = authenticator;
        this.metrics = metrics;
        this.regions = regions;
        this.throttle = throttle;
        actionsByApi.forEach((api, list) -> {
            var byName = new HashMap<String, QueryAction>();
            list.forEach(action -> byName.put(action.name(), action));
            actions.put(api, Map.copyOf(byName));
        });
    }

    /**
     * Answers one request, returning once the answer is ready: for callers that can wait (tests, tools). A node
     * answers with {@link #dispatch(InboundRequest, Consumer)}, which does not hold the thread while the event waits
     * to be written.
     */
    QueryResponse dispatch(InboundRequest request) {
        var answer = new CompletableFuture<QueryResponse>();
        dispatch(request, answer::complete);
        return answer.join();
    }

    /**
     * Runs one request and passes its answer to {@code answer} once the call's audit event is recorded: from this
     * thread, or later from the audit log's writer (see {@link AuditSink#append(String, Consumer)}), so
     * {@code answer} must be quick. A call whose event cannot be recorded is answered {@code ServiceUnavailable}
     * whatever it did: no call is answered that the audit log does not hold.
     */
    void dispatch(InboundRequest request, Consumer<QueryResponse> answer) {
        String requestId = request.metadata().requestId();
        Optional<String> version = request.parameters().get("Version");
        ApiVersion api = version.flatMap(ApiVersion::fromVersion).orElse(ApiVersion.STS);
        String actionName = request.parameters().get("Action").orElse("");
        // The audit log's eventName: the Action named, or "unknown" for a request that names none, as for one whose
        // Action cannot be read unambiguously (refuse).
        String eventName = actionName.isEmpty() ? "unknown" : actionName;
        RequestMetadata metadata = request.metadata();
        ResponseFormat format = ResponseFormat.accepting(request.signable().headers("Accept"));
        Optional<CallerIdentity> caller = Optional.empty();
        Optional<QueryAction> action = Optional.empty();
        Optional<Struct> input = Optional.empty();
        long started = System.nanoTime();
        AuditLog.Call call;
        QueryResponse response;
        Optional<ErrorCode> outcome;
        try {
            action = Optional.of(findAction(version, actionName));
            if (action.get().signed()) {
                Authenticator.Authenticated authenticated = authenticator.authenticate(request.signable(),
                        api.signingName());
                caller = Optional.of(authenticated.caller());
                metadata = metadata.withRegion(authenticated.region());
                if (api == ApiVersion.STS) {
                    regions.checkSigned(authenticated.region(), authenticated.caller().accountId());
                }
                throttle.admit(authenticated.caller().accountId(), authenticated.caller().arn());
            } else {
                Optional<String> account = namedAccount(request);
                if (account.isPresent()) {
                    if (api == ApiVersion.STS) {
                        regions.checkUnsigned(account.get());
                    }
                    throttle.admitAccount(account.get());
                }
            }
            input = Optional.of(QueryBinder.bind(action.get().input(), request.parameters(),
                    api.violationWording()));
            ActionResult result = action.get().invoke(caller, metadata, input.get());
            call = new AuditLog.Call(api, eventName, metadata, caller, action.map(QueryAction::input), input,
                    result.auditResponseElements(), Optional.empty());
            response = ResponseRenderer.success(api, actionName, result, requestId, format);
            outcome = Optional.empty();
        } catch (RefusedFederatedCall e) {
            call = new AuditLog.Call(api, eventName, metadata, caller, action.map(QueryAction::input), input,
                    Map.of(), Optional.of(e.refusal()), Optional.of(e.caller()));
            response = ResponseRenderer.error(api, e.refusal(), requestId, format);
            outcome = Optional.of(e.refusal().errorCode());
        } catch (ApiException e) {
            call = new AuditLog.Call(api, eventName, metadata, caller, action.map(QueryAction::input), input,
                    Map.of(), Optional.of(e));
            response = ResponseRenderer.error(api, e, requestId, format);
            outcome = Optional.of(e.errorCode());
        } catch (StoreException.UnavailableException e) {
            var failure = StoreUnavailable.answer(e, requestId);
            call = new AuditLog.Call(api, eventName, metadata, caller, action.map(QueryAction::input), input,
                    Map.of(), Optional.of(failure));
            response = ResponseRenderer.error(api, failure, requestId, format);
            outcome = Optional.of(failure.errorCode());
        } catch (RuntimeException | StackOverflowError e) {
            // A stack overflow is the one Error a request's input can provoke (a parser recursing on nesting no check
            // bounded); it unwinds this thread's stack only, so the node answers as for any other bug instead of
            // leaving the client waiting on a worker thread that died.
            LOG.error("Request {} ({} {}) failed", requestId, api.version(), actionName, e);
            var failure = new ApiException(ErrorCode.INTERNAL_FAILURE, INTERNAL_FAILURE_MESSAGE);
            call = new AuditLog.Call(api, eventName, metadata, caller, action.map(QueryAction::input), input,
                    Map.of(), Optional.of(failure));
            response = ResponseRenderer.error(api, failure, requestId, format);
            outcome = Optional.of(failure.errorCode());
        }
        finish(call, api, metricName(action), outcome, response, started, answer);
    }

    /**
     * Audits and counts a request refused before it could be dispatched (the HTTP-level refusals:
     * {@code MalformedQueryString}, {@code RequestEntityTooLarge}), then answers it with {@code error}, as
     * {@link #dispatch} answers a call: only once the event is recorded, and {@code ServiceUnavailable} if it cannot
     * be. No one is authenticated at that point, so the event has no caller, as an {@code InvalidAction}'s has none.
     *
     * @param actionName the {@code Action} the request named, if it could be read unambiguously, else {@code unknown}
     * @param format the form the request asked its answer in
     */
    void refuse(ApiVersion api, String actionName, RequestMetadata metadata, ApiException error,
            ResponseFormat format, Consumer<QueryResponse> answer) {
        long started = System.nanoTime();
        var call = new AuditLog.Call(api, actionName, metadata, Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of(), Optional.of(error));
        Optional<QueryAction> known = Optional.ofNullable(actions.get(api)).map(byName -> byName.get(actionName));
        finish(call, api, metricName(known), Optional.of(error.errorCode()),
                ResponseRenderer.error(api, error, metadata.requestId(), format), started, answer);
    }

    /**
     * Counts and records a refusal answered already (in the pipeline, before its event could be recorded): its event
     * says what its caller got, whatever becomes of the audit log.
     */
    void recordAnsweredRefusal(ApiVersion api, String actionName, RequestMetadata metadata, ApiException error) {
        long started = System.nanoTime();
        var call = new AuditLog.Call(api, actionName, metadata, Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of(), Optional.of(error));
        Optional<QueryAction> known = Optional.ofNullable(actions.get(api)).map(byName -> byName.get(actionName));
        metrics.recordCall(api, metricName(known), Optional.of(error.errorCode()), System.nanoTime() - started);
        AuditLog.writeAnswered(call);
    }

    /** Writes the call's event, then counts the call and answers it (or, if the event is not recorded, refuses it). */
    private void finish(AuditLog.Call call, ApiVersion api, String metric, Optional<ErrorCode> outcome,
            QueryResponse response, long started, Consumer<QueryResponse> answer) {
        String requestId = call.metadata().requestId();
        AuditLog.write(call, unavailable -> {
            if (unavailable != null) {
                // The call ran but cannot be recorded: not a bug, and a second event would not be recorded either.
                metrics.recordCall(api, metric, Optional.of(ErrorCode.SERVICE_UNAVAILABLE),
                        System.nanoTime() - started);
                answer.accept(ResponseRenderer.error(api, new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                        AUDIT_UNAVAILABLE_MESSAGE), requestId, response.format()));
                return;
            }
            metrics.recordCall(api, metric, outcome, System.nanoTime() - started);
            answer.accept(response);
        });
    }

    /** Only known action names become metric tags, so that no request can grow the registry without bound. */
    private static String metricName(Optional<QueryAction> action) {
        return action.map(QueryAction::name).orElse("unknown");
    }

    /**
     * The account of the role an unsigned request (web identity, SAML) asks for; empty when {@code RoleArn} is not an
     * ARN, which the operation then refuses with its own validation error.
     */
    private static Optional<String> namedAccount(InboundRequest request) {
        return request.parameters().get("RoleArn").flatMap(Arn::tryParse).map(Arn::accountId)
                .filter(account -> account.length() == 12 && account.chars().allMatch(c -> c >= '0' && c <= '9'));
    }

    private QueryAction findAction(Optional<String> version, String actionName) {
        if (actionName.isEmpty()) {
            throw new ApiException(ErrorCode.MISSING_ACTION, "Missing Action");
        }
        return version.flatMap(ApiVersion::fromVersion)
                .map(actions::get)
                .map(byName -> byName.get(actionName))
                .orElseThrow(() -> new ApiException(ErrorCode.INVALID_ACTION, "Could not find operation "
                        + ViolationWording.quoted(actionName) + " for version "
                        + version.map(ViolationWording::quoted).orElse(NO_VERSION)));
    }
}
