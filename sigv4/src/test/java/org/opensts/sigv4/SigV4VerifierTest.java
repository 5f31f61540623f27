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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The verifier's checks, one table row each: every way a request may be malformed, stale, early or forged, with the
 * failure and AWS-worded message it must get, and the boundary cases it must still accept. The requests are a
 * realistic STS {@code AssumeRole} POST signed in the header and a {@code GetCallerIdentity} URL presigned for an
 * hour, both with temporary credentials so that a leak of the session token would show.
 */
class SigV4VerifierTest {
    /** As STS answers a presigned request: for the clock skew around X-Amz-Date, whatever X-Amz-Expires says. */
    private static final SigV4Verifier.Options STS_OPTIONS = SigV4Verifier.Options.defaults()
            .withHonorPresignedExpires(false);

    private static final String ACCESS_KEY_ID = "ASIAEXAMPLE7SESSION1";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final byte[] SECRET_BYTES = SECRET.getBytes(UTF_8);
    private static final String TOKEN = "FwoGZXIvYXdzEXAMPLE+session/token==";
    private static final SigningCredentials CREDENTIALS = SigningCredentials.of(ACCESS_KEY_ID, SECRET_BYTES, TOKEN);
    private static final Instant T0 = Instant.parse("2015-08-30T12:36:00Z");
    private static final Duration ONE_HOUR = Duration.ofHours(1);
    private static final String CREDENTIAL = "Credential=ASIAEXAMPLE7SESSION1/20150830/us-east-1/sts/aws4_request";

    private static final SigV4Signer SIGNER = SigV4Signer.create();

    private static SignableRequest assumeRole() {
        return SignableRequest.builder()
                .method("POST")
                .path("/")
                .addHeader("Host", "sts.us-east-1.amazonaws.com")
                .addHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .addHeader("User-Agent", "aws-cli/2.9.19 Python/3.11.2 Linux/6.1")
                .body(("Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole"
                        + "%2Fdemo&RoleSessionName=alice").getBytes(UTF_8))
                .build();
    }

    private static SignableRequest signed() {
        return SIGNER.sign(assumeRole(), CREDENTIALS, "us-east-1", "sts", T0);
    }

    private static SignableRequest signedWith(SigV4Signer.Options options, SignableRequest request) {
        return SigV4Signer.create(options).sign(request, CREDENTIALS, "us-east-1", "sts", T0);
    }

    private static SignableRequest presigned() {
        SignableRequest get = SignableRequest.builder()
                .target("/?Action=GetCallerIdentity&Version=2011-06-15")
                .addHeader("Host", "sts.amazonaws.com")
                .build();
        return SIGNER.presign(get, CREDENTIALS, "us-east-1", "sts", T0, ONE_HOUR);
    }

    /**
     * {@link #presigned()} as a generator the signer here will not imitate writes it: signed with
     * {@code X-Amz-Expires=0}, the signature computed over that query.
     */
    private static SignableRequest presignedWithExpiresZero() {
        SignableRequest unsigned = withQuery(presigned(), q -> q.replace("X-Amz-Expires=3600", "X-Amz-Expires=0")
                .replaceAll("X-Amz-Signature=[0-9a-f]+", "X-Amz-Signature=" + "0".repeat(64)));
        SigV4Verifier verifier = SigV4Verifier.create(STS_OPTIONS);
        try {
            SignedRequest parsed = verifier.parse(unsigned);
            CanonicalRequest canonical = verifier.canonicalRequest(parsed, unsigned,
                    Hex.encode(Digests.sha256(new byte[0])));
            CredentialScope scope = CredentialScope.parse(parsed.scope());
            String signature = SigV4.signature(SigV4.deriveSigningKey(SECRET_BYTES, scope),
                    SigV4.stringToSign(T0, scope, canonical));
            return withQuery(unsigned, q -> q.replace("0".repeat(64), signature));
        } catch (SigV4Exception e) {
            throw new AssertionError(e);
        }
    }

    private static SignableRequest withAuthorization(SignableRequest request, UnaryOperator<String> change) {
        String authorization = request.firstHeader("Authorization").orElseThrow();
        return SigningTestVectors.withHeader(request, "Authorization", change.apply(authorization));
    }

    private static SignableRequest withQuery(SignableRequest request, UnaryOperator<String> change) {
        return request.toBuilder().query(change.apply(request.query())).build();
    }

    private static String signatureOf(SignableRequest request) {
        return request.firstHeader("Authorization").map(SigningTestVectors::signatureOf)
                .orElseGet(() -> request.query().replaceAll(".*X-Amz-Signature=", ""));
    }

    /**
     * One request the verifier must reject.
     *
     * @param message the exact AWS-worded message, or {@code null} for the generic mismatch message
     */
    record Rejection(String name, SignableRequest request, Instant now, byte[] secret, SigV4Verifier.Options options,
            SigV4Failure failure, String message) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static Rejection reject(String name, SignableRequest request, SigV4Failure failure, String message) {
        return new Rejection(name, request, T0, SECRET_BYTES, SigV4Verifier.Options.defaults(), failure, message);
    }

    private static Rejection rejectAt(String name, SignableRequest request, Instant now, SigV4Failure failure,
            String message) {
        return new Rejection(name, request, now, SECRET_BYTES, SigV4Verifier.Options.defaults(), failure, message);
    }

    private static final SigV4Failure MISSING = SigV4Failure.MISSING_AUTHENTICATION_TOKEN;
    private static final SigV4Failure INCOMPLETE = SigV4Failure.INCOMPLETE_SIGNATURE;
    private static final SigV4Failure MISMATCH = SigV4Failure.SIGNATURE_DOES_NOT_MATCH;
    private static final SigV4Failure EXPIRED = SigV4Failure.SIGNATURE_EXPIRED;
    private static final SigV4Failure NOT_YET_CURRENT = SigV4Failure.SIGNATURE_NOT_YET_CURRENT;
    private static final String GENERIC = null;

    static Stream<Rejection> rejections() {
        SignableRequest signed = signed();
        SignableRequest presigned = presigned();
        SignableRequest wrongBodyHash = signedWith(SigV4Signer.Options.defaults(), assumeRole().toBuilder()
                .addHeader("x-amz-content-sha256", Hex.encode(Digests.sha256("Action=GetSessionToken".getBytes(UTF_8))))
                .build());
        SignableRequest unsignedPayload = signedWith(SigV4Signer.Options.defaults()
                .withAddContentSha256(true).withUnsignedPayload(true), assumeRole());
        return Stream.of(
                reject("a request with neither an Authorization header nor presigned parameters",
                        signed.toBuilder().removeHeaders("Authorization").build(),
                        MISSING, "Request is missing Authentication Token"),
                reject("a blank Authorization header",
                        withAuthorization(signed, a -> "  "),
                        MISSING, "Request is missing Authentication Token"),
                reject("an Authorization header without Credential",
                        withAuthorization(signed, a -> a.replace(CREDENTIAL + ", ", "")),
                        INCOMPLETE, "Authorization header requires 'Credential' parameter."),
                reject("an Authorization header without Signature",
                        withAuthorization(signed, a -> a.replaceAll(", Signature=.*", "")),
                        INCOMPLETE, "Authorization header requires 'Signature' parameter."),
                reject("an Authorization header with an empty Signature",
                        withAuthorization(signed, a -> a.replaceAll("Signature=.*", "Signature=")),
                        INCOMPLETE, "Authorization header requires 'Signature' parameter."),
                reject("an Authorization header without SignedHeaders",
                        withAuthorization(signed, a -> a.replaceAll("SignedHeaders=[^,]*, ", "")),
                        INCOMPLETE, "Authorization header requires 'SignedHeaders' parameter."),
                reject("a bearer token instead of a signature, and no date",
                        withAuthorization(signed, a -> "Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl").toBuilder()
                                .removeHeaders("X-Amz-Date").build(),
                        INCOMPLETE, "Authorization header requires 'Credential' parameter."
                                + " Authorization header requires 'Signature' parameter."
                                + " Authorization header requires 'SignedHeaders' parameter."
                                + " Authorization header requires existence of either a 'X-Amz-Date' or a 'Date'"
                                + " header."),
                reject("an unsupported algorithm",
                        withAuthorization(signed, a -> a.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512")),
                        INCOMPLETE, "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now)."),
                reject("the SigV4A algorithm",
                        withAuthorization(signed, a -> a.replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256")),
                        INCOMPLETE,
                        "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256' (only AWS4-HMAC-SHA256 for now)."),
                reject("a field without an equal sign",
                        withAuthorization(signed, a -> a.replace("Credential=", "Credential ")),
                        INCOMPLETE, "'Credential' not a valid key=value pair (missing equal-sign) in Authorization"
                                + " header."),
                reject("a repeated Credential field",
                        withAuthorization(signed,
                                a -> a + ", Credential=AKIDOTHER/20150830/us-east-1/sts/aws4_request"),
                        INCOMPLETE, "Authorization header has more than one 'Credential' parameter."),
                reject("a credential with four elements",
                        withAuthorization(signed, a -> a.replace("/aws4_request", "")),
                        INCOMPLETE, "Credential must have exactly 5 slash-delimited elements, e.g."
                                + " keyid/date/region/service/term, got 'ASIAEXAMPLE7SESSION1/20150830/us-east-1/sts'"),
                reject("a credential with an empty access key id",
                        withAuthorization(signed, a -> a.replace("ASIAEXAMPLE7SESSION1", "")),
                        INCOMPLETE, "Credential must have exactly 5 slash-delimited elements, e.g."
                                + " keyid/date/region/service/term, got '/20150830/us-east-1/sts/aws4_request'"),
                reject("a credential with a wrong terminator",
                        withAuthorization(signed, a -> a.replace("aws4_request", "aws5_request")),
                        MISMATCH, "Credential should be scoped with a valid terminator: 'aws4_request', not"
                                + " 'aws5_request'."),
                reject("a credential whose date is not YYYYMMDD",
                        withAuthorization(signed, a -> a.replace("/20150830/", "/2015-08-30/")),
                        MISMATCH, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date"
                                + " from HTTP: '2015-08-30' != '20150830', from '20150830T123600Z'."),
                reject("a credential scope dated the day before the request",
                        withAuthorization(signed, a -> a.replace("/20150830/", "/20150829/")),
                        MISMATCH, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date"
                                + " from HTTP: '20150829' != '20150830', from '20150830T123600Z'."),
                reject("an X-Amz-Date in extended format",
                        SigningTestVectors.withHeader(signed, "X-Amz-Date", "2015-08-30T12:36:00Z"),
                        INCOMPLETE, "Date must be in ISO-8601 'basic format'. Got '2015-08-30T12:36:00Z'. See"
                                + " http://en.wikipedia.org/wiki/ISO_8601"),
                reject("both an Authorization header and presigned query parameters",
                        withQuery(signed, q -> "X-Amz-Algorithm=AWS4-HMAC-SHA256"),
                        INCOMPLETE, "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or"
                                + " the Authorization header should be specified."),
                reject("host missing from the signed headers",
                        withAuthorization(signed, a -> a.replace("host;", "")),
                        MISMATCH, "'Host' must be a 'SignedHeader' in the AWS Authorization."),
                reject("a signed header absent from the request",
                        signed.toBuilder().removeHeaders("Content-Type").build(),
                        MISMATCH, GENERIC),
                reject("a signed header changed after signing",
                        SigningTestVectors.withHeader(signed, "Content-Type", "application/json"),
                        MISMATCH, GENERIC),
                reject("a body changed after signing",
                        signed.toBuilder().body("Action=AssumeRole&Version=2011-06-15".getBytes(UTF_8)).build(),
                        MISMATCH, GENERIC),
                reject("an x-amz-content-sha256 that is not the body's hash, though signed",
                        wrongBodyHash, MISMATCH, GENERIC),
                reject("UNSIGNED-PAYLOAD where the body must be signed",
                        unsignedPayload, MISMATCH, GENERIC),
                reject("a session token changed after signing",
                        SigningTestVectors.withHeader(signed, "X-Amz-Security-Token", TOKEN + "x"),
                        MISMATCH, GENERIC),
                reject("a signature that is not hex",
                        withAuthorization(signed, a -> a.replaceAll("Signature=.*", "Signature=" + "zz".repeat(32))),
                        MISMATCH, GENERIC),
                reject("a signature in upper-case hex",
                        withAuthorization(signed, a -> a.replaceAll("Signature=.*",
                                "Signature=" + signatureOf(signed).toUpperCase(Locale.ROOT))),
                        MISMATCH, GENERIC),
                reject("SignedHeaders out of order",
                        withAuthorization(signed, a -> a.replace("SignedHeaders=content-type;host;",
                                "SignedHeaders=host;content-type;")),
                        MISMATCH, GENERIC),
                reject("SignedHeaders naming a header twice",
                        withAuthorization(signed, a -> a.replace(";host;", ";host;host;")),
                        MISMATCH, GENERIC),
                reject("SignedHeaders with an empty entry",
                        withAuthorization(signed, a -> a.replace(";host;", ";host;;")),
                        MISMATCH, GENERIC),
                reject("SignedHeaders ending in a semicolon",
                        withAuthorization(signed, a -> a.replaceAll("(SignedHeaders=[^,]*),", "$1;,")),
                        MISMATCH, GENERIC),
                reject("SignedHeaders with an upper-case name",
                        withAuthorization(signed, a -> a.replace("SignedHeaders=content-type;",
                                "SignedHeaders=Content-Type;")),
                        MISMATCH, GENERIC),
                reject("a repeated Signature field",
                        withAuthorization(signed, a -> a + ", Signature=" + signatureOf(signed)),
                        INCOMPLETE, "Authorization header has more than one 'Signature' parameter."),
                reject("a repeated SignedHeaders field",
                        withAuthorization(signed, a -> a + ", SignedHeaders=host"),
                        INCOMPLETE, "Authorization header has more than one 'SignedHeaders' parameter."),
                reject("white space inside the Credential field",
                        withAuthorization(signed, a -> a.replace("SESSION1/", "SESSION1 /")),
                        INCOMPLETE, "'/20150830/us-east-1/sts/aws4_request' not a valid key=value pair"
                                + " (missing equal-sign) in Authorization header."),
                reject("spaces around a field's equal sign",
                        withAuthorization(signed, a -> a.replace("Credential=", "Credential = ")),
                        INCOMPLETE, "'Credential' not a valid key=value pair (missing equal-sign) in Authorization"
                                + " header."),
                reject("a presigned URL with its signature in upper-case hex",
                        withQuery(presigned, q -> q.replace(signatureOf(presigned),
                                signatureOf(presigned).toUpperCase(Locale.ROOT))),
                        MISMATCH, GENERIC),
                reject("a presigned URL with an empty entry in X-Amz-SignedHeaders",
                        withQuery(presigned, q -> q.replace("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=host%3B")),
                        MISMATCH, GENERIC),
                reject("a signature with its last digit changed",
                        withAuthorization(signed, a -> a.substring(0, a.length() - 1)
                                + (a.endsWith("0") ? "1" : "0")),
                        MISMATCH, GENERIC),
                new Rejection("the wrong secret", signed, T0,
                        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEZ".getBytes(UTF_8), SigV4Verifier.Options.defaults(),
                        MISMATCH, GENERIC),
                rejectAt("a request 15 minutes and 1 second old", signed, T0.plusSeconds(15 * 60 + 1),
                        EXPIRED, "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z"
                                + " (20150830T125101Z - 15 min.)"),
                rejectAt("a request 15 minutes and 1 second ahead", signed, T0.minusSeconds(15 * 60 + 1),
                        NOT_YET_CURRENT, "Signature not yet current: 20150830T123600Z is still later than"
                                + " 20150830T123559Z (20150830T122059Z + 15 min.)"),
                new Rejection("a request 2 minutes old under a 90-second skew", signed, T0.plusSeconds(120),
                        SECRET_BYTES, SigV4Verifier.Options.defaults().withMaxClockSkew(Duration.ofSeconds(90)),
                        EXPIRED, "Signature expired: 20150830T123600Z is now earlier than 20150830T123630Z"
                                + " (20150830T123800Z - 90 sec.)"),
                reject("a presigned URL without X-Amz-Credential and X-Amz-Signature",
                        withQuery(presigned, q -> q.replaceAll("&X-Amz-Credential=[^&]*", "")
                                .replaceAll("&X-Amz-Signature=.*", "")),
                        INCOMPLETE, "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string"
                                + " parameters must include 'X-Amz-Signature'. Re-examine the query-string"
                                + " parameters."),
                reject("a presigned URL with an unsupported algorithm",
                        withQuery(presigned, q -> q.replace("X-Amz-Algorithm=AWS4-HMAC-SHA256",
                                "X-Amz-Algorithm=AWS4-HMAC-SHA1")),
                        INCOMPLETE, "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA1' (only AWS4-HMAC-SHA256 for now)."),
                rejectAt("a presigned URL with X-Amz-Expires 0, a second after it was signed (every service but STS)",
                        presignedWithExpiresZero(), T0.plusSeconds(1), EXPIRED, "Signature expired: 20150830T123600Z"
                                + " is now earlier than 20150830T123601Z (20150830T123601Z - 0 sec.)"),
                new Rejection("STS: a presigned URL with X-Amz-Expires -1",
                        withQuery(presigned, q -> q.replace("X-Amz-Expires=3600", "X-Amz-Expires=-1")), T0,
                        SECRET_BYTES, STS_OPTIONS, INCOMPLETE, "X-Amz-Expires must be non-negative"),
                reject("a presigned URL with X-Amz-Expires over a week",
                        withQuery(presigned, q -> q.replace("X-Amz-Expires=3600", "X-Amz-Expires=604801")),
                        INCOMPLETE, "X-Amz-Expires must be less than a week (in seconds); that is, the given"
                                + " X-Amz-Expires must be less than 604800 seconds"),
                reject("a presigned URL with X-Amz-Expires not a number",
                        withQuery(presigned, q -> q.replace("X-Amz-Expires=3600", "X-Amz-Expires=1h")),
                        INCOMPLETE, "X-Amz-Expires should be a number"),
                reject("a presigned URL with two X-Amz-Signature parameters",
                        withQuery(presigned, q -> q + "&X-Amz-Signature=" + "0".repeat(64)),
                        INCOMPLETE, "AWS query-string parameters must include 'X-Amz-Signature' only once."
                                + " Re-examine the query-string parameters."),
                rejectAt("a presigned URL one second past X-Amz-Expires", presigned, T0.plusSeconds(3601), EXPIRED,
                        "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z"
                                + " (20150830T133601Z - 3600 sec.)"),
                new Rejection("STS: a presigned URL older than the clock skew, though within X-Amz-Expires", presigned,
                        T0.plusSeconds(15 * 60 + 1), SECRET_BYTES, STS_OPTIONS, EXPIRED,
                        "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z"
                                + " (20150830T125101Z - 15 min.)"),
                rejectAt("a presigned URL dated beyond the clock skew", presigned, T0.minusSeconds(15 * 60 + 1),
                        NOT_YET_CURRENT, "Signature not yet current: 20150830T123600Z is still later than"
                                + " 20150830T123559Z (20150830T122059Z + 15 min.)"),
                reject("a presigned URL with a parameter changed",
                        withQuery(presigned, q -> q.replace("Version=2011-06-15", "Version=2011-06-16")),
                        MISMATCH, GENERIC),
                reject("a presigned URL with a parameter added",
                        withQuery(presigned, q -> "Action=AssumeRole&" + q),
                        MISMATCH, GENERIC),
                reject("a presigned URL with its token changed",
                        withQuery(presigned, q -> q.replace("X-Amz-Security-Token=", "X-Amz-Security-Token=x")),
                        MISMATCH, GENERIC));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void authenticate_isRejectedWithAwsFailureAndMessage(Rejection r) {
        SigV4Exception e = catchThrowableOfType(SigV4Exception.class, () -> authenticate(r));

        assertThat(e).as("rejected").isNotNull();
        assertThat(e.failure()).isEqualTo(r.failure());
        assertThat(e.getMessage()).isEqualTo(r.message() == null ? FailureMessages.SIGNATURE_DOES_NOT_MATCH
                : r.message());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void rejectionMessage_containsNoSecretTokenOrSignature(Rejection r) {
        SigV4Exception e = catchThrowableOfType(SigV4Exception.class, () -> authenticate(r));

        assertThat(e.getMessage())
                .doesNotContain(SECRET)
                .doesNotContain(TOKEN)
                .doesNotContain(UriEncoding.encode(TOKEN))
                .doesNotContain(signatureOf(signed()))
                .doesNotContain(signatureOf(presigned()));
        assertThat(e.getStackTrace()).as("no stack trace is captured").isEmpty();
    }

    private static void authenticate(Rejection r) throws SigV4Exception {
        SigV4Verifier verifier = SigV4Verifier.create(r.options());
        verifier.verify(verifier.parse(r.request()), r.request(), r.secret(), r.now());
    }

    /** One request the verifier must accept, often at the edge of a rejection above. */
    record Acceptance(String name, SignableRequest request, Instant now, SigV4Verifier.Options options) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Acceptance> acceptances() {
        SigV4Verifier.Options defaults = SigV4Verifier.Options.defaults();
        SignableRequest signed = signed();
        SignableRequest presigned = presigned();
        SignableRequest presignedForAMinute = SIGNER.presign(presigned().toBuilder().build(), CREDENTIALS,
                "us-east-1", "sts", T0, Duration.ofSeconds(60));
        SignableRequest presignedForNoTime = presignedWithExpiresZero();
        return Stream.of(
                new Acceptance("a request signed now", signed, T0, defaults),
                new Acceptance("a request exactly 15 minutes old", signed, T0.plusSeconds(15 * 60), defaults),
                new Acceptance("a request exactly 15 minutes ahead", signed, T0.minusSeconds(15 * 60), defaults),
                new Acceptance("a presigned URL at its last second", presigned, T0.plusSeconds(3600), defaults),
                new Acceptance("a presigned URL older than the skew but within X-Amz-Expires", presigned,
                        T0.plusSeconds(45 * 60), defaults),
                new Acceptance("STS: a presigned URL 15 minutes old, whatever X-Amz-Expires says", presignedForAMinute,
                        T0.plusSeconds(15 * 60), STS_OPTIONS),
                new Acceptance("STS: a presigned URL signed with X-Amz-Expires 0, as a token generator for EKS did",
                        presignedForNoTime, T0.plusSeconds(14 * 60), STS_OPTIONS),
                new Acceptance("an Authorization header without spaces after the commas",
                        withAuthorization(signed, a -> a.replace(", ", ",")), T0, defaults),
                new Acceptance("an Authorization header with extra spaces",
                        withAuthorization(signed, a -> "  " + a.replace(", ", " ,   ") + " "), T0, defaults),
                new Acceptance("an Authorization header with extra commas",
                        withAuthorization(signed, a -> a.replace(", ", ",, ") + ","), T0, defaults),
                new Acceptance("an Authorization header with fields separated by spaces only",
                        withAuthorization(signed, a -> a.replace(", ", " ")), T0, defaults),
                // Fields end at a comma or white space; a field the verifier does not know is not signed and changes
                // nothing, wherever it stands (found by the forgery run: the signature, a line break and "1u/1ppdX=+").
                new Acceptance("an unknown field after the signature, separated by a line break",
                        withAuthorization(signed, a -> a + "\n1u/1ppdX=+"), T0, defaults),
                new Acceptance("header names in other cases",
                        renameHeaders(signed), T0, defaults),
                new Acceptance("a session token added after signing, unsigned",
                        SIGNER.sign(assumeRole(), SigningCredentials.of(ACCESS_KEY_ID, SECRET_BYTES), "us-east-1",
                                "sts", T0).toBuilder().addHeader("X-Amz-Security-Token", TOKEN).build(),
                        T0, defaults),
                new Acceptance("UNSIGNED-PAYLOAD where allowed",
                        signedWith(SigV4Signer.Options.defaults().withAddContentSha256(true)
                                .withUnsignedPayload(true), assumeRole()),
                        T0, defaults.withAllowUnsignedPayload(true)),
                new Acceptance("an x-amz-content-sha256 equal to the body's hash",
                        signedWith(SigV4Signer.Options.defaults().withAddContentSha256(true), assumeRole()),
                        T0, defaults),
                new Acceptance("an unsigned header added after signing",
                        signed.toBuilder().addHeader("X-Forwarded-For", "203.0.113.7").build(), T0, defaults),
                new Acceptance("a Date header instead of X-Amz-Date", signedWithDateHeader(), T0, defaults),
                new Acceptance("an unnormalized path, for a verifier that does not normalize",
                        SigV4Signer.create(SigV4Signer.Options.defaults().withNormalizePath(false)
                                .withDoubleEncodePath(false)).sign(assumeRole().toBuilder().path("/a//b/../c%7e")
                                .build(), CREDENTIALS, "us-east-1", "s3", T0),
                        T0, defaults.withNormalizePath(false).withDoubleEncodePath(false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptances")
    void authenticate_isAccepted(Acceptance a) {
        SigV4Verifier verifier = SigV4Verifier.create(a.options());

        assertThatCode(() -> verifier.verify(verifier.parse(a.request()), a.request(), SECRET_BYTES, a.now()))
                .doesNotThrowAnyException();
    }

    private static SignableRequest renameHeaders(SignableRequest request) {
        SignableRequest.Builder builder = request.toBuilder();
        for (int i = 0; i < request.headerCount(); i++) {
            builder.removeHeaders(request.headerName(i));
        }
        for (int i = 0; i < request.headerCount(); i++) {
            String name = request.headerName(i);
            String renamed = i % 2 == 0 ? name.toUpperCase(Locale.ROOT) : name.toLowerCase(Locale.ROOT);
            builder.addHeader(renamed, request.headerValue(i));
        }
        return builder.build();
    }

    /** Signs by hand with {@code Date} (RFC 1123) in place of {@code X-Amz-Date}, as the SigV4 document allows. */
    private static SignableRequest signedWithDateHeader() {
        SignableRequest request = assumeRole().toBuilder().addHeader("Date", "Sun, 30 Aug 2015 12:36:00 GMT").build();
        CredentialScope scope = CredentialScope.parse("20150830/us-east-1/sts/aws4_request");
        List<String> signedHeaders = List.of("content-type", "date", "host");
        CanonicalRequest canonicalRequest = CanonicalRequest.create(request, signedHeaders,
                "content-type;date;host", Hex.encode(Digests.sha256(request.body())), false, true, true);
        String signature = SigV4.signature(SigV4.deriveSigningKey(SECRET_BYTES, scope),
                SigV4.stringToSign(T0, scope, canonicalRequest));
        return request.toBuilder().addHeader("Authorization", "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY_ID + '/'
                + scope.toScopeString() + ", SignedHeaders=content-type;date;host, Signature=" + signature).build();
    }

    @Test
    void parse_headerForm_readsWhatTheRequestClaims() throws SigV4Exception {
        SignedRequest signed = SigV4Verifier.create().parse(signed());

        assertThat(signed.form()).isEqualTo(SignedRequest.Form.HEADER);
        assertThat(signed.accessKeyId()).isEqualTo(ACCESS_KEY_ID);
        assertThat(signed.credentialScope()).isEqualTo(CredentialScope.parse("20150830/us-east-1/sts/aws4_request"));
        assertThat(signed.signedHeaders())
                .containsExactly("content-type", "host", "x-amz-date", "x-amz-security-token");
        assertThat(signed.requestTime()).isEqualTo(T0);
        assertThat(signed.expires()).isEmpty();
        assertThat(signed.securityToken()).contains(TOKEN);
    }

    @Test
    void parse_presignedForm_readsWhatTheUrlClaims() throws SigV4Exception {
        SignedRequest signed = SigV4Verifier.create().parse(presigned());

        assertThat(signed.form()).isEqualTo(SignedRequest.Form.PRESIGNED_QUERY);
        assertThat(signed.accessKeyId()).isEqualTo(ACCESS_KEY_ID);
        assertThat(signed.credentialScope().toScopeString()).isEqualTo("20150830/us-east-1/sts/aws4_request");
        assertThat(signed.signedHeaders()).containsExactly("host");
        assertThat(signed.requestTime()).isEqualTo(T0);
        assertThat(signed.expires()).contains(ONE_HOUR);
        assertThat(signed.securityToken()).contains(TOKEN);
    }

    @Test
    void parse_dateHeader_isTheRequestTimeWhenXAmzDateIsAbsent() throws SigV4Exception {
        assertThat(SigV4Verifier.create().parse(signedWithDateHeader()).requestTime()).isEqualTo(T0);
    }

    @Test
    void signedRequest_toString_showsAccessKeyIdAndScopeButNoToken() throws SigV4Exception {
        for (SignableRequest request : List.of(signed(), presigned())) {
            String text = SigV4Verifier.create().parse(request).toString();

            assertThat(text).contains(ACCESS_KEY_ID).contains("20150830/us-east-1/sts/aws4_request")
                    .doesNotContain(TOKEN).doesNotContain(UriEncoding.encode(TOKEN))
                    .doesNotContain(signatureOf(request));
        }
    }

    @Test
    void canonicalRequest_toString_hidesTheTextThatHoldsTheToken() throws SigV4Exception {
        SigV4Verifier verifier = SigV4Verifier.create();
        SignableRequest request = signed();
        CanonicalRequest canonicalRequest = verifier.canonicalRequest(verifier.parse(request), request);

        assertThat(canonicalRequest.text()).contains(TOKEN);
        assertThat(canonicalRequest.toString()).doesNotContain(TOKEN).contains(canonicalRequest.hashHex());
    }

    @Test
    void signableRequest_toString_showsNoHeaderValueOrQuery() {
        for (SignableRequest request : List.of(signed(), presigned())) {
            assertThat(request.toString()).doesNotContain(TOKEN).doesNotContain(UriEncoding.encode(TOKEN))
                    .doesNotContain(signatureOf(request));
        }
    }
}
