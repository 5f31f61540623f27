package org.opensts.sigv4;

/** The header, query-parameter and field names of SigV4, byte-exact and written once. */
final class WireNames {

    static final String AUTHORIZATION = "Authorization";
    static final String HOST = "host";
    static final String DATE = "Date";
    static final String X_AMZ_DATE = "X-Amz-Date";
    static final String X_AMZ_SECURITY_TOKEN = "X-Amz-Security-Token";
    static final String X_AMZ_CONTENT_SHA256 = "x-amz-content-sha256";

    /** Fields of the {@code Authorization} header after the algorithm. */
    static final String CREDENTIAL = "Credential";
    static final String SIGNED_HEADERS = "SignedHeaders";
    static final String SIGNATURE = "Signature";

    /** Query parameters of a presigned URL; {@code X-Amz-Date} and {@code X-Amz-Security-Token} double as these. */
    static final String X_AMZ_ALGORITHM = "X-Amz-Algorithm";
    static final String X_AMZ_CREDENTIAL = "X-Amz-Credential";
    static final String X_AMZ_SIGNED_HEADERS = "X-Amz-SignedHeaders";
    static final String X_AMZ_SIGNATURE = "X-Amz-Signature";
    static final String X_AMZ_EXPIRES = "X-Amz-Expires";

    private WireNames() {
    }
}
