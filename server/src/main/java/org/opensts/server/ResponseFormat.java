package org.opensts.server;

import java.util.List;

/**
 * The form of a Query API's answer: the Query protocol's XML, or the JSON that AWS's Query services answer with when
 * the client's {@code Accept} header asks for {@code application/json} (docs/WIRE.md, "Answers in JSON"). The same
 * calls write both ({@link ResultWriter}).
 */
enum ResponseFormat {
    XML("text/xml"),
    JSON("application/json");

    private static final String JSON_MEDIA_TYPE = "application/json";

    private final String contentType;

    ResponseFormat(String contentType) {
        this.contentType = contentType;
    }

    /** The {@code Content-Type} of an answer in this form. */
    String contentType() {
        return contentType;
    }

    /**
     * {@link #JSON} when one of the media ranges of the request's {@code Accept} headers is {@code application/json}
     * (in any case, with any parameters but {@code q=0}); {@link #XML} for anything else, no header,
     * {@code *}{@code /*} and {@code application/*} included.
     *
     * @param acceptHeaders the values of the request's {@code Accept} header lines, in any number
     */
    static ResponseFormat accepting(List<String> acceptHeaders) {
        for (String header : acceptHeaders) {
            for (String range : header.split(",", -1)) {
                if (namesJson(range)) {
                    return JSON;
                }
            }
        }
        return XML;
    }

    /** Whether one media range, e.g. {@code application/json;q=0.9}, is {@code application/json} and not refused. */
    private static boolean namesJson(String range) {
        String[] parts = range.split(";", -1);
        if (!parts[0].strip().equalsIgnoreCase(JSON_MEDIA_TYPE)) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            if (parameter.length() > 2 && parameter.regionMatches(true, 0, "q=", 0, 2)) {
                return !isZero(parameter.substring(2).strip());
            }
        }
        return true;
    }

    /** RFC 9110 §12.4.2: a weight of {@code 0}, {@code 0.}, {@code 0.0} … {@code 0.000} refuses the range. */
    private static boolean isZero(String weight) {
        if (weight.isEmpty() || weight.charAt(0) != '0') {
            return false;
        }
        for (int i = 1; i < weight.length(); i++) {
            char c = weight.charAt(i);
            if (c != '.' && c != '0') {
                return false;
            }
        }
        return true;
    }
}
