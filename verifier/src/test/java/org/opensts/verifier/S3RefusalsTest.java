package org.opensts.verifier;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.opensts.verifier.TestKeys.NOW;
import static org.opensts.verifier.TestKeys.received;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.opensts.sigv4.SigV2;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;
import org.opensts.token.TemporaryCredentials;

/**
 * S3's own refusals, through the verifier: {@code x-amz-*} headers left out of a SigV4 signature, the codes S3 gives a
 * malformed presigned URL, a missing date or payload hash, and the extra elements of S3's error documents.
 */
class S3RefusalsTest {
    private static final String BODY = "hello, world\n";
    private static final SigV4Signer S3_SIGNER = SigV4Signer.create(SigV4Signer.Options.defaults()
            .withNormalizePath(false).withDoubleEncodePath(false).withAddContentSha256(true));
    /** Signs the body's hash without sending x-amz-content-sha256, which a test may then add unsigned. */
    private static final SigV4Signer S3_SIGNER_WITHOUT_CONTENT_SHA256 = SigV4Signer.create(
            SigV4Signer.Options.defaults().withNormalizePath(false).withDoubleEncodePath(false));
    private static final SigV4Signer S3_PRESIGNER = SigV4Signer.create(SigV4Signer.Options.defaults()
            .withNormalizePath(false).withDoubleEncodePath(false).withUnsignedPayload(true));
    private static final SigV4Signer STS_SIGNER = SigV4Signer.create();

    private final TestKeys keys = new TestKeys();
    private final RequestVerifier verifier = keys.verifier();
    private final TemporaryCredentials session = keys.roleSession();

    private static SignableRequest put(String key) {
        return SignableRequest.builder().method("PUT").path("/photos/" + key)
                .addHeader("Host", "s3.us-east-1.amazonaws.com")
                .addHeader("Content-Length", Integer.toString(BODY.getBytes(UTF_8).length))
                .body(BODY.getBytes(UTF_8)).build();
    }

    private SignableRequest presignedPut(String key) {
        return S3_PRESIGNER.presign(put(key), TestKeys.credentials(session), "us-east-1", "s3", NOW,
                Duration.ofMinutes(5));
    }

    private VerificationException refused(SignableRequest request, String service) {
        try {
            verifier.verify(received(request), service);
        } catch (VerificationException e) {
            return e;
        }
        throw new AssertionError("the request was accepted");
    }

    // ---- x-amz-* headers the signature does not cover

    @Test
    void presignedPut_withUnsignedCopySource_isAccessDeniedNamingTheHeader() {
        SignableRequest copy = presignedPut("uploads/user1.txt").toBuilder()
                .addHeader("x-amz-copy-source", "/private/home/x.txt").build();

        VerificationException e = refused(copy, "s3");

        assertThat(e.failure()).isEqualTo(VerificationFailure.HEADERS_NOT_SIGNED);
        assertThat(e.getMessage()).isEqualTo("There were headers present in the request which were not signed");
        assertThat(e.s3Details()).containsExactly(Map.entry("HeadersNotSigned", "x-amz-copy-source"));
    }

    @Test
    void presignedPut_withSeveralUnsignedHeaders_namesEachOnceInLowerCase() {
        SignableRequest sent = presignedPut("a.txt").toBuilder()
                .addHeader("X-Amz-Acl", "public-read")
                .addHeader("x-amz-meta-owner", "attacker")
                .addHeader("x-amz-acl", "public-read-write")
                .addHeader("x-amzn-trace-id", "Root=1-5759e988-bd862e3fe1be46a994272793")
                .build();

        VerificationException e = refused(sent, "s3");

        assertThat(e.s3Details()).containsExactly(Map.entry("HeadersNotSigned", "x-amz-acl,x-amz-meta-owner"));
    }

    @Test
    void presignedPut_withItsHeadersSigned_isAccepted() throws Exception {
        SignableRequest withMetadata = put("a.txt").toBuilder().addHeader("x-amz-meta-owner", "me").build();
        SignableRequest presigned = S3_PRESIGNER.presign(withMetadata, TestKeys.credentials(session), "us-east-1",
                "s3", NOW, Duration.ofMinutes(5));

        assertThat(verifier.verify(received(presigned), "s3").caller().accessKeyId())
                .isEqualTo(session.accessKeyId());
    }

    @Test
    void headerSignedPut_withUnsignedMetadataOrTagging_isAccessDenied() {
        SignableRequest signed = S3_SIGNER.sign(put("a.txt"), TestKeys.longTermCredentials(), "us-east-1", "s3",
                NOW);

        VerificationException metadata = refused(signed.toBuilder().addHeader("x-amz-meta-injected", "evil").build(),
                "s3");
        VerificationException tagging = refused(signed.toBuilder().addHeader("X-Amz-Tagging", "a=b").build(), "s3");

        assertThat(metadata.s3Details()).containsEntry("HeadersNotSigned", "x-amz-meta-injected");
        assertThat(tagging.s3Details()).containsEntry("HeadersNotSigned", "x-amz-tagging");
    }

    @Test
    void headerSignedGet_withUnsignedContentSha256_whoseValueWasSigned_isAccepted() throws Exception {
        // x-amz-content-sha256 is the canonical request's last line: listed or not, its value is what was signed.
        SignableRequest signed = S3_SIGNER_WITHOUT_CONTENT_SHA256.sign(put("a.txt"), TestKeys.longTermCredentials(),
                "us-east-1", "s3", NOW);
        String bodyHash = PayloadChecks.sha256Hex(ByteBuffer.wrap(BODY.getBytes(UTF_8)));
        SignableRequest sent = signed.toBuilder().addHeader("x-amz-content-sha256", bodyHash).build();

        assertThat(verifier.verify(received(sent), "s3").caller().accessKeyId()).isEqualTo(TestKeys.LONG_TERM_KEY_ID);

        SignableRequest lying = signed.toBuilder().addHeader("x-amz-content-sha256", "UNSIGNED-PAYLOAD").build();
        assertThat(refused(lying, "s3").failure()).isEqualTo(VerificationFailure.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void presignedPut_withUnsignedHeader_andAWrongSignature_isSignatureDoesNotMatch() {
        SignableRequest presigned = presignedPut("a.txt");
        String forged = presigned.query().replaceAll("X-Amz-Signature=[0-9a-f]{8}", "X-Amz-Signature=00000000");
        SignableRequest sent = presigned.toBuilder().query(forged).addHeader("x-amz-copy-source", "/private/x")
                .build();

        // The signature is checked first: an unsigned header tells nobody anything about a request not yet signed.
        assertThat(refused(sent, "s3").failure()).isEqualTo(VerificationFailure.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void sts_unsignedAmzHeader_isNotS3sRule_andIsAccepted() throws Exception {
        String body = "Action=GetCallerIdentity&Version=2011-06-15";
        SignableRequest signed = STS_SIGNER.sign(SignableRequest.builder().method("POST").path("/")
                .addHeader("Host", "sts.amazonaws.com")
                .addHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .body(body.getBytes(UTF_8)).build(), TestKeys.longTermCredentials(), "us-east-1", "sts", NOW);
        SignableRequest sent = signed.toBuilder().addHeader("X-Amz-User-Agent", "aws-sdk-js/2.0").build();

        assertThat(verifier.verify(received(sent), "sts", ByteBuffer.wrap(body.getBytes(UTF_8)))
                .caller().accessKeyId()).isEqualTo(TestKeys.LONG_TERM_KEY_ID);
    }

    // ---- the elements S3 adds to its errors

    @Test
    void signatureDoesNotMatch_carriesWhatTheClientNeedsToCompare_andNoSecret() {
        String secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ";
        SigningCredentials wrong = SigningCredentials.of(TestKeys.LONG_TERM_KEY_ID, secret.getBytes(UTF_8));
        SignableRequest signed = S3_SIGNER.sign(put("a.txt"), wrong, "us-east-1", "s3", NOW);
        String authorization = signed.firstHeader("Authorization").orElseThrow();
        String signature = authorization.substring(authorization.indexOf("Signature=") + "Signature=".length());

        VerificationException e = refused(signed, "s3");

        assertThat(e.failure()).isEqualTo(VerificationFailure.SIGNATURE_DOES_NOT_MATCH);
        Map<String, String> details = e.s3Details();
        assertThat(details.keySet()).containsExactly("AWSAccessKeyId", "StringToSign", "SignatureProvided",
                "StringToSignBytes", "CanonicalRequest", "CanonicalRequestBytes");
        assertThat(details.get("AWSAccessKeyId")).isEqualTo(TestKeys.LONG_TERM_KEY_ID);
        assertThat(details.get("SignatureProvided")).isEqualTo(signature);
        assertThat(details.get("CanonicalRequest")).startsWith("PUT\n/photos/a.txt\n\ncontent-length:13\n")
                .endsWith("\n\ncontent-length;host;x-amz-content-sha256;x-amz-date\n"
                        + PayloadChecks.sha256Hex(ByteBuffer.wrap(BODY.getBytes(UTF_8))));
        assertThat(details.get("StringToSign")).isEqualTo("AWS4-HMAC-SHA256\n20260314T092653Z\n"
                + "20260314/us-east-1/s3/aws4_request\n" + HexFormat.of().formatHex(sha256(details.get(
                        "CanonicalRequest"))));
        assertThat(details.get("StringToSignBytes")).startsWith("41 57 53 34 2d 48 4d 41 43")
                .isEqualTo(spacedHex(details.get("StringToSign")));
        assertThat(details.get("CanonicalRequestBytes")).isEqualTo(spacedHex(details.get("CanonicalRequest")));
        assertThat(String.join("\n", details.values())).doesNotContain(secret)
                .doesNotContain(TestKeys.LONG_TERM_SECRET);
        assertThat(e.toString()).doesNotContain("CanonicalRequest").doesNotContain("x-amz-date");
    }

    @Test
    void signatureDoesNotMatch_presigned_showsTheUnsignedPayloadLineAndTheQuerysSignature() {
        SignableRequest presigned = presignedPut("a.txt");
        SignableRequest moved = presigned.toBuilder().path("/photos/b.txt").build();

        VerificationException e = refused(moved, "s3");

        assertThat(e.s3Details().get("CanonicalRequest")).startsWith("PUT\n/photos/b.txt\nX-Amz-Algorithm=")
                .endsWith("\n\ncontent-length;host\nUNSIGNED-PAYLOAD").doesNotContain("X-Amz-Signature");
        assertThat(presigned.query()).contains("X-Amz-Signature=" + e.s3Details().get("SignatureProvided"));
    }

    @Test
    void signatureDoesNotMatch_signatureVersion2_carriesItsStringToSign() {
        String date = "Sat, 14 Mar 2026 09:26:53 GMT";
        String stringToSign = SigV2.s3StringToSign("GET", "", "", date, new TreeMap<>(), null, "/photos/a.txt", "");
        String signature = SigV2.sign("HmacSHA1", "not the secret".getBytes(UTF_8), stringToSign);
        SignableRequest request = SignableRequest.builder().method("GET").path("/photos/a.txt")
                .addHeader("Host", "s3.amazonaws.com").addHeader("Date", date)
                .addHeader("Authorization", "AWS " + TestKeys.LONG_TERM_KEY_ID + ":" + signature).build();

        VerificationException e = refused(request, "s3");

        assertThat(e.failure()).isEqualTo(VerificationFailure.SIGNATURE_DOES_NOT_MATCH);
        assertThat(e.s3Details()).containsExactly(Map.entry("AWSAccessKeyId", TestKeys.LONG_TERM_KEY_ID),
                Map.entry("StringToSign", stringToSign), Map.entry("SignatureProvided", signature),
                Map.entry("StringToSignBytes", spacedHex(stringToSign)));
    }

    @Test
    void invalidAccessKeyId_namesTheKey() {
        SigningCredentials unknown = SigningCredentials.of("AKIAY34FZKBOKMUTVV7Z", "s".getBytes(UTF_8));

        VerificationException e = refused(S3_SIGNER.sign(put("a.txt"), unknown, "us-east-1", "s3", NOW), "s3");

        assertThat(e.failure()).isEqualTo(VerificationFailure.UNKNOWN_ACCESS_KEY);
        assertThat(e.s3Details()).containsExactly(Map.entry("AWSAccessKeyId", "AKIAY34FZKBOKMUTVV7Z"));
    }

    @Test
    void temporaryKeyWithoutItsToken_isInvalidAccessKeyIdForS3_andInvalidClientTokenIdForSts() {
        SigningCredentials tokenless = SigningCredentials.of(session.accessKeyId(),
                session.secretAccessKey().revealBytes());

        VerificationException s3 = refused(S3_SIGNER.sign(put("a.txt"), tokenless, "us-east-1", "s3", NOW), "s3");
        VerificationException sts = refused(STS_SIGNER.sign(put("a.txt"), tokenless, "us-east-1", "sts", NOW),
                "sts");

        assertThat(s3.failure()).isEqualTo(VerificationFailure.UNKNOWN_ACCESS_KEY);
        assertThat(s3.s3Details()).containsExactly(Map.entry("AWSAccessKeyId", session.accessKeyId()));
        // One failure whatever the service: S3 calls it InvalidAccessKeyId, the Query APIs InvalidClientTokenId.
        assertThat(sts.failure()).isEqualTo(VerificationFailure.UNKNOWN_ACCESS_KEY);
        assertThat(sts.failure().queryCode()).isEqualTo("InvalidClientTokenId");
        assertThat(sts.getMessage()).isEqualTo("The security token included in the request is invalid.");
    }

    @Test
    void requestTimeTooSkewed_carriesBothTimesAndTheBound() {
        SignableRequest old = S3_SIGNER.sign(put("a.txt"), TestKeys.longTermCredentials(), "us-east-1", "s3",
                NOW.minus(Duration.ofMinutes(16)));

        VerificationException e = refused(old, "s3");

        assertThat(e.failure()).isEqualTo(VerificationFailure.REQUEST_TIME_TOO_SKEWED);
        assertThat(e.s3Details()).containsExactly(Map.entry("RequestTime", "20260314T091053Z"),
                Map.entry("ServerTime", "2026-03-14T09:26:53Z"), Map.entry("MaxAllowedSkewMilliseconds", "900000"));
    }

    @Test
    void requestTimeTooSkewed_signatureVersion2_echoesTheDateHeader() {
        String date = "Sat, 14 Mar 2026 08:00:00 GMT";
        SignableRequest request = SignableRequest.builder().method("GET").path("/photos/a.txt")
                .addHeader("Host", "s3.amazonaws.com").addHeader("Date", date)
                .addHeader("Authorization", "AWS " + TestKeys.LONG_TERM_KEY_ID + ":c2lnbmF0dXJl").build();

        VerificationException e = refused(request, "s3");

        assertThat(e.failure()).isEqualTo(VerificationFailure.REQUEST_TIME_TOO_SKEWED);
        assertThat(e.s3Details()).containsEntry("RequestTime", date).containsEntry("MaxAllowedSkewMilliseconds",
                "900000");
    }

    @Test
    void invalidContentSha256_isInvalidArgumentNamingTheArgumentAndValue() {
        SignableRequest signed = S3_SIGNER.sign(put("a.txt"), TestKeys.longTermCredentials(), "us-east-1", "s3", NOW);
        SignableRequest garbage = signed.toBuilder().removeHeaders("x-amz-content-sha256")
                .addHeader("x-amz-content-sha256", "garbage").build();

        VerificationException e = refused(garbage, "s3");

        assertThat(e.failure()).isEqualTo(VerificationFailure.INVALID_CONTENT_SHA256);
        assertThat(e.getMessage()).isEqualTo("x-amz-content-sha256 must be UNSIGNED-PAYLOAD,"
                + " STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD,"
                + " STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD,"
                + " STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.");
        assertThat(e.s3Details()).containsExactly(Map.entry("ArgumentName", "x-amz-content-sha256"),
                Map.entry("ArgumentValue", "garbage"));
    }

    // ---- presigned URLs: AuthorizationQueryParametersError, whatever part is malformed

    @Test
    void presignedUrl_malformedParameters_areAuthorizationQueryParametersError() {
        SignableRequest presigned = presignedPut("a.txt");
        String query = presigned.query();
        List<String> malformed = List.of(
                query.replace("X-Amz-Expires=300", "X-Amz-Expires=604801"),
                query + "&X-Amz-Signature=00",
                query.replaceAll("&X-Amz-Date=[0-9TZ]+", ""),
                query.replace("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA512"));

        for (String tampered : malformed) {
            VerificationException e = refused(presigned.toBuilder().query(tampered).build(), "s3");
            assertThat(e.failure()).as(tampered).isEqualTo(VerificationFailure.MALFORMED_QUERY_AUTHENTICATION);
        }
        VerificationException tooLong = refused(presigned.toBuilder().query(malformed.get(0)).build(), "s3");
        assertThat(tooLong.getMessage()).startsWith("X-Amz-Expires must be less than a week (in seconds)");
    }

    @Test
    void presignedUrl_scopedToAnotherService_isAuthorizationQueryParametersError() {
        SignableRequest presigned = S3_PRESIGNER.presign(put("a.txt"), TestKeys.credentials(session), "us-east-1",
                "sts", NOW, Duration.ofMinutes(5));

        VerificationException e = refused(presigned, "s3");

        assertThat(e.failure()).isEqualTo(VerificationFailure.MALFORMED_QUERY_AUTHENTICATION);
        assertThat(e.getMessage()).isEqualTo("Error parsing the X-Amz-Credential parameter; incorrect service"
                + " \"sts\". This endpoint belongs to \"s3\".");
    }

    @Test
    void sts_presignedWithExpiresTooLarge_staysIncompleteSignature() {
        SignableRequest presigned = STS_SIGNER.presign(SignableRequest.builder().method("GET").path("/")
                .query("Action=GetCallerIdentity&Version=2011-06-15").addHeader("Host", "sts.amazonaws.com").build(),
                TestKeys.longTermCredentials(), "us-east-1", "sts", NOW, Duration.ofMinutes(5));
        String tooLong = presigned.query().replace("X-Amz-Expires=300", "X-Amz-Expires=604801");

        VerificationException e = refused(presigned.toBuilder().query(tooLong).build(), "sts");

        assertThat(e.failure()).isEqualTo(VerificationFailure.INCOMPLETE_SIGNATURE);
        assertThat(e.failure().queryCode()).isEqualTo("IncompleteSignature");
    }

    @Test
    void sts_withoutDate_staysIncompleteSignature() {
        SignableRequest signed = STS_SIGNER.sign(put("a.txt"), TestKeys.longTermCredentials(), "us-east-1", "sts",
                NOW);

        VerificationException e = refused(signed.toBuilder().removeHeaders("X-Amz-Date").build(), "sts");

        assertThat(e.failure()).isEqualTo(VerificationFailure.INCOMPLETE_SIGNATURE);
        assertThat(e.s3Details()).isEmpty();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static String spacedHex(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(UTF_8)) {
            out.append(out.length() == 0 ? "" : " ").append(String.format("%02x", b));
        }
        return out.toString();
    }
}
