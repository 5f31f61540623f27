package org.opensts.verifier;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opensts.verifier.TestKeys.NOW;
import static org.opensts.verifier.TestKeys.received;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.sigv4.AwsChunkedEncoder;
import org.opensts.sigv4.ChecksumAlgorithm;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;
import org.opensts.token.TemporaryCredentials;

/** Signature Version 4 in the header and presigned forms, with signed and unsigned payloads, for S3 and STS. */
class RequestVerifierTest {
    private static final String BODY = "hello, world\n";
    private static final SigV4Signer S3_SIGNER = SigV4Signer.create(SigV4Signer.Options.defaults()
            .withNormalizePath(false).withDoubleEncodePath(false).withAddContentSha256(true));
    private static final SigV4Signer S3_UNSIGNED_SIGNER = SigV4Signer.create(SigV4Signer.Options.defaults()
            .withNormalizePath(false).withDoubleEncodePath(false).withAddContentSha256(true)
            .withUnsignedPayload(true));
    private static final SigV4Signer S3_PRESIGNER = SigV4Signer.create(SigV4Signer.Options.defaults()
            .withNormalizePath(false).withDoubleEncodePath(false).withUnsignedPayload(true));
    private static final SigV4Signer STS_SIGNER = SigV4Signer.create();

    private final TestKeys keys = new TestKeys();
    private final RequestVerifier verifier = keys.verifier();
    private final TemporaryCredentials session = keys.roleSession();

    private static SignableRequest put(String body) {
        return SignableRequest.builder().method("PUT").path("/bucket/photos/a%20b.jpg").query("tagging=")
                .addHeader("Host", "s3.us-east-1.amazonaws.com")
                .addHeader("Content-Length", Integer.toString(body.getBytes(UTF_8).length))
                .body(body.getBytes(UTF_8)).build();
    }

    private static SignableRequest get() {
        return SignableRequest.builder().method("GET").path("/bucket/photos/a%20b.jpg")
                .addHeader("Host", "s3.us-east-1.amazonaws.com").build();
    }

    private static SignableRequest sts(String body) {
        return SignableRequest.builder().method("POST").path("/")
                .addHeader("Host", "sts.amazonaws.com")
                .addHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .addHeader("Content-Length", Integer.toString(body.getBytes(UTF_8).length))
                .body(body.getBytes(UTF_8)).build();
    }

    private SignableRequest signS3(SignableRequest request, SigningCredentials credentials, Instant at) {
        return S3_SIGNER.sign(request, credentials, "us-east-1", "s3", at);
    }

    /** Feeds {@code body} in pieces of {@code piece} bytes and returns what the check handed out. */
    static String feed(PayloadCheck check, byte[] body, int piece) throws VerificationException {
        var out = new ByteArrayOutputStream();
        for (int i = 0; i < body.length; i += piece) {
            check.update(ByteBuffer.wrap(body, i, Math.min(piece, body.length - i)), decoded -> {
                byte[] bytes = new byte[decoded.remaining()];
                decoded.get(bytes);
                out.writeBytes(bytes);
            });
        }
        check.finish();
        return out.toString(UTF_8);
    }

    private static VerificationException failure(ThrowingCall call) {
        try {
            call.run();
        } catch (VerificationException e) {
            return e;
        }
        throw new AssertionError("the request was accepted");
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws VerificationException;
    }

    @Test
    void s3Put_signedPayloadHash_temporaryCredentials_isTheRoleSession_andTheBodyPassesThrough() throws Exception {
        SignableRequest signed = signS3(put(BODY), TestKeys.credentials(session), NOW);

        Verification verification = verifier.verify(received(signed), "s3");

        assertThat(verification.caller().arn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/reader/s1");
        assertThat(verification.caller().sessionName()).contains("s1");
        assertThat(verification.region()).isEqualTo("us-east-1");
        assertThat(verification.service()).isEqualTo("s3");
        assertThat(verification.payload().decodedContentLength()).hasValue(BODY.length());
        assertThat(feed(verification.payload(), BODY.getBytes(UTF_8), 1)).isEqualTo(BODY);
        assertThat(keys.uses).isEmpty();
    }

    @Test
    void s3Put_bodyChangedAfterSigning_isContentSha256Mismatch_atFinish() throws Exception {
        SignableRequest signed = signS3(put(BODY), TestKeys.credentials(session), NOW);
        Verification verification = verifier.verify(received(signed), "s3");

        VerificationException e = failure(() -> feed(verification.payload(), "hello, World\n".getBytes(UTF_8), 4));

        assertThat(e.failure()).isEqualTo(VerificationFailure.CONTENT_SHA256_MISMATCH);
        assertThat(e.getMessage())
                .isEqualTo("The provided 'x-amz-content-sha256' header does not match what was computed.");
    }

    @Test
    void s3Put_bodyShorterThanContentLength_isMalformedBody() throws Exception {
        SignableRequest signed = signS3(put(BODY), TestKeys.credentials(session), NOW);
        Verification verification = verifier.verify(received(signed), "s3");

        VerificationException e = failure(() -> feed(verification.payload(), "hello".getBytes(UTF_8), 4));

        assertThat(e.failure()).isEqualTo(VerificationFailure.MALFORMED_BODY);
    }

    @Test
    void s3Put_unsignedPayload_passesAnyBodyThrough() throws Exception {
        SignableRequest signed = S3_UNSIGNED_SIGNER.sign(put(BODY), TestKeys.credentials(session), "us-east-1", "s3",
                NOW);

        Verification verification = verifier.verify(received(signed), "s3");

        assertThat(signed.firstHeader("x-amz-content-sha256")).contains("UNSIGNED-PAYLOAD");
        assertThat(feed(verification.payload(), "hello, World\n".getBytes(UTF_8), 3)).isEqualTo("hello, World\n");
    }

    @Test
    void s3Get_longTermKey_isTheUser_andItsUseIsRecorded() throws Exception {
        SignableRequest signed = signS3(get(), TestKeys.longTermCredentials(), NOW);

        Verification verification = verifier.verify(received(signed), "s3");

        assertThat(verification.caller().arn()).isEqualTo(TestKeys.USER_ARN);
        assertThat(verification.caller().iamUserId()).contains(TestKeys.USER_ID);
        assertThat(verification.caller().isTemporary()).isFalse();
        assertThat(feed(verification.payload(), new byte[0], 1)).isEmpty();
        assertThat(keys.uses).containsExactly(TestKeys.LONG_TERM_KEY_ID + " " + NOW + " us-east-1 s3");
    }

    @Test
    void s3Get_presigned_isAccepted_untilItExpires() throws Exception {
        SignableRequest presigned = S3_PRESIGNER.presign(get(), TestKeys.credentials(session), "us-east-1", "s3",
                NOW.minus(Duration.ofMinutes(10)), Duration.ofMinutes(10));

        assertThat(verifier.verify(received(presigned), "s3").caller().accessKeyId())
                .isEqualTo(session.accessKeyId());

        SignableRequest stale = S3_PRESIGNER.presign(get(), TestKeys.credentials(session), "us-east-1", "s3",
                NOW.minus(Duration.ofMinutes(10)), Duration.ofSeconds(599));
        VerificationException e = failure(() -> verifier.verify(received(stale), "s3"));
        assertThat(e.failure()).isEqualTo(VerificationFailure.REQUEST_EXPIRED);
        assertThat(e.getMessage()).isEqualTo("Request has expired");
        // S3's document names the URL's lifetime, when it ended and the server's time, in that order.
        assertThat(e.s3Details()).containsExactly(Map.entry("X-Amz-Expires", "599"),
                Map.entry("Expires", NOW.minusSeconds(1).truncatedTo(ChronoUnit.SECONDS).toString()),
                Map.entry("ServerTime", NOW.truncatedTo(ChronoUnit.SECONDS).toString()));
    }

    /** A parameter given twice is not a missing one: S3's "requires the … parameters" is for missing ones only. */
    @Test
    void s3PresignedUrl_withAParameterTwice_saysSo() throws Exception {
        SignableRequest presigned = S3_PRESIGNER.presign(get(), TestKeys.credentials(session), "us-east-1", "s3",
                NOW, Duration.ofMinutes(10));
        SignableRequest twice = presigned.toBuilder().query(presigned.query() + "&X-Amz-Expires=60").build();

        VerificationException e = failure(() -> verifier.verify(received(twice), "s3"));

        assertThat(e.failure()).isEqualTo(VerificationFailure.MALFORMED_QUERY_AUTHENTICATION);
        assertThat(e.getMessage()).contains("only once").doesNotContain("requires");
    }

    /** S3's recorded answer to a Signature Version 2 presigned URL missing one of its parameters: 403 AccessDenied. */
    @Test
    void s3SigV2PresignedUrl_withoutExpires_isAccessDenied() throws Exception {
        SignableRequest withoutExpires = get().toBuilder()
                .query("AWSAccessKeyId=" + TestKeys.LONG_TERM_KEY_ID + "&Signature=c2lnbmF0dXJl").build();

        VerificationException e = failure(() -> verifier.verify(received(withoutExpires), "s3"));

        assertThat(e.failure()).isEqualTo(VerificationFailure.MALFORMED_QUERY_AUTHENTICATION_V2);
        assertThat(e.failure().s3Code()).isEqualTo("AccessDenied");
        assertThat(e.failure().s3Status()).isEqualTo(403);
        assertThat(e.getMessage()).isEqualTo("Query-string authentication requires the Signature, Expires and"
                + " AWSAccessKeyId parameters");
    }

    /** S3: a presigned URL without X-Amz-Expires has no life to check, and is refused as S3 refuses it. */
    @Test
    void s3PresignedUrl_withoutExpires_isMalformedQueryAuthentication() throws Exception {
        SignableRequest presigned = S3_PRESIGNER.presign(get(), TestKeys.credentials(session), "us-east-1", "s3",
                NOW, Duration.ofMinutes(10));
        SignableRequest withoutExpires = presigned.toBuilder()
                .query(presigned.query().replaceAll("&X-Amz-Expires=[0-9]+", "")).build();

        VerificationException e = failure(() -> verifier.verify(received(withoutExpires), "s3"));

        assertThat(e.failure()).isEqualTo(VerificationFailure.MALFORMED_QUERY_AUTHENTICATION);
        assertThat(e.getMessage()).isEqualTo("Query-string authentication version 4 requires the X-Amz-Algorithm,"
                + " X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
    }

    @Test
    void presignedUrl_isGoodForItsExpires_exceptForSts_whichAnswersItForTheClockSkew() throws Exception {
        SigningCredentials credentials = TestKeys.credentials(session);
        SignableRequest getCallerIdentity = SignableRequest.builder().method("GET").path("/")
                .query("Action=GetCallerIdentity&Version=2011-06-15").addHeader("Host", "sts.amazonaws.com").build();
        SignableRequest apiCall = SignableRequest.builder().method("GET").path("/prod/orders")
                .addHeader("Host", "api.example.com").build();
        Instant fiveMinutesAgo = NOW.minus(Duration.ofMinutes(5));

        SignableRequest stsForAMinute = STS_SIGNER.presign(getCallerIdentity, credentials, "us-east-1", "sts",
                fiveMinutesAgo, Duration.ofSeconds(60));
        assertThat(verifier.verify(received(stsForAMinute), "sts").caller().accessKeyId())
                .isEqualTo(session.accessKeyId());

        SignableRequest apiForAMinute = STS_SIGNER.presign(apiCall, credentials, "us-east-1", "execute-api",
                fiveMinutesAgo, Duration.ofSeconds(60));
        VerificationException expired = failure(() -> verifier.verify(received(apiForAMinute), "execute-api"));
        assertThat(expired.failure()).isEqualTo(VerificationFailure.REQUEST_EXPIRED);

        SignableRequest apiForAnHour = STS_SIGNER.presign(apiCall, credentials, "us-east-1", "execute-api",
                NOW.minus(Duration.ofMinutes(50)), Duration.ofHours(1));
        assertThat(verifier.verify(received(apiForAnHour), "execute-api").caller().accessKeyId())
                .isEqualTo(session.accessKeyId());
        SignableRequest stsForAnHour = STS_SIGNER.presign(getCallerIdentity, credentials, "us-east-1", "sts",
                NOW.minus(Duration.ofMinutes(50)), Duration.ofHours(1));
        assertThat(failure(() -> verifier.verify(received(stsForAnHour), "sts")).failure())
                .isEqualTo(VerificationFailure.REQUEST_EXPIRED);
    }

    @Test
    void stsPost_withoutContentSha256_isVerifiedWithTheBodysHash_whenTheBodyIsGiven() throws Exception {
        String body = "Action=GetCallerIdentity&Version=2011-06-15";
        SignableRequest signed = STS_SIGNER.sign(sts(body), TestKeys.credentials(session), "us-east-1", "sts", NOW);

        Verification verification = verifier.verify(received(signed), "sts", ByteBuffer.wrap(body.getBytes(UTF_8)));

        assertThat(verification.caller().accessKeyId()).isEqualTo(session.accessKeyId());
        VerificationException e = failure(() -> verifier.verify(received(signed), "sts",
                ByteBuffer.wrap("Action=GetCallerIdentity&Version=2011-06-16".getBytes(UTF_8))));
        assertThat(e.failure().queryCode()).isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void stsPost_withoutContentSha256_streamed_isVerifiedAtFinish() throws Exception {
        String body = "Action=GetCallerIdentity&Version=2011-06-15";
        SignableRequest signed = STS_SIGNER.sign(sts(body), TestKeys.credentials(session), "us-east-1", "sts", NOW);

        Verification good = verifier.verify(received(signed), "sts");
        assertThat(feed(good.payload(), body.getBytes(UTF_8), 5)).isEqualTo(body);

        Verification bad = verifier.verify(received(signed), "sts");
        VerificationException e = failure(() -> feed(bad.payload(),
                "Action=GetCallerIdentity&Version=2011-06-16".getBytes(UTF_8), 5));
        assertThat(e.failure()).isEqualTo(VerificationFailure.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void sts_unsignedPayload_isSignatureDoesNotMatch() {
        SignableRequest signed = SigV4Signer.create(SigV4Signer.Options.defaults().withAddContentSha256(true)
                .withUnsignedPayload(true)).sign(sts("Action=GetCallerIdentity&Version=2011-06-15"),
                TestKeys.credentials(session), "us-east-1", "sts", NOW);

        VerificationException e = failure(() -> verifier.verify(received(signed), "sts"));

        assertThat(e.failure()).isEqualTo(VerificationFailure.SIGNATURE_DOES_NOT_MATCH);
    }

    // Every way a request can fail, with the failure and message S3 answers with.

    record Case(String name, UnaryOperator<SignableRequest> tamper, Credentials credentials, Instant signedAt,
            VerificationFailure failure, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    enum Credentials { SESSION, LONG_TERM, EXPIRED_SESSION, SESSION_WITH_ANOTHER_TOKEN, SESSION_WITHOUT_TOKEN,
        LONG_TERM_WITH_TOKEN, UNKNOWN_KEY, WRONG_SECRET, TAMPERED_TOKEN }

    static final String SIGNATURE_MISMATCH = "The request signature we calculated does not match the signature you"
            + " provided. Check your key and signing method.";

    static Stream<Case> s3Failures() {
        UnaryOperator<SignableRequest> none = UnaryOperator.identity();
        return Stream.of(
                new Case("a changed path is SignatureDoesNotMatch",
                        r -> r.toBuilder().path("/bucket/photos/a%20c.jpg").build(), Credentials.SESSION, NOW,
                        VerificationFailure.SIGNATURE_DOES_NOT_MATCH, SIGNATURE_MISMATCH),
                new Case("a changed query is SignatureDoesNotMatch",
                        r -> r.toBuilder().query("acl=").build(), Credentials.SESSION, NOW,
                        VerificationFailure.SIGNATURE_DOES_NOT_MATCH, SIGNATURE_MISMATCH),
                new Case("a changed signed header is SignatureDoesNotMatch",
                        r -> r.toBuilder().removeHeaders("Host").addHeader("Host", "s3.amazonaws.com").build(),
                        Credentials.SESSION, NOW, VerificationFailure.SIGNATURE_DOES_NOT_MATCH, SIGNATURE_MISMATCH),
                new Case("a changed content hash is SignatureDoesNotMatch",
                        r -> r.toBuilder().removeHeaders("x-amz-content-sha256").addHeader("x-amz-content-sha256",
                                PayloadChecks.EMPTY_SHA256).build(),
                        Credentials.SESSION, NOW, VerificationFailure.SIGNATURE_DOES_NOT_MATCH, SIGNATURE_MISMATCH),
                new Case("a missing content hash is InvalidRequest",
                        r -> r.toBuilder().removeHeaders("x-amz-content-sha256").build(), Credentials.SESSION, NOW,
                        VerificationFailure.MISSING_CONTENT_SHA256,
                        "Missing required header for this request: x-amz-content-sha256"),
                new Case("a content hash that is not a hash is InvalidArgument",
                        r -> r.toBuilder().removeHeaders("x-amz-content-sha256").addHeader("x-amz-content-sha256",
                                "abc").build(), Credentials.SESSION, NOW,
                        VerificationFailure.INVALID_CONTENT_SHA256, Messages.S3_INVALID_CONTENT_SHA256),
                new Case("an x-amz- header added after signing is AccessDenied",
                        r -> r.toBuilder().addHeader("x-amz-meta-injected", "evil").build(), Credentials.SESSION,
                        NOW, VerificationFailure.HEADERS_NOT_SIGNED,
                        "There were headers present in the request which were not signed"),
                new Case("no X-Amz-Date and no Date is AccessDenied",
                        r -> r.toBuilder().removeHeaders("X-Amz-Date").build(), Credentials.SESSION, NOW,
                        VerificationFailure.MISSING_DATE,
                        "AWS authentication requires a valid Date or x-amz-date header"),
                new Case("an X-Amz-Date that is no date is AccessDenied",
                        r -> r.toBuilder().removeHeaders("X-Amz-Date").addHeader("X-Amz-Date", "yesterday").build(),
                        Credentials.SESSION, NOW, VerificationFailure.MISSING_DATE,
                        "AWS authentication requires a valid Date or x-amz-date header"),
                new Case("the wrong secret is SignatureDoesNotMatch", none, Credentials.WRONG_SECRET, NOW,
                        VerificationFailure.SIGNATURE_DOES_NOT_MATCH, SIGNATURE_MISMATCH),
                new Case("an expired session is ExpiredToken", none, Credentials.EXPIRED_SESSION, NOW,
                        VerificationFailure.EXPIRED_TOKEN, "The provided token has expired."),
                new Case("another session's token is InvalidToken", none, Credentials.SESSION_WITH_ANOTHER_TOKEN,
                        NOW, VerificationFailure.INVALID_TOKEN,
                        "The provided token is malformed or otherwise invalid."),
                new Case("a temporary key without its token is InvalidAccessKeyId", none,
                        Credentials.SESSION_WITHOUT_TOKEN, NOW, VerificationFailure.UNKNOWN_ACCESS_KEY,
                        "The AWS Access Key Id you provided does not exist in our records."),
                new Case("a tampered token is InvalidToken", none, Credentials.TAMPERED_TOKEN, NOW,
                        VerificationFailure.INVALID_TOKEN, "The provided token is malformed or otherwise invalid."),
                new Case("a long-term key with a token is InvalidToken", none, Credentials.LONG_TERM_WITH_TOKEN, NOW,
                        VerificationFailure.INVALID_TOKEN, "The provided token is malformed or otherwise invalid."),
                new Case("an unknown key is InvalidAccessKeyId", none, Credentials.UNKNOWN_KEY, NOW,
                        VerificationFailure.UNKNOWN_ACCESS_KEY,
                        "The AWS Access Key Id you provided does not exist in our records."),
                new Case("a request signed 16 minutes ago is refused", none, Credentials.SESSION,
                        NOW.minus(Duration.ofMinutes(16)), VerificationFailure.REQUEST_TIME_TOO_SKEWED,
                        "The difference between the request time and the current time is too large."),
                new Case("a request signed 16 minutes ahead is refused", none, Credentials.SESSION,
                        NOW.plus(Duration.ofMinutes(16)), VerificationFailure.REQUEST_TIME_TOO_SKEWED,
                        "The difference between the request time and the current time is too large."),
                new Case("no signature is AccessDenied", r -> r.toBuilder().removeHeaders("Authorization").build(),
                        Credentials.SESSION, NOW, VerificationFailure.MISSING_AUTHENTICATION, "Access Denied"),
                new Case("a signature without its parts is a malformed authorization",
                        r -> r.toBuilder().removeHeaders("Authorization")
                                .addHeader("Authorization", "AWS4-HMAC-SHA256 Credential=x").build(),
                        Credentials.SESSION, NOW, VerificationFailure.INCOMPLETE_SIGNATURE,
                        "Authorization header requires 'Signature' parameter."
                                + " Authorization header requires 'SignedHeaders' parameter."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("s3Failures")
    void s3Put_refused(Case c) {
        SigningCredentials credentials = credentials(c.credentials());
        SignableRequest request = c.tamper().apply(signS3(put(BODY), credentials, c.signedAt()));

        VerificationException e = failure(() -> feed(verifier.verify(received(request), "s3").payload(),
                BODY.getBytes(UTF_8), 7));

        assertThat(e.failure()).isEqualTo(c.failure());
        assertThat(e.getMessage()).isEqualTo(c.message());
        assertThat(keys.uses).isEmpty();
    }

    private SigningCredentials credentials(Credentials which) {
        return switch (which) {
            case SESSION -> TestKeys.credentials(session);
            case LONG_TERM -> TestKeys.longTermCredentials();
            case EXPIRED_SESSION -> TestKeys.credentials(keys.roleSession(Duration.ofMinutes(59)));
            case SESSION_WITH_ANOTHER_TOKEN -> SigningCredentials.of(session.accessKeyId(),
                    session.secretAccessKey().revealBytes(), keys.roleSession().sessionToken().revealUtf8());
            case SESSION_WITHOUT_TOKEN -> SigningCredentials.of(session.accessKeyId(),
                    session.secretAccessKey().revealBytes());
            case LONG_TERM_WITH_TOKEN -> SigningCredentials.of(TestKeys.LONG_TERM_KEY_ID,
                    TestKeys.LONG_TERM_SECRET.getBytes(UTF_8), session.sessionToken().revealUtf8());
            case UNKNOWN_KEY -> SigningCredentials.of("AKIAY34FZKBOKMUTVV7Z",
                    TestKeys.LONG_TERM_SECRET.getBytes(UTF_8));
            case WRONG_SECRET -> SigningCredentials.of(session.accessKeyId(),
                    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ".getBytes(UTF_8), session.sessionToken().revealUtf8());
            case TAMPERED_TOKEN -> SigningCredentials.of(session.accessKeyId(),
                    session.secretAccessKey().revealBytes(), tamper(session.sessionToken().revealUtf8()));
        };
    }

    private static String tamper(String token) {
        char[] chars = token.toCharArray();
        int i = chars.length / 2;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new String(chars);
    }

    @Test
    void s3_requestSignedForSts_isMalformedAuthorization() {
        SignableRequest signed = S3_SIGNER.sign(put(BODY), TestKeys.credentials(session), "us-east-1", "sts", NOW);

        VerificationException e = failure(() -> verifier.verify(received(signed), "s3"));

        assertThat(e.failure()).isEqualTo(VerificationFailure.INCOMPLETE_SIGNATURE);
        assertThat(e.getMessage()).isEqualTo(
                "The authorization header is malformed; incorrect service \"sts\". This endpoint belongs to \"s3\".");
    }

    @Test
    void sts_expiredSession_isExpiredToken_inTheQueryWording() {
        TemporaryCredentials expired = keys.roleSession(Duration.ofMinutes(30));
        SignableRequest signed = STS_SIGNER.sign(sts("Action=GetCallerIdentity&Version=2011-06-15"),
                TestKeys.credentials(expired), "us-east-1", "sts", NOW);

        VerificationException e = failure(() -> verifier.verifyBuffered(signed, "sts"));

        assertThat(e.failure()).isEqualTo(VerificationFailure.EXPIRED_TOKEN);
        assertThat(e.getMessage()).isEqualTo("The security token included in the request is expired");
    }

    @Test
    void payloadCheck_finishedTwice_isAProgrammingError() throws Exception {
        SignableRequest signed = signS3(get(), TestKeys.credentials(session), NOW);
        PayloadCheck check = verifier.verify(received(signed), "s3").payload();
        check.finish();

        assertThatThrownBy(check::finish).isInstanceOf(IllegalStateException.class);
    }

    // Checksums: in a header for a plain body, in a trailer for an aws-chunked one.

    private SignableRequest unsignedTrailerPut(byte[] data, boolean withDecodedLength) {
        byte[] body = AwsChunkedEncoder.encode(data, 8192, null, true, ChecksumAlgorithm.CRC32);
        SignableRequest.Builder builder = SignableRequest.builder().method("PUT").path("/bucket/big.bin")
                .addHeader("Host", "s3.us-east-1.amazonaws.com")
                .addHeader("Content-Encoding", "aws-chunked")
                .addHeader("Content-Length", Integer.toString(body.length))
                .addHeader("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
                .addHeader("x-amz-trailer", "x-amz-checksum-crc32");
        if (withDecodedLength) {
            builder.addHeader("x-amz-decoded-content-length", Integer.toString(data.length));
        }
        return SigV4Signer.create(SigV4Signer.Options.defaults().withNormalizePath(false).withDoubleEncodePath(false))
                .sign(builder.body(body).build(), TestKeys.credentials(session), "us-east-1", "s3", NOW);
    }

    @Test
    void s3Put_unsignedPayloadWithChecksumTrailer_verifies_andReturnsTheTrailer() throws Exception {
        byte[] data = BODY.repeat(2000).getBytes(UTF_8);
        SignableRequest signed = unsignedTrailerPut(data, true);
        Verification verification = verifier.verify(received(signed), "s3");
        byte[] body = new byte[signed.bodyLength()];
        signed.body().get(body);
        var out = new ByteArrayOutputStream();

        verification.payload().update(ByteBuffer.wrap(body), decoded -> {
            byte[] bytes = new byte[decoded.remaining()];
            decoded.get(bytes);
            out.writeBytes(bytes);
        });

        assertThat(verification.payload().finish()).containsOnlyKeys("x-amz-checksum-crc32");
        assertThat(out.toByteArray()).isEqualTo(data);
        assertThat(verification.payload().decodedContentLength()).hasValue(data.length);
    }

    @Test
    void s3Put_unsignedPayloadWithChecksumTrailer_dataChanged_isBadDigest() throws Exception {
        byte[] data = BODY.repeat(20).getBytes(UTF_8);
        SignableRequest signed = unsignedTrailerPut(data, true);
        byte[] encoded = new byte[signed.bodyLength()];
        signed.body().get(encoded);
        byte[] body = new String(encoded, UTF_8).replaceFirst("hello", "jello").getBytes(UTF_8);
        Verification verification = verifier.verify(received(signed), "s3");

        VerificationException e = failure(() -> feed(verification.payload(), body, 3));

        assertThat(e.failure()).isEqualTo(VerificationFailure.BAD_DIGEST);
        assertThat(e.getMessage()).isEqualTo("The CRC32 you specified did not match the calculated checksum.");
    }

    @Test
    void s3Put_awsChunkedWithoutDecodedLength_isMalformedBody() {
        SignableRequest signed = unsignedTrailerPut(BODY.getBytes(UTF_8), false);

        VerificationException e = failure(() -> verifier.verify(received(signed), "s3"));

        assertThat(e.failure()).isEqualTo(VerificationFailure.MALFORMED_BODY);
    }

    @Test
    void s3Put_checksumHeader_isCheckedAgainstThePlainBody() throws Exception {
        SignableRequest good = signS3(put(BODY).toBuilder().addHeader("x-amz-checksum-crc32",
                checksum(ChecksumAlgorithm.CRC32, BODY)).build(), TestKeys.credentials(session), NOW);
        SignableRequest bad = signS3(put(BODY).toBuilder().addHeader("x-amz-checksum-sha256",
                checksum(ChecksumAlgorithm.SHA256, "another body")).build(), TestKeys.credentials(session), NOW);

        assertThat(feed(verifier.verify(received(good), "s3").payload(), BODY.getBytes(UTF_8), 2)).isEqualTo(BODY);
        Verification verification = verifier.verify(received(bad), "s3");
        VerificationException e = failure(() -> feed(verification.payload(), BODY.getBytes(UTF_8), 2));
        assertThat(e.failure()).isEqualTo(VerificationFailure.BAD_DIGEST);
        assertThat(e.getMessage()).isEqualTo("The SHA256 you specified did not match the calculated checksum.");
    }

    private static String checksum(ChecksumAlgorithm algorithm, String text) {
        ChecksumAlgorithm.Running running = algorithm.start();
        running.update(ByteBuffer.wrap(text.getBytes(UTF_8)));
        return running.base64();
    }

    @Test
    void sts_streamingPayload_isSignatureDoesNotMatch() {
        SignableRequest signed = STS_SIGNER.sign(sts("Action=GetCallerIdentity&Version=2011-06-15").toBuilder()
                .addHeader("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER").build(),
                TestKeys.credentials(session), "us-east-1", "sts", NOW);

        VerificationException e = failure(() -> verifier.verify(received(signed), "sts"));

        assertThat(e.failure()).isEqualTo(VerificationFailure.SIGNATURE_DOES_NOT_MATCH);
    }

    // SigV4a: ECDSA P-256 with a key derived from the access key, valid in a set of regions.

    @Test
    void s3Get_sigV4a_temporaryCredentials_isTheSession_inTheSignedRegionSet() throws Exception {
        SignableRequest signed = S3_SIGNER.signSigV4a(get(), TestKeys.credentials(session), "us-east-1,eu-west-1",
                "s3", NOW);

        Verification verification = verifier.verify(received(signed), "s3");

        assertThat(signed.firstHeader("Authorization").orElseThrow()).startsWith("AWS4-ECDSA-P256-SHA256 ");
        assertThat(verification.caller().accessKeyId()).isEqualTo(session.accessKeyId());
        assertThat(verification.region()).isEqualTo("us-east-1,eu-west-1");
    }

    static Stream<Case> sigV4aFailures() {
        return Stream.of(
                new Case("SigV4a: a changed region set is SignatureDoesNotMatch",
                        r -> r.toBuilder().removeHeaders("X-Amz-Region-Set").addHeader("X-Amz-Region-Set", "*")
                                .build(), Credentials.SESSION, NOW, VerificationFailure.SIGNATURE_DOES_NOT_MATCH,
                        SIGNATURE_MISMATCH),
                new Case("SigV4a: a missing region set is a malformed authorization",
                        r -> r.toBuilder().removeHeaders("X-Amz-Region-Set").build(), Credentials.SESSION, NOW,
                        VerificationFailure.INCOMPLETE_SIGNATURE,
                        "AWS4-ECDSA-P256-SHA256 requires the 'X-Amz-Region-Set' header or query parameter."),
                new Case("SigV4a: a changed path is SignatureDoesNotMatch",
                        r -> r.toBuilder().path("/bucket/other").build(), Credentials.SESSION, NOW,
                        VerificationFailure.SIGNATURE_DOES_NOT_MATCH, SIGNATURE_MISMATCH),
                new Case("SigV4a: the wrong secret is SignatureDoesNotMatch", UnaryOperator.identity(),
                        Credentials.WRONG_SECRET, NOW, VerificationFailure.SIGNATURE_DOES_NOT_MATCH,
                        SIGNATURE_MISMATCH),
                new Case("SigV4a: an expired session is ExpiredToken", UnaryOperator.identity(),
                        Credentials.EXPIRED_SESSION, NOW, VerificationFailure.EXPIRED_TOKEN,
                        "The provided token has expired."),
                new Case("SigV4a: another session's token is InvalidToken", UnaryOperator.identity(),
                        Credentials.SESSION_WITH_ANOTHER_TOKEN, NOW, VerificationFailure.INVALID_TOKEN,
                        "The provided token is malformed or otherwise invalid."),
                new Case("SigV4a: a request signed 16 minutes ago is refused", UnaryOperator.identity(),
                        Credentials.SESSION, NOW.minus(Duration.ofMinutes(16)),
                        VerificationFailure.REQUEST_TIME_TOO_SKEWED,
                        "The difference between the request time and the current time is too large."),
                new Case("SigV4a: a signature that is not DER is SignatureDoesNotMatch",
                        r -> r.toBuilder().removeHeaders("Authorization").addHeader("Authorization",
                                r.firstHeader("Authorization").orElseThrow().replaceAll("Signature=.*",
                                        "Signature=3006020101020101")).build(),
                        Credentials.SESSION, NOW, VerificationFailure.SIGNATURE_DOES_NOT_MATCH, SIGNATURE_MISMATCH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sigV4aFailures")
    void s3Get_sigV4a_refused(Case c) {
        SignableRequest request = c.tamper().apply(S3_SIGNER.signSigV4a(get(), credentials(c.credentials()),
                "us-east-1", "s3", c.signedAt()));

        VerificationException e = failure(() -> verifier.verify(received(request), "s3").payload().finish());

        assertThat(e.failure()).isEqualTo(c.failure());
        assertThat(e.getMessage()).isEqualTo(c.message());
    }

    @Test
    void sts_sigV4a_isAnUnsupportedAlgorithm() {
        SignableRequest signed = STS_SIGNER.signSigV4a(sts("Action=GetCallerIdentity&Version=2011-06-15"),
                TestKeys.credentials(session), "*", "sts", NOW);

        VerificationException e = failure(() -> verifier.verifyBuffered(signed, "sts"));

        assertThat(e.failure()).isEqualTo(VerificationFailure.INCOMPLETE_SIGNATURE);
    }

    @Test
    void s3Put_contentMd5_isCheckedAgainstTheBody() throws Exception {
        String md5 = java.util.Base64.getEncoder().encodeToString(
                java.security.MessageDigest.getInstance("MD5").digest(BODY.getBytes(UTF_8)));
        SignableRequest signed = signS3(put(BODY).toBuilder().addHeader("Content-MD5", md5).build(),
                TestKeys.credentials(session), NOW);

        assertThat(feed(verifier.verify(received(signed), "s3").payload(), BODY.getBytes(UTF_8), 5)).isEqualTo(BODY);
        SignableRequest unsigned = S3_UNSIGNED_SIGNER.sign(put(BODY).toBuilder().addHeader("Content-MD5", md5)
                .build(), TestKeys.credentials(session), "us-east-1", "s3", NOW);
        Verification verification = verifier.verify(received(unsigned), "s3");
        VerificationException e = failure(() -> feed(verification.payload(), "hello, World\n".getBytes(UTF_8), 5));
        assertThat(e.failure()).isEqualTo(VerificationFailure.BAD_DIGEST);
        assertThat(e.getMessage()).isEqualTo("The Content-MD5 you specified did not match what we received.");
    }

    @Test
    void receivedRequest_toString_showsNoSignatureNorToken() {
        ReceivedRequest request = ReceivedRequest.builder().method("GET").rawPath("/photos/a.txt")
                .rawQuery("X-Amz-Security-Token=query-token-secret&X-Amz-Signature=query-signature-secret")
                .addHeader("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/x, Signature=header-signature-secret")
                .addHeader("x-amz-security-token", "header-token-secret").build();

        assertThat(request.toString()).doesNotContain("secret").contains("/photos/a.txt", "X-Amz-Signature",
                "x-amz-security-token");
        assertThat(request.headers().get(0).toString()).doesNotContain("secret");
    }

}
