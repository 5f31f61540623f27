package org.opensts.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Marks the audit events of calls whose answers the audit log withheld. An event is serialized before its call is
 * answered, as the answer the call is about to give; if its batch cannot be written, the caller gets
 * {@code ServiceUnavailable} instead, and the event, written once the file takes it again, must say so: an auditor
 * reading a CreateAccessKey or an AssumeRole must know that its credentials never reached the caller. The event keeps
 * what the call did and what it would have answered ({@code responseElements}, {@code errorCode}: an AccessDenied stays
 * one), and gains {@code additionalEventData.withheldAnswer}, the error its caller got instead.
 */
final class WithheldAnswers {
    static final String ERROR_CODE = "ServiceUnavailable";
    static final String ERROR_MESSAGE = "The audit log could not be written; the call was answered ServiceUnavailable";
    private static final String MEMBER = "withheldAnswer";
    private static final ObjectMapper JSON = new ObjectMapper();

    private WithheldAnswers() {
    }

    /**
     * The event line (JSON and a newline) with {@code additionalEventData.withheldAnswer} naming the error its caller
     * got; the same array if it already does, or if it is not such a JSON object (then written as it is).
     */
    static byte[] mark(byte[] line) {
        JsonNode event;
        try {
            event = JSON.readTree(line);
        } catch (IOException e) {
            return line;
        }
        if (!(event instanceof ObjectNode object)) {
            return line;
        }
        JsonNode additional = object.path("additionalEventData");
        if (additional.has(MEMBER) || !(additional.isMissingNode() || additional.isObject())) {
            return line;
        }
        ObjectNode data = additional.isObject() ? (ObjectNode) additional : object.putObject("additionalEventData");
        data.putObject(MEMBER).put("errorCode", ERROR_CODE).put("errorMessage", ERROR_MESSAGE);
        try {
            return (JSON.writeValueAsString(object) + "\n").getBytes(UTF_8);
        } catch (IOException e) {
            return line;
        }
    }
}
