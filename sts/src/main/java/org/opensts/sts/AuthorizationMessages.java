package org.opensts.sts;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.AuthorizationMessage;
import org.opensts.token.AuthorizationMessageCodec;
import org.opensts.token.InvalidAuthorizationMessageException;
import org.opensts.verifier.AuthorizationMessageEncoder;

/**
 * The encoded authorization messages of refused requests: every {@code AccessDenied} that a policy decision causes
 * ends in "Encoded authorization failure message: …", as AWS services' refusals do, and
 * {@code DecodeAuthorizationMessage} turns that text back into AWS's JSON explanation of the decision (STS API
 * Reference, DecodeAuthorizationMessage; the layout is in docs/WIRE.md). The message itself is written by the
 * verifier's {@link AuthorizationMessageEncoder}, so that STS and the services that embed the verifier explain their
 * refusals alike; this class adds AWS's sentence and opens messages for DecodeAuthorizationMessage.
 */
public final class AuthorizationMessages {
    /** DecodeAuthorizationMessage's error for anything this deployment did not issue (or issued too long ago). */
    static final String INVALID_MESSAGE = "The authorization message is not valid or has expired.";

    private final SharedKeyRing keyRing;
    private final Clock clock;
    private final AuthorizationMessageEncoder encoder;

    AuthorizationMessages(SharedKeyRing keyRing, Clock clock) {
        this.keyRing = requireNonNull(keyRing, "keyRing");
        this.clock = requireNonNull(clock, "clock");
        this.encoder = new AuthorizationMessageEncoder(keyRing::messageCodec, clock);
    }

    /** The writer of the messages, sealed with the deployment's current key ring. */
    AuthorizationMessageEncoder encoder() {
        return encoder;
    }

    /**
     * The {@code AccessDenied} for a refusal: AWS's sentence ("User: ARN is not authorized to perform: ACTION on
     * resource: RESOURCE REASON", worded by {@link DenialWording}), then the encoded message, which keeps the
     * resource's ARN.
     */
    ApiException accessDenied(AuthorizationMessageEncoder.Refusal refusal) {
        return ApiException.notAuthorized(refusal.callerArn(), refusal.action(),
                DenialWording.resource(refusal.action(), refusal.resource()),
                DenialWording.reason(refusal.action(), refusal.decision()), encoder.encode(refusal));
    }

    /**
     * Opens a message for a caller of DecodeAuthorizationMessage, who must already be authorized for
     * {@code sts:DecodeAuthorizationMessage}.
     *
     * @throws ApiException {@code InvalidAuthorizationMessageException} for a message this deployment did not issue,
     *     one that has expired, or one issued to a caller of another account
     */
    String decode(CallerIdentity caller, String encodedMessage) {
        AuthorizationMessageCodec codec = keyRing.messageCodec();
        AuthorizationMessage message;
        try {
            message = codec.open(encodedMessage, clock.instant());
        } catch (InvalidAuthorizationMessageException e) {
            // Another node may have rotated the ring a moment ago: reload once (rate-limited) and try again.
            var keyId = codec.peekUnverifiedKeyId(encodedMessage);
            if (e.reason() != InvalidAuthorizationMessageException.Reason.UNKNOWN_KEY || keyId.isEmpty()
                    || !keyRing.reloadFor(keyId.getAsInt())) {
                throw invalid();
            }
            try {
                message = keyRing.messageCodec().open(encodedMessage, clock.instant());
            } catch (InvalidAuthorizationMessageException again) {
                throw invalid();
            }
        }
        if (!message.accountId().equals(caller.accountId())) {
            throw invalid(); // another account's refusal is as unreadable here as another deployment's
        }
        return message.document();
    }

    private static ApiException invalid() {
        return new ApiException(ErrorCode.INVALID_AUTHORIZATION_MESSAGE, INVALID_MESSAGE);
    }
}
