package org.opensts.verifier;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One question for {@link AccessAuthorizer}: may this caller perform this action on this resource?
 *
 * @param caller the verified caller
 * @param action the IAM action, {@code service:Action}, e.g. {@code s3:GetObject}
 * @param resourceArn the resource's ARN, or {@code *} for actions that take none
 * @param resourceAccount the account that owns the resource, when the service knows it (decides same- or
 *     cross-account evaluation); empty means the caller's own account unless the ARN names another
 * @param context the request's own condition keys (e.g. {@code s3:prefix}), beside the global keys the authorizer
 *     adds for the caller and the request; key names as AWS spells them
 * @param resourcePolicy the resource's policy document (JSON), if it has one
 * @param facts what the service observed about the request
 */
public record AccessRequest(VerifiedCaller caller, String action, String resourceArn, Optional<String> resourceAccount,
        Map<String, List<String>> context, Optional<String> resourcePolicy, RequestFacts facts) {
    public AccessRequest {
        requireNonNull(caller, "caller");
        requireNonNull(action, "action");
        requireNonNull(resourceArn, "resourceArn");
        requireNonNull(resourceAccount, "resourceAccount");
        context = copy(context);
        requireNonNull(resourcePolicy, "resourcePolicy");
        requireNonNull(facts, "facts");
    }

    /**
     * What the service observed about a request, for the global condition keys.
     *
     * @param receivedAt when it arrived ({@code aws:CurrentTime}, {@code aws:EpochTime}, MFA age)
     * @param sourceIp the client's address ({@code aws:SourceIp})
     * @param secureTransport whether it came over TLS ({@code aws:SecureTransport})
     * @param region the region the request was signed for, or served in ({@code aws:RequestedRegion}); empty when
     *     neither is known (a Signature Version 2 request, which names no region, at a service that did not say its
     *     own): the key is then absent, as any key no one knows
     * @param userAgent the {@code User-Agent} header ({@code aws:UserAgent})
     */
    public record RequestFacts(Instant receivedAt, String sourceIp, boolean secureTransport, Optional<String> region,
            Optional<String> userAgent) {
        public RequestFacts {
            requireNonNull(receivedAt, "receivedAt");
            requireNonNull(sourceIp, "sourceIp");
            requireNonNull(region, "region");
            requireNonNull(userAgent, "userAgent");
        }
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> context) {
        var copy = new LinkedHashMap<String, List<String>>();
        context.forEach((key, values) -> copy.put(key, List.copyOf(values)));
        return java.util.Collections.unmodifiableMap(copy);
    }
}
