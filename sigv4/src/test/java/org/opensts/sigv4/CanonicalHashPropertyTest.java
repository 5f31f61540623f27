package org.opensts.sigv4;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The verifier hashes the canonical request and the string to sign from a scratch builder, fed to the digest as
 * bytes; the former way (a {@code String} of each, then {@code getBytes(UTF_8)}, kept here as the oracle) gives the
 * same hashes for any request, ASCII or not, short or longer than the digest's chunk.
 */
class CanonicalHashPropertyTest {

    private static final String ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    /** Path, query and header text: reserved characters, percent, blanks and characters beyond ASCII. */
    private static final String TEXT = ALPHANUMERIC + "-._~ \t!$&'()*+,;=:@%/?é\u1234\uD83D\uDE00";
    private static final byte[] KEY = "signing-key".getBytes(UTF_8);

    @Provide
    Arbitrary<String> texts() {
        // Up to three chunks of the digest's buffer, so that chunk boundaries fall anywhere.
        return Arbitraries.strings().withChars(TEXT).ofMaxLength(3_100);
    }

    @Property
    void sha256OfText_isSha256OfItsUtf8Bytes(@ForAll("texts") String text) {
        assertThat(Digests.sha256(new StringBuilder(text))).isEqualTo(Digests.sha256(text.getBytes(UTF_8)));
    }

    @Property
    void hmacOfText_isHmacOfItsUtf8Bytes(@ForAll("texts") String text, @ForAll @Size(min = 1, max = 80) byte[] key) {
        assertThat(Digests.hmacSha256(key, new StringBuilder(text)))
                .isEqualTo(Digests.hmacSha256(key, text.getBytes(UTF_8)));
    }

    @Property
    void hexAppend_isHexEncode(@ForAll @Size(max = 64) byte[] bytes) {
        StringBuilder out = new StringBuilder("prefix");
        Hex.append(bytes, out);
        assertThat(out.toString()).isEqualTo("prefix" + Hex.encode(bytes));
    }

    /** A request with its signed header names (lower-case, sorted, distinct) and how it is canonicalized. */
    record Case(SignableRequest request, List<String> signedHeaders, String payloadHash, boolean presigned,
            boolean normalizePath, boolean doubleEncodePath) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> name = Arbitraries.of("Host", "host", "X-Amz-Date", "x-amz-security-token",
                "X-Amz-Security-Token", "content-type", "X-Custom", "x-custom", "É-Header");
        Arbitrary<String> value = Arbitraries.strings().withChars(TEXT).ofMaxLength(40);
        Arbitrary<String> longValue = Arbitraries.strings().withChars(ALPHANUMERIC + "+/=").ofMinLength(900)
                .ofMaxLength(2_500);
        Arbitrary<String[]> header = Combinators.combine(name, Arbitraries.oneOf(value, value, longValue))
                .as((n, v) -> new String[] {n, v});
        Arbitrary<String> path = Arbitraries.strings().withChars(TEXT.replace("?", "")).ofMaxLength(30)
                .map(p -> "/" + p);
        Arbitrary<String> query = Arbitraries.strings().withChars(TEXT).ofMaxLength(60);
        Arbitrary<String> payloadHash = Arbitraries.of(SigV4.UNSIGNED_PAYLOAD,
                Hex.encode(Digests.sha256(new byte[0])), "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
        Arbitrary<SignableRequest> request = Combinators.combine(Arbitraries.of("GET", "POST"), path, query,
                header.list().ofMaxSize(6)).as((method, p, q, headers) -> {
                    SignableRequest.Builder builder = SignableRequest.builder().method(method).path(p).query(q);
                    for (String[] h : headers) {
                        builder.addHeader(h[0], h[1]);
                    }
                    return builder.build();
                });
        return Combinators.combine(request, name.list().ofMaxSize(5), payloadHash, Arbitraries.of(true, false),
                Arbitraries.of(true, false), Arbitraries.of(true, false)).as((r, names, hash, pre, norm, dbl) -> {
                    TreeSet<String> signed = new TreeSet<>();
                    for (String n : names) {
                        signed.add(n.toLowerCase(Locale.ROOT));
                    }
                    return new Case(r, new ArrayList<>(signed), hash, pre, norm, dbl);
                });
    }

    @Property
    void canonicalRequestSha256_isTheHashOfTheCanonicalRequestText(@ForAll("cases") Case c) {
        String joined = String.join(";", c.signedHeaders());
        CanonicalRequest created = CanonicalRequest.create(c.request(), c.signedHeaders(), joined, c.payloadHash(),
                c.presigned(), c.normalizePath(), c.doubleEncodePath());
        StringBuilder scratch = new StringBuilder("left over from the last request");

        byte[] hash = CanonicalRequest.sha256(c.request(), c.signedHeaders(), joined, c.payloadHash(), c.presigned(),
                c.normalizePath(), c.doubleEncodePath(), scratch);

        assertThat(hash).isEqualTo(Digests.sha256(created.text().getBytes(UTF_8)));
        assertThat(Hex.encode(hash)).isEqualTo(created.hashHex());
    }

    @Property
    void signatureBytesFromScratch_isTheHmacOfTheStringToSign(@ForAll("cases") Case c,
            @ForAll("texts") String scope) {
        String joined = String.join(";", c.signedHeaders());
        CanonicalRequest created = CanonicalRequest.create(c.request(), c.signedHeaders(), joined, c.payloadHash(),
                c.presigned(), c.normalizePath(), c.doubleEncodePath());
        String amzDate = "20150830T123600Z";
        String stringToSign = SigV4.stringToSign(amzDate, scope, created);

        byte[] signature = SigV4.signatureBytes(KEY, amzDate, scope, Digests.sha256(created.text().getBytes(UTF_8)),
                new StringBuilder("stale"));

        assertThat(signature).isEqualTo(Digests.hmacSha256(KEY, stringToSign.getBytes(UTF_8)));
        assertThat(signature).isEqualTo(SigV4.signatureBytes(KEY, stringToSign));
    }
}
