package org.opensts.verifier;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SignableRequest;
import org.opensts.token.TemporaryCredentials;

/**
 * Forgery at scale: random single- and multi-character changes, truncations, extensions, insertions and deletions of
 * the SigV4 signature of real signed STS requests (a POST signed with temporary credentials, a presigned GET with
 * temporary credentials, a POST signed with a long-term key), of its hex text and of the 32 bytes it encodes, one to
 * three at a time, each checked by the real {@link RequestVerifier} (the token opened by the real key ring). None may
 * verify.
 *
 * <p>The build runs {@value #DEFAULT_MUTATIONS} of them; {@code -Dforgery.mutations=1000000} runs a million (the
 * figures are in docs/SECURITY.md). The seed is printed, and {@code -Dforgery.seed=…} repeats a run.
 */
class SignatureForgeryTest {
    private static final int DEFAULT_MUTATIONS = 2_000;
    private static final String BODY = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012"
            + "%3Arole%2Fdemo&RoleSessionName=s1";
    private static final HexFormat HEX = HexFormat.of();

    private final TestKeys keys = new TestKeys();
    private final RequestVerifier verifier = keys.verifier();
    private final TemporaryCredentials session = keys.roleSession();

    /** A signed request and where its signature is, so that it can be replaced. */
    private record Signed(SignableRequest request, String signature, boolean presigned) {
        SignableRequest withSignature(String changed) {
            if (presigned) {
                return request.toBuilder().query(request.query().replace("X-Amz-Signature=" + signature,
                        "X-Amz-Signature=" + changed)).build();
            }
            String authorization = request.firstHeader("Authorization").orElseThrow();
            return request.toBuilder().removeHeaders("Authorization")
                    .addHeader("Authorization", authorization.replace("Signature=" + signature,
                            "Signature=" + changed)).build();
        }
    }

    @Test
    void verifyBuffered_randomlyMutatedSignatures_noneVerifies() throws VerificationException {
        int mutations = Integer.getInteger("forgery.mutations", DEFAULT_MUTATIONS);
        long seed = Long.getLong("forgery.seed", new SecureRandom().nextLong());
        var random = new SplittableRandom(seed);
        var choices = Mutations.of(random);
        var signer = SigV4Signer.create();
        List<Signed> signed = List.of(
                headerSigned(signer.sign(post(), TestKeys.credentials(session), "us-east-1", "sts", keys.now)),
                presigned(signer.presign(SignableRequest.builder().method("GET")
                        .target("/?Action=GetCallerIdentity&Version=2011-06-15").addHeader("Host", "sts.amazonaws.com")
                        .build(), TestKeys.credentials(session), "us-east-1", "sts", keys.now,
                        Duration.ofMinutes(15))),
                headerSigned(signer.sign(post(), TestKeys.longTermCredentials(), "us-east-1", "sts", keys.now)));
        for (Signed request : signed) {
            assertThat(verifier.verifyBuffered(request.request(), "sts").caller()).isNotNull();
        }

        var failures = new EnumMap<VerificationFailure, Integer>(VerificationFailure.class);
        int unchanged = 0;
        long start = System.nanoTime();
        for (int i = 0; i < mutations; i++) {
            Signed request = signed.get(random.nextInt(signed.size()));
            String signature = request.signature();
            boolean binary = random.nextBoolean();
            for (int n = 1 + random.nextInt(3); n > 0; n--) { // one to three changes
                signature = binary && signature.length() % 2 == 0 && isHex(signature)
                        ? HEX.formatHex(Mutations.mutateBytes(HEX.parseHex(signature), choices))
                        : Mutations.mutateText(signature, choices);
            }
            // The same 32 bytes spelt otherwise (letter case; blanks around a header value, which HTTP drops; a
            // percent-escape in a query; a separator and another field after it in the header) are the same
            // signature, not a forgery: tried, but not counted as one.
            if (sameSignature(signature, request)) {
                unchanged++;
                continue;
            }
            try {
                verifier.verifyBuffered(request.withSignature(signature), "sts");
            } catch (VerificationException e) {
                failures.merge(e.failure(), 1, Integer::sum);
                continue;
            }
            throw new AssertionError("a mutated signature verified (seed " + seed + ", mutation " + i + "): '"
                    + request.signature() + "' became '" + signature + "'" + (request.presigned() ? " presigned" : ""));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int rejected = failures.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("forgery: %,d mutations of the signatures of %d real signed requests (seed %d): %,d "
                + "rejected, 0 accepted, %,d gave back the same signature spelt otherwise (not tried); failures %s; "
                + "%.1f s%n", mutations,
                signed.size(), seed, rejected, unchanged, failures, seconds);
        assertThat(rejected + unchanged).isEqualTo(mutations);
        assertThat(failures).containsKey(VerificationFailure.SIGNATURE_DOES_NOT_MATCH);
    }

    private static SignableRequest post() {
        return SignableRequest.builder().method("POST").path("/")
                .addHeader("Host", "sts.amazonaws.com")
                .addHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .body(BODY.getBytes(UTF_8)).build();
    }

    private static Signed headerSigned(SignableRequest request) {
        String authorization = request.firstHeader("Authorization").orElseThrow();
        return new Signed(request, authorization.substring(authorization.indexOf("Signature=") + 10), false);
    }

    private static Signed presigned(SignableRequest request) {
        String query = request.query();
        int start = query.indexOf("X-Amz-Signature=") + 16;
        int end = query.indexOf('&', start);
        return new Signed(request, query.substring(start, end < 0 ? query.length() : end), true);
    }

    private static boolean sameSignature(String changed, Signed request) {
        String spelt = changed;
        if (request.presigned()) {
            try {
                spelt = URLDecoder.decode(changed, UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
        } else {
            spelt = signatureField(spelt.strip());
        }
        return spelt.strip().toLowerCase(Locale.ROOT).equals(request.signature());
    }

    /**
     * What the verifier reads as the {@code Signature} field's value when the header's text after {@code Signature=}
     * is {@code text}: fields end at a comma or white space, as AWS separates them, so an extension that begins with
     * one adds a field of its own (unknown fields are not signed and change nothing) and leaves the signature as it
     * was.
     */
    private static String signatureField(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ',' || Character.isWhitespace(text.charAt(i))) {
                return text.substring(0, i);
            }
        }
        return text;
    }

    private static boolean isHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
