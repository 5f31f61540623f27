package org.opensts.sigv4;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/**
 * Sign-then-verify over open-ended requests: whatever the path, query, headers and body, what the signer signs the
 * verifier accepts, in both forms; and changing any one character of a signed header value, query value or path, or
 * any one bit of the body, makes it reject the request.
 */
class SigV4VerifierPropertyTest {

    private static final byte[] SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".getBytes(UTF_8);
    private static final SigningCredentials LONG_TERM = SigningCredentials.of("AKIDEXAMPLE", SECRET);
    private static final SigningCredentials TEMPORARY = SigningCredentials.of("ASIAEXAMPLE", SECRET, "token/+=");
    private static final Instant T0 = Instant.parse("2015-08-30T12:36:00Z");
    private static final Duration EXPIRES = Duration.ofMinutes(5);

    private static final SigV4Signer SIGNER = SigV4Signer.create();
    private static final SigV4Verifier VERIFIER = SigV4Verifier.create();
    private static final SigV4Verifier STS_VERIFIER = SigV4Verifier.create(SigV4Verifier.Options.defaults()
            .withHonorPresignedExpires(false));

    private static final String ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    /** Path and query text: unreserved, reserved, percent, space and non-ASCII characters. */
    private static final String TEXT = ALPHANUMERIC + "-._~ !$&'()*+,;=:@%/é\u1234";
    private static final String PRINTABLE = ALPHANUMERIC + " \t!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private static Arbitrary<String> alphanumeric() {
        return Arbitraries.strings().withChars(ALPHANUMERIC).ofMinLength(1).ofMaxLength(10);
    }

    private static Arbitrary<String> pathSegment() {
        return Arbitraries.strings().withChars(TEXT.replace("/", "")).ofMaxLength(8);
    }

    private static Arbitrary<String> path() {
        return Combinators.combine(pathSegment().list().ofMaxSize(4), Arbitraries.of(true, false))
                .as((segments, trailingSlash) -> "/" + String.join("/", segments)
                        + (trailingSlash && !segments.isEmpty() ? "/" : ""));
    }

    /** A query parameter as a client might send it: fully encoded, or raw where that is unambiguous. */
    private static Arbitrary<String> parameter() {
        Arbitrary<String> key = Arbitraries.strings().withChars(TEXT).ofMinLength(1).ofMaxLength(8)
                .filter(k -> !k.startsWith("X-Amz-"));
        Arbitrary<String> value = Arbitraries.strings().withChars(TEXT).ofMaxLength(8);
        return Combinators.combine(key, value, Arbitraries.of(true, false))
                .as((k, v, encode) -> encode ? UriEncoding.encode(k) + '=' + UriEncoding.encode(v)
                        : looselyEncoded(k) + '=' + looselyEncoded(v));
    }

    private static String looselyEncoded(String text) {
        return text.replace("%", "%25").replace("&", "%26").replace("=", "%3D").replace("#", "%23");
    }

    private static Arbitrary<String> query() {
        return parameter().list().ofMaxSize(4).map(parameters -> String.join("&", parameters));
    }

    private static Arbitrary<String[]> header() {
        Arbitrary<String> name = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-")
                .ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> value = Arbitraries.strings().withChars(PRINTABLE).ofMaxLength(16);
        return Combinators.combine(name, value, Arbitraries.of(true, false))
                .as((n, v, upper) -> new String[] {upper ? "X-Test-" + n.toUpperCase(Locale.ROOT) : "x-test-" + n, v});
    }

    private static Arbitrary<byte[]> body() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(256);
    }

    @Provide
    Arbitrary<SignableRequest> requests() {
        return Combinators.combine(Arbitraries.of("GET", "POST", "PUT"), path(), query(), header().list().ofMaxSize(4),
                body()).as((method, path, query, headers, body) -> {
                    SignableRequest.Builder builder = SignableRequest.builder()
                            .method(method).path(path).query(query)
                            .addHeader("Host", "sts.us-east-1.amazonaws.com")
                            .body(body);
                    for (String[] header : headers) {
                        builder.addHeader(header[0], header[1]);
                    }
                    return builder.build();
                });
    }

    @Property
    void signedRequest_verifies(@ForAll("requests") SignableRequest request, @ForAll boolean temporary)
            throws SigV4Exception {
        SigningCredentials credentials = temporary ? TEMPORARY : LONG_TERM;
        SignableRequest signed = SIGNER.sign(request, credentials, "us-east-1", "sts", T0);
        SignedRequest parsed = VERIFIER.parse(signed);

        assertThatCode(() -> VERIFIER.verify(parsed, signed, SECRET, T0)).doesNotThrowAnyException();
        assertThat(parsed.securityToken()).isEqualTo(credentials.sessionToken());
    }

    /** Every service but STS: a presigned request is good until its X-Amz-Expires, whatever the clock skew. */
    @Property
    void presignedRequest_whereExpiresIsHonored_verifiesUntilItExpires(@ForAll("requests") SignableRequest request,
            @ForAll @IntRange(min = 1, max = 604_800) int expiresSeconds, @ForAll boolean temporary)
            throws SigV4Exception {
        SigningCredentials credentials = temporary ? TEMPORARY : LONG_TERM;
        SignableRequest signed = SIGNER.presign(request, credentials, "us-east-1", "s3", T0,
                Duration.ofSeconds(expiresSeconds));
        SignedRequest parsed = VERIFIER.parse(signed);
        Instant lastSecond = T0.plusSeconds(expiresSeconds);

        assertThatCode(() -> VERIFIER.verify(parsed, signed, SECRET, lastSecond)).doesNotThrowAnyException();
        assertThat(catchThrowableOfType(SigV4Exception.class,
                () -> VERIFIER.verify(parsed, signed, SECRET, lastSecond.plusSeconds(1))).failure())
                .isEqualTo(SigV4Failure.SIGNATURE_EXPIRED);
    }

    /** STS: a presigned request is good for the clock skew after X-Amz-Date, whatever its X-Amz-Expires says. */
    @Property
    void presignedRequest_forSts_verifiesForTheClockSkewWhateverExpiresSays(
            @ForAll("requests") SignableRequest request, @ForAll @IntRange(min = 1, max = 604_800) int expiresSeconds)
            throws SigV4Exception {
        SignableRequest signed = SIGNER.presign(request, TEMPORARY, "us-east-1", "sts", T0,
                Duration.ofSeconds(expiresSeconds));
        SignedRequest parsed = STS_VERIFIER.parse(signed);
        Instant lastSecond = T0.plus(SigV4Verifier.Options.DEFAULT_MAX_CLOCK_SKEW);

        assertThatCode(() -> STS_VERIFIER.verify(parsed, signed, SECRET, lastSecond)).doesNotThrowAnyException();
        assertThat(catchThrowableOfType(SigV4Exception.class,
                () -> STS_VERIFIER.verify(parsed, signed, SECRET, lastSecond.plusSeconds(1))).failure())
                .isEqualTo(SigV4Failure.SIGNATURE_EXPIRED);
    }

    /**
     * A request with one value of each kind whose every character counts: an alphanumeric header value, query
     * value and first path segment (no later segment is {@code ..}, which could remove it), and a non-empty body.
     */
    record MutableRequest(SignableRequest request, String headerValue, String queryValue, String segment) {
    }

    @Provide
    Arbitrary<MutableRequest> mutableRequests() {
        Arbitrary<String> laterSegments = pathSegment().filter(s -> !s.equals(".") && !s.equals(".."))
                .list().ofMaxSize(3).map(segments -> segments.isEmpty() ? "" : "/" + String.join("/", segments));
        return Combinators.combine(alphanumeric(), alphanumeric(), alphanumeric(), laterSegments, query(),
                header().list().ofMaxSize(3), body().filter(b -> b.length > 0)).as(
                        (headerValue, queryValue, segment, later, query, headers, body) -> {
                            SignableRequest.Builder builder = SignableRequest.builder()
                                    .method("POST")
                                    .path("/" + segment + later)
                                    .query("mutable=" + queryValue + (query.isEmpty() ? "" : "&" + query))
                                    .addHeader("Host", "sts.us-east-1.amazonaws.com")
                                    .addHeader("X-Test-Mutable", headerValue)
                                    .body(body);
                            for (String[] header : headers) {
                                builder.addHeader(header[0], header[1]);
                            }
                            return new MutableRequest(builder.build(), headerValue, queryValue, segment);
                        });
    }

    private static SignableRequest sign(SignableRequest request, boolean presigned) {
        return presigned
                ? SIGNER.presign(request, TEMPORARY, "us-east-1", "sts", T0, EXPIRES)
                : SIGNER.sign(request, TEMPORARY, "us-east-1", "sts", T0);
    }

    private static void assertRejected(SignableRequest tampered) {
        SigV4Exception e = catchThrowableOfType(SigV4Exception.class,
                () -> VERIFIER.verify(VERIFIER.parse(tampered), tampered, SECRET, T0));

        assertThat(e).as("rejected").isNotNull();
        assertThat(e.failure()).isEqualTo(SigV4Failure.SIGNATURE_DOES_NOT_MATCH);
    }

    /** Replaces the character at {@code position} (modulo the length) with another alphanumeric character. */
    private static String changeOneCharacter(String text, int position) {
        int at = position % text.length();
        char replacement = text.charAt(at) == 'a' ? 'b' : 'a';
        return text.substring(0, at) + replacement + text.substring(at + 1);
    }

    @Property
    void changingOneCharacterOfASignedHeaderValue_isRejected(@ForAll("mutableRequests") MutableRequest m,
            @ForAll @IntRange(max = 100) int position, @ForAll boolean presigned) {
        SignableRequest signed = sign(m.request(), presigned);

        assertRejected(SigningTestVectors.withHeader(signed, "X-Test-Mutable",
                changeOneCharacter(m.headerValue(), position)));
    }

    @Property
    void changingOneCharacterOfAQueryValue_isRejected(@ForAll("mutableRequests") MutableRequest m,
            @ForAll @IntRange(max = 100) int position, @ForAll boolean presigned) {
        SignableRequest signed = sign(m.request(), presigned);
        UnaryOperator<String> change = query -> query.replaceFirst("^mutable=" + m.queryValue(),
                "mutable=" + changeOneCharacter(m.queryValue(), position));

        assertRejected(signed.toBuilder().query(change.apply(signed.query())).build());
    }

    @Property
    void changingOneCharacterOfThePath_isRejected(@ForAll("mutableRequests") MutableRequest m,
            @ForAll @IntRange(max = 100) int position, @ForAll boolean presigned) {
        SignableRequest signed = sign(m.request(), presigned);
        String path = signed.path();
        String changed = "/" + changeOneCharacter(m.segment(), position) + path.substring(1 + m.segment().length());

        assertRejected(signed.toBuilder().path(changed).build());
    }

    @Property
    void flippingOneBitOfTheBody_isRejected(@ForAll("mutableRequests") MutableRequest m,
            @ForAll @IntRange(max = 10_000) int position, @ForAll boolean presigned) {
        SignableRequest signed = sign(m.request(), presigned);
        byte[] body = new byte[signed.bodyLength()];
        signed.body().get(body);
        body[(position / 8) % body.length] ^= (byte) (1 << (position % 8));

        assertRejected(signed.toBuilder().body(body).build());
    }

    @Property
    void everyRejectionMessage_omitsTheTokenAndSignature(@ForAll("mutableRequests") MutableRequest m,
            @ForAll boolean presigned) {
        SignableRequest signed = sign(m.request(), presigned);
        SignableRequest tampered = signed.toBuilder().body(new byte[signed.bodyLength() + 1]).build();
        SigV4Exception e = catchThrowableOfType(SigV4Exception.class,
                () -> VERIFIER.verify(VERIFIER.parse(tampered), tampered, SECRET, T0));

        for (String secretText : List.of("token/+=", UriEncoding.encode("token/+="), new String(SECRET, UTF_8))) {
            assertThat(e.getMessage()).doesNotContain(secretText);
        }
    }

    /** The credential and SignedHeaders splitter is {@code String.split(separator, -1)}, empty fields included. */
    @Property
    void fields_areWhatSplitWithNoLimitReturns(
            @ForAll @StringLength(max = 30) @Chars({'/', ';', 'a',
                    'B', ' '}) String text) {
        assertThat(SigV4Verifier.fields(text, '/')).containsExactly(text.split("/", -1));
        assertThat(SigV4Verifier.fields(text, ';')).containsExactly(text.split(";", -1));
    }

    /** Header lookups fold ASCII letters only, as HTTP field names do. */
    @Property
    void headerLookup_isAsciiCaseInsensitive(
            @ForAll @StringLength(min = 1, max = 12) @Chars({'a',
                    'Z', 'k', 'K', '-', '\u212A', '\u00E9', '\u00C9'}) String name) {
        var request = SignableRequest.builder().addHeader(name, "v").build();
        String swapped = name.chars().mapToObj(c -> String.valueOf((char) (c >= 'a' && c <= 'z' ? c - 32
                : c >= 'A' && c <= 'Z' ? c + 32 : c))).reduce("", String::concat);
        assertThat(request.firstHeader(swapped)).contains("v");
        assertThat(request.firstHeader(name.replace('k', '\u212A').replace('K', '\u212A')).isPresent())
                .isEqualTo(name.indexOf('k') < 0 && name.indexOf('K') < 0);
    }
}
