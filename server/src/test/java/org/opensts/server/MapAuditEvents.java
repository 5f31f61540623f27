package org.opensts.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opensts.protocol.Arn;
import org.opensts.protocol.shape.ListShape;
import org.opensts.protocol.shape.Member;
import org.opensts.protocol.shape.ScalarShape;
import org.opensts.protocol.shape.Shape;
import org.opensts.protocol.shape.Struct;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.sts.CallerIdentity;
import org.opensts.sts.RequestMetadata;
import org.opensts.sts.VerifiedFederatedCaller;
import org.opensts.token.Session;
import org.opensts.token.SessionType;

/**
 * The audit events as {@link AuditLog} wrote them before it wrote them streaming: the event built as nested maps, then
 * serialized by a databind {@link ObjectMapper}. Kept as the oracle the streaming events must match byte for byte.
 * The event id is random, so it is given.
 */
final class MapAuditEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MapAuditEvents() {
    }

    static String event(AuditLog.Call call, String eventId) throws JsonProcessingException {
        var event = new LinkedHashMap<String, Object>();
        event.put("eventVersion", "1.08");
        event.put("eventTime", call.metadata().receivedAt().truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("eventSource", call.api().eventSource());
        event.put("eventName", bounded(call.action(), AuditLog.MAX_NAME));
        event.put("awsRegion", bounded(call.api() == ApiVersion.IAM ? "us-east-1" : call.metadata().region(),
                AuditLog.MAX_NAME));
        event.put("sourceIPAddress", call.metadata().sourceIp());
        call.metadata().userAgent().ifPresent(agent -> event.put("userAgent", bounded(agent, AuditLog.MAX_STRING)));
        call.caller().ifPresent(caller -> event.put("userIdentity", userIdentity(caller)));
        if (call.caller().isEmpty() && call.error().isEmpty()) {
            federatedIdentity(call.action(), call.responseElements())
                    .ifPresent(identity -> event.put("userIdentity", identity));
        } else if (call.caller().isEmpty() && call.federatedCaller().isPresent()) {
            // A refused call's verified federated user, written as the answered call's response elements would be.
            VerifiedFederatedCaller verified = call.federatedCaller().get();
            var elements = new LinkedHashMap<String, Object>();
            String action;
            if (verified instanceof VerifiedFederatedCaller.WebIdentity web) {
                action = "AssumeRoleWithWebIdentity";
                elements.put("provider", web.providerArn());
                elements.put("audience", web.audience());
                elements.put("subjectFromWebIdentityToken", web.subject());
            } else {
                action = "AssumeRoleWithSAML";
                elements.put("nameQualifier", ((VerifiedFederatedCaller.Saml) verified).nameQualifier());
                elements.put("subject", verified.subject());
            }
            federatedIdentity(action, elements).ifPresent(identity -> event.put("userIdentity", identity));
        }
        if (call.inputShape().isPresent() && call.input().isPresent()) {
            var truncated = new boolean[1];
            event.put("requestParameters", parameters(call.inputShape().get(), call.input().get(), truncated));
            if (truncated[0]) {
                event.put("requestParametersTruncated", true);
            }
        }
        if (!call.responseElements().isEmpty()) {
            event.put("responseElements", plainValue(call.responseElements(), new boolean[1]));
        }
        call.error().ifPresent(error -> {
            event.put("errorCode", error.errorCode().code());
            event.put("errorMessage", bounded(error.getMessage()));
        });
        event.put("requestID", call.metadata().requestId());
        event.put("eventID", eventId);
        event.put("eventType", "AwsApiCall");
        recipientAccount(call).ifPresent(account -> event.put("recipientAccountId", account));
        return JSON.writeValueAsString(event);
    }

    static String event(String eventSource, String eventName, RequestMetadata metadata,
            Optional<CallerIdentity> caller, Map<String, Object> parameters, Map<String, Object> responseElements,
            Optional<String> errorCode, Optional<String> errorMessage, String eventId) throws JsonProcessingException {
        var event = new LinkedHashMap<String, Object>();
        event.put("eventVersion", "1.08");
        event.put("eventTime", metadata.receivedAt().truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("eventSource", eventSource);
        event.put("eventName", bounded(eventName, AuditLog.MAX_NAME));
        event.put("awsRegion", bounded(metadata.region(), AuditLog.MAX_NAME));
        event.put("sourceIPAddress", metadata.sourceIp());
        metadata.userAgent().ifPresent(agent -> event.put("userAgent", bounded(agent, AuditLog.MAX_STRING)));
        caller.ifPresent(c -> event.put("userIdentity", userIdentity(c)));
        if (!parameters.isEmpty()) {
            var truncated = new boolean[1];
            event.put("requestParameters", plainValue(parameters, truncated));
            if (truncated[0]) {
                event.put("requestParametersTruncated", true);
            }
        }
        if (!responseElements.isEmpty()) {
            event.put("responseElements", plainValue(responseElements, new boolean[1]));
        }
        errorCode.ifPresent(code -> event.put("errorCode", code));
        errorMessage.ifPresent(message -> event.put("errorMessage", bounded(message)));
        event.put("requestID", metadata.requestId());
        event.put("eventID", eventId);
        event.put("eventType", "AwsApiCall");
        caller.ifPresent(c -> event.put("recipientAccountId", c.accountId()));
        return JSON.writeValueAsString(event);
    }

    private static Optional<String> recipientAccount(AuditLog.Call call) {
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

    private static Map<String, Object> userIdentity(CallerIdentity caller) {
        var identity = new LinkedHashMap<String, Object>();
        boolean root = caller.arn().endsWith(":root");
        Optional<Session> session = caller.session();
        identity.put("type", session.map(s -> switch (s.type()) {
            case ASSUMED_ROLE -> "AssumedRole";
            case FEDERATED_USER -> "FederatedUser";
            case SESSION_USER -> root ? "Root" : "IAMUser";
        }).orElse(root ? "Root" : "IAMUser"));
        identity.put("principalId", caller.userId());
        identity.put("arn", caller.arn());
        identity.put("accountId", caller.accountId());
        identity.put("accessKeyId", caller.accessKeyId());
        if (session.isEmpty() && caller.user().isPresent()) {
            identity.put("userName", caller.user().get().userName());
        } else if (session.isEmpty() || session.get().type() == SessionType.SESSION_USER) {
            userName(caller.arn()).ifPresent(name -> identity.put("userName", name));
        }
        session.ifPresent(s -> identity.put("sessionContext", sessionContext(s)));
        return identity;
    }

    private static Map<String, Object> sessionContext(Session session) {
        var context = new LinkedHashMap<String, Object>();
        if (session.type() != SessionType.SESSION_USER) {
            var issuer = new LinkedHashMap<String, Object>();
            issuer.put("type", session.type() == SessionType.ASSUMED_ROLE ? "Role"
                    : session.sourceArn().endsWith(":root") ? "Root" : "IAMUser");
            session.sourceUniqueId().ifPresent(id -> issuer.put("principalId", id));
            issuer.put("arn", session.sourceArn());
            issuer.put("accountId", session.accountId());
            userName(session.sourceArn()).ifPresent(name -> issuer.put("userName", name));
            context.put("sessionIssuer", issuer);
        }
        session.federatedProvider().filter(provider -> provider.contains(":oidc-provider/"))
                .ifPresent(provider -> {
                    var federation = new LinkedHashMap<String, Object>();
                    federation.put("federatedProvider", provider);
                    federation.put("attributes", Map.of());
                    context.put("webIdFederationData", federation);
                });
        var attributes = new LinkedHashMap<String, Object>();
        attributes.put("creationDate", session.issuedAt().truncatedTo(ChronoUnit.SECONDS).toString());
        attributes.put("mfaAuthenticated", String.valueOf(session.mfaAuthenticatedAt().isPresent()));
        context.put("attributes", attributes);
        session.sourceIdentity().ifPresent(id -> context.put("sourceIdentity", id));
        return context;
    }

    private static Optional<String> userName(String arn) {
        int slash = arn.lastIndexOf('/');
        return arn.endsWith(":root") || slash < 0 || slash == arn.length() - 1 ? Optional.empty()
                : Optional.of(arn.substring(slash + 1));
    }

    private static Optional<Map<String, Object>> federatedIdentity(String action, Map<String, Object> elements) {
        var identity = new LinkedHashMap<String, Object>();
        if (action.equals("AssumeRoleWithWebIdentity") && elements.get("provider") instanceof String provider
                && elements.get("audience") instanceof String audience
                && elements.get("subjectFromWebIdentityToken") instanceof String subject) {
            identity.put("type", "WebIdentityUser");
            identity.put("principalId", bounded(provider + ":" + audience + ":" + subject, AuditLog.MAX_STRING));
            identity.put("userName", bounded(subject, AuditLog.MAX_STRING));
            identity.put("identityProvider", bounded(provider, AuditLog.MAX_STRING));
            return Optional.of(identity);
        }
        if (action.equals("AssumeRoleWithSAML") && elements.get("nameQualifier") instanceof String qualifier
                && elements.get("subject") instanceof String subject) {
            identity.put("type", "SAMLUser");
            identity.put("principalId", bounded(qualifier + ":" + subject, AuditLog.MAX_STRING));
            identity.put("userName", bounded(subject, AuditLog.MAX_STRING));
            identity.put("identityProvider", bounded(qualifier, AuditLog.MAX_STRING));
            return Optional.of(identity);
        }
        return Optional.empty();
    }

    private static Map<String, Object> parameters(StructureShape shape, Struct input, boolean[] truncated) {
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
                if (elements.size() == AuditLog.MAX_ELEMENTS) {
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
        return plainValue(value, truncated);
    }

    /** A plain value (string, map, collection, scalar) bounded as the audit log bounds it. */
    private static Object plainValue(Object value, boolean[] truncated) {
        if (value instanceof String text) {
            truncated[0] |= text.length() > AuditLog.MAX_STRING;
            return bounded(text, AuditLog.MAX_STRING);
        }
        if (value instanceof Map<?, ?> map) {
            var bounded = new LinkedHashMap<String, Object>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (bounded.size() == AuditLog.MAX_ELEMENTS) {
                    truncated[0] = true;
                    break;
                }
                String name = entry.getKey() instanceof Enum<?> constant ? constant.name()
                        : String.valueOf(entry.getKey());
                if (name.length() > AuditLog.MAX_STRING) {
                    truncated[0] = true;
                    continue;
                }
                bounded.put(name, plainValue(entry.getValue(), truncated));
            }
            return bounded;
        }
        if (value instanceof Collection<?> elements) {
            var bounded = new ArrayList<Object>();
            for (Object element : elements) {
                if (bounded.size() == AuditLog.MAX_ELEMENTS) {
                    truncated[0] = true;
                    break;
                }
                bounded.add(plainValue(element, truncated));
            }
            return bounded;
        }
        return value;
    }

    private static String bounded(String text, int max) {
        return text.length() <= max ? text : cut(text, max);
    }

    private static String bounded(String message) {
        return message == null || message.length() <= AuditLog.MAX_MESSAGE ? message
                : cut(message, AuditLog.MAX_MESSAGE);
    }

    private static String cut(String text, int max) {
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + "...";
    }

    private static boolean isSensitive(Shape shape) {
        return shape instanceof ScalarShape scalar && scalar.sensitive();
    }
}
