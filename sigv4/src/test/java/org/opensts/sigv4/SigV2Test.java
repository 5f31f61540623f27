package org.opensts.sigv4;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Signature Version 2 against AWS's own examples: the Amazon S3 Developer Guide's "Signing and authenticating REST
 * requests" (the {@code johnsmith} bucket, key {@code AKIAIOSFODNN7EXAMPLE}).
 */
class SigV2Test {
    private static final byte[] SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".getBytes(UTF_8);

    record Example(String name, String method, String contentType, String date, Map<String, List<String>> amz,
            String bucket, String path, String query, String stringToSign, String signature) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Example> awsExamples() {
        return Stream.of(
                new Example("object GET", "GET", "", "Tue, 27 Mar 2007 19:36:42 +0000", Map.of(), "johnsmith",
                        "/photos/puppy.jpg", "",
                        "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg",
                        "bWq2s1WEIj+Ydj0vQ697zp+IXMU="),
                new Example("object PUT", "PUT", "image/jpeg", "Tue, 27 Mar 2007 21:15:45 +0000", Map.of(),
                        "johnsmith", "/photos/puppy.jpg", "",
                        "PUT\n\nimage/jpeg\nTue, 27 Mar 2007 21:15:45 +0000\n/johnsmith/photos/puppy.jpg",
                        "MyyxeRY7whkBe+bq8fHCL/2kKUg="),
                new Example("list", "GET", "", "Tue, 27 Mar 2007 19:42:41 +0000", Map.of(), "johnsmith", "/",
                        "prefix=photos&max-keys=50&marker=puppy",
                        "GET\n\n\nTue, 27 Mar 2007 19:42:41 +0000\n/johnsmith/",
                        "htDYFYduRNen8P9ZfE/s9SuKy0U="),
                new Example("fetch the acl", "GET", "", "Tue, 27 Mar 2007 19:44:46 +0000", Map.of(), "johnsmith", "/",
                        "acl", "GET\n\n\nTue, 27 Mar 2007 19:44:46 +0000\n/johnsmith/?acl",
                        "c2WLPFtWHVgbEmeEG93a4cG37dM="),
                new Example("object DELETE", "DELETE", "", "Tue, 27 Mar 2007 21:20:26 +0000", Map.of(), "johnsmith",
                        "/photos/puppy.jpg", "",
                        "DELETE\n\n\nTue, 27 Mar 2007 21:20:26 +0000\n/johnsmith/photos/puppy.jpg",
                        "lx3byBScXR6KzyMaifNkardMwNk="),
                new Example("query string authentication", "GET", "", "1175139620", Map.of(), "johnsmith",
                        "/photos/puppy.jpg", "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=x&Expires=1175139620",
                        "GET\n\n\n1175139620\n/johnsmith/photos/puppy.jpg", "NpgCjnDzrM+WFzoENXmpNDUsSn8="));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awsExamples")
    void awsExample_stringToSignAndSignature(Example e) {
        String stringToSign = SigV2.s3StringToSign(e.method(), "", e.contentType(), e.date(), e.amz(), e.bucket(),
                e.path(), e.query());

        assertThat(stringToSign).isEqualTo(e.stringToSign());
        assertThat(SigV2.sign("HmacSHA1", SECRET, stringToSign)).isEqualTo(e.signature());
        assertThat(SigV2.verify("HmacSHA1", SECRET, stringToSign, e.signature())).isTrue();
        assertThat(SigV2.verify("HmacSHA1", SECRET, stringToSign + "x", e.signature())).isFalse();
    }

    private static final String LIST_DATE = "Tue, 27 Mar 2007 19:42:41 +0000";
    private static final String ACL_DATE = "Tue, 27 Mar 2007 19:44:46 +0000";

    /**
     * A path-style request for a bucket alone, as the AWS SDKs sign it: botocore sends {@code GET /johnsmith?…} and
     * signs the resource {@code /johnsmith/…} (its documented S3 handling: a request URI that is only a bucket is
     * signed with a closing {@code /}). That is the string of the document's virtual-hosted list and ACL examples, so
     * the document's own signatures are the vectors; {@code location} was signed with HMAC-SHA1 apart from this code.
     */
    record BucketCase(String name, String date, String path, String query, List<String> stringsToSign,
            String signature) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BucketCase> bucketAlone() {
        String list = "GET\n\n\n" + LIST_DATE + "\n";
        String acl = "GET\n\n\n" + ACL_DATE + "\n";
        return Stream.of(
                new BucketCase("a listing of /johnsmith, signed /johnsmith/", LIST_DATE, "/johnsmith",
                        "prefix=photos&max-keys=50&marker=puppy", List.of(list + "/johnsmith", list + "/johnsmith/"),
                        "htDYFYduRNen8P9ZfE/s9SuKy0U="),
                new BucketCase("a listing of /johnsmith/, signed as sent", LIST_DATE, "/johnsmith/",
                        "prefix=photos&max-keys=50&marker=puppy", List.of(list + "/johnsmith/"),
                        "htDYFYduRNen8P9ZfE/s9SuKy0U="),
                new BucketCase("ListObjectsV2 of /johnsmith: list-type is no sub-resource", LIST_DATE, "/johnsmith",
                        "list-type=2&prefix=photos&encoding-type=url",
                        List.of(list + "/johnsmith", list + "/johnsmith/"), "htDYFYduRNen8P9ZfE/s9SuKy0U="),
                new BucketCase("the acl of /johnsmith, signed /johnsmith/?acl", ACL_DATE, "/johnsmith", "acl",
                        List.of(acl + "/johnsmith?acl", acl + "/johnsmith/?acl"), "c2WLPFtWHVgbEmeEG93a4cG37dM="),
                new BucketCase("the location of /johnsmith, signed /johnsmith/?location", ACL_DATE, "/johnsmith",
                        "location", List.of(acl + "/johnsmith?location", acl + "/johnsmith/?location"),
                        "Xq8MtO0b1viOyalBeUgsX21zmcQ="),
                new BucketCase("the location of /johnsmith, signed as sent", ACL_DATE, "/johnsmith", "location",
                        List.of(acl + "/johnsmith?location", acl + "/johnsmith/?location"),
                        "mSy8s1k/tYCn8QYGPZVv5is1RE0="));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bucketAlone")
    void pathStyleBucketAlone_verifiesWithOrWithoutTheClosingSlash(BucketCase c) {
        List<String> stringsToSign = SigV2.s3StringsToSign("GET", "", "", c.date(), Map.of(), null, c.path(),
                c.query());

        assertThat(stringsToSign).isEqualTo(c.stringsToSign());
        assertThat(stringsToSign).anyMatch(s -> SigV2.verify("HmacSHA1", SECRET, s, c.signature()));
        assertThat(stringsToSign.get(0))
                .isEqualTo(SigV2.s3StringToSign("GET", "", "", c.date(), Map.of(), null, c.path(), c.query()));
    }

    @Test
    void pathStyleBucketAlone_anotherBucket_anotherSubResource_orATamperedSignature_isRefused() {
        assertThat(verifiesAny("/johnsmit", "prefix=photos", LIST_DATE, "htDYFYduRNen8P9ZfE/s9SuKy0U=")).isFalse();
        assertThat(verifiesAny("/johnsmithx", "prefix=photos", LIST_DATE, "htDYFYduRNen8P9ZfE/s9SuKy0U="))
                .isFalse();
        assertThat(verifiesAny("/johnsmith", "policy", ACL_DATE, "c2WLPFtWHVgbEmeEG93a4cG37dM=")).isFalse();
        assertThat(verifiesAny("/johnsmith", "acl&versioning", ACL_DATE, "c2WLPFtWHVgbEmeEG93a4cG37dM=")).isFalse();
        assertThat(verifiesAny("/johnsmith", "", ACL_DATE, "c2WLPFtWHVgbEmeEG93a4cG37dM=")).isFalse();
        assertThat(verifiesAny("/johnsmith", "prefix=photos", LIST_DATE, "itDYFYduRNen8P9ZfE/s9SuKy0U=")).isFalse();
        // The control: the same request with the document's signature verifies.
        assertThat(verifiesAny("/johnsmith", "prefix=photos", LIST_DATE, "htDYFYduRNen8P9ZfE/s9SuKy0U=")).isTrue();
    }

    @Test
    void theSignature_isAcceptedInItsOneBase64Spelling_only() {
        // The last character of 20 bytes in base64 carries two unused bits: 'V' decodes as 'U' does.
        assertThat(verifiesAny("/johnsmith", "prefix=photos", LIST_DATE, "htDYFYduRNen8P9ZfE/s9SuKy0V=")).isFalse();
        assertThat(verifiesAny("/johnsmith", "prefix=photos", LIST_DATE, "htDYFYduRNen8P9ZfE/s9SuKy0U")).isFalse();
        assertThat(verifiesAny("/johnsmith", "prefix=photos", LIST_DATE, "htDYFYduRNen8P9ZfE/s9SuKy0U= ")).isTrue();
    }

    @Test
    void onlyABucketAlone_getsTheSecondResource() {
        // An object, the service, a virtual-hosted bucket: the path as sent, once.
        assertThat(SigV2.s3StringsToSign("GET", "", "", LIST_DATE, Map.of(), null, "/johnsmith/photos", ""))
                .containsExactly("GET\n\n\n" + LIST_DATE + "\n/johnsmith/photos");
        assertThat(SigV2.s3StringsToSign("GET", "", "", LIST_DATE, Map.of(), null, "/", ""))
                .containsExactly("GET\n\n\n" + LIST_DATE + "\n/");
        assertThat(SigV2.s3StringsToSign("GET", "", "", LIST_DATE, Map.of(), "johnsmith", "/photos", ""))
                .containsExactly("GET\n\n\n" + LIST_DATE + "\n/johnsmith/photos");
        assertThat(SigV2.s3StringsToSign("GET", "", "", LIST_DATE, Map.of(), "johnsmith", "/", ""))
                .containsExactly("GET\n\n\n" + LIST_DATE + "\n/johnsmith/");
    }

    private static boolean verifiesAny(String path, String query, String date, String signature) {
        return SigV2.s3StringsToSign("GET", "", "", date, Map.of(), null, path, query).stream()
                .anyMatch(s -> SigV2.verify("HmacSHA1", SECRET, s, signature));
    }

    @Test
    void canonicalResource_signsSubResourcesSorted_withDecodedValues_andNothingElse() {
        assertThat(SigV2.s3CanonicalResource(null, "/b/k%20ey",
                "uploadId=a%2Fb&partNumber=2&prefix=x&response-content-type=text%2Fplain&versioning"))
                .isEqualTo("/b/k%20ey?partNumber=2&response-content-type=text/plain&uploadId=a/b&versioning");
    }

    @Test
    void amzHeaders_areLowerCasedSortedTrimmed_andRepeatsJoined() {
        String stringToSign = SigV2.s3StringToSign("PUT", "", "", "", Map.of("X-Amz-Meta-B", List.of(" 2 ", "3"),
                "x-amz-acl", List.of("private")), null, "/b/k", "");

        assertThat(stringToSign).isEqualTo("PUT\n\n\n\nx-amz-acl:private\nx-amz-meta-b:2,3\n/b/k");
    }

    @Test
    void queryStringToSign_sortsAndEncodesParameters() {
        String stringToSign = SigV2.queryStringToSign("GET", "IAM.amazonaws.com", "/", Map.of(
                "Action", "ListUsers", "Signature", "ignored", "Path", "/a b/", "AWSAccessKeyId", "AKID"));

        assertThat(stringToSign).isEqualTo(
                "GET\niam.amazonaws.com\n/\nAWSAccessKeyId=AKID&Action=ListUsers&Path=%2Fa%20b%2F");
    }
}
