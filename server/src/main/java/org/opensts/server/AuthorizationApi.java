package org.opensts.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.opensts.gateway.s3.S3Exception;
import org.opensts.gateway.s3.S3Keys;
import org.opensts.iam.jdbc.StoreException;
import org.opensts.policy.ActionCatalog;
import org.opensts.policy.EvalDecision;
import org.opensts.policy.GlobalConditionKeys;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.ViolationWording;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sts.Authenticator;
import org.opensts.sts.Authorizer;
import org.opensts.sts.CallerIdentity;
import org.opensts.sts.RequestMetadata;
import org.opensts.verifier.AccessDecision;
import org.opensts.verifier.AccessRequest;
import org.opensts.verifier.EvaluationRefusedException;
import org.opensts.verifier.InvalidResourcePolicyException;
import org.opensts.verifier.ReceivedRequest;
import org.opensts.verifier.RequestVerifier;
import org.opensts.verifier.SessionAuthorizer;
import org.opensts.verifier.Verification;
import org.opensts.verifier.VerificationException;
import org.opensts.verifier.VerificationFailure;
import org.opensts.verifier.VerifiedCaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization API ({@code POST /authorize}, docs/AUTHORIZATION_API.md): a service written in any language
 * submits the signing material of a request it received, with the action, resource, condition keys and resource policy
 * it stands for, and gets back who signed it and whether that caller may — what the verifier library gives a Java
 * service.
 *
 * <p>The call itself is signed with Signature Version 4 by the service's own credentials for the service name
 * {@code opensts}, and the service must be allowed {@code opensts:Authorize}: the answer tells who holds which
 * credentials, which is not for everyone to ask. A submitted request that is not authentic is an answer, not an error
 * of the call: {@code 200} with {@code "authenticated": false} and the error the service should return. Errors of the
 * call itself — its own authentication, the permission, a malformed or oversized body — are JSON errors with their
 * HTTP status. Every call is audited.
 */
final class AuthorizationApi {
    /** Where the API listens, beside the Query API on the node's port. */
    static final String PATH = "/authorize";
    /** The signing name the calling service signs for. */
    static final String SIGNING_NAME = "opensts";
    /**
     * The largest body accepted: the signing material of a request (headers included), its context and a resource
     * policy (an S3 bucket policy may have 20 KB) fit many times over.
     */
    static final int MAX_BODY_BYTES = 128 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationApi.class);
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();
    private static final Set<String> TOP_LEVEL = Set.of("request", "service", "region", "s3BaseHosts", "action",
            "resource", "resourceAccount", "context", "resourcePolicy");
    private static final Set<String> REQUEST_MEMBERS = Set.of("method", "path", "query", "headers", "payloadHash",
            "sourceIp", "secureTransport");
    private static final String CONTENT_SHA256 = "x-amz-content-sha256";
    private static final int MAX_CONTEXT_KEYS = 256;
    /** A service answers at a few host names; the bound keeps the per-request host match short. */
    private static final int MAX_S3_BASE_HOSTS = 16;
    /** The longest DNS name (RFC 1035 §2.3.4 with the dots). */
    private static final int MAX_HOST_LENGTH = 253;
    /** IAM's bounds on an action name and a resource ARN ({@code ActionNameType}, {@code ResourceNameType}). */
    private static final int MAX_ACTION_LENGTH = 128;
    private static final int MAX_RESOURCE_LENGTH = 2048;
    /** S3's and the Query services' words for a body that does not hash to what the request signed. */
    private static final String S3_CONTENT_SHA256_MISMATCH =
            "The provided 'x-amz-content-sha256' header does not match what was computed.";
    private static final String S3_SIGNATURE_DOES_NOT_MATCH = "The request signature we calculated does not match the"
            + " signature you provided. Check your key and signing method.";
    private static final String QUERY_SIGNATURE_DOES_NOT_MATCH = "The request signature we calculated does not match"
            + " the signature you provided. Check your AWS Secret Access Key and signing method."
            + " Consult the service documentation for details.";

    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final RequestVerifier verifier;
    private final SessionAuthorizer sessions;
    private final RequestThrottle throttle;

    AuthorizationApi(Authenticator authenticator, Authorizer authorizer, RequestThrottle throttle) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.verifier = authenticator.requestVerifier();
        this.sessions = authorizer.sessionAuthorizer();
        this.throttle = throttle;
    }

    /** An HTTP answer: its status and JSON body. */
    record Answer(int status, String json) {
    }

    /**
     * Answers one call; never throws. A call whose audit event cannot be recorded is answered 503
     * {@code ServiceUnavailable}, as the Query APIs answer it.
     */
    Answer handle(SignableRequest call, RequestMetadata metadata) {
        try {
            return handleAudited(call, metadata);
        } catch (AuditUnavailableException e) {
            return error(new JsonApiError(ErrorCode.SERVICE_UNAVAILABLE.httpStatus(),
                    ErrorCode.SERVICE_UNAVAILABLE.code(),
                    QueryDispatcher.AUDIT_UNAVAILABLE_MESSAGE), metadata.requestId());
        }
    }

    /**
     * Answers a call the node refused before reading it (a body over the node's limit, {@code error}), in this API's
     * shape, with its audit event; never throws.
     */
    Answer refuse(ApiException error, RequestMetadata metadata) {
        var refusal = new JsonApiError(error.errorCode().httpStatus(), error.errorCode().code(), error.getMessage());
        try {
            audit(metadata, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(refusal));
        } catch (AuditUnavailableException e) {
            return error(new JsonApiError(ErrorCode.SERVICE_UNAVAILABLE.httpStatus(),
                    ErrorCode.SERVICE_UNAVAILABLE.code(), QueryDispatcher.AUDIT_UNAVAILABLE_MESSAGE),
                    metadata.requestId());
        }
        return error(refusal, metadata.requestId());
    }

    private Answer handleAudited(SignableRequest call, RequestMetadata metadata) {
        Optional<CallerIdentity> caller = Optional.empty();
        Optional<Submitted> submitted = Optional.empty();
        try {
            if (call.bodyLength() > MAX_BODY_BYTES) {
                throw new JsonApiError(413, "RequestEntityTooLarge",
                        "The request body is larger than " + MAX_BODY_BYTES + " bytes.");
            }
            Authenticator.Authenticated authenticated;
            try {
                authenticated = authenticator.authenticate(call, SIGNING_NAME);
            } catch (ApiException e) {
                throw new JsonApiError(e.errorCode().httpStatus(), e.errorCode().code(), e.getMessage());
            }
            caller = Optional.of(authenticated.caller());
            metadata = metadata.withRegion(authenticated.region());
            throttle.admit(authenticated.caller().accountId(), authenticated.caller().arn());
            authorizer.authorize(authenticated.caller(), metadata, ActionCatalog.OPENSTS_AUTHORIZE, "*");
            submitted = Optional.of(parse(call.body()));
            // The calling service takes the turns of costly decisions, not the signers of the requests it submits.
            ObjectNode answer = answer(submitted.get(), metadata.receivedAt(),
                    SessionAuthorizer.turnHolder(Authorizer.verified(authenticated.caller())),
                    authenticated.caller().accountId());
            audit(metadata, caller, submitted, Optional.of(answer), Optional.empty());
            return new Answer(200, answer.toString());
        } catch (JsonApiError e) {
            audit(metadata, caller, submitted, Optional.empty(), Optional.of(e));
            return error(e, metadata.requestId());
        } catch (ApiException e) {
            var error = new JsonApiError(e.errorCode().httpStatus(), e.errorCode().code(), e.getMessage());
            audit(metadata, caller, submitted, Optional.empty(), Optional.of(error));
            return error(error, metadata.requestId());
        } catch (AuditUnavailableException e) {
            throw e;
        } catch (StoreException.UnavailableException e) {
            ApiException unavailable = StoreUnavailable.answer(e, metadata.requestId());
            var error = new JsonApiError(unavailable.errorCode().httpStatus(), unavailable.errorCode().code(),
                    unavailable.getMessage());
            audit(metadata, caller, submitted, Optional.empty(), Optional.of(error));
            return error(error, metadata.requestId());
        } catch (RuntimeException e) {
            LOG.error("Authorization API request {} failed", metadata.requestId(), e);
            var error = new JsonApiError(500, ErrorCode.INTERNAL_FAILURE.code(),
                    QueryDispatcher.INTERNAL_FAILURE_MESSAGE);
            audit(metadata, caller, submitted, Optional.empty(), Optional.of(error));
            return error(error, metadata.requestId());
        }
    }

    /**
     * The submitted request checked and, if authentic, authorized; a costly one in {@code turnHolder}'s turn.
     *
     * @param askingAccount the calling service's account: a caller of another account is answered without its
     *     principal tags and without the names of its account's policies
     */
    private ObjectNode answer(Submitted submitted, Instant now, String turnHolder, String askingAccount) {
        ObjectNode answer = JSON.createObjectNode();
        Verification verification;
        try {
            verification = verifier.verify(submitted.received(), submitted.service(), submitted.s3BaseHosts());
        } catch (VerificationException e) {
            return unauthenticated(answer, e.failure(), e.getMessage(), submitted.service());
        }
        boolean s3 = submitted.service().equals("s3");
        if (verification.signedS3Resource().isPresent()
                && !addresses(verification.signedS3Resource().get(), submitted.resource())) {
            // Signature Version 2 does not sign Host: a signature over another bucket's resource (a path-style URL
            // replayed at a virtual-hosted one) must not stand for this one. S3 would compute this resource's
            // string to sign, and the signature would not match it.
            return unauthenticated(answer, VerificationFailure.SIGNATURE_DOES_NOT_MATCH,
                    S3_SIGNATURE_DOES_NOT_MATCH, submitted.service());
        }
        if (submitted.payload().equals("MISMATCH")) {
            return unauthenticated(answer, VerificationFailure.CONTENT_SHA256_MISMATCH,
                    s3 ? S3_CONTENT_SHA256_MISMATCH : QUERY_SIGNATURE_DOES_NOT_MATCH, submitted.service());
        }
        // aws:RequestedRegion: the region signed for; a Signature Version 2 request names none, and is served in the
        // service's region, or in none the node knows.
        Optional<String> region = Optional.of(verification.region());
        if (!verification.regionSigned()) {
            if (submitted.region().isEmpty()) {
                region = Optional.empty();
            } else {
                try {
                    region = Optional.of(verification.servedIn(submitted.region().get()).region());
                } catch (VerificationException e) {
                    return unauthenticated(answer, e.failure(), e.getMessage(), submitted.service());
                }
            }
        } else if (submitted.region().isPresent() && !submitted.region().get().equals(region.get())) {
            return wrongRegion(answer, submitted, region.get());
        }
        VerifiedCaller caller = verification.caller();
        var facts = new AccessRequest.RequestFacts(now, submitted.received().sourceIp(),
                submitted.received().secureTransport(), region, submitted.received().firstHeader("User-Agent"));
        AccessDecision decision;
        try {
            // The policy's users and roles are bound to their unique ids now, as a stored policy's were when it was
            // saved: a session of a deleted (or re-created) role, or of a role at another path, is not named.
            Optional<String> resourcePolicy = submitted.resourcePolicy().map(authorizer::bindSubmittedResourcePolicy);
            decision = sessions.authorize(new AccessRequest(caller, submitted.action(), submitted.resource(),
                    submitted.resourceAccount(), submitted.context(), resourcePolicy, facts), turnHolder);
        } catch (InvalidResourcePolicyException e) {
            throw new JsonApiError(400, ErrorCode.MALFORMED_POLICY_DOCUMENT.code(), e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new JsonApiError(400, "ValidationError", e.getMessage());
        } catch (EvaluationRefusedException e) {
            // A costly evaluation given no turn is refused for the moment, as a call over a rate is.
            throw switch (e.reason()) {
                case TOO_COSTLY -> new JsonApiError(400, "ValidationError", e.getMessage());
                case BUSY -> new ApiException(ErrorCode.THROTTLING, RequestThrottle.RATE_EXCEEDED);
            };
        }
        answer.put("authenticated", true);
        answer.put("payload", submitted.payload());
        region.ifPresent(served -> answer.put("region", served));
        boolean sameAccount = caller.accountId().equals(askingAccount);
        ObjectNode who = answer.putObject("caller");
        who.put("account", caller.accountId());
        who.put("arn", caller.arn());
        who.put("userId", caller.userId());
        sessions.callerUniqueId(caller).ifPresent(id -> who.put("principalId", id));
        who.put("accessKeyId", caller.accessKeyId());
        who.put("temporary", caller.isTemporary());
        caller.sessionName().ifPresent(name -> who.put("sessionName", name));
        caller.sourceIdentity().ifPresent(identity -> who.put("sourceIdentity", identity));
        if (sameAccount) {
            ObjectNode tags = who.putObject("tags");
            sessions.principalTags(caller).forEach(tags::put);
        }
        who.put("mfaAuthenticated", caller.mfaAuthenticated());
        caller.issuedAt().ifPresent(at -> who.put("issuedAt", at.toString()));
        caller.expiration().ifPresent(at -> who.put("expiration", at.toString()));
        answer.put("decision", decisionName(decision.decision().decision()));
        answer.put("allowed", decision.allowed());
        ArrayNode reasons = answer.putArray("reasons");
        // The details of a decision are the caller's account's to learn (STS API Reference,
        // DecodeAuthorizationMessage): a service of another account hears of its own resource policy only.
        (sameAccount ? decision.reasons() : SessionAuthorizer.reasonsWithoutCallerPolicies(submitted.action(),
                submitted.resource(), decision.decision())).forEach(reasons::add);
        decision.encodedMessage().ifPresent(message -> answer.put("encodedMessage", message));
        return answer;
    }

    /**
     * Whether the resource S3's Signature Version 2 signed ({@link Verification#signedS3Resource()}) is the one the
     * call decides on: {@code /bucket} or {@code /bucket/} for a bucket's ARN, {@code /bucket/key} (the key
     * percent-decoded) for an object's, {@code /} for {@code *} (the service itself, ListAllMyBuckets). Any other
     * resource is none a Signature Version 2 request can address.
     */
    static boolean addresses(String signedResource, String resourceArn) {
        if (resourceArn.equals("*")) {
            return signedResource.equals("/");
        }
        int s3Part = resourceArn.indexOf(":s3:::");
        if (!resourceArn.startsWith("arn:") || s3Part < 0 || resourceArn.indexOf(':', 4) != s3Part
                || !signedResource.startsWith("/")) {
            return false;
        }
        String arnResource = resourceArn.substring(s3Part + ":s3:::".length());
        int arnSlash = arnResource.indexOf('/');
        String arnBucket = arnSlash < 0 ? arnResource : arnResource.substring(0, arnSlash);
        int slash = signedResource.indexOf('/', 1);
        String bucket = slash < 0 ? signedResource.substring(1) : signedResource.substring(1, slash);
        String key = slash < 0 ? "" : signedResource.substring(slash + 1);
        if (arnBucket.isEmpty() || !bucket.equals(arnBucket)) {
            return false;
        }
        if (arnSlash < 0) {
            return key.isEmpty();
        }
        if (key.isEmpty()) {
            return false;
        }
        try {
            // The key as the S3 gateway reads it from a path; a malformed one addresses no key.
            return S3Keys.decodePath(key).equals(arnResource.substring(arnSlash + 1));
        } catch (S3Exception e) {
            return false;
        }
    }

    /** The answer for a submitted request that is not authentic: the error the service should return. */
    private static ObjectNode unauthenticated(ObjectNode answer, VerificationFailure failure, String message,
            String service) {
        answer.put("authenticated", false);
        ObjectNode error = answer.putObject("error");
        boolean s3 = service.equals("s3");
        error.put("code", s3 ? failure.s3Code() : failure.queryCode());
        error.put("s3Code", failure.s3Code());
        error.put("queryCode", failure.queryCode());
        error.put("httpStatus", s3 ? failure.s3Status() : failure.queryStatus());
        error.put("message", message);
        return answer;
    }

    /**
     * The answer for a request signed for another region than the service's: the credential scope binds the signature
     * to one region, and AWS refuses it at any other, S3 naming both regions and the Query APIs with STS's sentence.
     */
    private static ObjectNode wrongRegion(ObjectNode answer, Submitted submitted, String signedRegion) {
        // Authenticated without an Authorization header: the signature was in the query, a presigned URL.
        boolean presigned = submitted.received().firstHeader("Authorization").isEmpty();
        String s3Code = presigned ? "AuthorizationQueryParametersError" : "AuthorizationHeaderMalformed";
        String s3Message = (presigned ? "Error parsing the X-Amz-Credential parameter; the region '"
                : "The authorization header is malformed; the region '")
                + ViolationWording.quoted(signedRegion) + "' is wrong; expecting '" + submitted.region().get() + "'";
        boolean s3 = submitted.service().equals("s3");
        answer.put("authenticated", false);
        ObjectNode error = answer.putObject("error");
        error.put("code", s3 ? s3Code : VerificationFailure.SIGNATURE_DOES_NOT_MATCH.queryCode());
        error.put("s3Code", s3Code);
        error.put("queryCode", VerificationFailure.SIGNATURE_DOES_NOT_MATCH.queryCode());
        error.put("httpStatus", s3 ? 400 : VerificationFailure.SIGNATURE_DOES_NOT_MATCH.queryStatus());
        error.put("message", s3 ? s3Message : Regions.INVALID_REGION_MESSAGE);
        return answer;
    }

    private static String decisionName(EvalDecision decision) {
        return switch (decision) {
            case ALLOWED -> "Allow";
            case EXPLICIT_DENY -> "ExplicitDeny";
            case IMPLICIT_DENY -> "ImplicitDeny";
        };
    }

    /**
     * A submitted request, parsed and checked.
     *
     * @param payload how the body was accounted for: {@code VERIFIED} (the service's hash matched what the request
     *     signed, or the request has no body), {@code UNSIGNED} ({@code UNSIGNED-PAYLOAD}), {@code UNCHECKED} (the
     *     request signed a hash the service did not submit: it must compare its body's SHA-256 with
     *     {@code x-amz-content-sha256} itself), {@code STREAMING} ({@code aws-chunked}: the chunk signatures are not
     *     checked here)
     * @param s3BaseHosts the host names the service serves S3 at ({@code s3.example.com}), lower-case: under them a
     *     {@code Host} names a virtual-hosted bucket, which S3's Signature Version 2 signs; empty: path style only
     */
    record Submitted(ReceivedRequest received, String service, Optional<String> region, List<String> s3BaseHosts,
            String action, String resource, Optional<String> resourceAccount, Map<String, List<String>> context,
            Optional<String> resourcePolicy, String payload) {
    }

    /** Whether {@code text} can name a region: lower-case letters, digits and hyphens, as every AWS region does. */
    private static boolean isRegionName(String text) {
        if (text.isEmpty() || text.length() > MAX_REGION_LENGTH) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static final int MAX_REGION_LENGTH = 64;

    /** Whether {@code text} is an HTTP token (RFC 9110 §5.6.2), as a method is. */
    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean tchar = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses the body strictly: one JSON object, no duplicate or unknown members, every member of its type.
     *
     * @throws JsonApiError {@code SerializationException} for what is not such JSON, {@code ValidationError} for a
     *     member that is missing or of the wrong type
     */
    static Submitted parse(ByteBuffer body) {
        JsonNode root;
        try {
            byte[] bytes = new byte[body.remaining()];
            body.duplicate().get(bytes);
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw JsonApiError.notJson(e);
        } catch (java.io.IOException e) {
            throw JsonApiError.notJson();
        }
        if (root == null || !root.isObject()) {
            throw new JsonApiError(400, "SerializationException", "The body must be a JSON object.");
        }
        onlyKnown(root, TOP_LEVEL, "");
        JsonNode request = required(root, "request", "");
        if (!request.isObject()) {
            throw invalid("request must be an object");
        }
        onlyKnown(request, REQUEST_MEMBERS, "request.");
        String method = text(request, "method", "request.").orElseThrow(() -> missing("request.method"));
        if (!isToken(method)) {
            throw invalid("request.method must be an HTTP method, e.g. GET");
        }
        String path = text(request, "path", "request.").orElseThrow(() -> missing("request.path"));
        if (path.indexOf('?') >= 0) {
            throw invalid("request.path must be the path alone: the query goes in request.query");
        }
        // The node's own bounds on a request it receives (its request line; its header fields, below): a submitted
        // request beyond them is none a service got, and checking its signature would cost time growing with the
        // square of its size.
        String query = text(request, "query", "request.").orElse("");
        if (path.length() + query.length() > HttpLimits.DEFAULT_MAX_REQUEST_LINE_BYTES) {
            throw invalid("request.path and request.query must hold at most "
                    + HttpLimits.DEFAULT_MAX_REQUEST_LINE_BYTES + " characters together");
        }
        String sourceIp = text(request, "sourceIp", "request.").orElseThrow(() -> missing("request.sourceIp"));
        if (!GlobalConditionKeys.isSourceIp(sourceIp)) {
            throw invalid("request.sourceIp must be one IPv4 or IPv6 address");
        }
        ReceivedRequest.Builder received = ReceivedRequest.builder()
                .method(method)
                .rawPath(path)
                .rawQuery(query)
                .sourceIp(sourceIp)
                .secureTransport(bool(request, "secureTransport", "request."));
        JsonNode headers = required(request, "headers", "request.");
        if (!headers.isArray()) {
            throw invalid("request.headers must be a list of [name, value] pairs");
        }
        var headerList = new ArrayList<ReceivedRequest.Header>();
        for (JsonNode pair : headers) {
            if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()
                    || pair.get(0).asText().isEmpty()) {
                throw invalid("request.headers must be a list of [name, value] pairs of strings");
            }
            headerList.add(new ReceivedRequest.Header(pair.get(0).asText(), pair.get(1).asText()));
        }
        if (headerList.size() > HttpLimits.DEFAULT_MAX_HEADER_COUNT) {
            throw invalid("request.headers must hold at most " + HttpLimits.DEFAULT_MAX_HEADER_COUNT + " fields");
        }
        String action = text(root, "action", "").orElseThrow(() -> missing("action"));
        int colon = action.indexOf(':');
        if (colon <= 0 || colon == action.length() - 1) {
            throw invalid("action must be service:Action, e.g. s3:GetObject");
        }
        if (action.length() > MAX_ACTION_LENGTH) {
            throw invalid("action must be at most " + MAX_ACTION_LENGTH + " characters");
        }
        String resource = text(root, "resource", "").orElseThrow(() -> missing("resource"));
        if (resource.isEmpty() || resource.length() > MAX_RESOURCE_LENGTH) {
            throw invalid("resource must be 1 to " + MAX_RESOURCE_LENGTH + " characters");
        }
        String service = text(root, "service", "").orElse(action.substring(0, colon).toLowerCase(Locale.ROOT));
        Optional<String> payloadHash = text(request, "payloadHash", "request.");
        if (payloadHash.isPresent() && !isSha256Hex(payloadHash.get())) {
            throw invalid("request.payloadHash must be the hex SHA-256 of the body");
        }
        String payload = payload(headerList, payloadHash, service);
        if (!service.equals("s3") && headerValue(headerList, CONTENT_SHA256).isEmpty()) {
            if (payloadHash.isPresent()) {
                // The signature covers the body's hash, which only the service knows: it stands in for the body.
                headerList.add(new ReceivedRequest.Header(CONTENT_SHA256, payloadHash.get()));
            } else if (hasBody(headerList)) {
                throw invalid("request.payloadHash is required: the request signs its body's hash only inside its"
                        + " signature, which cannot be checked without it");
            }
        }
        Optional<String> region = text(root, "region", "");
        if (region.isPresent() && !isRegionName(region.get())) {
            throw invalid("region must be a region name, such as us-east-1");
        }
        List<String> s3BaseHosts = s3BaseHosts(root.get("s3BaseHosts"));
        Optional<String> resourceAccount = text(root, "resourceAccount", "");
        if (resourceAccount.isPresent() && !resourceAccount.get().matches("[0-9]{12}")) {
            throw invalid("resourceAccount must be a 12-digit account ID");
        }
        headerList.forEach(header -> received.addHeader(header.name(), header.value()));
        return new Submitted(received.build(), service, region, s3BaseHosts, action, resource, resourceAccount,
                context(root.get("context")), text(root, "resourcePolicy", ""), payload);
    }

    /**
     * How the body is accounted for (see {@link Submitted#payload()}).
     *
     * @throws JsonApiError when the signed hash and the service's hash differ: reported as a failed authentication
     */
    private static String payload(List<ReceivedRequest.Header> headers, Optional<String> payloadHash,
            String service) {
        Optional<String> declared = headerValue(headers, CONTENT_SHA256).map(String::strip);
        if (declared.isEmpty()) {
            // A presigned S3 URL signs no body; elsewhere the signature itself covers the body's hash (or no body's).
            return service.equals("s3") ? "UNSIGNED" : "VERIFIED";
        }
        String value = declared.get();
        if (value.equals("UNSIGNED-PAYLOAD")) {
            return "UNSIGNED";
        }
        if (value.startsWith("STREAMING-")) {
            return "STREAMING";
        }
        if (payloadHash.isEmpty()) {
            return "UNCHECKED";
        }
        return value.equalsIgnoreCase(payloadHash.get()) ? "VERIFIED" : "MISMATCH";
    }

    /** Whether the headers announce a body: a non-zero {@code Content-Length}, or a {@code Transfer-Encoding}. */
    private static boolean hasBody(List<ReceivedRequest.Header> headers) {
        if (headerValue(headers, "Transfer-Encoding").isPresent()) {
            return true;
        }
        return headerValue(headers, "Content-Length").map(String::strip).map(length -> !length.equals("0"))
                .orElse(false);
    }

    private static Optional<String> headerValue(List<ReceivedRequest.Header> headers, String name) {
        for (ReceivedRequest.Header header : headers) {
            if (header.name().equalsIgnoreCase(name)) {
                return Optional.of(header.value());
            }
        }
        return Optional.empty();
    }

    /** The {@code s3BaseHosts} member: at most {@link #MAX_S3_BASE_HOSTS} host names, without ports. */
    private static List<String> s3BaseHosts(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        String shape = "s3BaseHosts must be a list of at most " + MAX_S3_BASE_HOSTS + " host names, such as"
                + " s3.example.com";
        if (!node.isArray() || node.size() > MAX_S3_BASE_HOSTS) {
            throw invalid(shape);
        }
        var hosts = new ArrayList<String>();
        for (JsonNode host : node) {
            if (!host.isTextual() || !isHostName(host.asText())) {
                throw invalid(shape);
            }
            hosts.add(host.asText().toLowerCase(Locale.ROOT));
        }
        return List.copyOf(hosts);
    }

    /** Whether {@code text} is a DNS name: letters, digits, hyphens and dots, no empty label, no port. */
    private static boolean isHostName(String text) {
        if (text.isEmpty() || text.length() > MAX_HOST_LENGTH || text.startsWith(".") || text.endsWith(".")
                || text.contains("..")) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, List<String>> context(JsonNode node) {
        var context = new LinkedHashMap<String, List<String>>();
        if (node == null) {
            return context;
        }
        if (!node.isObject()) {
            throw invalid("context must map condition keys to lists of strings");
        }
        if (node.size() > MAX_CONTEXT_KEYS) {
            throw invalid("context has more than " + MAX_CONTEXT_KEYS + " keys");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isArray()) {
                throw invalid("context." + ViolationWording.quoted(field.getKey()) + " must be a list of strings");
            }
            var values = new ArrayList<String>();
            for (JsonNode value : field.getValue()) {
                if (!value.isTextual()) {
                    throw invalid("context." + ViolationWording.quoted(field.getKey())
                            + " must be a list of strings");
                }
                values.add(value.asText());
            }
            context.put(field.getKey(), values);
        }
        return context;
    }

    private static void onlyKnown(JsonNode object, Set<String> known, String prefix) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw invalid("unknown member " + prefix + ViolationWording.quoted(name));
            }
        }
    }

    private static JsonNode required(JsonNode object, String name, String prefix) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            throw missing(prefix + name);
        }
        return value;
    }

    private static Optional<String> text(JsonNode object, String name, String prefix) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw invalid(prefix + name + " must be a string");
        }
        return Optional.of(value.asText());
    }

    private static boolean bool(JsonNode object, String name, String prefix) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            throw missing(prefix + name);
        }
        if (!value.isBoolean()) {
            throw invalid(prefix + name + " must be true or false");
        }
        return value.asBoolean();
    }

    private static JsonApiError missing(String member) {
        return invalid(member + " is required");
    }

    private static JsonApiError invalid(String message) {
        return new JsonApiError(400, "ValidationError", message + ".");
    }

    private static boolean isSha256Hex(String value) {
        if (value.length() != 64) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.digit(value.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static Answer error(JsonApiError e, String requestId) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", e.code);
        error.put("message", e.getMessage());
        body.put("requestId", requestId);
        return new Answer(e.status, body.toString());
    }

    /**
     * One audit event per call: who called, what was asked (action, resource, the submitted request's method and
     * path — never its query, headers or signature, which may carry a session token), and the verdict.
     */
    private static void audit(RequestMetadata metadata, Optional<CallerIdentity> caller,
            Optional<Submitted> submitted, Optional<ObjectNode> answer, Optional<JsonApiError> error) {
        var parameters = new LinkedHashMap<String, Object>();
        submitted.ifPresent(s -> {
            parameters.put("action", s.action());
            parameters.put("resource", s.resource());
            s.resourceAccount().ifPresent(account -> parameters.put("resourceAccount", account));
            parameters.put("service", s.service());
            parameters.put("method", s.received().method());
            parameters.put("path", s.received().rawPath());
            parameters.put("sourceIp", s.received().sourceIp());
        });
        var response = new LinkedHashMap<String, Object>();
        answer.ifPresent(a -> {
            response.put("authenticated", a.get("authenticated").asBoolean());
            if (a.has("caller")) {
                response.put("callerArn", a.at("/caller/arn").asText());
                response.put("accessKeyId", a.at("/caller/accessKeyId").asText());
                response.put("decision", a.get("decision").asText());
            } else {
                response.put("errorCode", a.at("/error/code").asText());
            }
        });
        AuditLog.writeEvent(SIGNING_NAME, "Authorize", metadata, caller, parameters, response,
                error.map(e -> e.code), error.map(Throwable::getMessage));
    }
}
