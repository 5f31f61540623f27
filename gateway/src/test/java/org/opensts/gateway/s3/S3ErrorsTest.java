package org.opensts.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.verifier.VerificationException;
import org.opensts.verifier.VerificationFailure;
import org.w3c.dom.Document;

/** S3's error body, byte for byte, and the S3 error each verifier failure becomes. */
class S3ErrorsTest {

    @Test
    void toXml_accessDenied_isS3sBodyExactly() {
        String xml = S3Errors.toXml(S3Error.of(S3ErrorCode.ACCESS_DENIED), "4442587FB7D0A2F9",
                "yZ7kB1Fbh0E2M3KsnOLcQw==");

        assertThat(xml).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code>"
                + "<Message>Access Denied</Message><RequestId>4442587FB7D0A2F9</RequestId>"
                + "<HostId>yZ7kB1Fbh0E2M3KsnOLcQw==</HostId></Error>");
    }

    @Test
    void toXml_withResource_writesItBetweenMessageAndRequestId() {
        String xml = S3Errors.toXml(S3Error.of(S3ErrorCode.NO_SUCH_BUCKET_POLICY).withResource("/bkt"), "r", "h");

        assertThat(xml).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchBucketPolicy</Code>"
                + "<Message>The bucket policy does not exist</Message><Resource>/bkt</Resource>"
                + "<RequestId>r</RequestId><HostId>h</HostId></Error>");
    }

    @Test
    void toXml_hostileResource_isEscaped() {
        String xml = S3Errors.toXml(S3Error.of(S3ErrorCode.ACCESS_DENIED)
                .withResource("/b/</Resource><Code>Ok</Code>&\"'\r\u0000"), "r", "h");

        assertThat(xml).contains("<Resource>/b/&lt;/Resource&gt;&lt;Code&gt;Ok&lt;/Code&gt;&amp;\"'&#13;"
                + "\uFFFD</Resource>");
    }

    @Property
    void toXml_anyMessageAndResource_parsesBackToThem(@ForAll String message, @ForAll String resource)
            throws Exception {
        String xml = S3Errors.toXml(S3Error.of(S3ErrorCode.INVALID_ARGUMENT, message).withResource(resource), "r",
                "h");

        Document document = DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));

        assertThat(document.getElementsByTagName("Message").item(0).getTextContent())
                .isEqualTo(xmlSafe(message));
        assertThat(document.getElementsByTagName("Resource").item(0).getTextContent())
                .isEqualTo(xmlSafe(resource));
    }

    /** What XML 1.0 can carry of a string: the rest is U+FFFD, as the writer promises. */
    private static String xmlSafe(String text) {
        var safe = new StringBuilder();
        text.codePoints().forEach(cp -> {
            boolean allowed = cp == '\t' || cp == '\n' || cp == '\r' || (cp >= 0x20 && cp <= 0xD7FF)
                    || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
            if (allowed) {
                safe.appendCodePoint(cp);
            } else {
                // A lone surrogate, a control character, U+FFFE or U+FFFF.
                safe.append('\uFFFD');
            }
        });
        return safe.toString();
    }

    record Expected(String name, S3ErrorCode code, String message, int status) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Expected> s3Messages() {
        return Stream.of(
                new Expected("AccessDenied", S3ErrorCode.ACCESS_DENIED, "Access Denied", 403),
                new Expected("ExpiredToken", S3ErrorCode.EXPIRED_TOKEN, "The provided token has expired.", 400),
                new Expected("InvalidToken", S3ErrorCode.INVALID_TOKEN,
                        "The provided token is malformed or otherwise invalid.", 400),
                new Expected("InvalidAccessKeyId", S3ErrorCode.INVALID_ACCESS_KEY_ID,
                        "The AWS Access Key Id you provided does not exist in our records.", 403),
                new Expected("SignatureDoesNotMatch", S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                        "The request signature we calculated does not match the signature you provided. Check your "
                                + "key and signing method.", 403),
                new Expected("NoSuchBucketPolicy", S3ErrorCode.NO_SUCH_BUCKET_POLICY,
                        "The bucket policy does not exist", 404),
                new Expected("NotImplemented", S3ErrorCode.NOT_IMPLEMENTED,
                        "A header you provided implies functionality that is not implemented", 501),
                new Expected("MethodNotAllowed", S3ErrorCode.METHOD_NOT_ALLOWED,
                        "The specified method is not allowed against this resource.", 405),
                new Expected("RequestTimeTooSkewed", S3ErrorCode.REQUEST_TIME_TOO_SKEWED,
                        "The difference between the request time and the current time is too large.", 403),
                new Expected("XAmzContentSHA256Mismatch", S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH,
                        "The provided 'x-amz-content-sha256' header does not match what was computed.", 400),
                new Expected("MalformedXML", S3ErrorCode.MALFORMED_XML,
                        "The XML you provided was not well-formed or did not validate against our published schema",
                        400),
                new Expected("InternalError", S3ErrorCode.INTERNAL_ERROR,
                        "We encountered an internal error. Please try again.", 500));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("s3Messages")
    void errorCode_hasS3sMessageAndStatus(Expected e) {
        assertThat(e.code().code()).isEqualTo(e.name());
        assertThat(e.code().defaultMessage()).isEqualTo(e.message());
        assertThat(e.code().httpStatus()).isEqualTo(e.status());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(VerificationFailure.class)
    void forVerification_isTheVerifiersS3CodeAndStatus(VerificationFailure failure) {
        S3Error error = S3Errors.forVerification(new VerificationException(failure, "detail"));

        assertThat(error.code().code()).isEqualTo(failure.s3Code());
        assertThat(error.httpStatus()).isEqualTo(failure.s3Status());
        assertThat(S3Errors.codeFor(failure)).isEqualTo(error.code());
    }

    @Test
    void forVerification_expiredPresignedUrl_isAccessDeniedInTheVerifiersS3Words() {
        S3Error error = S3Errors.forVerification(
                new VerificationException(VerificationFailure.REQUEST_EXPIRED, "Request has expired"));
        S3Error early = S3Errors.forVerification(
                new VerificationException(VerificationFailure.REQUEST_EXPIRED, "Request is not yet valid"));

        assertThat(error.code()).isEqualTo(S3ErrorCode.ACCESS_DENIED);
        assertThat(error.message()).isEqualTo("Request has expired");
        assertThat(error.httpStatus()).isEqualTo(403);
        assertThat(early.message()).isEqualTo("Request is not yet valid");
    }

    @Test
    void detail_namedWithInnerHyphens_isS3s_otherNamesAreRefused() {
        assertThat(S3Error.of(S3ErrorCode.ACCESS_DENIED).withDetail("X-Amz-Expires", "300").details())
                .containsExactly(new S3Error.Detail("X-Amz-Expires", "300"));
        for (String name : List.of("", "-Name", "Name-", "Na me", "Na<me", "Näme", "1Name")) {
            assertThatThrownBy(() -> new S3Error.Detail(name, "v")).as(name)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void forVerification_signedRequestOutOfTime_isRequestTimeTooSkewed() {
        S3Error error = S3Errors.forVerification(
                new VerificationException(VerificationFailure.REQUEST_TIME_TOO_SKEWED, "skewed"));

        assertThat(error.code()).isEqualTo(S3ErrorCode.REQUEST_TIME_TOO_SKEWED);
        assertThat(error.httpStatus()).isEqualTo(403);
    }

    @Test
    void forVerification_malformedHeader_keepsTheVerifiersWording() {
        String message = "The authorization header is malformed; the Credential is mal-formed; expecting "
                + "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".";

        S3Error error = S3Errors.forVerification(
                new VerificationException(VerificationFailure.INCOMPLETE_SIGNATURE, message));

        assertThat(error.code()).isEqualTo(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
        assertThat(error.message()).isEqualTo(message);
    }

    @Test
    void forVerification_badToken_neverEchoesTheVerifiersDetail() {
        S3Error error = S3Errors.forVerification(
                new VerificationException(VerificationFailure.INVALID_TOKEN, "tag mismatch at byte 17"));

        assertThat(error.message()).isEqualTo("The provided token is malformed or otherwise invalid.");
    }
    @Test
    void forVerification_unsignedHeaders_isAccessDeniedListingThemAsS3Does() {
        S3Error error = S3Errors.forVerification(new VerificationException(VerificationFailure.HEADERS_NOT_SIGNED,
                "There were headers present in the request which were not signed",
                Map.of("HeadersNotSigned", "x-amz-copy-source")));

        assertThat(S3Errors.toXml(error, "RID", "HID")).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<Error><Code>AccessDenied</Code><Message>There were headers present in the request which were not"
                + " signed</Message><HeadersNotSigned>x-amz-copy-source</HeadersNotSigned><RequestId>RID</RequestId>"
                + "<HostId>HID</HostId></Error>");
        assertThat(error.httpStatus()).isEqualTo(403);
    }

    @Test
    void forVerification_signatureMismatch_writesTheVerifiersElementsInOrder_escaped() {
        var details = new LinkedHashMap<String, String>();
        details.put("AWSAccessKeyId", "AKIAY34FZKBOKMUTVV7A");
        details.put("StringToSign", "AWS4-HMAC-SHA256\n20260314T092653Z");
        details.put("SignatureProvided", "abc");
        details.put("StringToSignBytes", "41 57");
        details.put("CanonicalRequest", "GET\n/a&b<c>\n");
        details.put("CanonicalRequestBytes", "47 45 54");

        String xml = S3Errors.toXml(S3Errors.forVerification(new VerificationException(
                VerificationFailure.SIGNATURE_DOES_NOT_MATCH, "detail", details)), "RID", "HID");

        assertThat(xml).contains("<Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated"
                + " does not match the signature you provided. Check your key and signing method.</Message>"
                + "<AWSAccessKeyId>AKIAY34FZKBOKMUTVV7A</AWSAccessKeyId>"
                + "<StringToSign>AWS4-HMAC-SHA256\n20260314T092653Z</StringToSign>"
                + "<SignatureProvided>abc</SignatureProvided><StringToSignBytes>41 57</StringToSignBytes>"
                + "<CanonicalRequest>GET\n/a&amp;b&lt;c&gt;\n</CanonicalRequest>"
                + "<CanonicalRequestBytes>47 45 54</CanonicalRequestBytes><RequestId>RID</RequestId>");
    }

    @Test
    void forVerification_wrongTrailerChecksum_namesTheAlgorithm() {
        S3Error error = S3Errors.forVerification(new VerificationException(VerificationFailure.BAD_DIGEST,
                "The CRC32 you specified did not match the calculated checksum."));

        assertThat(error.code()).isEqualTo(S3ErrorCode.BAD_DIGEST);
        assertThat(error.message()).isEqualTo("The CRC32 you specified did not match the calculated checksum.");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = VerificationFailure.class, names = {"MALFORMED_QUERY_AUTHENTICATION", "MISSING_DATE",
        "MISSING_CONTENT_SHA256", "INVALID_CONTENT_SHA256"})
    void forVerification_failureWordedByTheRequest_keepsTheVerifiersMessage(VerificationFailure failure) {
        assertThat(S3Errors.forVerification(new VerificationException(failure, "worded for this request"))
                .message()).isEqualTo("worded for this request");
    }
}
