package org.opensts.server;

import static java.util.Objects.requireNonNull;

/** An XML answer, success or error, ready to be written with its status. */
record QueryResponse(int httpStatus, String xml) {
    QueryResponse {
        requireNonNull(xml, "xml");
    }

    /** Names the status only: a success body holds credentials. */
    @Override
    public String toString() {
        return "QueryResponse[" + httpStatus + "]";
    }
}
