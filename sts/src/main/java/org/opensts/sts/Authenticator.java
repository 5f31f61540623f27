package org.opensts.sts;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiConsumer;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.AccessKeyLastUsed;
import org.opensts.iam.AccessKeyStatus;
import org.opensts.iam.IdentityReader;
import org.opensts.iam.User;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.sigv4.SigV4Exception;
import org.opensts.sigv4.SigV4Verifier;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SignedRequest;
import org.opensts.token.AccessKeyIds;
import org.opensts.token.InvalidTokenException;
import org.opensts.token.OpenedSession;
import org.opensts.token.RegionScope;
import org.opensts.token.Secret;
import org.opensts.token.Session;
import org.opensts.token.SessionType;

/**
 * Finds who signed a request (IAM User Guide, "AWS Signature Version 4 for API requests"). A long-term {@code AKIA…}
 * key is looked up in the identity store (the cache, on the hot path); a temporary {@code ASIA…} key is authenticated
 * by opening its session token, which needs no I/O. Either way the signature is then checked with the secret found.
 *
 * <p>Every failure is AWS's: {@code MissingAuthenticationToken}, {@code IncompleteSignature},
 * {@code InvalidClientTokenId} (unknown or inactive key, a token that does not open or does not belong to the key, an
 * AWS version 1 token used in an opt-in region),
 * {@code ExpiredToken} and {@code SignatureDoesNotMatch}, all 403. No message says which check failed for a token.
 */
public final class Authenticator {
    static final String INVALID_TOKEN_MESSAGE = "The security token included in the request is invalid.";
    static final String EXPIRED_TOKEN_MESSAGE = "The security token included in the request is expired";

    private final SigV4Verifier verifier;
    private final IdentityReader identities;
    private final SharedKeyRing keyRing;
    private final Clock clock;
    /** Told of each long-term key that authenticates a request; nothing until a node sets it. */
    private volatile BiConsumer<String, AccessKeyLastUsed> accessKeyUses = (accessKeyId, use) -> { };

    public Authenticator(SigV4Verifier verifier, IdentityReader identities, SharedKeyRing keyRing, Clock clock) {
        this.verifier = verifier;
        this.identities = identities;
        this.keyRing = keyRing;
        this.clock = clock;
    }

    /**
     * Authenticates a request signed for {@code service} ({@code sts} or {@code iam}).
     *
     * @return the caller, and the region the request was signed for
     * @throws ApiException with AWS's authentication error if the request is not authentic
     */
    public Authenticated authenticate(SignableRequest request, String service) {
        SignedRequest signed;
        try {
            signed = verifier.parse(request);
        } catch (SigV4Exception e) {
            throw toApiException(e);
        }
        if (!signed.credentialScope().service().equals(service)) {
            throw new ApiException(ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                    "Credential should be scoped to correct service: '" + service + "'. ");
        }
        Instant now = clock.instant();
        String accessKeyId = signed.accessKeyId();
        CallerIdentity caller;
        if (accessKeyId.startsWith(AccessKeyIds.TEMPORARY_PREFIX)) {
            OpenedSession opened = openSession(accessKeyId, signed.securityToken());
            verify(signed, request, opened.secretAccessKey(), now);
            Session session = opened.session();
            if (session.isExpiredAt(now)) {
                throw new ApiException(ErrorCode.EXPIRED_TOKEN, EXPIRED_TOKEN_MESSAGE);
            }
            if (session.regionScope() == RegionScope.DEFAULT_REGIONS
                    && AwsRegions.isOptIn(signed.credentialScope().region())) {
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
            if (signed.securityToken().isPresent()) {
                // A session token belongs with the temporary key it was issued for, never with a long-term key.
                throw new ApiException(ErrorCode.INVALID_CLIENT_TOKEN_ID, INVALID_TOKEN_MESSAGE);
            }
            AccessKeyCredentials key = identities.findAccessKey(accessKeyId)
                    .filter(found -> found.accessKey().status() == AccessKeyStatus.ACTIVE)
                    .orElseThrow(() -> new ApiException(ErrorCode.INVALID_CLIENT_TOKEN_ID, INVALID_TOKEN_MESSAGE));
            verify(signed, request, key.secretAccessKey(), now);
            User user = identities.findUserById(key.accessKey().userId())
                    .orElseThrow(() -> new ApiException(ErrorCode.INVALID_CLIENT_TOKEN_ID, INVALID_TOKEN_MESSAGE));
            caller = CallerIdentity.ofUser(user, accessKeyId);
            accessKeyUses.accept(accessKeyId, new AccessKeyLastUsed(now, signed.credentialScope().region(), service));
        }
        return new Authenticated(caller, signed.credentialScope().region());
    }

    /**
     * Tells {@code listener} of each request a long-term access key authenticates from now on: the key id, and when,
     * for which service and in which region it signed. The listener runs on the request's path, so it must be quick
     * and do no I/O; a node records into a {@link org.opensts.iam.LastUsedRecorder} that it flushes on a schedule.
     */
    public void onAccessKeyUse(BiConsumer<String, AccessKeyLastUsed> listener) {
        accessKeyUses = requireNonNull(listener, "listener");
    }

    /** An authenticated caller and the region its request was signed for. */
    public record Authenticated(CallerIdentity caller, String region) {
    }

    private OpenedSession openSession(String accessKeyId, Optional<String> token) {
        if (token.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_CLIENT_TOKEN_ID, INVALID_TOKEN_MESSAGE);
        }
        OpenedSession opened;
        try {
            opened = keyRing.codec().open(token.get());
        } catch (InvalidTokenException first) {
            // Another node may have rotated a moment ago: reload once if the token names a key we lack.
            OptionalInt keyId = keyRing.codec().peekUnverifiedKeyId(token.get());
            if (keyId.isEmpty() || !keyRing.reloadFor(keyId.getAsInt())) {
                throw new ApiException(ErrorCode.INVALID_CLIENT_TOKEN_ID, INVALID_TOKEN_MESSAGE);
            }
            try {
                opened = keyRing.codec().open(token.get());
            } catch (InvalidTokenException second) {
                throw new ApiException(ErrorCode.INVALID_CLIENT_TOKEN_ID, INVALID_TOKEN_MESSAGE);
            }
        }
        if (!opened.session().accessKeyId().equals(accessKeyId)) {
            throw new ApiException(ErrorCode.INVALID_CLIENT_TOKEN_ID, INVALID_TOKEN_MESSAGE);
        }
        return opened;
    }

    private void verify(SignedRequest signed, SignableRequest request, Secret secret, Instant now) {
        try {
            verifier.verify(signed, request, secret.revealBytes(), now);
        } catch (SigV4Exception e) {
            throw toApiException(e);
        }
    }

    static ApiException toApiException(SigV4Exception e) {
        ErrorCode code = switch (e.failure()) {
            case MISSING_AUTHENTICATION_TOKEN -> ErrorCode.MISSING_AUTHENTICATION_TOKEN;
            case INCOMPLETE_SIGNATURE -> ErrorCode.INCOMPLETE_SIGNATURE;
            case SIGNATURE_DOES_NOT_MATCH, SIGNATURE_EXPIRED, SIGNATURE_NOT_YET_CURRENT ->
                    ErrorCode.SIGNATURE_DOES_NOT_MATCH;
        };
        return new ApiException(code, e.getMessage());
    }
}
