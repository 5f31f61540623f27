package org.opensts.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiExceptionTest {

    @Test
    void expectedRejection_capturesNoStackTrace() {
        var e = new ApiException(ErrorCode.ACCESS_DENIED, "denied");

        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.getSuppressed()).isEmpty();
    }

    @Test
    void notAuthorized_withoutReason_endsTheSentenceAtTheResourceThenTheEncodedMessage() {
        ApiException e = ApiException.notAuthorized("arn:aws:iam::123456789012:user/alice", "sts:AssumeRole",
                Optional.of("arn:aws:iam::123456789012:role/demo"), Optional.empty(), "oGv3s-Example_Message");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage()).isEqualTo("User: arn:aws:iam::123456789012:user/alice is not authorized to "
                + "perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/demo. Encoded authorization "
                + "failure message: oGv3s-Example_Message");
    }

    @Test
    void notAuthorized_withReason_putsTheReasonAfterTheResource() {
        ApiException e = ApiException.notAuthorized("arn:aws:iam::123456789012:user/bob", "iam:GetRole",
                Optional.of("role Test-role"),
                Optional.of("because no identity-based policy allows the iam:GetRole action"), "oGv3s");

        assertThat(e.getMessage()).isEqualTo("User: arn:aws:iam::123456789012:user/bob is not authorized to perform: "
                + "iam:GetRole on resource: role Test-role because no identity-based policy allows the iam:GetRole "
                + "action. Encoded authorization failure message: oGv3s");
    }

    @Test
    void notAuthorized_withoutResource_namesNone() {
        ApiException e = ApiException.notAuthorized("arn:aws:iam::123456789012:user/bob",
                "sts:DecodeAuthorizationMessage", Optional.empty(),
                Optional.of("because no identity-based policy allows the sts:DecodeAuthorizationMessage action"),
                "oGv3s");

        assertThat(e.getMessage()).isEqualTo("User: arn:aws:iam::123456789012:user/bob is not authorized to perform: "
                + "sts:DecodeAuthorizationMessage because no identity-based policy allows the "
                + "sts:DecodeAuthorizationMessage action. Encoded authorization failure message: oGv3s");
    }

    @Test
    void validationError_carriesTheMessage() {
        ApiException e = ApiException.validationError("1 validation error detected: x");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e).hasToString("ApiException[ValidationError: 1 validation error detected: x]");
    }
}
