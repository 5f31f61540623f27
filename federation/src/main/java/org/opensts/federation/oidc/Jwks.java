package org.opensts.federation.oidc;

import com.nimbusds.jose.jwk.JWK;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading a published JWKS. */
final class Jwks {
    private Jwks() {
    }

    /**
     * The keys of a JWKS object, skipping each member that is not a well-formed JWK (unknown {@code kty}, a point off
     * its curve, a missing member): one odd key must not make a provider's other keys unusable.
     *
     * @throws IllegalArgumentException when the object has no {@code keys} array
     */
    static List<JWK> parseLeniently(Map<String, Object> jwks) {
        Object members = jwks.get("keys");
        if (!(members instanceof List<?> list)) {
            throw new IllegalArgumentException("no keys array");
        }
        List<JWK> keys = new ArrayList<>();
        for (Object member : list) {
            if (member instanceof Map<?, ?> map) {
                try {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> json = (Map<String, Object>) map;
                    keys.add(JWK.parse(json));
                } catch (ParseException | RuntimeException e) {
                    // Skipped, as the Javadoc says.
                }
            }
        }
        return List.copyOf(keys);
    }
}
