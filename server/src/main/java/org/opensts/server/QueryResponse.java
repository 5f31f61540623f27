package org.opensts.server;

import static java.util.Objects.requireNonNull;

/** An answer of a Query API, success or error, in XML or JSON, ready to be written with its status. */
record QueryResponse(int httpStatus, ResponseFormat format, String body) {
    QueryResponse {
        requireNonNull(format, "format");
        requireNonNull(body, "body");
    }

    /** The {@code Content-Type} the body is written with. */
    String contentType() {
        return format.contentType();
    }

    /** Names the status and form only: a success body holds credentials. */
    @Override
    public String toString() {
        return "QueryResponse[" + httpStatus + ", " + format + "]";
    }
}
