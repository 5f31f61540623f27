package org.opensts.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.opensts.iam.jdbc.StoreException;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.shape.Struct;
import org.opensts.sts.AssumeRoleRequest;
import org.opensts.sts.AssumeRoleResponse;
import org.opensts.sts.AssumeRoleWithSamlRequest;
import org.opensts.sts.AssumeRoleWithSamlResponse;
import org.opensts.sts.AssumeRoleWithWebIdentityRequest;
import org.opensts.sts.AssumeRoleWithWebIdentityResponse;
import org.opensts.sts.AssumedRoleUser;
import org.opensts.sts.CallerIdentity;
import org.opensts.sts.GetCallerIdentityResponse;
import org.opensts.sts.GetFederationTokenRequest;
import org.opensts.sts.GetFederationTokenResponse;
import org.opensts.sts.GetSessionTokenRequest;
import org.opensts.sts.GetWebIdentityTokenRequest;
import org.opensts.sts.GetWebIdentityTokenResponse;
import org.opensts.sts.RequestMetadata;
import org.opensts.sts.StsService;
import org.opensts.sts.StsShapes;
import org.opensts.sts.VerifiedFederatedCaller;
import org.opensts.sts.WebIdentityTokens;
import org.opensts.token.TemporaryCredentials;

/**
 * The STS operations (Version 2011-06-15) as Query actions: bind, call {@link StsService}, render the result in the
 * model's member names. Operations not built yet answer with a well-formed error rather than silence.
 */
final class StsActions {
    /**
     * AssumeRoot needs an AWS Organizations management account, or a delegated administrator for IAM, with
     * centralized root access enabled (IAM User Guide, "Centralize root access for member accounts"). OpenSTS
     * accounts belong to no organization, so every caller is in the position of an AWS account without that feature.
     */
    static final String ASSUME_ROOT_REFUSED = "AssumeRoot is not available: the calling account is not the "
            + "management account or a delegated administrator of an organization with centralized root access "
            + "enabled. Accounts on this service belong to no organization.";
    /**
     * GetDelegatedAccessToken redeems a trade-in token issued by IAM's delegated-access flow, which this service does
     * not run: no trade-in token can be valid here.
     */
    static final String GET_DELEGATED_ACCESS_TOKEN_REFUSED = "The trade-in token is not valid: this service issues "
            + "no trade-in tokens, as IAM delegated access is not available on it.";

    private final StsService sts;
    private final WebIdentityTokens webIdentityTokens;

    private StsActions(StsService sts, WebIdentityTokens webIdentityTokens) {
        this.sts = sts;
        this.webIdentityTokens = webIdentityTokens;
    }

    static List<QueryAction> all(StsService sts, WebIdentityTokens webIdentityTokens) {
        var actions = new StsActions(sts, webIdentityTokens);
        return List.of(
                action("AssumeRole", StsShapes.ASSUME_ROLE_REQUEST, actions::assumeRole),
                action("GetCallerIdentity", StsShapes.GET_CALLER_IDENTITY_REQUEST, actions::getCallerIdentity),
                action("GetAccessKeyInfo", StsShapes.GET_ACCESS_KEY_INFO_REQUEST, actions::getAccessKeyInfo),
                // Unsigned: the assertion or the token speaks for the caller.
                action("AssumeRoleWithSAML", StsShapes.ASSUME_ROLE_WITH_SAML_REQUEST, /* signed= */ false,
                        actions::assumeRoleWithSAML),
                action("AssumeRoleWithWebIdentity", StsShapes.ASSUME_ROLE_WITH_WEB_IDENTITY_REQUEST,
                        /* signed= */ false, actions::assumeRoleWithWebIdentity),
                refused("AssumeRoot", StsShapes.ASSUME_ROOT_REQUEST, ASSUME_ROOT_REFUSED),
                // The decoded message stays out of the audit event: it is privileged, and the caller has it.
                action("DecodeAuthorizationMessage", StsShapes.DECODE_AUTHORIZATION_MESSAGE_REQUEST,
                        actions::decodeAuthorizationMessage),
                refused("GetDelegatedAccessToken", StsShapes.GET_DELEGATED_ACCESS_TOKEN_REQUEST,
                        GET_DELEGATED_ACCESS_TOKEN_REFUSED),
                action("GetFederationToken", StsShapes.GET_FEDERATION_TOKEN_REQUEST, actions::getFederationToken),
                action("GetSessionToken", StsShapes.GET_SESSION_TOKEN_REQUEST, actions::getSessionToken),
                action("GetWebIdentityToken", StsShapes.GET_WEB_IDENTITY_TOKEN_REQUEST, actions::getWebIdentityToken));
    }

    private ActionResult assumeRole(Optional<CallerIdentity> caller, RequestMetadata metadata, Struct input) {
        AssumeRoleResponse response = sts.assumeRole(caller.orElseThrow(), metadata,
                AssumeRoleRequest.from(input));
        return ActionResult.of(xml -> {
            response.sourceIdentity().ifPresent(id -> xml.element("SourceIdentity", id));
            xml.start("AssumedRoleUser")
                    .element("AssumedRoleId", response.assumedRoleUser().assumedRoleId())
                    .element("Arn", response.assumedRoleUser().arn())
                    .end();
            writeCredentials(xml, response.credentials());
            response.packedPolicySize().ifPresent(size -> xml.element("PackedPolicySize", size));
        }, auditElements(response));
    }

    private ActionResult getCallerIdentity(Optional<CallerIdentity> caller, RequestMetadata metadata, Struct input) {
        GetCallerIdentityResponse response = sts.getCallerIdentity(caller.orElseThrow());
        return ActionResult.of(xml -> xml
                .element("UserId", response.userId())
                .element("Account", response.account())
                .element("Arn", response.arn()), Map.of());
    }

    private ActionResult getAccessKeyInfo(Optional<CallerIdentity> caller, RequestMetadata metadata, Struct input) {
        String account = sts.getAccessKeyInfo(caller.orElseThrow(), metadata,
                input.requiredString("AccessKeyId"));
        return ActionResult.of(xml -> xml.element("Account", account), Map.of("account", account));
    }

    private ActionResult assumeRoleWithSAML(Optional<CallerIdentity> caller, RequestMetadata metadata, Struct input) {
        AssumeRoleWithSamlRequest request = AssumeRoleWithSamlRequest.from(input);
        var verified = new VerifiedCallerSlot();
        AssumeRoleWithSamlResponse response;
        try {
            response = sts.assumeRoleWithSaml(metadata, request, verified);
        } catch (ApiException e) {
            throw verified.refusedAfterVerification(e);
        } catch (StoreException.UnavailableException e) {
            throw verified.unavailableAfterVerification(e, metadata.requestId());
        }
        return ActionResult.of(xml -> writeSaml(xml, response), auditElements(response));
    }

    private ActionResult assumeRoleWithWebIdentity(Optional<CallerIdentity> caller, RequestMetadata metadata,
            Struct input) {
        AssumeRoleWithWebIdentityRequest request = AssumeRoleWithWebIdentityRequest.from(input);
        var verified = new VerifiedCallerSlot();
        AssumeRoleWithWebIdentityResponse response;
        try {
            response = sts.assumeRoleWithWebIdentity(metadata, request, verified);
        } catch (ApiException e) {
            throw verified.refusedAfterVerification(e);
        } catch (StoreException.UnavailableException e) {
            throw verified.unavailableAfterVerification(e, metadata.requestId());
        }
        return ActionResult.of(xml -> writeWebIdentity(xml, response), auditElements(response));
    }

    /**
     * Who a federation call's token or assertion names, once it has checked out: a call refused after that point is
     * recorded as that federated user's, as CloudTrail records the non-authenticated AssumeRoleWithWebIdentity and
     * AssumeRoleWithSAML requests with the information their identity provider gave (IAM User Guide, "Logging IAM
     * and AWS STS API calls with AWS CloudTrail"). A call refused before it — a token or assertion that is malformed,
     * expired, badly signed, for another audience or of an unknown provider — names no one: its claims are whatever
     * the caller wrote, so none of them reaches the event.
     */
    private static final class VerifiedCallerSlot implements Consumer<VerifiedFederatedCaller> {
        private VerifiedFederatedCaller verified;

        @Override
        public void accept(VerifiedFederatedCaller caller) {
            verified = caller;
        }

        /** The refusal as it is, or with the federated user when the token or assertion had checked out. */
        RuntimeException refusedAfterVerification(ApiException refusal) {
            return verified == null ? refusal : new RefusedFederatedCall(refusal, verified);
        }

        /**
         * A store that could not be reached, as it is, or, when the token or assertion had checked out (the role's
         * lookup, the assertion's replay record failed after it), answered {@code ServiceUnavailable} with the
         * federated user, as any other refusal after that point.
         */
        RuntimeException unavailableAfterVerification(StoreException.UnavailableException failure, String requestId) {
            return verified == null ? failure
                    : new RefusedFederatedCall(StoreUnavailable.answer(failure, requestId), verified);
        }
    }

    private ActionResult decodeAuthorizationMessage(Optional<CallerIdentity> caller, RequestMetadata metadata,
            Struct input) {
        String decoded = sts.decodeAuthorizationMessage(caller.orElseThrow(), metadata,
                input.requiredString("EncodedMessage"));
        return ActionResult.of(xml -> xml.element("DecodedMessage", decoded), Map.of());
    }

    private ActionResult getFederationToken(Optional<CallerIdentity> caller, RequestMetadata metadata, Struct input) {
        GetFederationTokenResponse response = sts.getFederationToken(caller.orElseThrow(), metadata,
                GetFederationTokenRequest.from(input));
        return ActionResult.of(xml -> {
            writeCredentials(xml, response.credentials());
            xml.start("FederatedUser")
                    .element("FederatedUserId", response.federatedUserId())
                    .element("Arn", response.arn())
                    .end();
            xml.element("PackedPolicySize", response.packedPolicySize());
        }, AuditElements.of("credentials", credentialsElements(response.credentials()),
                "federatedUser", AuditElements.of("federatedUserId", response.federatedUserId(),
                        "arn", response.arn())));
    }

    private ActionResult getSessionToken(Optional<CallerIdentity> caller, RequestMetadata metadata, Struct input) {
        TemporaryCredentials credentials = sts.getSessionToken(caller.orElseThrow(),
                GetSessionTokenRequest.from(input));
        return ActionResult.of(xml -> writeCredentials(xml, credentials),
                Map.of("credentials", credentialsElements(credentials)));
    }

    private ActionResult getWebIdentityToken(Optional<CallerIdentity> caller, RequestMetadata metadata, Struct input) {
        GetWebIdentityTokenResponse response = webIdentityTokens.getWebIdentityToken(caller.orElseThrow(),
                metadata, GetWebIdentityTokenRequest.from(input));
        // The token is a bearer credential: rendered here, never audited.
        return ActionResult.of(xml -> xml
                .element("WebIdentityToken", response.webIdentityToken().revealUtf8())
                .element("Expiration", response.expiration()),
                Map.of("expiration", response.expiration().toString()));
    }

    /** {@code <Credentials>}: the one place a secret access key and a session token are written out. */
    static void writeCredentials(ResultWriter xml, TemporaryCredentials credentials) {
        String sessionToken = credentials.sessionToken().revealUtf8();
        // Room for the token, this element and the rest of the document, in one step rather than two doublings.
        xml.reserve(sessionToken.length() + 512);
        xml.start("Credentials")
                .element("AccessKeyId", credentials.accessKeyId())
                .element("SecretAccessKey", credentials.secretAccessKey().revealUtf8())
                .element("SessionToken", sessionToken)
                .element("Expiration", credentials.expiration())
                .end();
    }

    /** What an audit event may say of issued credentials: the key id and expiry, never the secret or the token. */
    private static Map<String, Object> credentialsElements(TemporaryCredentials credentials) {
        return AuditElements.of("accessKeyId", credentials.accessKeyId(),
                "expiration", credentials.expiration().toString());
    }

    /** AssumeRoleWithSAMLResult's members, in the order AWS's responses list them. */
    private static void writeSaml(ResultWriter xml, AssumeRoleWithSamlResponse response) {
        xml.element("Audience", response.audience());
        writeAssumedRoleUser(xml, response.assumedRoleUser());
        writeCredentials(xml, response.credentials());
        response.packedPolicySize().ifPresent(size -> xml.element("PackedPolicySize", size));
        xml.element("Subject", response.subject());
        response.subjectType().ifPresent(type -> xml.element("SubjectType", type));
        xml.element("Issuer", response.issuer());
        xml.element("NameQualifier", response.nameQualifier());
        response.sourceIdentity().ifPresent(id -> xml.element("SourceIdentity", id));
    }

    /** AssumeRoleWithWebIdentityResult's members, in the order AWS's responses list them. */
    private static void writeWebIdentity(ResultWriter xml, AssumeRoleWithWebIdentityResponse response) {
        xml.element("Audience", response.audience());
        writeAssumedRoleUser(xml, response.assumedRoleUser());
        xml.element("Provider", response.provider());
        writeCredentials(xml, response.credentials());
        response.packedPolicySize().ifPresent(size -> xml.element("PackedPolicySize", size));
        response.sourceIdentity().ifPresent(id -> xml.element("SourceIdentity", id));
        xml.element("SubjectFromWebIdentityToken", response.subjectFromWebIdentityToken());
    }

    private static void writeAssumedRoleUser(ResultWriter xml, AssumedRoleUser user) {
        xml.start("AssumedRoleUser")
                .element("AssumedRoleId", user.assumedRoleId())
                .element("Arn", user.arn())
                .end();
    }

    /** What the audit log may say of a SAML session: never the assertion, the secret or the session token. */
    private static Map<String, Object> auditElements(AssumeRoleWithSamlResponse response) {
        var elements = new LinkedHashMap<String, Object>();
        elements.put("credentials", credentialsElements(response.credentials()));
        elements.put("assumedRoleUser", assumedRoleUserElements(response.assumedRoleUser()));
        response.packedPolicySize().ifPresent(size -> elements.put("packedPolicySize", size));
        elements.put("subject", response.subject());
        response.subjectType().ifPresent(type -> elements.put("subjectType", type));
        elements.put("issuer", response.issuer());
        elements.put("audience", response.audience());
        elements.put("nameQualifier", response.nameQualifier());
        response.sourceIdentity().ifPresent(id -> elements.put("sourceIdentity", id));
        return elements;
    }

    /** What the audit log may say of a web identity session: never the token, the secret or the session token. */
    private static Map<String, Object> auditElements(AssumeRoleWithWebIdentityResponse response) {
        var elements = new LinkedHashMap<String, Object>();
        elements.put("credentials", credentialsElements(response.credentials()));
        elements.put("subjectFromWebIdentityToken", response.subjectFromWebIdentityToken());
        elements.put("assumedRoleUser", assumedRoleUserElements(response.assumedRoleUser()));
        response.packedPolicySize().ifPresent(size -> elements.put("packedPolicySize", size));
        elements.put("provider", response.provider());
        elements.put("audience", response.audience());
        response.sourceIdentity().ifPresent(id -> elements.put("sourceIdentity", id));
        return elements;
    }

    private static Map<String, Object> assumedRoleUserElements(AssumedRoleUser user) {
        return AuditElements.of("assumedRoleId", user.assumedRoleId(), "arn", user.arn());
    }

    private static Map<String, Object> auditElements(AssumeRoleResponse response) {
        var elements = new LinkedHashMap<String, Object>();
        elements.put("credentials", credentialsElements(response.credentials()));
        elements.put("assumedRoleUser", assumedRoleUserElements(response.assumedRoleUser()));
        response.packedPolicySize().ifPresent(size -> elements.put("packedPolicySize", size));
        response.sourceIdentity().ifPresent(id -> elements.put("sourceIdentity", id));
        return elements;
    }

    @FunctionalInterface
    interface Handler {
        ActionResult handle(Optional<CallerIdentity> caller, RequestMetadata metadata, Struct input);
    }

    static QueryAction action(String name, StructureShape input, Handler handler) {
        return action(name, input, /* signed= */ true, handler);
    }

    static QueryAction action(String name, StructureShape input, boolean signed, Handler handler) {
        return new QueryAction() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public StructureShape input() {
                return input;
            }

            @Override
            public boolean signed() {
                return signed;
            }

            @Override
            public ActionResult invoke(Optional<CallerIdentity> caller, RequestMetadata metadata, Struct struct) {
                return handler.handle(caller, metadata, struct);
            }
        };
    }

    /**
     * An operation whose precondition no account on this service meets: the request is authenticated and its
     * parameters validated as for any call, then refused with {@code AccessDenied}.
     */
    private static QueryAction refused(String name, StructureShape input, String message) {
        return action(name, input, (caller, metadata, struct) -> {
            throw new ApiException(ErrorCode.ACCESS_DENIED, message);
        });
    }

}
