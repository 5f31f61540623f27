package org.opensts.sts;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.opensts.iam.AccessKeyLastUsed;
import org.opensts.iam.IdentityReader;
import org.opensts.iam.User;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.AwsRegions;
import org.opensts.protocol.ErrorCode;
import org.opensts.sigv4.SigV4Verifier;
import org.opensts.sigv4.SignableRequest;
import org.opensts.token.RegionScope;
import org.opensts.token.Session;
import org.opensts.token.SessionType;
import org.opensts.verifier.RequestVerifier;
import org.opensts.verifier.Verification;
import org.opensts.verifier.VerificationException;
import org.opensts.verifier.VerifiedCaller;

/**
 * Finds who signed a request (IAM User Guide, "AWS Signature Version 4 for API requests"), with the same
 * {@link RequestVerifier} a resource service embeds: a long-term {@code AKIA…} key is looked up in the identity store
 * (the cache, on the hot path); a temporary {@code ASIA…} key is authenticated by opening its session token, which
 * needs no I/O. What is STS's own stays here: the request must be signed for {@code sts} (or {@code iam}), an AWS
 * version 1 token does not work in an opt-in region, and failures are answered with the Query API's codes.
 *
 * <p>Every failure is AWS's: {@code MissingAuthenticationToken}, {@code IncompleteSignature},
 * {@code InvalidClientTokenId} (unknown or inactive key, a token that does not open or does not belong to the key, an
 * AWS version 1 token used in an opt-in region),
 * {@code ExpiredToken} and {@code SignatureDoesNotMatch}, all 403. No message says which check failed for a token.
 */
public final class Authenticator {
    static final String INVALID_TOKEN_MESSAGE = "The security token included in the request is invalid.";
    static final String EXPIRED_TOKEN_MESSAGE = "The security token included in the request is expired";

    private final RequestVerifier verifier;
    private final IdentityReader identities;
    private final IdentityLongTermKeys longTermKeys;

    public Authenticator(SigV4Verifier verifier, IdentityReader identities, SharedKeyRing keyRing, Clock clock) {
        this.identities = identities;
        this.longTermKeys = new IdentityLongTermKeys(identities);
        this.verifier = RequestVerifier.builder()
                .sessionKeys(keyRing)
                .longTermKeys(longTermKeys)
                .clock(clock)
                .options(verifier.options())
                // STS speaks SigV4 only, as before the verifier existed.
                .querySignatureV2(false)
                .build();
    }

    /**
     * The verifier behind this authenticator, for requests received by other services that the node checks on their
     * behalf (the authorization API, the S3 gateway): the same key ring, key store and last-use records.
     */
    public RequestVerifier requestVerifier() {
        return verifier;
    }

    /**
     * Authenticates a request signed for {@code service} ({@code sts} or {@code iam}).
     *
     * @return the caller, and the region the request was signed for
     * @throws ApiException with AWS's authentication error if the request is not authentic
     */
    public Authenticated authenticate(SignableRequest request, String service) {
        Verification verification;
        try {
            verification = verifier.verifyBuffered(request, service);
        } catch (VerificationException e) {
            throw toApiException(e);
        }
        VerifiedCaller verified = verification.caller();
        CallerIdentity caller;
        if (verified.session().isPresent()) {
            Session session = verified.session().get();
            if (session.regionScope() == RegionScope.DEFAULT_REGIONS && AwsRegions.isOptIn(verification.region())) {
                // A version 1 token "does not work in manually enabled Regions" (IAM User Guide, "Managing AWS STS in
                // an AWS Region"); AWS answers as for any token it does not accept.
                throw new ApiException(ErrorCode.INVALID_CLIENT_TOKEN_ID, INVALID_TOKEN_MESSAGE);
            }
            // By id, not by name: once the user is deleted its sessions belong to no one, even to a namesake.
            Optional<User> user = session.type() == SessionType.SESSION_USER
                    ? identities.findUserById(session.principalId())
                            .filter(found -> found.accountId().equals(session.accountId()))
                    : Optional.empty();
            caller = CallerIdentity.ofSession(session, user);
        } else {
            User user = identities.findUserById(verified.userId())
                    .orElseThrow(() -> new ApiException(ErrorCode.INVALID_CLIENT_TOKEN_ID, INVALID_TOKEN_MESSAGE));
            caller = CallerIdentity.ofUser(user, verified.accessKeyId());
        }
        return new Authenticated(caller, verification.region());
    }

    /**
     * Tells {@code listener} of each request a long-term access key authenticates from now on: the key id, and when,
     * for which service and in which region it signed. The listener runs on the request's path, so it must be quick
     * and do no I/O; a node records into a {@link org.opensts.iam.LastUsedRecorder} that it flushes on a schedule.
     */
    public void onAccessKeyUse(BiConsumer<String, AccessKeyLastUsed> listener) {
        longTermKeys.onUse(requireNonNull(listener, "listener"));
    }

    /** An authenticated caller and the region its request was signed for. */
    public record Authenticated(CallerIdentity caller, String region) {
    }

    /** The Query API's answer to a failed verification: its code and status, and the verifier's message. */
    public static ApiException toApiException(VerificationException e) {
        return new ApiException(e.failure().queryError(), e.getMessage());
    }
}
