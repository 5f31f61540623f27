package org.opensts.server;

import org.opensts.protocol.ApiException;

/**
 * Writes the two envelopes of the Query protocol (AWS query protocol, "Response serialization" and "Operation error
 * serialization"). This class is the only writer of {@code <ErrorResponse>}.
 */
final class ResponseRenderer {
    private ResponseRenderer() {
    }

    /**
     * {@code <{Action}Response xmlns=…><{Action}Result>…</{Action}Result><ResponseMetadata><RequestId>…}; the result
     * element is left out for operations without output.
     */
    static QueryResponse success(ApiVersion api, String action, ActionResult result, String requestId) {
        var xml = new XmlWriter().startDocument(action + "Response", api.xmlNamespace());
        result.resultMembers().ifPresent(members -> {
            xml.start(action + "Result");
            members.accept(xml);
            xml.end();
        });
        xml.start("ResponseMetadata").element("RequestId", requestId).end();
        return new QueryResponse(200, xml.finish());
    }

    /**
     * {@code <ErrorResponse xmlns=…><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>}: the request
     * id is a sibling of {@code <Error>}, not inside {@code ResponseMetadata}.
     */
    static QueryResponse error(ApiVersion api, ApiException error, String requestId) {
        XmlWriter xml = new XmlWriter().startDocument("ErrorResponse", api.xmlNamespace())
                .start("Error")
                .element("Type", error.errorCode().fault().wireName())
                .element("Code", error.errorCode().code());
        // An error AWS sends without a message (IAM's ReportNotPresent) has no <Message> at all.
        if (!error.getMessage().isEmpty()) {
            xml.element("Message", error.getMessage());
        }
        String body = xml.end()
                .element("RequestId", requestId)
                .finish();
        return new QueryResponse(error.errorCode().httpStatus(), body);
    }
}
