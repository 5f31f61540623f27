package org.opensts.gateway.s3;

import org.opensts.verifier.ReceivedRequest;

/**
 * How a request carries its signature, as S3's {@code s3:authType} names it (Amazon S3 User Guide, "Amazon S3
 * condition key examples"): in the {@code Authorization} header, in the query (a presigned URL), or nowhere.
 */
enum SigningForm {
    HEADER("REST-HEADER"),
    QUERY("REST-QUERY-STRING"),
    NONE("");

    private final String authType;

    SigningForm(String authType) {
        this.authType = authType;
    }

    /** The value of {@code s3:authType}; empty for an unsigned request. */
    String authType() {
        return authType;
    }

    static SigningForm of(ReceivedRequest request) {
        if (request.firstHeader("Authorization").isPresent()) {
            return HEADER;
        }
        for (String pair : request.rawQuery().split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            // SigV4 and SigV4a presign with X-Amz-Signature; S3's Signature Version 2 with Signature.
            if (name.equals("X-Amz-Signature") || name.equals("Signature")) {
                return QUERY;
            }
        }
        return NONE;
    }
}
