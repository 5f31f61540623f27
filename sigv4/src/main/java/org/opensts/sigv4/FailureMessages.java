package org.opensts.sigv4;

import java.time.Duration;
import java.time.Instant;

/**
 * The messages of {@link SigV4Exception}, worded as AWS query services word them (docs/WIRE.md), in one place.
 * None may include a secret, a session token, a signing key or a signature; the arguments are values the client sent
 * in the clear that identify no secret (an algorithm name, a credential scope, a timestamp).
 */
final class FailureMessages {

    static final String MISSING_AUTHENTICATION_TOKEN = "Request is missing Authentication Token";

    static final String SIGNATURE_DOES_NOT_MATCH = "The request signature we calculated does not match the signature"
            + " you provided. Check your AWS Secret Access Key and signing method."
            + " Consult the service documentation for details.";

    static final String HOST_NOT_SIGNED = "'Host' must be a 'SignedHeader' in the AWS Authorization.";

    static final String MISSING_DATE_HEADER =
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.";

    static final String REEXAMINE_QUERY = "Re-examine the query-string parameters.";

    static final String TWO_AUTH_MECHANISMS = "Only one auth mechanism allowed; only the X-Amz-Algorithm query"
            + " parameter or the Authorization header should be specified.";

    static final String EXPIRES_NOT_A_NUMBER = "X-Amz-Expires should be a number";

    static final String EXPIRES_NOT_POSITIVE = "X-Amz-Expires must be non-negative";

    static final String EXPIRES_TOO_LARGE = "X-Amz-Expires must be less than a week (in seconds); that is, the given"
            + " X-Amz-Expires must be less than 604800 seconds";

    static final String MISSING_REGION_SET = "AWS4-ECDSA-P256-SHA256 requires the 'X-Amz-Region-Set' header or query"
            + " parameter.";

    private FailureMessages() {
    }

    static String missingAuthorizationField(String field) {
        return "Authorization header requires '" + field + "' parameter.";
    }

    static String duplicateAuthorizationField(String field) {
        return "Authorization header has more than one '" + field + "' parameter.";
    }

    static String missingEqualSign(String element) {
        return "'" + element + "' not a valid key=value pair (missing equal-sign) in Authorization header.";
    }

    static String missingQueryParameter(String parameter) {
        return "AWS query-string parameters must include '" + parameter + "'.";
    }

    static String duplicateQueryParameter(String parameter) {
        return "AWS query-string parameters must include '" + parameter + "' only once.";
    }

    static String unsupportedAlgorithm(String algorithm) {
        return "Unsupported AWS 'algorithm': '" + algorithm + "' (only " + SigV4.ALGORITHM + " for now).";
    }

    static String malformedDate(String date) {
        return "Date must be in ISO-8601 'basic format'. Got '" + date + "'. See http://en.wikipedia.org/wiki/ISO_8601";
    }

    static String malformedCredential(String credential) {
        return "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '"
                + credential + "'";
    }

    static String wrongTerminator(String terminator) {
        return "Credential should be scoped with a valid terminator: '" + CredentialScope.TERMINATOR + "', not '"
                + terminator + "'.";
    }

    static String scopeDateMismatch(String scopeDate, String amzDate) {
        return "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                + scopeDate + "' != '" + amzDate.substring(0, 8) + "', from '" + amzDate + "'.";
    }

    static String expired(Instant requestTime, Instant now, Duration window, String windowName) {
        return "Signature expired: " + AmzDate.format(requestTime) + " is now earlier than "
                + AmzDate.format(now.minus(window)) + " (" + AmzDate.format(now) + " - " + windowName + ".)";
    }

    static String notYetCurrent(Instant requestTime, Instant now, Duration skew) {
        return "Signature not yet current: " + AmzDate.format(requestTime) + " is still later than "
                + AmzDate.format(now.plus(skew)) + " (" + AmzDate.format(now) + " + " + describe(skew) + ".)";
    }

    /** Writes a window as AWS does, {@code 15 min}, or in seconds when it is not whole minutes. */
    static String describe(Duration window) {
        long seconds = window.getSeconds();
        return seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " sec";
    }
}
