package org.opensts.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.Arn;
import org.opensts.protocol.shape.ListShape;
import org.opensts.protocol.shape.Member;
import org.opensts.protocol.shape.ScalarShape;
import org.opensts.protocol.shape.Shape;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.shape.Struct;
import org.opensts.sts.CallerIdentity;
import org.opensts.sts.RequestMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one audit event per call, shaped like a CloudTrail record, as a JSON line to the process's
 * {@link AuditSink}: by default the {@code opensts.audit} logger; {@code opensts serve} installs its audit file with
 * {@link #sendTo}. Request parameters are copied from the bound input without the members the model (or we) mark
 * sensitive — assertions, web identity tokens, MFA codes — and response elements never carry a secret or a session
 * token.
 *
 * <p>The event is serialized on the calling (request) thread, so that the sink's single writer only copies bytes.
 */
public final class AuditLog {
    private static final Logger AUDIT = LoggerFactory.getLogger("opensts.audit");
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AuditSink LOGGER = event -> AUDIT.info(event);
    /** Process-wide, as the logger it stands in for is: one audit log per process. */
    private static volatile AuditSink sink = LOGGER;
    /** The longest string an event records whole: an IAM inline policy's quota (10,240 characters). */
    static final int MAX_STRING = 10_240;
    /** The most elements of one list an event records: twice the longest list a model allows in practice. */
    static final int MAX_ELEMENTS = 100;
    /** The longest error message an event records whole. */
    static final int MAX_MESSAGE = 1_024;

    private AuditLog() {
    }

    /** From now on, every node of this process writes its audit events to {@code newSink}. */
    public static void sendTo(AuditSink newSink) {
        sink = Objects.requireNonNull(newSink, "newSink");
    }

    /** From now on, audit events go to the {@code opensts.audit} logger again (where they go when nothing is set). */
    public static void sendToLogger() {
        sink = LOGGER;
    }

    /** What one call did, for {@link #write}. */
    record Call(ApiVersion api, String action, RequestMetadata metadata, Optional<CallerIdentity> caller,
            Optional<StructureShape> inputShape, Optional<Struct> input, Map<String, Object> responseElements,
            Optional<ApiException> error) {
    }

    /**
     * Writes the event of {@code call}, returning once it is recorded.
     *
     * @throws AuditUnavailableException if the event cannot be recorded
     */
    static void write(Call call) {
        if (sink == LOGGER && !AUDIT.isInfoEnabled()) {
            return;
        }
        sink.append(serialize(event(call), call.metadata().requestId()));
    }

    /**
     * Writes the event of {@code call} and then calls {@code whenDone} exactly once, as
     * {@link AuditSink#append(String, Consumer)} does: with {@code null} once the event is recorded, or with the
     * exception that kept it from being recorded. It may run later, on the audit log's writer.
     */
    static void write(Call call, Consumer<AuditUnavailableException> whenDone) {
        if (sink == LOGGER && !AUDIT.isInfoEnabled()) {
            whenDone.accept(null);
            return;
        }
        String line;
        try {
            line = serialize(event(call), call.metadata().requestId());
        } catch (AuditUnavailableException e) {
            whenDone.accept(e);
            return;
        } catch (RuntimeException e) {
            // A bug in building the event: the call is still answered (ServiceUnavailable, as for any event that
            // cannot be recorded) rather than left waiting.
            LOG.error("The audit event of request {} cannot be built", call.metadata().requestId(), e);
            whenDone.accept(new AuditUnavailableException("The audit event of request "
                    + call.metadata().requestId() + " cannot be built", e));
            return;
        }
        sink.append(line, whenDone);
    }

    private static Map<String, Object> event(Call call) {
        var event = new LinkedHashMap<String, Object>();
        event.put("eventVersion", "1.08");
        event.put("eventTime", call.metadata().receivedAt().toString());
        event.put("eventSource", call.api().eventSource());
        event.put("eventName", call.action());
        event.put("awsRegion", call.metadata().region());
        event.put("sourceIPAddress", call.metadata().sourceIp());
        call.metadata().userAgent().ifPresent(agent -> event.put("userAgent", agent));
        call.caller().ifPresent(caller -> event.put("userIdentity", userIdentity(caller)));
        if (call.inputShape().isPresent() && call.input().isPresent()) {
            var truncated = new boolean[1];
            event.put("requestParameters", parameters(call.inputShape().get(), call.input().get(), truncated));
            if (truncated[0]) {
                event.put("requestParametersTruncated", true);
            }
        }
        if (!call.responseElements().isEmpty()) {
            event.put("responseElements", call.responseElements());
        }
        call.error().ifPresent(error -> {
            event.put("errorCode", error.errorCode().code());
            event.put("errorMessage", bounded(error.getMessage()));
        });
        event.put("requestID", call.metadata().requestId());
        event.put("eventID", RequestIds.next());
        event.put("eventType", "AwsApiCall");
        recipientAccount(call).ifPresent(account -> event.put("recipientAccountId", account));
        return event;
    }

    /**
     * The account the event belongs to: the caller's; for a call no one signed (AssumeRoleWithWebIdentity,
     * AssumeRoleWithSAML), the role's account, as AWS records those in the role owner's trail.
     */
    private static Optional<String> recipientAccount(Call call) {
        if (call.caller().isPresent()) {
            return Optional.of(call.caller().get().accountId());
        }
        if (call.input().isEmpty() || call.inputShape().isEmpty()
                || call.inputShape().get().member("RoleArn").isEmpty()
                || !(call.input().get().get("RoleArn") instanceof String roleArn)) {
            return Optional.empty();
        }
        return Arn.tryParse(roleArn).map(Arn::accountId).filter(account -> !account.isEmpty());
    }

    /**
     * Writes the event of a call outside the Query APIs (the authorization API), in the same shape: its source and
     * name, the caller, the parameters and response elements given (which must hold no secret), and the error.
     *
     * @throws AuditUnavailableException if the event cannot be recorded
     */
    static void writeEvent(String eventSource, String eventName, RequestMetadata metadata,
            Optional<CallerIdentity> caller, Map<String, Object> parameters, Map<String, Object> responseElements,
            Optional<String> errorCode, Optional<String> errorMessage) {
        if (sink == LOGGER && !AUDIT.isInfoEnabled()) {
            return;
        }
        var event = new LinkedHashMap<String, Object>();
        event.put("eventVersion", "1.08");
        event.put("eventTime", metadata.receivedAt().toString());
        event.put("eventSource", eventSource);
        event.put("eventName", eventName);
        event.put("awsRegion", metadata.region());
        event.put("sourceIPAddress", metadata.sourceIp());
        metadata.userAgent().ifPresent(agent -> event.put("userAgent", agent));
        caller.ifPresent(c -> event.put("userIdentity", userIdentity(c)));
        if (!parameters.isEmpty()) {
            event.put("requestParameters", parameters);
        }
        if (!responseElements.isEmpty()) {
            event.put("responseElements", responseElements);
        }
        errorCode.ifPresent(code -> event.put("errorCode", code));
        errorMessage.ifPresent(message -> event.put("errorMessage", bounded(message)));
        event.put("requestID", metadata.requestId());
        event.put("eventID", RequestIds.next());
        event.put("eventType", "AwsApiCall");
        caller.ifPresent(c -> event.put("recipientAccountId", c.accountId()));
        sink.append(serialize(event, metadata.requestId()));
    }

    /** @throws AuditUnavailableException if the event cannot be serialized */
    private static String serialize(Map<String, Object> event, String requestId) {
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            // Only maps, lists, strings, numbers and booleans go in: this is a bug, not an input.
            throw new AuditUnavailableException("The audit event of request " + requestId + " cannot be serialized",
                    e);
        }
    }

    private static Map<String, Object> userIdentity(CallerIdentity caller) {
        var identity = new LinkedHashMap<String, Object>();
        identity.put("type", caller.session().map(session -> switch (session.type()) {
            case ASSUMED_ROLE -> "AssumedRole";
            case FEDERATED_USER -> "FederatedUser";
            case SESSION_USER -> "IAMUser";
        }).orElse("IAMUser"));
        identity.put("principalId", caller.userId());
        identity.put("arn", caller.arn());
        identity.put("accountId", caller.accountId());
        identity.put("accessKeyId", caller.accessKeyId());
        return identity;
    }

    /**
     * The input in CloudTrail's lower-camel member names, sensitive members left out, each string cut to
     * {@value #MAX_STRING} characters and each list to {@value #MAX_ELEMENTS} elements (and {@code truncated[0]} set
     * when anything was cut): an event must not cost more than a bounded multiple of what a legitimate call costs,
     * whatever a caller sends.
     */
    static Map<String, Object> parameters(StructureShape shape, Struct input, boolean[] truncated) {
        var parameters = new LinkedHashMap<String, Object>();
        for (Member member : shape.members()) {
            Object value = input.get(member.name());
            if (value != null && !isSensitive(member.shape())) {
                parameters.put(member.messageName(), auditValue(member.shape(), value, truncated));
            }
        }
        return parameters;
    }

    private static Object auditValue(Shape shape, Object value, boolean[] truncated) {
        if (shape instanceof StructureShape structure) {
            return parameters(structure, (Struct) value, truncated);
        }
        if (shape instanceof ListShape list) {
            var elements = new ArrayList<Object>();
            for (Object element : (List<?>) value) {
                if (elements.size() == MAX_ELEMENTS) {
                    truncated[0] = true;
                    break;
                }
                elements.add(auditValue(list.member(), element, truncated));
            }
            return elements;
        }
        if (value instanceof Instant || value instanceof byte[]) {
            return value instanceof Instant ? value.toString() : "(binary)";
        }
        if (value instanceof String text && text.length() > MAX_STRING) {
            truncated[0] = true;
            return cut(text, MAX_STRING);
        }
        return value;
    }

    private static String bounded(String message) {
        return message == null || message.length() <= MAX_MESSAGE ? message : cut(message, MAX_MESSAGE);
    }

    /** The first {@code max} characters (never half a surrogate pair) and {@code ...}. */
    private static String cut(String text, int max) {
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + "...";
    }

    private static boolean isSensitive(Shape shape) {
        return shape instanceof ScalarShape scalar && scalar.sensitive();
    }
}
