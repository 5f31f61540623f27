package org.opensts.federation.oidc;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/**
 * The claim checks of a web identity token whose signature has verified, and the values AWS reads from its claims.
 * Pure: the instant to check against is passed in.
 */
final class Claims {
    /**
     * The model's description of {@code InvalidIdentityToken} (STS API Reference, AssumeRoleWithWebIdentity, Errors),
     * sent where AWS's exact text is not on record: a signature that does not verify, a refused algorithm, a token
     * not yet valid, a timestamp that is not an integer.
     */
    static final String NOT_VALIDATED = "The web identity token that was passed could not be validated by AWS. Get a"
            + " new identity token from the identity provider and then retry the request.";
    /** AWS's answer when no {@code aud} value is a client id of the provider (real STS responses). */
    static final String INCORRECT_AUDIENCE = "Incorrect token audience";
    /** The session tags claim (IAM User Guide, "Passing session tags using AssumeRoleWithWebIdentity"). */
    static final String TAGS_CLAIM = "https://aws.amazon.com/tags";
    /** The source identity claim (IAM User Guide, "Monitor and control actions taken with assumed roles"). */
    static final String SOURCE_IDENTITY_CLAIM = "https://aws.amazon.com/source_identity";
    /**
     * AWS accepts a token up to five minutes past its {@code exp} (and as long before its {@code nbf} or {@code iat})
     * to absorb clock skew between the IdP and STS.
     */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** IAM User Guide, "Available keys for AWS web identity federation": for Google, {@code aud} is {@code azp}. */
    private static final String GOOGLE_HOST = "accounts.google.com";
    /** Epoch seconds of 9999-12-31T23:59:59Z: larger timestamps are not dates any IdP issues. */
    private static final long MAX_EPOCH_SECOND = 253_402_300_799L;

    private Claims() {
    }

    /** AWS's answer for an absent required claim, e.g. {@code Missing a required claim: aud} (real STS responses). */
    static ApiException missing(String claim) {
        return invalid("Missing a required claim: " + claim);
    }

    static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_IDENTITY_TOKEN, message);
    }

    /**
     * Checks the claims of a token whose signature verified against {@code provider}'s keys.
     *
     * @throws ApiException {@code ExpiredTokenException} past {@code exp} plus the skew; otherwise
     *     {@code InvalidIdentityToken}
     */
    static VerifiedWebIdentity check(Map<String, Object> claims, OidcProvider provider, Instant now) {
        String issuer = (String) claims.get("iss");
        long nowSeconds = now.getEpochSecond();

        long exp = timestamp(claims, "exp").orElseThrow(() -> missing("exp"));
        if (nowSeconds > exp + CLOCK_SKEW.toSeconds()) {
            // The text of real STS responses, seconds since the epoch on both sides.
            throw new ApiException(ErrorCode.IDP_TOKEN_EXPIRED, "Token expired: current date/time " + nowSeconds
                    + " must be before the expiration date/time " + exp);
        }
        long iat = timestamp(claims, "iat").orElseThrow(() -> missing("iat"));
        if (iat > nowSeconds + CLOCK_SKEW.toSeconds()) {
            throw invalid(NOT_VALIDATED);
        }
        Optional<Long> nbf = timestamp(claims, "nbf");
        if (nbf.isPresent() && nbf.get() > nowSeconds + CLOCK_SKEW.toSeconds()) {
            throw invalid(NOT_VALIDATED);
        }

        String subject = string(claims, "sub").filter(s -> !s.isEmpty()).orElseThrow(() -> missing("sub"));
        List<String> audiences = strings(claims, "aud");
        if (audiences.isEmpty()) {
            throw missing("aud");
        }
        Optional<String> authorizedParty = string(claims, "azp");
        String audience = acceptedAudience(issuer, audiences, authorizedParty, provider.clientIds());
        List<String> amr = claims.containsKey("amr") ? strings(claims, "amr") : List.of();

        Map<String, String> tags = new LinkedHashMap<>();
        List<String> transitiveTagKeys = new ArrayList<>();
        if (claims.containsKey(TAGS_CLAIM)) {
            readTags(claims.get(TAGS_CLAIM), tags, transitiveTagKeys);
        }
        Optional<String> sourceIdentity = Optional.empty();
        if (claims.containsKey(SOURCE_IDENTITY_CLAIM)) {
            if (!(claims.get(SOURCE_IDENTITY_CLAIM) instanceof String value)) {
                throw invalid("The " + SOURCE_IDENTITY_CLAIM + " claim must be a string");
            }
            sourceIdentity = Optional.of(value);
        }
        return new VerifiedWebIdentity(issuer, subject, audience, audiences, authorizedParty, amr,
                Instant.ofEpochSecond(iat), Instant.ofEpochSecond(exp), tags, transitiveTagKeys, sourceIdentity);
    }

    private static String acceptedAudience(String issuer, List<String> audiences, Optional<String> authorizedParty,
            List<String> clientIds) {
        if (authorizedParty.isPresent() && isGoogle(issuer)) {
            if (clientIds.contains(authorizedParty.get())) {
                return authorizedParty.get();
            }
            throw invalid(INCORRECT_AUDIENCE);
        }
        for (String candidate : audiences) {
            if (clientIds.contains(candidate)) {
                return candidate;
            }
        }
        throw invalid(INCORRECT_AUDIENCE);
    }

    private static boolean isGoogle(String issuer) {
        try {
            return GOOGLE_HOST.equalsIgnoreCase(URI.create(issuer).getHost());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * {@code {"principal_tags": {"K": ["v"]}, "transitive_tag_keys": ["K"]}}: each tag value a one-element array of a
     * string (IAM User Guide, "Passing session tags using AssumeRoleWithWebIdentity"). The tag limits are the
     * operation's to check.
     */
    private static void readTags(Object claim, Map<String, String> tags, List<String> transitiveTagKeys) {
        if (!(claim instanceof Map<?, ?> object)) {
            throw malformedTags();
        }
        for (Map.Entry<?, ?> member : object.entrySet()) {
            String name = (String) member.getKey();
            if (name.equals("principal_tags")) {
                if (!(member.getValue() instanceof Map<?, ?> principalTags)) {
                    throw malformedTags();
                }
                for (Map.Entry<?, ?> tag : principalTags.entrySet()) {
                    if (!(tag.getValue() instanceof List<?> values) || values.size() != 1
                            || !(values.get(0) instanceof String value)) {
                        throw malformedTags();
                    }
                    tags.put((String) tag.getKey(), value);
                }
            } else if (name.equals("transitive_tag_keys")) {
                if (!(member.getValue() instanceof List<?> keys)) {
                    throw malformedTags();
                }
                for (Object key : keys) {
                    if (!(key instanceof String text)) {
                        throw malformedTags();
                    }
                    transitiveTagKeys.add(text);
                }
            } else {
                throw malformedTags();
            }
        }
    }

    private static ApiException malformedTags() {
        return invalid("The " + TAGS_CLAIM + " claim must be an object with principal_tags (each value a"
                + " single-element array of a string) and transitive_tag_keys (an array of strings)");
    }

    /** An integer NumericDate; AWS: "Timestamps in the token must be formatted as either an integer or a long". */
    private static Optional<Long> timestamp(Map<String, Object> claims, String name) {
        Object value = claims.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Long || value instanceof Integer)) {
            throw invalid(NOT_VALIDATED);
        }
        long seconds = ((Number) value).longValue();
        if (seconds < 0 || seconds > MAX_EPOCH_SECOND) {
            throw invalid(NOT_VALIDATED);
        }
        return Optional.of(seconds);
    }

    private static Optional<String> string(Map<String, Object> claims, String name) {
        Object value = claims.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw invalid(NOT_VALIDATED);
        }
        return Optional.of(text);
    }

    /** A string or an array of strings (RFC 7519 {@code aud}; OIDC {@code amr}). */
    private static List<String> strings(Map<String, Object> claims, String name) {
        Object value = claims.get(name);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String text) {
            return List.of(text);
        }
        if (!(value instanceof List<?> list)) {
            throw invalid(NOT_VALIDATED);
        }
        List<String> texts = new ArrayList<>(list.size());
        for (Object element : list) {
            if (!(element instanceof String text)) {
                throw invalid(NOT_VALIDATED);
            }
            texts.add(text);
        }
        return texts;
    }
}
