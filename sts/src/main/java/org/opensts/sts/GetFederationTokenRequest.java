package org.opensts.sts;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.opensts.protocol.shape.Struct;
import org.opensts.token.SessionTag;

/** The input of GetFederationToken (STS API Reference). */
public record GetFederationTokenRequest(String name, Optional<String> policy, List<String> policyArns,
        Optional<Integer> durationSeconds, List<SessionTag> tags) {
    public GetFederationTokenRequest {
        requireNonNull(name, "name");
        requireNonNull(policy, "policy");
        policyArns = List.copyOf(policyArns);
        requireNonNull(durationSeconds, "durationSeconds");
        tags = List.copyOf(tags);
    }

    /** Reads a request bound with {@link StsShapes#GET_FEDERATION_TOKEN_REQUEST}. */
    public static GetFederationTokenRequest from(Struct input) {
        return new GetFederationTokenRequest(input.requiredString("Name"), input.string("Policy"),
                AssumeRoleRequest.policyArns(input), input.integer("DurationSeconds"), AssumeRoleRequest.tags(input));
    }
}
