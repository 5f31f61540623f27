package org.opensts.gateway;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.opensts.verifier.AccessAuthorizer;
import org.opensts.verifier.AccessDecision;
import org.opensts.verifier.AccessRequest;
import org.opensts.verifier.ReceivedRequest;
import org.opensts.verifier.RequestAuthenticator;
import org.opensts.verifier.Verification;
import org.opensts.verifier.VerificationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a received request may go upstream: authenticates it for {@code s3}, maps it to what S3 would
 * authorize, and asks the authorizer for every required access, each with the policy of the bucket it touches as the
 * resource policy and the node's account as the resource account. Any refusal refuses the request. Runs off the event
 * loop: a cold cache may read the store.
 */
final class AccessGate {
    private static final Logger LOG = LoggerFactory.getLogger(AccessGate.class);
    static final String SERVICE = "s3";

    private final RequestAuthenticator authenticator;
    private final AccessAuthorizer authorizer;
    private final RequestMapping mapping;
    private final BucketPolicies policies;
    private final String accountId;
    private final Clock clock;

    AccessGate(RequestAuthenticator authenticator, AccessAuthorizer authorizer, RequestMapping mapping,
            BucketPolicies policies, String accountId, Clock clock) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.mapping = mapping;
        this.policies = policies;
        this.accountId = accountId;
        this.clock = clock;
    }

    /** A request that may proceed, with its caller and the checks its body still owes. */
    record Admission(Verification verification, MappedRequest request) {
    }

    /** Authenticates, maps and authorizes {@code request}. */
    Admission admit(ReceivedRequest request) throws S3ErrorException {
        Verification verification;
        try {
            verification = authenticator.verify(request, SERVICE);
        } catch (VerificationException e) {
            throw refusal(e);
        }
        MappedRequest mapped = mapping.map(request);
        authorize(verification, request, mapped.accesses());
        return new Admission(verification, mapped);
    }

    /** Asks for every access in turn; the first refusal refuses the request. */
    void authorize(Verification verification, ReceivedRequest request, List<RequiredAccess> accesses)
            throws S3ErrorException {
        var facts = new AccessRequest.RequestFacts(clock.instant(), request.sourceIp(), request.secureTransport(),
                verification.region(), request.firstHeader("User-Agent"));
        for (RequiredAccess access : accesses) {
            Optional<String> bucketPolicy = access.bucket().flatMap(policies::find);
            AccessDecision decision = authorizer.authorize(new AccessRequest(verification.caller(), access.action(),
                    access.resourceArn(), Optional.of(accountId), access.context(), bucketPolicy, facts));
            if (!decision.allowed()) {
                if (LOG.isDebugEnabled()) {
                    LOG.debug("Refused {} on {} to {}: {}", access.action(), access.resourceArn(),
                            verification.caller().arn(), decision.reasons());
                }
                throw new S3ErrorException(S3Error.accessDenied());
            }
        }
    }

    /** The S3 error of a request that is not authentic, with the verifier's message (it holds no secret). */
    static S3ErrorException refusal(VerificationException e) {
        return new S3ErrorException(new S3Error(e.failure().httpStatus(), e.failure().s3Code(), e.getMessage()));
    }
}
