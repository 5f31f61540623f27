package org.opensts.sts;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.opensts.protocol.shape.Struct;
import org.opensts.token.SessionTag;

/** The input of GetWebIdentityToken (STS API Reference). */
public record GetWebIdentityTokenRequest(List<String> audience, Optional<Integer> durationSeconds,
        String signingAlgorithm, List<SessionTag> tags) {
    public GetWebIdentityTokenRequest {
        audience = List.copyOf(audience);
        requireNonNull(durationSeconds, "durationSeconds");
        requireNonNull(signingAlgorithm, "signingAlgorithm");
        tags = List.copyOf(tags);
    }

    /** Reads a request bound with {@link StsShapes#GET_WEB_IDENTITY_TOKEN_REQUEST}. */
    public static GetWebIdentityTokenRequest from(Struct input) {
        return new GetWebIdentityTokenRequest(input.strings("Audience"), input.integer("DurationSeconds"),
                input.requiredString("SigningAlgorithm"), AssumeRoleRequest.tags(input));
    }
}
