package org.opensts.sts;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.opensts.protocol.shape.Struct;

/** The input of GetSessionToken (STS API Reference). {@code toString()} leaves out the MFA code. */
public record GetSessionTokenRequest(Optional<Integer> durationSeconds, Optional<String> serialNumber,
        Optional<String> tokenCode) {
    public GetSessionTokenRequest {
        requireNonNull(durationSeconds, "durationSeconds");
        requireNonNull(serialNumber, "serialNumber");
        requireNonNull(tokenCode, "tokenCode");
    }

    /** Reads a request bound with {@link StsShapes#GET_SESSION_TOKEN_REQUEST}. */
    public static GetSessionTokenRequest from(Struct input) {
        return new GetSessionTokenRequest(input.integer("DurationSeconds"), input.string("SerialNumber"),
                input.string("TokenCode"));
    }

    @Override
    public String toString() {
        return "GetSessionTokenRequest[durationSeconds=" + durationSeconds + ", serialNumber=" + serialNumber
                + ", tokenCode=" + (tokenCode.isPresent() ? "[redacted]" : "none") + "]";
    }
}
