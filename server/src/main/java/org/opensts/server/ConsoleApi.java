package org.opensts.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.opensts.iam.jdbc.StoreException;
import org.opensts.policy.ActionCatalog;
import org.opensts.policy.MalformedPolicyException;
import org.opensts.policy.Policy;
import org.opensts.policy.PolicyType;
import org.opensts.policy.Position;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.ViolationWording;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sts.Authenticator;
import org.opensts.sts.Authorizer;
import org.opensts.sts.CallerIdentity;
import org.opensts.sts.RequestMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's JSON APIs (docs/console-api.md): {@code POST /audit/events} ({@code opensts:ListAuditEvents}),
 * {@code POST /node} ({@code opensts:DescribeNode}) and {@code POST /policy/validation}
 * ({@code opensts:ValidatePolicy}).
 *
 * <p>Each call is authenticated and authorized as {@code POST /authorize} is: Signature Version 4 for the service name
 * {@code opensts}, the caller throttled like any other, and the action allowed on {@code *} by the caller's policies.
 * So the console, signing with the principal's own credentials, shows only what that principal may see. Errors are
 * AWS's JSON shape, {@code {"Error": {"Code", "Message"}}}, with their HTTP status; every call is audited.
 */
final class ConsoleApi {
    static final String AUDIT_EVENTS = "/audit/events";
    static final String NODE = "/node";
    static final String POLICY_VALIDATION = "/policy/validation";
    static final String LIST_AUDIT_EVENTS = ActionCatalog.OPENSTS_LIST_AUDIT_EVENTS;
    static final String DESCRIBE_NODE = ActionCatalog.OPENSTS_DESCRIBE_NODE;
    static final String VALIDATE_POLICY = ActionCatalog.OPENSTS_VALIDATE_POLICY;
    /** A policy document (IAM's largest, a managed policy, is 6,144 characters), escaped, fits many times over. */
    static final int MAX_BODY_BYTES = 128 * 1024;
    static final int DEFAULT_MAX_RESULTS = 50;
    static final int MAX_MAX_RESULTS = 200;
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleApi.class);
    private static final Map<String, PolicyType> POLICY_TYPES = Map.of(
            "IDENTITY_POLICY", PolicyType.IDENTITY,
            "TRUST_POLICY", PolicyType.TRUST,
            "RESOURCE_POLICY", PolicyType.RESOURCE,
            "SESSION_POLICY", PolicyType.SESSION,
            "PERMISSIONS_BOUNDARY", PolicyType.PERMISSIONS_BOUNDARY,
            "SERVICE_CONTROL_POLICY", PolicyType.SERVICE_CONTROL);

    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final RequestThrottle throttle;
    private final AuditEventSource auditEvents;
    private final NodeFacts node;
    private final ConcurrencyLimit auditReads;

    ConsoleApi(Authenticator authenticator, Authorizer authorizer, RequestThrottle throttle,
            AuditEventSource auditEvents, NodeFacts node) {
        this(authenticator, authorizer, throttle, auditEvents, node, ConcurrencyLimit.halfTheProcessors());
    }

    /**
     * @param auditReads how many {@code ListAuditEvents} calls may read the audit files at once: each may decompress
     *     and parse up to the files' scanning budget, so beyond the limit a call is answered {@code Throttling}
     */
    ConsoleApi(Authenticator authenticator, Authorizer authorizer, RequestThrottle throttle,
            AuditEventSource auditEvents, NodeFacts node, ConcurrencyLimit auditReads) {
        this.auditReads = auditReads;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.throttle = throttle;
        this.auditEvents = auditEvents;
        this.node = node;
    }

    static boolean handles(String path) {
        return path.equals(AUDIT_EVENTS) || path.equals(NODE) || path.equals(POLICY_VALIDATION);
    }

    /**
     * Answers a call to {@code path}, one of the APIs, that the node refused before reading it (a body over the node's
     * limit, {@code error}), in the APIs' shape, with its audit event.
     *
     * @throws AuditUnavailableException if the event cannot be recorded
     */
    ConsoleAnswer refuse(String path, ApiException error, RequestMetadata metadata) {
        var refusal = new JsonApiError(error.errorCode().httpStatus(), error.errorCode().code(), error.getMessage());
        audit(operation(path), metadata, Optional.empty(), Map.of(), Optional.of(refusal));
        return ConsoleAnswer.error(refusal.status, refusal.code, refusal.getMessage());
    }

    private Operation operation(String path) {
        return switch (path) {
            case AUDIT_EVENTS -> new Operation("ListAuditEvents", LIST_AUDIT_EVENTS, this::listAuditEvents);
            case NODE -> new Operation("DescribeNode", DESCRIBE_NODE, this::describeNode);
            default -> new Operation("ValidatePolicy", VALIDATE_POLICY, this::validatePolicy);
        };
    }

    /** Answers one call to one of the APIs; never throws. */
    ConsoleAnswer handle(SignableRequest call, RequestMetadata metadata) {
        Operation operation = operation(call.path());
        Optional<CallerIdentity> caller = Optional.empty();
        var parameters = new LinkedHashMap<String, Object>();
        try {
            if (call.bodyLength() > MAX_BODY_BYTES) {
                throw new JsonApiError(413, "RequestEntityTooLarge",
                        "The request body is larger than " + MAX_BODY_BYTES + " bytes.");
            }
            Authenticator.Authenticated authenticated;
            try {
                authenticated = authenticator.authenticate(call, AuthorizationApi.SIGNING_NAME);
            } catch (ApiException e) {
                throw new JsonApiError(e.errorCode().httpStatus(), e.errorCode().code(), e.getMessage());
            }
            caller = Optional.of(authenticated.caller());
            metadata = metadata.withRegion(authenticated.region());
            throttle.admit(authenticated.caller().accountId(), authenticated.caller().arn());
            authorizer.authorize(authenticated.caller(), metadata, operation.action(), "*");
            ObjectNode body = parse(call.body());
            ObjectNode answer = operation.run().answer(authenticated.caller(), body, parameters);
            audit(operation, metadata, caller, parameters, Optional.empty());
            return ConsoleAnswer.json(200, answer.toString());
        } catch (JsonApiError e) {
            audit(operation, metadata, caller, parameters, Optional.of(e));
            return ConsoleAnswer.error(e.status, e.code, e.getMessage());
        } catch (ApiException e) {
            var error = new JsonApiError(e.errorCode().httpStatus(), e.errorCode().code(), e.getMessage());
            audit(operation, metadata, caller, parameters, Optional.of(error));
            return ConsoleAnswer.error(error.status, error.code, error.getMessage());
        } catch (AuditUnavailableException e) {
            throw e; // answered 503 by ConsoleRoutes; recording the failure would fail the same way
        } catch (StoreException.UnavailableException e) {
            ApiException unavailable = StoreUnavailable.answer(e, metadata.requestId());
            var error = new JsonApiError(unavailable.errorCode().httpStatus(), unavailable.errorCode().code(),
                    unavailable.getMessage());
            audit(operation, metadata, caller, parameters, Optional.of(error));
            return ConsoleAnswer.error(error.status, error.code, error.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Console API request {} failed", metadata.requestId(), e);
            var error = new JsonApiError(500, ErrorCode.INTERNAL_FAILURE.code(),
                    QueryDispatcher.INTERNAL_FAILURE_MESSAGE);
            audit(operation, metadata, caller, parameters, Optional.of(error));
            return ConsoleAnswer.error(500, error.code, error.getMessage());
        }
    }

    private record Operation(String name, String action, Handler run) {
    }

    @FunctionalInterface
    private interface Handler {
        /** The answer; {@code parameters} receives what the audit event records of the request. */
        ObjectNode answer(CallerIdentity caller, ObjectNode body, Map<String, Object> parameters);
    }

    // POST /audit/events

    private ObjectNode listAuditEvents(CallerIdentity caller, ObjectNode body, Map<String, Object> parameters) {
        onlyKnown(body, Set.of("StartTime", "EndTime", "Principal", "EventName", "ErrorCode", "MaxResults",
                "NextToken"));
        Optional<Instant> start = time(body, "StartTime");
        Optional<Instant> end = time(body, "EndTime");
        if (start.isPresent() && end.isPresent() && start.get().isAfter(end.get())) {
            throw invalid("StartTime must not be after EndTime.");
        }
        Optional<String> principal = text(body, "Principal", 256);
        Optional<String> eventName = text(body, "EventName", 128);
        Optional<String> errorCode = text(body, "ErrorCode", 128);
        int maxResults = DEFAULT_MAX_RESULTS;
        if (body.has("MaxResults")) {
            JsonNode value = body.get("MaxResults");
            if (!value.isIntegralNumber() || value.asLong() < 1 || value.asLong() > MAX_MAX_RESULTS) {
                throw invalid("MaxResults must be an integer from 1 to " + MAX_MAX_RESULTS + ".");
            }
            maxResults = value.asInt();
        }
        Optional<String> nextToken = text(body, "NextToken", 1024);
        start.ifPresent(t -> parameters.put("startTime", t.toString()));
        end.ifPresent(t -> parameters.put("endTime", t.toString()));
        principal.ifPresent(p -> parameters.put("principal", p));
        eventName.ifPresent(n -> parameters.put("eventName", n));
        errorCode.ifPresent(c -> parameters.put("errorCode", c));
        parameters.put("maxResults", maxResults);

        String account = caller.accountId();
        // Events are timed to the second, as CloudTrail times them, so the window is compared at that resolution: an
        // event in the same second as StartTime or EndTime is in it, whatever fraction the bounds were given with.
        Optional<Instant> from = start.map(t -> t.truncatedTo(ChronoUnit.SECONDS));
        Optional<Instant> to = end.map(t -> t.truncatedTo(ChronoUnit.SECONDS));
        Predicate<ObjectNode> filter = event -> ofAccount(event, account)
                && from.map(t -> eventTime(event).map(at -> !at.isBefore(t)).orElse(false)).orElse(true)
                && to.map(t -> eventTime(event).map(at -> !at.isAfter(t)).orElse(false)).orElse(true)
                && principal.map(p -> event.at("/userIdentity/arn").asText().contains(p)
                        || event.at("/userIdentity/principalId").asText().contains(p)).orElse(true)
                && eventName.map(n -> event.path("eventName").asText().equals(n)).orElse(true)
                && errorCode.map(c -> event.path("errorCode").asText().equals(c)).orElse(true);
        AuditEventSource.Page page;
        try {
            int pageSize = maxResults;
            page = auditReads.run(() -> auditEvents.newestFirst(filter, pageSize, nextToken, start));
        } catch (IllegalArgumentException e) {
            throw invalid("The NextToken is not valid.");
        } catch (UncheckedIOException e) {
            LOG.warn("Reading the audit events failed", e);
            throw new JsonApiError(503, "ServiceUnavailable", "The audit events cannot be read now; retry later.");
        }
        ObjectNode answer = ConsoleJson.MAPPER.createObjectNode();
        ArrayNode events = answer.putArray("Events");
        page.events().forEach(events::add);
        page.nextToken().ifPresent(token -> answer.put("NextToken", token));
        return answer;
    }

    /** Whether the event belongs to {@code account}: its recipient account, or the caller's. */
    private static boolean ofAccount(ObjectNode event, String account) {
        return event.path("recipientAccountId").asText().equals(account)
                || event.at("/userIdentity/accountId").asText().equals(account);
    }

    /**
     * The event's time to the second: events written before eventTime was cut to the second carry a fraction, which
     * the window's comparison leaves out as it does for the bounds.
     */
    private static Optional<Instant> eventTime(ObjectNode event) {
        try {
            return Optional.of(Instant.parse(event.path("eventTime").asText()).truncatedTo(ChronoUnit.SECONDS));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    // POST /node

    private ObjectNode describeNode(CallerIdentity caller, ObjectNode body, Map<String, Object> parameters) {
        onlyKnown(body, Set.of());
        return node.describe();
    }

    // POST /policy/validation

    /**
     * Validates a policy as IAM would store or use it, shaped like IAM Access Analyzer's {@code ValidatePolicy}: the
     * parser's finding (IAM's message) as one {@code ERROR}, with the place in the text where a syntax error was
     * found; none when the policy is valid.
     */
    private ObjectNode validatePolicy(CallerIdentity caller, ObjectNode body, Map<String, Object> parameters) {
        onlyKnown(body, Set.of("policyDocument", "policyType", "locale"));
        String document = text(body, "policyDocument", Integer.MAX_VALUE)
                .orElseThrow(() -> invalid("policyDocument is required."));
        String typeName = text(body, "policyType", 64).orElseThrow(() -> invalid("policyType is required."));
        PolicyType type = Optional.ofNullable(POLICY_TYPES.get(typeName)).orElseThrow(() -> invalid(
                "policyType must be one of IDENTITY_POLICY, TRUST_POLICY, RESOURCE_POLICY, SESSION_POLICY,"
                        + " PERMISSIONS_BOUNDARY or SERVICE_CONTROL_POLICY."));
        parameters.put("policyType", typeName);
        ObjectNode answer = ConsoleJson.MAPPER.createObjectNode();
        ArrayNode findings = answer.putArray("findings");
        try {
            Policy.parse(document, type);
        } catch (MalformedPolicyException e) {
            ObjectNode finding = findings.addObject();
            finding.put("findingType", "ERROR");
            finding.put("issueCode", issueCode(e));
            finding.put("findingDetails", e.getMessage());
            ArrayNode locations = finding.putArray("locations");
            e.position().ifPresent(position -> {
                ObjectNode span = locations.addObject().putObject("span");
                span.set("start", position(document, position, 0));
                span.set("end", position(document, position, 1));
            });
        }
        return answer;
    }

    /**
     * A place as Access Analyzer gives it: line from 1, column from 0, offset from 0 in UTF-16 code units; the end is
     * {@code past} characters further along the line, within it.
     */
    static ObjectNode position(String document, Position position, int past) {
        int offset = 0;
        for (int line = 1; line < position.line() && offset < document.length(); offset++) {
            if (document.charAt(offset) == '\n') {
                line++;
            }
        }
        int lineEnd = document.indexOf('\n', offset);
        int lineLength = (lineEnd < 0 ? document.length() : lineEnd) - offset;
        int column = Math.min(position.column() - 1 + past, Math.max(lineLength, 0));
        ObjectNode node = ConsoleJson.MAPPER.createObjectNode();
        node.put("line", position.line());
        node.put("column", column);
        node.put("offset", offset + column);
        return node;
    }

    /** The finding's code: what kind of problem the parser found. */
    private static String issueCode(MalformedPolicyException e) {
        if (e.position().isPresent()) {
            return "JSON_SYNTAX_ERROR";
        }
        String message = e.getMessage();
        if (message.startsWith("Missing required field Principal")) {
            return "MISSING_PRINCIPAL";
        }
        if (message.startsWith("Policy document should not specify a principal")) {
            return "UNSUPPORTED_ELEMENT";
        }
        if (message.startsWith("Policy statement must contain actions")) {
            return "MISSING_ACTION";
        }
        if (message.startsWith("Policy statement must contain resources")) {
            return "MISSING_RESOURCE";
        }
        if (message.startsWith("Has prohibited field")) {
            return "UNSUPPORTED_ELEMENT";
        }
        if (message.startsWith("Vendor ") || message.startsWith("Actions/Condition")
                || message.startsWith("AssumeRole policy may only")) {
            return "INVALID_ACTION";
        }
        if (message.startsWith("Resource ")) {
            return "INVALID_ARN_RESOURCE";
        }
        if (message.startsWith("Invalid principal")) {
            return "INVALID_PRINCIPAL";
        }
        if (message.startsWith("Statement IDs")) {
            return "INVALID_SID";
        }
        return "POLICY_SYNTAX_ERROR";
    }

    // Parsing

    /**
     * The body as one JSON object (an empty body is {@code {}}).
     *
     * @throws JsonApiError {@code SerializationException} for what is not such JSON
     */
    private static ObjectNode parse(ByteBuffer body) {
        if (!body.hasRemaining()) {
            return ConsoleJson.MAPPER.createObjectNode();
        }
        JsonNode root;
        try {
            byte[] bytes = new byte[body.remaining()];
            body.duplicate().get(bytes);
            root = ConsoleJson.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw JsonApiError.notJson(e);
        } catch (IOException e) {
            throw JsonApiError.notJson();
        }
        if (!(root instanceof ObjectNode object)) {
            throw new JsonApiError(400, "SerializationException", "The body must be a JSON object.");
        }
        return object;
    }

    private static void onlyKnown(ObjectNode body, Set<String> known) {
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw invalid("Unknown member " + ViolationWording.quoted(name) + ".");
            }
        }
    }

    private static Optional<String> text(ObjectNode body, String name, int maxLength) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw invalid(name + " must be a string.");
        }
        if (value.asText().length() > maxLength) {
            throw invalid(name + " must be at most " + maxLength + " characters.");
        }
        return Optional.of(value.asText());
    }

    /** An ISO-8601 date-time with an offset ({@code 2026-12-06T09:00:00Z}). */
    private static Optional<Instant> time(ObjectNode body, String name) {
        Optional<String> text = text(body, name, 64);
        try {
            return text.map(t -> OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeException e) {
            throw invalid(name + " must be an ISO-8601 date and time, such as 2026-12-06T09:00:00Z.");
        }
    }

    private static JsonApiError invalid(String message) {
        return new JsonApiError(400, "ValidationException", message);
    }

    /** One audit event per call: who, the operation, the filters or policy type asked for, and the error. */
    private static void audit(Operation operation, RequestMetadata metadata, Optional<CallerIdentity> caller,
            Map<String, Object> parameters, Optional<JsonApiError> error) {
        AuditLog.writeEvent(AuthorizationApi.SIGNING_NAME, operation.name(), metadata, caller, parameters, Map.of(),
                error.map(e -> e.code), error.map(Throwable::getMessage));
    }
}
