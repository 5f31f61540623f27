package org.opensts.verifier;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Signature Version 2 against requests signed by botocore's own signers (resources {@code sigv2/}: the vectors, the
 * script that made them and its README): S3's header and presigned forms and the Query API's, with a long-term key
 * and with temporary credentials; each verifies, and each fails once anything it signs changes.
 */
class SigV2VectorTest {
    private static final String SESSION_ARN = "arn:aws:sts::123456789012:assumed-role/reader/s1";

    record Vector(String name, String form, String credentials, ReceivedRequest request, byte[] body) {
        @Override
        public String toString() {
            return form + " " + credentials + ": " + name;
        }

        String service() {
            return form.equals("query") ? request.firstHeader("Host").orElseThrow().split("\\.")[0] : "s3";
        }
    }

    static List<Vector> vectors() throws IOException {
        JsonNode root;
        try (InputStream in = SigV2VectorTest.class.getResourceAsStream("/sigv2/vectors.json")) {
            root = new ObjectMapper().readTree(in);
        }
        List<Vector> vectors = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            ReceivedRequest.Builder builder = ReceivedRequest.builder().method(c.get("method").asText())
                    .rawPath(c.get("path").asText()).rawQuery(c.get("query").asText());
            for (JsonNode header : c.get("headers")) {
                builder.addHeader(header.get(0).asText(), header.get(1).asText());
            }
            vectors.add(new Vector(c.get("name").asText(), c.get("form").asText(), c.get("credentials").asText(),
                    builder.build(), c.get("body").asText().getBytes(UTF_8)));
        }
        return vectors;
    }

    /** The keys the vectors were signed with: the session's ring comes from the seed the minting used. */
    static TestKeys keys() {
        try {
            SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
            seeded.setSeed("opensts-sigv2-vectors".getBytes(UTF_8));
            return new TestKeys(TestKeys.NOW, seeded);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private final TestKeys keys = keys();
    private final RequestVerifier verifier = RequestVerifier.builder().sessionKeys(keys).longTermKeys(keys)
            .clock(keys.clock).s3BaseHosts(List.of("s3.amazonaws.com")).build();

    private Verification verify(Vector v, ReceivedRequest request, byte[] body) throws VerificationException {
        Verification verification = v.form().equals("query") && body.length > 0
                ? verifier.verify(request, v.service(), ByteBuffer.wrap(body))
                : verifier.verify(request, v.service());
        verification.payload().update(ByteBuffer.wrap(body), decoded -> { });
        verification.payload().finish();
        return verification;
    }

    @Test
    void theVectorsCoverEveryFormWithBothKindsOfKey() throws IOException {
        assertThat(vectors()).extracting(v -> v.form() + " " + v.credentials()).contains(
                "s3-header long-term", "s3-header session", "s3-query long-term", "s3-query session",
                "query long-term", "query session");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void botocoreSignedRequest_verifies(Vector v) throws VerificationException {
        Verification verification = verify(v, v.request(), v.body());

        assertThat(verification.caller().arn())
                .isEqualTo(v.credentials().equals("session") ? SESSION_ARN : TestKeys.USER_ARN);
        assertThat(verification.region()).isEqualTo("us-east-1");
        assertThat(verification.service()).isEqualTo(v.service());
    }

    record Tamper(String name, UnaryOperator<ReceivedRequest> change, VerificationFailure failure) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Object[]> tampered() throws IOException {
        List<Tamper> tampers = List.of(
                new Tamper("another path", r -> copy(r, r.rawPath() + "x", r.rawQuery(), null, null),
                        VerificationFailure.SIGNATURE_DOES_NOT_MATCH),
                new Tamper("another method", r -> rebuild(r, r.method().equals("GET") ? "HEAD" : "GET"),
                        VerificationFailure.SIGNATURE_DOES_NOT_MATCH),
                new Tamper("another host", r -> copy(r, r.rawPath(), r.rawQuery(), "Host",
                        "evil." + r.firstHeader("Host").orElseThrow()), VerificationFailure.SIGNATURE_DOES_NOT_MATCH));
        List<Object[]> cases = new ArrayList<>();
        for (Vector v : vectors()) {
            for (Tamper t : tampers) {
                if (t.name().equals("another host") && !v.form().equals("query")
                        && !v.name().contains("virtual-hosted")) {
                    continue; // S3's path-style Signature Version 2 does not sign the host
                }
                if (t.name().equals("another method") && v.request().method().equals("POST")) {
                    continue; // a Query API POST carries its signature in the body, which only POST has
                }
                cases.add(new Object[] {v + " / " + t.name(), v, t});
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tampered")
    void botocoreSignedRequest_changed_isRefused(String name, Vector v, Tamper t) {
        VerificationException e = refusal(v, t.change().apply(v.request()), v.body());

        assertThat(e.failure()).isEqualTo(t.failure());
    }

    @Test
    void s3_subResourceChanged_isRefused() throws IOException {
        Vector v = vector("s3-header", "session", "GET acl sub-resource");

        assertThat(refusal(v, copy(v.request(), v.request().rawPath(), "tagging", null, null), v.body()).failure())
                .isEqualTo(VerificationFailure.SIGNATURE_DOES_NOT_MATCH);
        // A parameter that is not a sub-resource is not signed: S3 lets it change.
        Vector list = vector("s3-header", "long-term", "ListObjects, parameters not signed");
        assertThat(list.request().rawQuery()).contains("prefix=");
    }

    /**
     * A sub-resource appended unsigned, in any spelling S3 reads as one (percent-encoded letters included), or one of
     * the newer ones, changes what the request does: refused.
     */
    @Test
    void s3_subResourceAppendedUnsigned_isRefused_evenPercentEncoded() throws IOException {
        Vector v = vector("s3-header", "session", "GET object, path style");
        for (String appended : List.of("retention", "%72etention", "legal%2Dhold", "%61cl", "version%49d=7",
                "attributes", "metadataTable", "abac", "renameObject")) {
            String query = v.request().rawQuery().isEmpty() ? appended : v.request().rawQuery() + "&" + appended;
            assertThat(refusal(v, copy(v.request(), v.request().rawPath(), query, null, null), v.body()).failure())
                    .as(appended).isEqualTo(VerificationFailure.SIGNATURE_DOES_NOT_MATCH);
        }
    }

    @Test
    void s3_bucketAlone_signedAsTheClientSignsIt_namesThatBucketAndSubResourceOnly() throws IOException,
            VerificationException {
        // botocore sends GET /photos?acl and signs /photos/?acl (the path sent, closed with a slash).
        Vector v = vector("s3-header", "session", "GetBucketAcl, client, path style");
        assertThat(v.request().rawPath()).isEqualTo("/photos");

        // The same bucket with its closing slash is the same resource: it verifies.
        assertThat(verify(v, copyOf(v, "/photos/", "acl"), v.body()).caller().arn()).isEqualTo(SESSION_ARN);
        // Another bucket, an object of the bucket, another or no sub-resource: refused.
        for (ReceivedRequest changed : List.of(copyOf(v, "/photo", "acl"), copyOf(v, "/photos2", "acl"),
                copyOf(v, "/photos/acl", ""), copyOf(v, "/photos/x", "acl"), copyOf(v, "/photos", "policy"),
                copyOf(v, "/photos", ""), copyOf(v, "/photos", "acl&versioning"))) {
            assertThat(refusal(v, changed, v.body()).failure()).as(changed.rawPath() + "?" + changed.rawQuery())
                    .isEqualTo(VerificationFailure.SIGNATURE_DOES_NOT_MATCH);
        }
        // The refusal shows the string to sign the way the client built it.
        VerificationException e = refusal(v, copyOf(v, "/photos", "policy"), v.body());
        assertThat(e.s3Details().get("StringToSign")).endsWith("\n/photos/?policy");
    }

    /**
     * S3's Signature Version 2 signs neither {@code Host} nor a region: the verification says which resource it
     * signed, for the service to match with the one it acts on, and that its region is no claim of the client's. The
     * base hosts may come with each request (the authorization API's {@code s3BaseHosts}) instead of the builder.
     */
    @Test
    void s3_virtualHosted_reportsTheResourceItSigned_withBaseHostsGivenPerRequest() throws Exception {
        RequestVerifier withoutBaseHosts = RequestVerifier.builder().sessionKeys(keys).longTermKeys(keys)
                .clock(keys.clock).build();
        for (String form : List.of("s3-header", "s3-query")) {
            Vector v = vector(form, "session", "GET object, virtual-hosted style");

            Verification verification = withoutBaseHosts.verify(v.request(), "s3", List.of("S3.amazonaws.com"));

            assertThat(verification.signedS3Resource()).as(form).hasValue("/photos/2026/a.jpg");
            assertThat(verification.regionSigned()).isFalse();
            for (List<String> none : List.of(List.<String>of(), List.of("s3.example.com"))) {
                assertThatThrownBy(() -> withoutBaseHosts.verify(v.request(), "s3", none))
                        .isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.failure())
                                .isEqualTo(VerificationFailure.SIGNATURE_DOES_NOT_MATCH));
            }
        }
        Vector pathStyle = vector("s3-header", "session", "GetBucketAcl, client, path style");
        assertThat(verifier.verify(pathStyle.request(), "s3").signedS3Resource()).hasValue("/photos");
    }

    /**
     * Nested base hosts: the longest that matches is the one served, in either order, and a {@code Host} that is a
     * base host itself is path style, not a bucket named by its first label.
     */
    @Test
    void s3_nestedBaseHosts_longestServes_andABaseHostItselfIsPathStyle() throws Exception {
        RequestVerifier perRequest = RequestVerifier.builder().sessionKeys(keys).longTermKeys(keys)
                .clock(keys.clock).build();
        Vector virtual = vector("s3-header", "session", "GET object, virtual-hosted style");
        Vector pathStyle = vector("s3-header", "session", "GetBucketAcl, client, path style");
        assertThat(pathStyle.request().firstHeader("Host")).hasValueSatisfying(host -> assertThat(host)
                .isEqualToIgnoringCase("s3.amazonaws.com"));

        for (List<String> bases : List.of(List.of("amazonaws.com", "s3.amazonaws.com"),
                List.of("s3.amazonaws.com", "amazonaws.com"))) {
            assertThat(perRequest.verify(virtual.request(), "s3", bases).signedS3Resource()).as(bases.toString())
                    .hasValue("/photos/2026/a.jpg");
            assertThat(perRequest.verify(pathStyle.request(), "s3", bases).signedS3Resource()).as(bases.toString())
                    .hasValue("/photos");
        }
    }

    @Test
    void s3_bucketAlone_signedOverThePathAsSent_stillVerifies() throws IOException {
        // The document's rule read literally: the resource is the path as sent, /photos.
        Vector v = vector("s3-header", "long-term", "ListObjects, parameters not signed");

        assertThat(v.request().rawPath()).isEqualTo("/photos");
        assertThat(refusal(keys, v)).isNull();
    }

    private static ReceivedRequest copyOf(Vector v, String path, String query) {
        return copy(v.request(), path, query, null, null);
    }

    @Test
    void s3_signedHeaderChanged_isRefused() throws IOException {
        Vector v = vector("s3-header", "session", "PUT object with type, MD5 and metadata");

        for (String header : List.of("Content-Type", "Content-MD5", "x-amz-meta-owner")) {
            assertThat(refusal(v, copy(v.request(), v.request().rawPath(), v.request().rawQuery(), header, "x"),
                    v.body()).failure()).as(header).isEqualTo(VerificationFailure.SIGNATURE_DOES_NOT_MATCH);
        }
        // A Date that is no date is refused before the signature, as S3 does: AccessDenied, "requires a valid Date".
        VerificationException noDate = refusal(v, copy(v.request(), v.request().rawPath(), v.request().rawQuery(),
                "Date", "x"), v.body());
        assertThat(noDate.failure()).isEqualTo(VerificationFailure.MISSING_DATE);
        assertThat(noDate.getMessage()).isEqualTo("AWS authentication requires a valid Date or x-amz-date header");
    }

    @Test
    void s3Header_outsideTheClockSkew_isRefused() throws IOException {
        Vector v = vector("s3-header", "session", "GET object, path style");

        assertThat(refusal(keysAt(TestKeys.NOW.plus(Duration.ofMinutes(16))), v).failure())
                .isEqualTo(VerificationFailure.REQUEST_TIME_TOO_SKEWED);
        TestKeys late = keysAt(TestKeys.NOW.plus(Duration.ofMinutes(14)));
        assertThat(refusal(late, v)).isNull();
        assertThat(refusal(keysAt(TestKeys.NOW.plus(Duration.ofHours(11))),
                vector("s3-query", "session", "GET object, path style")).failure())
                .isEqualTo(VerificationFailure.REQUEST_EXPIRED);
    }

    @Test
    void s3Query_pastExpires_isRequestExpired_withS3sMessage() throws IOException {
        Vector v = vector("s3-query", "long-term", "GET object, path style");

        assertThat(refusal(keysAt(TestKeys.NOW.plus(Duration.ofSeconds(599))), v)).isNull();
        VerificationException e = refusal(keysAt(TestKeys.NOW.plus(Duration.ofSeconds(601))), v);
        assertThat(e.failure()).isEqualTo(VerificationFailure.REQUEST_EXPIRED);
        assertThat(e.getMessage()).isEqualTo("Request has expired");
        // A SigV2 URL has no X-Amz-Expires: S3 names when it ended and the server's time.
        assertThat(e.s3Details()).containsExactly(
                Map.entry("Expires", TestKeys.NOW.plusSeconds(600).truncatedTo(ChronoUnit.SECONDS).toString()),
                Map.entry("ServerTime", TestKeys.NOW.plusSeconds(601).truncatedTo(ChronoUnit.SECONDS).toString()));
    }

    @Test
    void query_tokenOfAnotherKey_isInvalidToken_andUnknownKeyIsUnknown() throws IOException {
        Vector v = vector("query", "session", "GET ListUsers");
        String otherToken = keys.roleSession().sessionToken().revealUtf8();
        String query = v.request().rawQuery().replaceAll("SecurityToken=[^&]*",
                "SecurityToken=" + java.net.URLEncoder.encode(otherToken, UTF_8));

        assertThat(refusal(v, copy(v.request(), "/", query, null, null), v.body()).failure())
                .isEqualTo(VerificationFailure.INVALID_TOKEN);
        Vector longTerm = vector("query", "long-term", "GET ListUsers");
        keys.longTerm.clear();
        assertThat(refusal(longTerm, longTerm.request(), longTerm.body()).failure())
                .isEqualTo(VerificationFailure.UNKNOWN_ACCESS_KEY);
    }

    @Test
    void queryPost_bodyChanged_isRefused() throws IOException {
        Vector v = vector("query", "long-term", "POST DescribeRegions");
        byte[] body = new String(v.body(), UTF_8).replace("DescribeRegions", "DescribeVpcs").getBytes(UTF_8);

        assertThat(refusal(v, v.request(), body).failure()).isEqualTo(VerificationFailure.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void query_parameterRepeated_isRefused_soNoUnsignedValueCanRideAlong() throws IOException {
        Vector get = vector("query", "long-term", "GET ListUsers");
        Vector post = vector("query", "long-term", "POST DescribeRegions");

        // A copy of the same name appended after the signed one: the signature covers only the first.
        assertThat(refusal(get, copy(get.request(), "/", get.request().rawQuery() + "&Action=DeleteUser", null,
                null), get.body()).failure()).isEqualTo(VerificationFailure.INCOMPLETE_SIGNATURE);
        // A name in the query that the signed form body also carries: the signature covers only the body's.
        assertThat(refusal(post, copy(post.request(), post.request().rawPath(), "Action=DescribeVpcs", null, null),
                post.body()).failure()).isEqualTo(VerificationFailure.INCOMPLETE_SIGNATURE);
    }

    @Test
    void s3Query_authenticationPartRepeated_isMalformed_soNoServiceReadsAnUnverifiedCopy() throws IOException {
        Vector v = vector("s3-query", "long-term", "GET object, path style");

        for (String extra : List.of("Expires=9999999999", "Signature=AAAA", "AWSAccessKeyId=AKIAOTHER",
                "Expi%72es=1", "x-amz-security-token=a&X-Amz-Security-Token=b")) {
            ReceivedRequest twice = copy(v.request(), v.request().rawPath(), v.request().rawQuery() + "&" + extra,
                    null, null);
            VerificationException e = refusal(v, twice, v.body());
            assertThat(e.failure()).as(extra).isEqualTo(VerificationFailure.MALFORMED_QUERY_AUTHENTICATION_V2);
            assertThat(e.getMessage()).as(extra).startsWith("Query-string authentication requires");
        }
    }

    private VerificationException refusal(Vector v, ReceivedRequest request, byte[] body) {
        try {
            verify(v, request, body);
        } catch (VerificationException e) {
            return e;
        }
        throw new AssertionError("the request was accepted");
    }

    /** The refusal of {@code v} by a verifier whose clock reads {@code keys}' time, or null if accepted. */
    private static VerificationException refusal(TestKeys keys, Vector v) {
        RequestVerifier at = RequestVerifier.builder().sessionKeys(keys).longTermKeys(keys).clock(keys.clock)
                .s3BaseHosts(List.of("s3.amazonaws.com")).build();
        try {
            Verification verification = at.verify(v.request(), v.service());
            verification.payload().finish();
            return null;
        } catch (VerificationException e) {
            return e;
        }
    }

    private static TestKeys keysAt(Instant now) {
        try {
            SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
            seeded.setSeed("opensts-sigv2-vectors".getBytes(UTF_8));
            // The same ring as the vectors', created when theirs was.
            return new TestKeys(now, TestKeys.NOW.minus(Duration.ofHours(1)), seeded);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Vector vector(String form, String credentials, String name) throws IOException {
        return vectors().stream().filter(v -> v.form().equals(form) && v.credentials().equals(credentials)
                && v.name().equals(name)).findFirst().orElseThrow();
    }

    private static ReceivedRequest rebuild(ReceivedRequest r, String method) {
        ReceivedRequest.Builder builder = ReceivedRequest.builder().method(method).rawPath(r.rawPath())
                .rawQuery(r.rawQuery());
        r.headers().forEach(h -> builder.addHeader(h.name(), h.value()));
        return builder.build();
    }

    private static ReceivedRequest copy(ReceivedRequest r, String path, String query, String header, String value) {
        ReceivedRequest.Builder builder = ReceivedRequest.builder().method(r.method()).rawPath(path).rawQuery(query);
        boolean replaced = false;
        for (ReceivedRequest.Header h : r.headers()) {
            if (header != null && h.name().equalsIgnoreCase(header)) {
                if (!replaced) {
                    builder.addHeader(h.name(), value);
                    replaced = true;
                }
            } else {
                builder.addHeader(h.name(), h.value());
            }
        }
        if (header != null && !replaced) {
            builder.addHeader(header, value);
        }
        return builder.build();
    }
}
