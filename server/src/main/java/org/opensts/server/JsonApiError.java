package org.opensts.server;

/**
 * The refusal of a call to one of the node's JSON APIs (the authorization API, the console's APIs), with the HTTP
 * status and the AWS-style error code it is answered with. Thrown and caught within the API that raised it; it
 * carries no stack trace, since it is an answer, not a bug.
 */
final class JsonApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    JsonApiError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }
}
