package org.opensts.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiExceptionTest {

    @Test
    void expectedRejection_capturesNoStackTrace() {
        var e = new ApiException(ErrorCode.ACCESS_DENIED, "denied");

        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.getSuppressed()).isEmpty();
    }

    @Test
    void notAuthorized_isAccessDeniedInAwsWordsWithTheEncodedMessage() {
        ApiException e = ApiException.notAuthorized("arn:aws:iam::123456789012:user/alice", "sts:AssumeRole",
                "arn:aws:iam::123456789012:role/demo", "oGv3s-Example_Message");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage()).isEqualTo("User: arn:aws:iam::123456789012:user/alice is not authorized to "
                + "perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/demo. Encoded authorization "
                + "failure message: oGv3s-Example_Message");
    }

    @Test
    void validationError_carriesTheMessage() {
        ApiException e = ApiException.validationError("1 validation error detected: x");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e).hasToString("ApiException[ValidationError: 1 validation error detected: x]");
    }
}
