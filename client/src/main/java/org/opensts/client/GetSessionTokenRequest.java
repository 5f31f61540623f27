package org.opensts.client;

import static java.util.Objects.requireNonNull;

/** GetSessionToken's parameters, all optional. {@link #toString()} omits the MFA token code. */
public final class GetSessionTokenRequest {

    private final Integer durationSeconds;
    private final String serialNumber;
    private final String tokenCode;

    private GetSessionTokenRequest(Builder builder) {
        this.durationSeconds = builder.durationSeconds;
        this.serialNumber = builder.serialNumber;
        this.tokenCode = builder.tokenCode;
    }

    public static Builder builder() {
        return new Builder();
    }

    QueryForm toForm() {
        return new QueryForm("GetSessionToken")
                .add("DurationSeconds", durationSeconds)
                .add("SerialNumber", serialNumber)
                .add("TokenCode", tokenCode);
    }

    @Override
    public String toString() {
        return "GetSessionTokenRequest[" + (durationSeconds == null ? "" : "durationSeconds=" + durationSeconds)
                + (serialNumber == null ? "" : ", serialNumber=" + serialNumber) + ']';
    }

    /** Builds a {@link GetSessionTokenRequest}. Not thread-safe. */
    public static final class Builder {
        private Integer durationSeconds;
        private String serialNumber;
        private String tokenCode;

        private Builder() {
        }

        public Builder durationSeconds(int seconds) {
            this.durationSeconds = seconds;
            return this;
        }

        public Builder mfa(String mfaSerialNumber, String mfaTokenCode) {
            this.serialNumber = requireNonNull(mfaSerialNumber, "serialNumber");
            this.tokenCode = requireNonNull(mfaTokenCode, "tokenCode");
            return this;
        }

        public GetSessionTokenRequest build() {
            return new GetSessionTokenRequest(this);
        }
    }
}
