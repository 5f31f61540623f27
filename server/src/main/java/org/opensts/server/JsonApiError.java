package org.opensts.server;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/**
 * The refusal of a call to one of the node's JSON APIs (the authorization API, the console's APIs), with the HTTP
 * status and the AWS-style error code it is answered with. Thrown and caught within the API that raised it; it
 * carries no stack trace, since it is an answer, not a bug.
 */
final class JsonApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final String SERIALIZATION_EXCEPTION = "SerializationException";
    final int status;
    final String code;

    JsonApiError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    /**
     * The {@code SerializationException} of a body that is not JSON the parser accepts. AWS's JSON protocols answer
     * it without naming the server's parser; so does this, with where the parser stopped (line and column of the
     * body) when it knows, and nothing of the parser's own message, which names its classes and settings.
     */
    static JsonApiError notJson(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            // The parser stops at its limits (nesting, length of a value) without a position to report.
            return new JsonApiError(400, SERIALIZATION_EXCEPTION, "The body is not valid JSON: it nests deeper than"
                    + " 1,000 levels or holds a value longer than the parser takes.");
        }
        JsonLocation where = e.getLocation();
        if (where == null || where.getLineNr() < 1 || where.getColumnNr() < 1) {
            return notJson();
        }
        return new JsonApiError(400, SERIALIZATION_EXCEPTION, "The body is not valid JSON (line " + where.getLineNr()
                + ", column " + where.getColumnNr() + ").");
    }

    /** The {@code SerializationException} of a body that is not JSON, where nothing says where it goes wrong. */
    static JsonApiError notJson() {
        return new JsonApiError(400, SERIALIZATION_EXCEPTION, "The body is not valid JSON.");
    }
}
