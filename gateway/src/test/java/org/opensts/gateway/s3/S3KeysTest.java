package org.opensts.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.opensts.verifier.ReceivedRequest;

/**
 * Keys survive the trip an AWS SDK sends them on: encoded into a path (every byte but the unreserved characters and
 * {@code /} escaped), then classified back into the same key, in either addressing style.
 */
class S3KeysTest {
    private static final S3RequestClassifier CLASSIFIER = new S3RequestClassifier(List.of("s3.example.com"));
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @Provide
    Arbitrary<String> keys() {
        // Any Unicode, with the characters that matter in paths made common.
        Arbitrary<Character> tricky = Arbitraries.of('/', '+', '%', '?', '#', ' ', '.', '*', '&', '=', '~');
        Arbitrary<Character> any = Arbitraries.chars().all().filter(c -> !Character.isSurrogate(c));
        Arbitrary<String> supplementary = Arbitraries.integers().between(0x10000, 0x10FFFF)
                .map(Character::toString);
        return Arbitraries.oneOf(tricky.map(String::valueOf), any.map(String::valueOf), supplementary)
                .list().ofMinSize(1).ofMaxSize(60).map(parts -> String.join("", parts));
    }

    @Property
    void pathStyle_encodedKey_classifiesBackToTheKey(@ForAll("keys") String key) throws S3Exception {
        Assume.that(S3Keys.utf8Length(key) <= S3Keys.MAX_KEY_BYTES);
        var request = ReceivedRequest.builder().method("GET").rawPath("/bkt/" + S3Keys.encodePath(key)).build();

        S3Operation operation = CLASSIFIER.classify(request, NOW);

        assertThat(operation.key()).contains(key);
        assertThat(operation.authorizations().get(0).resourceArn()).isEqualTo("arn:aws:s3:::bkt/" + key);
    }

    @Property
    void virtualHosted_encodedKey_classifiesBackToTheKey(@ForAll("keys") String key) throws S3Exception {
        var request = ReceivedRequest.builder().method("PUT").rawPath("/" + S3Keys.encodePath(key))
                .addHeader("Host", "bkt.s3.example.com").build();

        S3Operation operation = CLASSIFIER.classify(request, NOW);

        assertThat(operation.bucket()).contains("bkt");
        assertThat(operation.key()).contains(key);
    }

    @Property
    void decodePath_ofEncodePath_isIdentity(@ForAll("keys") String key) throws S3Exception {
        assertThat(S3Keys.decodePath(S3Keys.encodePath(key))).isEqualTo(key);
    }

    @Property
    void decodeQuery_ofEncodeQuery_isIdentity(@ForAll("keys") String value) throws S3Exception {
        assertThat(S3Keys.encodeQuery(value)).doesNotContain("/", "+", " ");
        assertThat(S3Keys.decodeQuery(S3Keys.encodeQuery(value))).isEqualTo(value);
    }

    @Property
    void reencodeQuery_readsBackAsTheSameParameters(@ForAll("keys") String name, @ForAll("keys") String value)
            throws S3Exception {
        String raw = S3Keys.encodeQuery(name).replace("%20", "+") + "=" + S3Keys.encodeQuery(value) + "&flag";

        String reencoded = S3Keys.reencodeQuery(raw);

        assertThat(reencoded).doesNotContain("+");
        assertThat(reencoded).isEqualTo(S3Keys.encodeQuery(name) + "=" + S3Keys.encodeQuery(value) + "&flag");
    }

    @Example
    void reencodeQuery_plusIsASpace_andEmptyValuesStay() throws S3Exception {
        assertThat(S3Keys.reencodeQuery("prefix=a+b%2Bc&delimiter=%2F&acl&x=")).isEqualTo(
                "prefix=a%20b%2Bc&delimiter=%2F&acl&x=");
    }

    @Property
    void encodePath_usesOnlyUnreservedCharactersSlashesAndEscapes(@ForAll("keys") String key) {
        assertThat(S3Keys.encodePath(key)).matches("[A-Za-z0-9\\-._~/%]*");
    }

    @Property
    void utf8Length_isTheEncodedLength(@ForAll("keys") String key) {
        assertThat(S3Keys.utf8Length(key)).isEqualTo(key.getBytes(StandardCharsets.UTF_8).length);
    }

    @Property
    void rawLatin1Bytes_areTakenAsTheUtf8TheyWere(@ForAll("keys") String key) throws S3Exception {
        // An HTTP decoder that reads the request line as ISO-8859-1 hands raw UTF-8 bytes over as one char each.
        Assume.that(key.indexOf('%') < 0 && key.indexOf('?') < 0 && key.indexOf('#') < 0);
        String raw = new String(key.getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1);

        assertThat(S3Keys.decodePath(raw)).isEqualTo(key);
    }
}
