package org.opensts.client;

/**
 * The call did not get an STS answer: the server was unreachable, timed out, sent too much, or sent something that is
 * not an STS response. Retrying later may succeed.
 */
public final class StsTransportException extends RuntimeException {

    public StsTransportException(String message, Throwable cause) {
        super(message, cause);
    }

    public StsTransportException(String message) {
        super(message);
    }
}
