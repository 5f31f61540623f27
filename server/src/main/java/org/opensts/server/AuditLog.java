package org.opensts.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerationException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.BufferRecycler;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.opensts.gateway.S3AuditEvent;
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
import org.opensts.sts.VerifiedFederatedCaller;
import org.opensts.token.Session;
import org.opensts.token.SessionType;
import org.opensts.verifier.VerifiedCaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one audit event per call, shaped like a CloudTrail record, as a JSON line to the process's
 * {@link AuditSink}: by default the {@code opensts.audit} logger; {@code opensts serve} installs its audit file with
 * {@link #sendTo}. Request parameters are copied from the bound input without the members the model (or we) mark
 * sensitive — assertions, web identity tokens, MFA codes — and response elements never carry a secret or a session
 * token.
 *
 * <p>The event is serialized on the calling (request) thread, so that the thread writing the sink's batch only copies
 * bytes. It is written straight from the call with a streaming generator, in a fixed member order, rather than built
 * as maps and handed to a databind mapper: every call writes one, and the maps and the mapper's per-value serializer
 * lookups cost as much as the rest of the event.
 */
public final class AuditLog {
    private static final Logger AUDIT = LoggerFactory.getLogger("opensts.audit");
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    /** Shared, as its buffers are recycled per thread. */
    private static final JsonFactory JSON = new JsonFactory();
    private static final AuditSink LOGGER = event -> AUDIT.info(event);
    /** Process-wide, as the logger it stands in for is: one audit log per process. */
    private static volatile AuditSink sink = LOGGER;
    /** The longest string an event records whole: an IAM inline policy's quota (10,240 characters). */
    static final int MAX_STRING = 10_240;
    /** The most elements of one list an event records: twice the longest list a model allows in practice. */
    static final int MAX_ELEMENTS = 100;
    /** The longest error message an event records whole. */
    static final int MAX_MESSAGE = 1_024;
    /**
     * The longest event name (the action a request asked for, known or not) and region an event records whole: six
     * times the longest action name of the APIs (41 characters), so that only an abusive one is cut.
     */
    static final int MAX_NAME = 256;
    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the instants whose year has four digits. */
    private static final long FIRST_FOUR_DIGIT_SECOND = -62_167_219_200L;
    private static final long LAST_FOUR_DIGIT_SECOND = 253_402_300_799L;

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

    /** Whether the process's sink is recording events: {@link AuditSink#isWritable()}. */
    static boolean isWritable() {
        return sink.isWritable();
    }

    /**
     * What one call did, for {@link #write}.
     *
     * @param federatedCaller for an AssumeRoleWithWebIdentity or AssumeRoleWithSAML refused after its token or
     *     assertion checked out, who it names; empty for every other call (an answered one's is in its response
     *     elements)
     */
    record Call(ApiVersion api, String action, RequestMetadata metadata, Optional<CallerIdentity> caller,
            Optional<StructureShape> inputShape, Optional<Struct> input, Map<String, Object> responseElements,
            Optional<ApiException> error, Optional<VerifiedFederatedCaller> federatedCaller) {
        Call(ApiVersion api, String action, RequestMetadata metadata, Optional<CallerIdentity> caller,
                Optional<StructureShape> inputShape, Optional<Struct> input, Map<String, Object> responseElements,
                Optional<ApiException> error) {
            this(api, action, metadata, caller, inputShape, input, responseElements, error, Optional.empty());
        }
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
        sink.append(serialize(call));
    }

    /**
     * Writes the event of {@code call} and then calls {@code whenDone} exactly once, as
     * {@link AuditSink#append(String, Consumer)} does: with {@code null} once the event is recorded, or with the
     * exception that kept it from being recorded. It may run later, on the thread that writes the event's batch.
     */
    static void write(Call call, Consumer<AuditUnavailableException> whenDone) {
        write(call, whenDone, /* answered= */ false);
    }

    /** Writes the event of {@code call}, a call answered already ({@link AuditSink#appendAnswered}). */
    static void writeAnswered(Call call) {
        write(call, unavailable -> { }, /* answered= */ true);
    }

    private static void write(Call call, Consumer<AuditUnavailableException> whenDone, boolean answered) {
        if (sink == LOGGER && !AUDIT.isInfoEnabled()) {
            whenDone.accept(null);
            return;
        }
        String line;
        try {
            line = serialize(call);
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
        if (answered) {
            sink.appendAnswered(line, whenDone);
        } else {
            sink.append(line, whenDone);
        }
    }

    /** @throws AuditUnavailableException if the event cannot be serialized */
    private static String serialize(Call call) {
        return serialize(call.metadata().requestId(), json -> writeCall(json, call));
    }

    private static void writeCall(JsonGenerator json, Call call) throws IOException {
        RequestMetadata metadata = call.metadata();
        // IAM is global, its one endpoint in US East (N. Virginia): CloudTrail logs its calls there, as the node
        // evaluates them (aws:RequestedRegion), whatever region the client signed for.
        String region = call.api() == ApiVersion.IAM ? IamAction.IAM_REGION : metadata.region();
        writeHead(json, call.api().eventSource(), call.action(), metadata, region, call.caller());
        if (call.caller().isEmpty()) {
            if (call.error().isEmpty()) {
                writeFederatedIdentity(json, call.action(), call.responseElements());
            } else if (call.federatedCaller().isPresent()) {
                writeFederatedIdentity(json, call.federatedCaller().get());
            }
        }
        if (call.inputShape().isPresent() && call.input().isPresent()) {
            json.writeFieldName("requestParameters");
            if (writeParameters(json, call.inputShape().get(), call.input().get())) {
                json.writeBooleanField("requestParametersTruncated", true);
            }
        }
        if (!call.responseElements().isEmpty()) {
            json.writeFieldName("responseElements");
            writeValue(json, call.responseElements());
        }
        if (call.error().isPresent()) {
            ApiException error = call.error().get();
            json.writeStringField("errorCode", error.errorCode().code());
            json.writeStringField("errorMessage", bounded(error.getMessage()));
        }
        writeTail(json, metadata, recipientAccount(call));
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
        sink.append(serialize(metadata.requestId(), json -> {
            writeHead(json, eventSource, eventName, metadata, metadata.region(), caller);
            if (!parameters.isEmpty()) {
                json.writeFieldName("requestParameters");
                if (writeValue(json, parameters)) {
                    json.writeBooleanField("requestParametersTruncated", true);
                }
            }
            if (!responseElements.isEmpty()) {
                json.writeFieldName("responseElements");
                writeValue(json, responseElements);
            }
            if (errorCode.isPresent()) {
                json.writeStringField("errorCode", errorCode.get());
            }
            if (errorMessage.isPresent()) {
                json.writeStringField("errorMessage", bounded(errorMessage.get()));
            }
            writeTail(json, metadata, caller.map(CallerIdentity::accountId));
        }));
    }

    /**
     * Writes the event of an S3 gateway call, in the same shape, with event source {@code s3.amazonaws.com}, and then
     * calls {@code whenDone} exactly once, as {@link #write(Call, Consumer)} does. Its parameters (bucket, key, a
     * PutBucketPolicy's document) are bounded as every event's are.
     */
    static void writeGatewayEvent(S3AuditEvent event, Consumer<AuditUnavailableException> whenDone) {
        if (sink == LOGGER && !AUDIT.isInfoEnabled()) {
            whenDone.accept(null);
            return;
        }
        var metadata = new RequestMetadata(event.requestId(), event.receivedAt(), event.sourceIp(),
                /* secureTransport= */ false, event.userAgent(), event.region());
        String line;
        try {
            line = serialize(event.requestId(), json -> {
                writeHead(json, S3AuditEvent.EVENT_SOURCE, event.eventName(), metadata, metadata.region(),
                        Optional.empty());
                json.writeFieldName("userIdentity");
                writeUserIdentity(json, event.caller());
                if (!event.requestParameters().isEmpty()) {
                    json.writeFieldName("requestParameters");
                    if (writeValue(json, event.requestParameters())) {
                        json.writeBooleanField("requestParametersTruncated", true);
                    }
                }
                if (event.errorCode().isPresent()) {
                    json.writeStringField("errorCode", bounded(event.errorCode().get(), MAX_NAME));
                }
                if (event.errorMessage().isPresent()) {
                    json.writeStringField("errorMessage", bounded(event.errorMessage().get()));
                }
                writeTail(json, metadata, Optional.of(event.caller().accountId()));
            });
        } catch (AuditUnavailableException e) {
            whenDone.accept(e);
            return;
        } catch (RuntimeException e) {
            LOG.error("The audit event of request {} cannot be built", event.requestId(), e);
            whenDone.accept(new AuditUnavailableException("The audit event of request " + event.requestId()
                    + " cannot be built", e));
            return;
        }
        sink.append(line, whenDone);
    }

    /** What writes one event's members, between its braces. */
    @FunctionalInterface
    private interface EventBody {
        void writeTo(JsonGenerator json) throws IOException;
    }

    /**
     * The event as one line of JSON, written straight from the call: no map of the event is built, and no serializer
     * is looked up per value, as an event is written for every call. The text is gathered in the factory's recycled
     * buffers, as {@code ObjectMapper.writeValueAsString} gathers it, so that only the line itself is allocated.
     *
     * @throws AuditUnavailableException if the event cannot be serialized
     */
    private static String serialize(String requestId, EventBody body) {
        BufferRecycler buffers = JSON._getBufferRecycler();
        try (var text = new SegmentedStringWriter(buffers)) {
            try (JsonGenerator json = JSON.createGenerator(text)) {
                json.writeStartObject();
                body.writeTo(json);
                json.writeEndObject();
            }
            return text.getAndClear();
        } catch (IOException e) {
            // Only maps, lists, strings, numbers and booleans go in: this is a bug, not an input.
            throw new AuditUnavailableException("The audit event of request " + requestId + " cannot be serialized",
                    e);
        } finally {
            buffers.releaseToPool();
        }
    }

    /** The members every event opens with, up to its caller's identity. */
    private static void writeHead(JsonGenerator json, String eventSource, String eventName, RequestMetadata metadata,
            String region, Optional<CallerIdentity> caller) throws IOException {
        json.writeStringField("eventVersion", "1.08");
        // CloudTrail writes eventTime to the whole second, in UTC ("CloudTrail record contents" in the CloudTrail User
        // Guide): the fraction the clock gives is cut, not rounded, so an event never carries a second yet to come.
        json.writeFieldName("eventTime");
        writeCloudTrailTime(json, metadata.receivedAt());
        json.writeStringField("eventSource", eventSource);
        // The name and the user agent are the client's words, as a region signed for can be: each bounded.
        json.writeStringField("eventName", bounded(eventName, MAX_NAME));
        json.writeStringField("awsRegion", bounded(region, MAX_NAME));
        json.writeStringField("sourceIPAddress", metadata.sourceIp());
        if (metadata.userAgent().isPresent()) {
            json.writeStringField("userAgent", bounded(metadata.userAgent().get(), MAX_STRING));
        }
        if (caller.isPresent()) {
            json.writeFieldName("userIdentity");
            writeUserIdentity(json, caller.get());
        }
    }

    /**
     * The {@code userIdentity} of an answered AssumeRoleWithWebIdentity or AssumeRoleWithSAML, which no one signs: the
     * federated user as CloudTrail records these calls (CloudTrail User Guide, "Values for AWS STS APIs with SAML and
     * web identity federation"), {@code WebIdentityUser} ({@code provider:audience:subject}) or {@code SAMLUser}
     * ({@code nameQualifier:subject}), read from the call's response elements: the provider checked the token or the
     * assertion before they were written. Each value is bounded, as a token's claims are the provider's words.
     */
    private static void writeFederatedIdentity(JsonGenerator json, String action, Map<String, Object> elements)
            throws IOException {
        if (action.equals("AssumeRoleWithWebIdentity")
                && elements.get("provider") instanceof String provider
                && elements.get("audience") instanceof String audience
                && elements.get("subjectFromWebIdentityToken") instanceof String sub) {
            writeWebIdentityUser(json, provider, audience, sub);
        } else if (action.equals("AssumeRoleWithSAML")
                && elements.get("nameQualifier") instanceof String nameQualifier
                && elements.get("subject") instanceof String sub) {
            writeSamlUser(json, nameQualifier, sub);
        }
    }

    /**
     * The {@code userIdentity} of an AssumeRoleWithWebIdentity or AssumeRoleWithSAML refused after its token or
     * assertion checked out: the same federated user as the answered call's, from the same verified values. CloudTrail
     * records these non-authenticated calls "and logs information provided by the identity provider" (IAM User
     * Guide, "Logging IAM and AWS STS API calls with AWS CloudTrail"), which a refusal by the role's trust policy does
     * not make any less the provider's. A call refused before its token or assertion checked out has none: the
     * claims of an unverified token are the caller's words, and an event must not name someone on their say-so.
     */
    private static void writeFederatedIdentity(JsonGenerator json, VerifiedFederatedCaller caller)
            throws IOException {
        if (caller instanceof VerifiedFederatedCaller.WebIdentity web) {
            writeWebIdentityUser(json, web.providerArn(), web.audience(), web.subject());
        } else if (caller instanceof VerifiedFederatedCaller.Saml saml) {
            writeSamlUser(json, saml.nameQualifier(), saml.subject());
        }
    }

    private static void writeWebIdentityUser(JsonGenerator json, String provider, String audience, String subject)
            throws IOException {
        writeFederatedUser(json, "WebIdentityUser", provider, provider + ":" + audience + ":" + subject, subject);
    }

    private static void writeSamlUser(JsonGenerator json, String nameQualifier, String subject) throws IOException {
        writeFederatedUser(json, "SAMLUser", nameQualifier, nameQualifier + ":" + subject, subject);
    }

    private static void writeFederatedUser(JsonGenerator json, String type, String identityProvider,
            String principalId, String subject) throws IOException {
        json.writeFieldName("userIdentity");
        json.writeStartObject();
        json.writeStringField("type", type);
        json.writeStringField("principalId", bounded(principalId, MAX_STRING));
        json.writeStringField("userName", bounded(subject, MAX_STRING));
        json.writeStringField("identityProvider", bounded(identityProvider, MAX_STRING));
        json.writeEndObject();
    }

    /** The members every event closes with. */
    private static void writeTail(JsonGenerator json, RequestMetadata metadata, Optional<String> recipientAccount)
            throws IOException {
        json.writeStringField("requestID", metadata.requestId());
        json.writeStringField("eventID", RequestIds.next());
        json.writeStringField("eventType", "AwsApiCall");
        if (recipientAccount.isPresent()) {
            json.writeStringField("recipientAccountId", recipientAccount.get());
        }
    }

    private static void writeUserIdentity(JsonGenerator json, CallerIdentity caller) throws IOException {
        // A long-term key's user is at hand, its name with it: no need to cut it out of the ARN on every call.
        String userName = caller.session().isEmpty() && caller.user().isPresent()
                ? caller.user().get().userName() : null;
        writeUserIdentity(json, caller.userId(), caller.arn(), caller.accountId(), caller.accessKeyId(),
                caller.session(), userName);
    }

    /** The gateway's caller, verified by the same verifier, in the same words. */
    private static void writeUserIdentity(JsonGenerator json, VerifiedCaller caller) throws IOException {
        writeUserIdentity(json, caller.userId(), caller.arn(), caller.accountId(), caller.accessKeyId(),
                caller.session(), null);
    }

    /**
     * CloudTrail's {@code userIdentity} of a signed call (CloudTrail User Guide, "CloudTrail userIdentity element"):
     * an IAM user's name; for temporary credentials the {@code sessionContext} of the session — who issued it (the
     * role, or the user behind a federated user), the web identity provider of a web identity role session, when it
     * was issued and whether MFA was proven, and its source identity. A GetSessionToken session is its user's
     * ({@code IAMUser}, or {@code Root}) with the session's attributes only, as CloudTrail writes it. Every member
     * comes from the verified caller or its opened session, never from the request, so none needs a bound beyond
     * what the session itself enforces.
     */
    private static void writeUserIdentity(JsonGenerator json, String principalId, String arn, String accountId,
            String accessKeyId, Optional<Session> session, String knownUserName) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", identityType(arn, session));
        json.writeStringField("principalId", principalId);
        json.writeStringField("arn", arn);
        json.writeStringField("accountId", accountId);
        json.writeStringField("accessKeyId", accessKeyId);
        if (knownUserName != null) {
            json.writeStringField("userName", knownUserName);
        } else if (session.isEmpty() || session.get().type() == SessionType.SESSION_USER) {
            writeUserName(json, arn);
        }
        if (session.isPresent()) {
            writeSessionContext(json, session.get());
        }
        json.writeEndObject();
    }

    private static String identityType(String arn, Optional<Session> session) {
        if (session.isEmpty()) {
            return isRoot(arn) ? "Root" : "IAMUser";
        }
        return switch (session.get().type()) {
            case ASSUMED_ROLE -> "AssumedRole";
            case FEDERATED_USER -> "FederatedUser";
            case SESSION_USER -> isRoot(arn) ? "Root" : "IAMUser";
        };
    }

    private static void writeSessionContext(JsonGenerator json, Session session) throws IOException {
        json.writeFieldName(Names.SESSION_CONTEXT);
        json.writeStartObject();
        if (session.type() != SessionType.SESSION_USER) {
            json.writeFieldName(Names.SESSION_ISSUER);
            json.writeStartObject();
            String issuer = session.sourceArn();
            json.writeFieldName(Names.TYPE);
            json.writeString(session.type() == SessionType.ASSUMED_ROLE ? Names.ROLE
                    : isRoot(issuer) ? Names.ROOT : Names.IAM_USER);
            if (session.sourceUniqueId().isPresent()) {
                // Absent only from a federated user's token sealed before tokens carried it.
                json.writeFieldName(Names.PRINCIPAL_ID);
                json.writeString(session.sourceUniqueId().get());
            }
            json.writeFieldName(Names.ARN);
            json.writeString(issuer);
            json.writeFieldName(Names.ACCOUNT_ID);
            json.writeString(session.accountId());
            writeUserName(json, issuer);
            json.writeEndObject();
        }
        if (session.federatedProvider().isPresent() && isWebIdentityProvider(session.federatedProvider().get())) {
            json.writeFieldName(Names.WEB_ID_FEDERATION_DATA);
            json.writeStartObject();
            json.writeFieldName(Names.FEDERATED_PROVIDER);
            json.writeString(session.federatedProvider().get());
            // CloudTrail writes this member empty; the session's claims stay in the session.
            json.writeFieldName(Names.ATTRIBUTES);
            json.writeStartObject();
            json.writeEndObject();
            json.writeEndObject();
        }
        json.writeFieldName(Names.ATTRIBUTES);
        json.writeStartObject();
        json.writeFieldName(Names.CREATION_DATE);
        writeCloudTrailTime(json, session.issuedAt());
        json.writeFieldName(Names.MFA_AUTHENTICATED);
        json.writeString(session.mfaAuthenticatedAt().isPresent() ? Names.TRUE : Names.FALSE);
        json.writeEndObject();
        if (session.sourceIdentity().isPresent()) {
            json.writeFieldName(Names.SOURCE_IDENTITY);
            json.writeString(session.sourceIdentity().get());
        }
        json.writeEndObject();
    }

    /**
     * The session context's member names and fixed values, quoted once: written as they are, without the escaping a
     * name or value given as a {@code String} goes through on every event.
     */
    private static final class Names {
        static final SerializableString SESSION_CONTEXT = new SerializedString("sessionContext");
        static final SerializableString SESSION_ISSUER = new SerializedString("sessionIssuer");
        static final SerializableString TYPE = new SerializedString("type");
        static final SerializableString PRINCIPAL_ID = new SerializedString("principalId");
        static final SerializableString ARN = new SerializedString("arn");
        static final SerializableString ACCOUNT_ID = new SerializedString("accountId");
        static final SerializableString USER_NAME = new SerializedString("userName");
        static final SerializableString WEB_ID_FEDERATION_DATA = new SerializedString("webIdFederationData");
        static final SerializableString FEDERATED_PROVIDER = new SerializedString("federatedProvider");
        static final SerializableString ATTRIBUTES = new SerializedString("attributes");
        static final SerializableString CREATION_DATE = new SerializedString("creationDate");
        static final SerializableString MFA_AUTHENTICATED = new SerializedString("mfaAuthenticated");
        static final SerializableString SOURCE_IDENTITY = new SerializedString("sourceIdentity");
        static final SerializableString ROLE = new SerializedString("Role");
        static final SerializableString ROOT = new SerializedString("Root");
        static final SerializableString IAM_USER = new SerializedString("IAMUser");
        static final SerializableString TRUE = new SerializedString("true");
        static final SerializableString FALSE = new SerializedString("false");

        private Names() {
        }
    }

    /**
     * The {@code userName} of an IAM user or role: the last part of its ARN's path. The root user has none here:
     * CloudTrail shows the account's alias there, which the event leaves out rather than read the store for it on a
     * root call.
     */
    private static void writeUserName(JsonGenerator json, String arn) throws IOException {
        int slash = arn.lastIndexOf('/');
        if (!isRoot(arn) && slash >= 0 && slash < arn.length() - 1) {
            json.writeFieldName(Names.USER_NAME);
            json.writeString(arn.substring(slash + 1));
        }
    }

    private static boolean isRoot(String arn) {
        return arn.endsWith(":root");
    }

    /** Whether a provider ARN names a web identity (OIDC) provider: CloudTrail has federation data of those only. */
    private static boolean isWebIdentityProvider(String providerArn) {
        return providerArn.contains(":oidc-provider/");
    }

    /**
     * Writes an instant as CloudTrail writes its times: ISO 8601 in UTC, to the second ({@code 2026-12-06T15:24:56Z}),
     * any fraction of a second cut off. A session's instants and the time a request was received lie in years
     * 1970..9999, so the text is always 20 characters; it is written digit by digit rather than with
     * {@link Instant#toString()}, whose formatter costs as much as the rest of the session's context. An instant
     * outside years 0..9999 (a clock set wrong) is written by {@link Instant#toString()}, as ISO 8601 extends the year.
     */
    static void writeCloudTrailTime(JsonGenerator json, Instant instant) throws IOException {
        if (instant.getEpochSecond() < FIRST_FOUR_DIGIT_SECOND || instant.getEpochSecond() > LAST_FOUR_DIGIT_SECOND) {
            json.writeString(instant.truncatedTo(ChronoUnit.SECONDS).toString());
            return;
        }
        LocalDateTime time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        char[] text = new char[20];
        digits(text, 0, time.getYear(), 4);
        text[4] = '-';
        digits(text, 5, time.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, time.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, time.getHour(), 2);
        text[13] = ':';
        digits(text, 14, time.getMinute(), 2);
        text[16] = ':';
        digits(text, 17, time.getSecond(), 2);
        text[19] = 'Z';
        json.writeString(text, 0, text.length);
    }

    private static void digits(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * Writes the input in CloudTrail's lower-camel member names, sensitive members left out, each string cut to
     * {@value #MAX_STRING} characters and each list to {@value #MAX_ELEMENTS} elements: an event must not cost more
     * than a bounded multiple of what a legitimate call costs, whatever a caller sends.
     *
     * @return whether anything was cut
     */
    private static boolean writeParameters(JsonGenerator json, StructureShape shape, Struct input)
            throws IOException {
        boolean truncated = false;
        json.writeStartObject();
        for (Member member : shape.members()) {
            Object value = input.get(member.name());
            if (value != null && !isSensitive(member.shape())) {
                json.writeFieldName(member.messageName());
                truncated |= writeParameter(json, member.shape(), value);
            }
        }
        json.writeEndObject();
        return truncated;
    }

    /** @return whether anything was cut */
    private static boolean writeParameter(JsonGenerator json, Shape shape, Object value) throws IOException {
        if (shape instanceof StructureShape structure) {
            return writeParameters(json, structure, (Struct) value);
        }
        if (shape instanceof ListShape list) {
            boolean truncated = false;
            int written = 0;
            json.writeStartArray();
            for (Object element : (List<?>) value) {
                if (written == MAX_ELEMENTS) {
                    truncated = true;
                    break;
                }
                truncated |= writeParameter(json, list.member(), element);
                written++;
            }
            json.writeEndArray();
            return truncated;
        }
        if (value instanceof Instant instant) {
            json.writeString(instant.toString());
        } else if (value instanceof byte[]) {
            json.writeString("(binary)");
        } else if (value instanceof String text && text.length() > MAX_STRING) {
            json.writeString(cut(text, MAX_STRING));
            return true;
        } else {
            return writeValue(json, value);
        }
        return false;
    }

    /**
     * Writes a value of the response elements, of a map-typed parameter or of an event outside the Query APIs as
     * JSON: maps as objects and collections as arrays, in their iteration order; strings, numbers, booleans and null
     * as themselves. Bounded as {@link #writeParameters} bounds the input: each string cut to {@value #MAX_STRING}
     * characters, each map and collection to {@value #MAX_ELEMENTS} entries, and an entry whose key is longer than a
     * string may be left out.
     *
     * @return whether anything was cut
     * @throws JsonGenerationException for any other value: an event records plain data only
     */
    private static boolean writeValue(JsonGenerator json, Object value) throws IOException {
        boolean truncated = false;
        if (value == null) {
            json.writeNull();
        } else if (value instanceof String text) {
            json.writeString(bounded(text, MAX_STRING));
            truncated = text.length() > MAX_STRING;
        } else if (value instanceof Map<?, ?> map) {
            int written = 0;
            json.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (written == MAX_ELEMENTS) {
                    truncated = true;
                    break;
                }
                String name = fieldName(json, entry.getKey());
                if (name.length() > MAX_STRING) {
                    // Left out rather than cut: two keys cut to the same prefix would make one object's key twice.
                    truncated = true;
                    continue;
                }
                json.writeFieldName(name);
                truncated |= writeValue(json, entry.getValue());
                written++;
            }
            json.writeEndObject();
        } else if (value instanceof Collection<?> elements) {
            int written = 0;
            json.writeStartArray();
            for (Object element : elements) {
                if (written++ == MAX_ELEMENTS) {
                    truncated = true;
                    break;
                }
                truncated |= writeValue(json, element);
            }
            json.writeEndArray();
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else if (value instanceof Number number) {
            writeNumber(json, number);
        } else if (value instanceof Character character) {
            json.writeString(character.toString());
        } else if (value instanceof byte[] bytes) {
            json.writeBinary(bytes);
        } else {
            throw new JsonGenerationException("An audit event records no " + value.getClass().getName(), json);
        }
        return truncated;
    }

    private static String fieldName(JsonGenerator json, Object key) throws JsonGenerationException {
        if (key instanceof String name) {
            return name;
        }
        if (key == null) {
            throw new JsonGenerationException("An audit event's map has a null key", json);
        }
        return key instanceof Enum<?> constant ? constant.name() : key.toString();
    }

    private static void writeNumber(JsonGenerator json, Number number) throws IOException {
        if (number instanceof Integer || number instanceof Short || number instanceof Byte) {
            json.writeNumber(number.intValue());
        } else if (number instanceof Long) {
            json.writeNumber(number.longValue());
        } else if (number instanceof Double) {
            json.writeNumber(number.doubleValue());
        } else if (number instanceof Float) {
            json.writeNumber(number.floatValue());
        } else if (number instanceof BigDecimal decimal) {
            json.writeNumber(decimal);
        } else if (number instanceof BigInteger integer) {
            json.writeNumber(integer);
        } else {
            json.writeNumber(number.toString());
        }
    }

    private static String bounded(String message) {
        return message == null ? null : bounded(message, MAX_MESSAGE);
    }

    private static String bounded(String text, int max) {
        return text.length() <= max ? text : cut(text, max);
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
