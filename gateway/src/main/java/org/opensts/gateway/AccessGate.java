package org.opensts.gateway;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.opensts.gateway.s3.DeleteObjectsBody;
import org.opensts.gateway.s3.S3Arns;
import org.opensts.gateway.s3.S3Authorization;
import org.opensts.gateway.s3.S3ConditionKeys;
import org.opensts.gateway.s3.S3Error;
import org.opensts.gateway.s3.S3ErrorCode;
import org.opensts.gateway.s3.S3Keys;
import org.opensts.gateway.s3.S3Errors;
import org.opensts.gateway.s3.S3Exception;
import org.opensts.gateway.s3.S3ObjectRef;
import org.opensts.gateway.s3.S3Operation;
import org.opensts.gateway.s3.S3RequestClassifier;
import org.opensts.gateway.s3.TaggingBody;
import org.opensts.verifier.AccessAuthorizer;
import org.opensts.verifier.AccessDecision;
import org.opensts.verifier.AccessRequest;
import org.opensts.verifier.DecisionBudget;
import org.opensts.verifier.EvaluationRefusedException;
import org.opensts.verifier.ReceivedRequest;
import org.opensts.verifier.RequestAuthenticator;
import org.opensts.verifier.Verification;
import org.opensts.verifier.VerificationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a received request may go upstream: authenticates it for {@code s3}, classifies it as S3 would, and
 * asks the authorizer for every authorization the operation needs (CopyObject: the source and the target;
 * DeleteObjects: every key), each with the policy of the bucket it touches as the resource policy and the node's account as the
 * resource account. Any refusal refuses the request. Runs off the event loop: a cold cache may read the store, and an
 * object's tags may have to be fetched from the upstream store.
 */
final class AccessGate {
    private static final Logger LOG = LoggerFactory.getLogger(AccessGate.class);
    static final String SERVICE = "s3";
    private static final String SIGV4_ALGORITHM = "AWS4-HMAC-SHA256";

    private final RequestAuthenticator authenticator;
    private final AccessAuthorizer authorizer;
    private final S3RequestClassifier classifier;
    private final BucketPolicyStore policies;
    private final ObjectTags objectTags;
    private final String accountId;
    private final String region;
    private final Clock clock;

    AccessGate(RequestAuthenticator authenticator, AccessAuthorizer authorizer, S3RequestClassifier classifier,
            BucketPolicyStore policies, ObjectTags objectTags, String accountId,
            String region, Clock clock) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.classifier = classifier;
        this.policies = policies;
        this.objectTags = objectTags;
        this.accountId = accountId;
        this.region = region;
        this.clock = clock;
    }

    /**
     * A request that may proceed (or, for DeleteObjects and PutObjectTagging, whose body must be read first), with its
     * caller and the query to send upstream: the request's own parameters, encoded again the way they were read.
     */
    record Admission(Verification verification, S3Operation operation, String upstreamQuery) {
    }

    /**
     * Authenticates, classifies and authorizes {@code request}. An operation authorized by its body (DeleteObjects,
     * PutObjectTagging) is admitted once authenticated, its objects' tags already taken; {@link #authorizeBody}
     * authorizes it when its body has been read.
     */
    Admission admit(ReceivedRequest request) throws S3Exception {
        Admission admission = recognize(request);
        authorizeHead(admission, request);
        return admission;
    }

    /**
     * Authenticates and classifies {@code request}, authorizing nothing yet: the caller and the operation are known
     * from here on, so that a refusal of {@link #authorizeHead} can be recorded with them.
     */
    Admission recognize(ReceivedRequest request) throws S3Exception {
        Instant receivedAt = clock.instant();
        Verification verification;
        try {
            // Signature Version 2 names no region: it is served in the gateway's, or refused where S3 takes SigV4 only.
            verification = authenticator.verify(request, SERVICE).servedIn(region);
        } catch (VerificationException e) {
            throw S3Errors.forVerification(e).toException();
        }
        checkSigningRegion(request, verification);
        S3Operation operation = classifier.classify(request, receivedAt);
        String upstreamQuery = S3Keys.reencodeQuery(UpstreamRequests.withoutSignatureParameters(request.rawQuery()));
        return new Admission(verification, operation, upstreamQuery);
    }

    /**
     * Authorizes a recognized request by its head; an operation authorized by its body waits for
     * {@link #authorizeBody}.
     *
     * @throws S3Exception {@code AccessDenied} when any authorization is refused
     */
    void authorizeHead(Admission admission, ReceivedRequest request) throws S3Exception {
        if (!admission.operation().needsBody()) {
            authorize(admission.verification(), request, admission.operation());
        }
    }

    /**
     * Refuses a SigV4 signature scoped to another region than the gateway's, as S3 refuses one scoped to another region
     * than the bucket's, naming the region it expects (the SDKs read it to sign again). Signature Version 2 has no
     * region (it is served in the gateway's), and a SigV4a signature names a region set, which the verifier has
     * checked.
     */
    private void checkSigningRegion(ReceivedRequest request, Verification verification) throws S3Exception {
        String signedFor = verification.region();
        if (signedFor.equals(region)) {
            return;
        }
        Optional<String> authorization = request.firstHeader("Authorization");
        boolean headerSigV4 = authorization.filter(value -> value.startsWith(SIGV4_ALGORITHM + " ")).isPresent();
        boolean presignedSigV4 = authorization.isEmpty()
                && request.rawQuery().contains("X-Amz-Algorithm=" + SIGV4_ALGORITHM);
        if (!headerSigV4 && !presignedSigV4) {
            return;
        }
        String wrong = "the region '" + signedFor + "' is wrong; expecting '" + region + "'";
        S3Error error = headerSigV4
                ? S3Error.of(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED,
                        "The authorization header is malformed; " + wrong)
                : S3Error.of(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                        "Error parsing the X-Amz-Credential parameter; " + wrong);
        throw error.withDetail("Region", region).toException();
    }

    /**
     * Authorizes an operation by its (checked, decoded) body: DeleteObjects as a delete of every key it names,
     * PutObjectTagging with the tags it sets.
     */
    S3Operation authorizeBody(Admission admission, ReceivedRequest request, byte[] body) throws S3Exception {
        S3Operation operation = admission.operation();
        operation = operation.needsDeleteObjectsBody() ? operation.withDeleteObjects(DeleteObjectsBody.parse(body))
                : operation.withTaggingBody(TaggingBody.parse(body));
        authorize(admission.verification(), request, operation);
        return operation;
    }

    /**
     * Asks for every authorization in turn; the first refusal refuses the request. An object's current tags
     * ({@code s3:ExistingObjectTag/<key>}) are fetched from the upstream store only when a statement that applied to
     * the decision tested them and they were missing, and the authorization is then decided again with them: most
     * requests cost no extra round trip, and a Deny conditioned on a tag is never passed by its absence.
     */
    private void authorize(Verification verification, ReceivedRequest request, S3Operation operation)
            throws S3Exception {
        var facts = new AccessRequest.RequestFacts(clock.instant(), request.sourceIp(), request.secureTransport(),
                Optional.of(verification.region()), request.firstHeader("User-Agent"));
        var fetchedTags = new HashMap<S3ObjectRef, Map<String, String>>();
        // The request's decisions are priced together: a DeleteObjects of many keys as one request.
        var budget = new DecisionBudget();
        for (S3Authorization authorization : operation.authorizations()) {
            AccessDecision decision = decide(verification, authorization, facts, budget);
            Optional<S3ObjectRef> tagged = authorization.existingTagsOf();
            if (tagged.isPresent() && testedExistingObjectTags(decision)) {
                Map<String, String> tags = fetchedTags.get(tagged.get());
                if (tags == null) {
                    tags = objectTags.tags(tagged.get());
                    fetchedTags.put(tagged.get(), tags);
                }
                decision = decide(verification, authorization.withExistingTags(tags), facts, budget);
            }
            if (!decision.allowed()) {
                if (LOG.isDebugEnabled()) {
                    LOG.debug("Refused {} on {} to {}: {}", authorization.action(), authorization.resourceArn(),
                            verification.caller().arn(), decision.reasons());
                }
                throw S3Error.of(S3ErrorCode.ACCESS_DENIED).toException();
            }
        }
    }

    /**
     * One authorization's decision, its work counted in the request's {@code budget}. A request too costly to decide
     * (long condition key values against a bucket policy of many conditions, or too many such decisions) is S3's
     * {@code InvalidRequest}; a costly one given no turn (see SessionAuthorizer) is S3's {@code SlowDown}, which SDKs
     * retry.
     */
    private AccessDecision decide(Verification verification, S3Authorization authorization,
            AccessRequest.RequestFacts facts, DecisionBudget budget) throws S3Exception {
        Optional<String> bucketPolicy = bucketOf(authorization.resourceArn()).flatMap(policies::find);
        try {
            return authorizer.authorize(new AccessRequest(verification.caller(), authorization.action(),
                    authorization.resourceArn(), Optional.of(accountId), authorization.context(), bucketPolicy,
                    facts), budget);
        } catch (EvaluationRefusedException e) {
            throw switch (e.reason()) {
                case TOO_COSTLY -> S3Error.of(S3ErrorCode.INVALID_REQUEST, e.getMessage()).toException();
                case BUSY -> S3Error.of(S3ErrorCode.SLOW_DOWN).toException();
            };
        }
    }

    /** Whether a statement that applied to the decision tested an object tag the request did not carry. */
    private static boolean testedExistingObjectTags(AccessDecision decision) {
        String prefix = S3ConditionKeys.EXISTING_OBJECT_TAG_PREFIX;
        for (String key : decision.decision().missingContextValues()) {
            if (key.regionMatches(true, 0, prefix, 0, prefix.length())) {
                return true;
            }
        }
        return false;
    }

    /** The bucket an S3 ARN names, whose policy is the resource policy of the decision; none for {@code *}. */
    static Optional<String> bucketOf(String resourceArn) {
        if (!resourceArn.startsWith(S3Arns.PREFIX)) {
            return Optional.empty();
        }
        String rest = resourceArn.substring(S3Arns.PREFIX.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        return bucket.isEmpty() ? Optional.empty() : Optional.of(bucket);
    }
}
