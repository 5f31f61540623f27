package org.opensts.sigv4;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The named steps, against the worked examples of the AWS SigV4 documentation. */
class SigV4Test {

    private static final byte[] SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".getBytes(UTF_8);

    @Test
    void deriveSigningKey_matchesTheDocumentedExamples() {
        assertThat(signingKeyHex("20120215/us-east-1/iam/aws4_request"))
                .isEqualTo("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
        assertThat(signingKeyHex("20150830/us-east-1/iam/aws4_request"))
                .isEqualTo("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
    }

    private static String signingKeyHex(String scope) {
        return Hex.encode(SigV4.deriveSigningKey(SECRET, CredentialScope.parse(scope)));
    }

    @Test
    void deriveSigningKey_leavesTheCallersSecretUntouched() {
        byte[] secret = SECRET.clone();

        SigV4.deriveSigningKey(secret, CredentialScope.parse("20150830/us-east-1/sts/aws4_request"));

        assertThat(secret).isEqualTo(SECRET);
    }

    @Test
    void stringToSign_hasAlgorithmTimeScopeAndCanonicalRequestHash() {
        SignableRequest request = SignableRequest.builder().addHeader("Host", "example.amazonaws.com").build();
        CanonicalRequest canonicalRequest = CanonicalRequest.create(request, List.of("host"), "host",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", false, true, true);

        String stringToSign = SigV4.stringToSign(Instant.parse("2015-08-30T12:36:00.999Z"),
                CredentialScope.parse("20150830/us-east-1/service/aws4_request"), canonicalRequest);

        assertThat(stringToSign).isEqualTo(
                "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                        + canonicalRequest.hashHex());
    }

    @Test
    void signature_isLowerCaseHexOfHmac() {
        byte[] key = SigV4.deriveSigningKey(SECRET, CredentialScope.parse("20150830/us-east-1/service/aws4_request"));

        String signature = SigV4.signature(key, "AWS4-HMAC-SHA256\n20150830T123600Z\n"
                + "20150830/us-east-1/service/aws4_request\n"
                + "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");

        // the main suite's get-vanilla
        assertThat(signature).isEqualTo("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }
}
