package org.opensts.server;

import org.opensts.protocol.ApiException;

/**
 * Writes the two envelopes of the Query protocol (AWS query protocol, "Response serialization" and "Operation error
 * serialization"), in XML or, for a client that asks for it, in the JSON form AWS's Query services answer with
 * (docs/WIRE.md, "Answers in JSON"). This class is the only writer of {@code <ErrorResponse>}; both forms come from
 * the same calls, so an action's answer is written once ({@link ResultWriter}).
 */
final class ResponseRenderer {
    private ResponseRenderer() {
    }

    /** {@link #success(ApiVersion, String, ActionResult, String, ResponseFormat)} in XML. */
    static QueryResponse success(ApiVersion api, String action, ActionResult result, String requestId) {
        return success(api, action, result, requestId, ResponseFormat.XML);
    }

    /**
     * {@code <{Action}Response xmlns=…><{Action}Result>…</{Action}Result><ResponseMetadata><RequestId>…}, or in JSON
     * {@code {"{Action}Response":{"{Action}Result":{…},"ResponseMetadata":{"RequestId":…}}}}; the result is left out
     * for operations without output.
     */
    static QueryResponse success(ApiVersion api, String action, ActionResult result, String requestId,
            ResponseFormat format) {
        return switch (format) {
            case XML -> {
                var xml = new XmlWriter().startDocument(action + "Response", api.xmlNamespace());
                writeSuccess(xml, action, result, requestId);
                yield new QueryResponse(200, format, xml.finish());
            }
            case JSON -> {
                var json = new JsonResultWriter().start(action + "Response");
                writeSuccess(json, action, result, requestId);
                yield new QueryResponse(200, format, json.finish());
            }
        };
    }

    private static void writeSuccess(ResultWriter out, String action, ActionResult result, String requestId) {
        result.resultMembers().ifPresent(members -> {
            out.start(action + "Result");
            members.accept(out);
            out.end();
        });
        out.start("ResponseMetadata").element("RequestId", requestId).end();
    }

    /** {@link #error(ApiVersion, ApiException, String, ResponseFormat)} in XML. */
    static QueryResponse error(ApiVersion api, ApiException error, String requestId) {
        return error(api, error, requestId, ResponseFormat.XML);
    }

    /**
     * {@code <ErrorResponse xmlns=…><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>}: the request
     * id is a sibling of {@code <Error>}, not inside {@code ResponseMetadata}. In JSON there is no
     * {@code ErrorResponse}: {@code {"Error":{"Code":…,"Message":…,"Type":…},"RequestId":…}}, as AWS writes it.
     */
    static QueryResponse error(ApiVersion api, ApiException error, String requestId, ResponseFormat format) {
        return switch (format) {
            case XML -> {
                var xml = new XmlWriter().startDocument("ErrorResponse", api.xmlNamespace());
                writeError(xml, error, requestId);
                yield new QueryResponse(error.errorCode().httpStatus(), format, xml.finish());
            }
            case JSON -> {
                var json = new JsonResultWriter();
                writeError(json, error, requestId);
                yield new QueryResponse(error.errorCode().httpStatus(), format, json.finish());
            }
        };
    }

    private static void writeError(ResultWriter out, ApiException error, String requestId) {
        out.start("Error")
                .element("Type", error.errorCode().fault().wireName())
                .element("Code", error.errorCode().code());
        // An error AWS sends without a message (IAM's ReportNotPresent) has no <Message> at all.
        if (!error.getMessage().isEmpty()) {
            out.element("Message", error.getMessage());
        }
        out.end().element("RequestId", requestId);
    }
}
