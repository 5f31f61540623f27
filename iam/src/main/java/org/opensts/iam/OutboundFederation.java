package org.opensts.iam;

import static java.util.Objects.requireNonNull;

/**
 * An account's outbound identity federation setting (IAM API Reference, EnableOutboundWebIdentityFederation): whether
 * its principals may call GetWebIdentityToken, and the issuer id that names the account's token issuer.
 *
 * @param accountId the account
 * @param issuerId the last path segment of the account's issuer URL: random, so the URL does not reveal the account id
 * @param enabled whether GetWebIdentityToken is allowed for the account's principals
 */
public record OutboundFederation(String accountId, String issuerId, boolean enabled) {
    /** Where every issuer URL's path starts, below the deployment's public URL. */
    public static final String ISSUER_PATH_PREFIX = "/outbound-federation/";

    public OutboundFederation {
        requireNonNull(accountId, "accountId");
        requireNonNull(issuerId, "issuerId");
        if (!isValidIssuerId(issuerId)) {
            throw new IllegalArgumentException("An issuer id is 1 to 64 lower-case letters, digits or '-'");
        }
    }

    /** {@code PUBLIC_URL/outbound-federation/ISSUER_ID}: the account's issuer, the {@code iss} of its tokens. */
    public String issuerUrl(String publicUrl) {
        return stripTrailingSlash(publicUrl) + ISSUER_PATH_PREFIX + issuerId;
    }

    static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Issuer ids are what {@link java.util.UUID#toString()} makes; anything else in a URL path is no issuer. */
    public static boolean isValidIssuerId(String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > 64) {
            return false;
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
