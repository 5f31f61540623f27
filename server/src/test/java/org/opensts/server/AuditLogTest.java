package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.ListShape;
import org.opensts.protocol.shape.ScalarShape;
import org.opensts.protocol.shape.Struct;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.sts.RequestMetadata;
import org.opensts.sts.StsShapes;
import org.slf4j.LoggerFactory;

class AuditLogTest {
    private static final ScalarShape TEXT = ScalarShape.string("textType").build();
    private static final StructureShape INPUT = StructureShape.builder("TestRequest")
            .optional("Policy", TEXT)
            .optional("RoleSessionName", TEXT)
            .optional("TransitiveTagKeys", ListShape.of("keys", TEXT))
            .build();
    private static final RequestMetadata METADATA = new RequestMetadata("req-1", Instant.EPOCH, "192.0.2.1", false,
            Optional.empty(), "us-east-1");

    @Test
    void hugeParametersAndMessages_areRecordedCutAndMarkedTruncated() throws Exception {
        String policy = "p".repeat(2_000_000);
        Struct input = Struct.builder(INPUT)
                .put("Policy", policy)
                .put("RoleSessionName", "session")
                .put("TransitiveTagKeys", Collections.nCopies(5_000, "key"))
                .build();
        ApiException error = ApiException.validationError("1 validation error detected: Value '" + policy + "'");

        JsonNode event = write(input, Optional.of(error));

        assertThat(event.get("requestParameters").get("policy").asText())
                .isEqualTo("p".repeat(AuditLog.MAX_STRING) + "...");
        assertThat(event.get("requestParameters").get("roleSessionName").asText()).isEqualTo("session");
        assertThat(event.get("requestParameters").get("transitiveTagKeys")).hasSize(AuditLog.MAX_ELEMENTS);
        assertThat(event.get("requestParametersTruncated").asBoolean()).isTrue();
        assertThat(event.get("errorMessage").asText()).hasSize(AuditLog.MAX_MESSAGE + 3).endsWith("...");
    }

    /** An unknown action's name, the user agent and a region signed for are the client's words too: each is cut. */
    @Test
    void hugeActionNameUserAgentAndRegion_areRecordedCut() throws Exception {
        var metadata = new RequestMetadata("req-2", Instant.EPOCH, "192.0.2.1", false,
                Optional.of("u".repeat(20_000)), "r".repeat(1_000));

        JsonNode event = recorded(() -> AuditLog.write(new AuditLog.Call(ApiVersion.STS, "A".repeat(2_000_000),
                metadata, Optional.empty(), Optional.empty(), Optional.empty(), Map.of(),
                Optional.of(new ApiException(ErrorCode.INVALID_ACTION, "Could not find operation")))));

        assertThat(event.get("eventName").asText()).isEqualTo("A".repeat(AuditLog.MAX_NAME) + "...");
        assertThat(event.get("awsRegion").asText()).isEqualTo("r".repeat(AuditLog.MAX_NAME) + "...");
        assertThat(event.get("userAgent").asText()).isEqualTo("u".repeat(AuditLog.MAX_STRING) + "...");
    }

    /** The authorization API's events are bounded as the Query calls' input is: strings, lists and maps. */
    @Test
    void eventOutsideTheQueryApis_hugeParameters_areRecordedCutAndMarkedTruncated() throws Exception {
        var parameters = new LinkedHashMap<String, Object>();
        parameters.put("path", "/" + "p".repeat(120_000));
        parameters.put("keys", Collections.nCopies(5_000, "k"));
        parameters.put("method", "GET");

        JsonNode event = recorded(() -> AuditLog.writeEvent("opensts.amazonaws.com", "Authorize", METADATA,
                Optional.empty(), parameters, Map.of(), Optional.empty(), Optional.empty()));

        JsonNode recorded = event.get("requestParameters");
        assertThat(recorded.get("path").asText()).hasSize(AuditLog.MAX_STRING + 3).endsWith("...");
        assertThat(recorded.get("keys")).hasSize(AuditLog.MAX_ELEMENTS);
        assertThat(recorded.get("method").asText()).isEqualTo("GET");
        assertThat(event.get("requestParametersTruncated").asBoolean()).isTrue();
    }

    /** CloudTrail's eventTime: UTC, whole seconds, the fraction cut off rather than rounded up. */
    @ParameterizedTest(name = "{0} is recorded as {1}")
    @CsvSource({
            "2026-12-07T06:15:56.999999999Z, 2026-12-07T06:15:56Z",
            "2026-12-07T06:15:56.5Z, 2026-12-07T06:15:56Z",
            "2026-12-07T06:15:56.000000001Z, 2026-12-07T06:15:56Z",
            "2026-12-07T06:15:56Z, 2026-12-07T06:15:56Z",
            "2026-12-31T23:59:59.999Z, 2026-12-31T23:59:59Z",
            "1970-01-01T00:00:00.5Z, 1970-01-01T00:00:00Z",
            "0001-02-03T04:05:06.7Z, 0001-02-03T04:05:06Z",
            "+10000-01-01T00:00:00.25Z, +10000-01-01T00:00:00Z"})
    void eventTime_isTheSecondTheRequestWasReceivedIn(String receivedAt, String eventTime) throws Exception {
        var metadata = new RequestMetadata("req-3", Instant.parse(receivedAt), "192.0.2.1", false,
                Optional.empty(), "us-east-1");

        JsonNode query = recorded(() -> AuditLog.write(new AuditLog.Call(ApiVersion.STS, "GetCallerIdentity",
                metadata, Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), Optional.empty())));
        JsonNode other = recorded(() -> AuditLog.writeEvent("opensts.amazonaws.com", "Authorize", metadata,
                Optional.empty(), Map.of(), Map.of(), Optional.empty(), Optional.empty()));

        assertThat(query.get("eventTime").asText()).isEqualTo(eventTime);
        assertThat(other.get("eventTime").asText()).isEqualTo(eventTime);
    }

    @Test
    void ordinaryParameters_areRecordedWholeAndNotMarked() throws Exception {
        Struct input = Struct.builder(INPUT).put("Policy", "p".repeat(AuditLog.MAX_STRING)).build();

        JsonNode event = write(input, Optional.empty());

        assertThat(event.get("requestParameters").get("policy").asText()).hasSize(AuditLog.MAX_STRING);
        assertThat(event.has("requestParametersTruncated")).isFalse();
    }

    @Test
    void assumeRole_bearerProofsAndMfaCode_areLeftOutOfTheEvent() throws Exception {
        Struct context = Struct.builder(StsShapes.PROVIDED_CONTEXT)
                .put("ProviderArn", "arn:aws:iam::aws:contextProvider/IdentityCenter")
                .put("ContextAssertion", "signed-context-assertion-4f1c")
                .build();
        Struct input = Struct.builder(StsShapes.ASSUME_ROLE_REQUEST)
                .put("RoleArn", "arn:aws:iam::123456789012:role/demo")
                .put("RoleSessionName", "session")
                .put("SerialNumber", "arn:aws:iam::123456789012:mfa/alice")
                .put("TokenCode", "123456")
                .put("ProvidedContexts", List.of(context))
                .build();

        JsonNode event = write(StsShapes.ASSUME_ROLE_REQUEST, input, Optional.empty());

        JsonNode parameters = event.get("requestParameters");
        assertThat(parameters.get("roleSessionName").asText()).isEqualTo("session");
        assertThat(parameters.has("tokenCode")).isFalse();
        assertThat(parameters.get("providedContexts").get(0).get("providerArn").asText()).endsWith("IdentityCenter");
        assertThat(event.toString()).doesNotContain("signed-context-assertion-4f1c").doesNotContain("123456\"");
    }

    @Test
    void unsignedAssumeRoleWithWebIdentity_isRecordedInTheRolesAccount() throws Exception {
        Struct input = Struct.builder(StsShapes.ASSUME_ROLE_WITH_WEB_IDENTITY_REQUEST)
                .put("RoleArn", "arn:aws:iam::210987654321:role/ci")
                .put("RoleSessionName", "session")
                .put("WebIdentityToken", "header.payload.signature")
                .build();

        JsonNode event = write(StsShapes.ASSUME_ROLE_WITH_WEB_IDENTITY_REQUEST, input, Optional.empty());

        assertThat(event.has("userIdentity")).isFalse();
        assertThat(event.get("recipientAccountId").asText()).isEqualTo("210987654321");
        assertThat(event.toString()).doesNotContain("header.payload.signature");
    }

    private static JsonNode write(Struct input, Optional<ApiException> error) throws Exception {
        return write(INPUT, input, error);
    }

    private static JsonNode write(StructureShape shape, Struct input, Optional<ApiException> error) throws Exception {
        return recorded(() -> AuditLog.write(new AuditLog.Call(ApiVersion.STS, "AssumeRole", METADATA,
                Optional.empty(), Optional.of(shape), Optional.of(input), Map.of(), error)));
    }

    /** The one event {@code writes} records. */
    private static JsonNode recorded(Runnable writes) throws Exception {
        Logger audit = (Logger) LoggerFactory.getLogger("opensts.audit");
        Level level = audit.getLevel();
        var events = new ListAppender<ILoggingEvent>();
        events.start();
        audit.addAppender(events);
        audit.setLevel(Level.INFO);
        try {
            writes.run();
        } finally {
            audit.setLevel(level);
            audit.detachAppender(events);
        }
        assertThat(events.list).hasSize(1);
        return new ObjectMapper().readTree(events.list.get(0).getFormattedMessage());
    }
}
