package org.opensts.sigv4;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The authentication a request claims, as {@link SigV4Verifier#parse(SignableRequest)} read it: who signed (access
 * key id and credential scope), what (signed headers), when (request time, and for a presigned URL how long it is
 * valid) and with which session token. Nothing here is verified yet: that is {@link SigV4Verifier#verify}'s job, once
 * the caller has found the secret for {@link #accessKeyId()} and checked the scope's region and service.
 *
 * <p>The session token is a secret: {@link #toString()} shows only the form, access key id and scope.
 */
public final class SignedRequest {

    /** Where the signature travels. */
    public enum Form {
        /** In the {@code Authorization} header. */
        HEADER,
        /** In the query string ({@code X-Amz-Signature}), as a presigned URL. */
        PRESIGNED_QUERY
    }

    private final Form form;
    private final boolean sigV4a;
    private final String accessKeyId;
    private final CredentialScope credentialScope;
    private final String scope;
    private final List<String> signedHeaders;
    private final String signedHeadersJoined;
    private final Instant requestTime;
    private final String amzDate;
    private final Duration expires;
    private final String securityToken;
    private final byte[] signature;

    /**
     * @param signedHeaders       lower-case, sorted, distinct
     * @param signedHeadersJoined {@code signedHeaders} joined with {@code ;}
     */
    SignedRequest(Form form, boolean sigV4a, String accessKeyId, CredentialScope credentialScope,
            List<String> signedHeaders, String signedHeadersJoined, Instant requestTime, String amzDate,
            Duration expires, String securityToken, byte[] signature) {
        this.form = form;
        this.sigV4a = sigV4a;
        this.accessKeyId = accessKeyId;
        this.credentialScope = credentialScope;
        // SigV4a's scope has no region: the signature holds for the region set, which is a signed header instead.
        this.scope = sigV4a
                ? CredentialScope.formatDate(credentialScope.date()) + '/'
                        + credentialScope.service() + '/' + CredentialScope.TERMINATOR
                : credentialScope.toScopeString();
        this.signedHeaders = List.copyOf(signedHeaders);
        this.signedHeadersJoined = signedHeadersJoined;
        this.requestTime = requestTime;
        this.amzDate = amzDate;
        this.expires = expires;
        this.securityToken = securityToken;
        this.signature = signature;
    }

    /** Returns whether the signature came in the {@code Authorization} header or in the query string. */
    public Form form() {
        return form;
    }

    /**
     * Returns whether the request is signed with SigV4a ({@code AWS4-ECDSA-P256-SHA256}); its
     * {@link #credentialScope()} region is then the region set as signed, e.g. {@code *} or
     * {@code us-east-1,us-west-2}.
     */
    public boolean isSigV4a() {
        return sigV4a;
    }

    /** Returns the access key id from the credential, e.g. {@code AKIDEXAMPLE}: the key to look the secret up by. */
    public String accessKeyId() {
        return accessKeyId;
    }

    /** Returns the credential scope; the caller checks its region and service. */
    public CredentialScope credentialScope() {
        return credentialScope;
    }

    /** Returns the signed header names: lower-case, sorted, distinct. */
    public List<String> signedHeaders() {
        return signedHeaders;
    }

    /** Returns the request time: {@code X-Amz-Date}, or the {@code Date} header when there is no {@code X-Amz-Date}. */
    public Instant requestTime() {
        return requestTime;
    }

    /** Returns {@code X-Amz-Expires} of a presigned request, if it has one. */
    public Optional<Duration> expires() {
        return Optional.ofNullable(expires);
    }

    /**
     * Returns the session token from {@code X-Amz-Security-Token} (header, or query parameter of a presigned URL),
     * if any. It is a secret: do not log it.
     */
    public Optional<String> securityToken() {
        return Optional.ofNullable(securityToken);
    }

    /** Returns the scope as written in the credential and string to sign. */
    String scope() {
        return scope;
    }

    String signedHeadersJoined() {
        return signedHeadersJoined;
    }

    /** Returns the request time in basic format, as it goes into the string to sign. */
    String amzDate() {
        return amzDate;
    }

    /** Returns the claimed signature's bytes, or {@code null} if it was not hex. Shared: do not modify. */
    byte[] signature() {
        return signature;
    }

    @Override
    public String toString() {
        return "SignedRequest[form=" + form + (sigV4a ? ", SigV4a" : "") + ", accessKeyId=" + accessKeyId + ", scope=" + scope + ']';
    }
}
