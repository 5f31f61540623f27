package org.opensts.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.verifier.ReceivedRequest;

/**
 * The classifier against AWS's table of required permissions (Amazon S3 User Guide, "Required permissions for Amazon
 * S3 API operations"): every operation, both addressing styles, tricky keys, and everything that is not an operation
 * it serves.
 */
class S3RequestClassifierTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final S3RequestClassifier CLASSIFIER = new S3RequestClassifier(List.of("s3.example.com"));

    /**
     * One request and what it needs: each authorization written as {@code action resource} and, when it has
     * condition keys, their map.
     */
    record Case(String name, String method, String path, String query, List<String> headers, String operation,
            List<String> authorizations) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case c(String name, String method, String path, String query, List<String> headers,
            String operation, String... authorizations) {
        return new Case(name, method, path, query, headers, operation, List.of(authorizations));
    }

    private static final List<String> NONE = List.of();

    static Stream<Case> operations() {
        return Stream.of(
                c("ListBuckets is s3:ListAllMyBuckets on *", "GET", "/", "", NONE, "ListBuckets",
                        "s3:ListAllMyBuckets *"),
                c("ListBuckets with its paging parameters", "GET", "/", "max-buckets=10&continuation-token=x", NONE,
                        "ListBuckets", "s3:ListAllMyBuckets *"),
                c("ListObjects is s3:ListBucket on the bucket", "GET", "/bkt", "", NONE, "ListObjects",
                        "s3:ListBucket arn:aws:s3:::bkt"),
                c("ListObjects with a trailing slash on the bucket", "GET", "/bkt/", "", NONE, "ListObjects",
                        "s3:ListBucket arn:aws:s3:::bkt"),
                c("ListObjects gives prefix, delimiter and max-keys as keys", "GET", "/bkt",
                        "prefix=home%2Falice%2F&delimiter=%2F&max-keys=50&marker=m", NONE, "ListObjects",
                        "s3:ListBucket arn:aws:s3:::bkt {s3:prefix=[home/alice/], s3:delimiter=[/], s3:max-keys=[50]}"),
                c("ListObjectsV2 is s3:ListBucket with the same keys", "GET", "/bkt",
                        "list-type=2&prefix=a%20b&start-after=x&fetch-owner=true&continuation-token=t", NONE,
                        "ListObjectsV2", "s3:ListBucket arn:aws:s3:::bkt {s3:prefix=[a b]}"),
                c("a + in a query value is a space", "GET", "/bkt", "list-type=2&prefix=a+b", NONE, "ListObjectsV2",
                        "s3:ListBucket arn:aws:s3:::bkt {s3:prefix=[a b]}"),
                c("an empty prefix is an empty s3:prefix", "GET", "/bkt", "list-type=2&prefix=", NONE,
                        "ListObjectsV2", "s3:ListBucket arn:aws:s3:::bkt {s3:prefix=[]}"),
                c("ListObjectVersions is s3:ListBucketVersions", "GET", "/bkt", "versions&prefix=p&key-marker=k",
                        NONE, "ListObjectVersions", "s3:ListBucketVersions arn:aws:s3:::bkt {s3:prefix=[p]}"),
                c("ListMultipartUploads is s3:ListBucketMultipartUploads", "GET", "/bkt", "uploads&max-uploads=5",
                        NONE, "ListMultipartUploads", "s3:ListBucketMultipartUploads arn:aws:s3:::bkt"),
                c("HeadBucket is s3:ListBucket", "HEAD", "/bkt", "", NONE, "HeadBucket",
                        "s3:ListBucket arn:aws:s3:::bkt"),
                c("GetBucketLocation", "GET", "/bkt", "location", NONE, "GetBucketLocation",
                        "s3:GetBucketLocation arn:aws:s3:::bkt"),
                c("CreateBucket", "PUT", "/new-bucket", "", NONE, "CreateBucket",
                        "s3:CreateBucket arn:aws:s3:::new-bucket"),
                c("CreateBucket with a canned ACL also needs s3:PutBucketAcl", "PUT", "/new-bucket", "",
                        List.of("x-amz-acl: private"), "CreateBucket",
                        "s3:CreateBucket arn:aws:s3:::new-bucket {s3:x-amz-acl=[private]}",
                        "s3:PutBucketAcl arn:aws:s3:::new-bucket {s3:x-amz-acl=[private]}"),
                c("CreateBucket with object lock needs the lock configuration and versioning", "PUT", "/new-bucket",
                        "", List.of("x-amz-bucket-object-lock-enabled: true",
                                "x-amz-object-ownership: BucketOwnerEnforced"),
                        "CreateBucket",
                        "s3:CreateBucket arn:aws:s3:::new-bucket {s3:x-amz-object-ownership=[BucketOwnerEnforced]}",
                        "s3:PutBucketOwnershipControls arn:aws:s3:::new-bucket",
                        "s3:PutBucketObjectLockConfiguration arn:aws:s3:::new-bucket",
                        "s3:PutBucketVersioning arn:aws:s3:::new-bucket"),
                c("DeleteBucket", "DELETE", "/bkt", "", NONE, "DeleteBucket", "s3:DeleteBucket arn:aws:s3:::bkt"),
                c("GetBucketTagging", "GET", "/bkt", "tagging", NONE, "GetBucketTagging",
                        "s3:GetBucketTagging arn:aws:s3:::bkt"),
                c("PutBucketTagging", "PUT", "/bkt", "tagging", NONE, "PutBucketTagging",
                        "s3:PutBucketTagging arn:aws:s3:::bkt"),
                c("DeleteBucketTagging needs s3:PutBucketTagging", "DELETE", "/bkt", "tagging", NONE,
                        "DeleteBucketTagging", "s3:PutBucketTagging arn:aws:s3:::bkt"),
                c("GetBucketPolicy", "GET", "/bkt", "policy", NONE, "GetBucketPolicy",
                        "s3:GetBucketPolicy arn:aws:s3:::bkt"),
                c("PutBucketPolicy", "PUT", "/bkt", "policy", NONE, "PutBucketPolicy",
                        "s3:PutBucketPolicy arn:aws:s3:::bkt"),
                c("DeleteBucketPolicy", "DELETE", "/bkt", "policy", NONE, "DeleteBucketPolicy",
                        "s3:DeleteBucketPolicy arn:aws:s3:::bkt"),
                c("GetBucketAcl", "GET", "/bkt", "acl", NONE, "GetBucketAcl", "s3:GetBucketAcl arn:aws:s3:::bkt"),
                c("PutBucketAcl with a grant header", "PUT", "/bkt", "acl",
                        List.of("x-amz-grant-read: id=\"abc\""), "PutBucketAcl",
                        "s3:PutBucketAcl arn:aws:s3:::bkt {s3:x-amz-grant-read=[id=\"abc\"]}"),
                c("GetBucketVersioning", "GET", "/bkt", "versioning", NONE, "GetBucketVersioning",
                        "s3:GetBucketVersioning arn:aws:s3:::bkt"),
                c("PutBucketVersioning", "PUT", "/bkt", "versioning", NONE, "PutBucketVersioning",
                        "s3:PutBucketVersioning arn:aws:s3:::bkt"),

                c("GetObject is s3:GetObject on the object", "GET", "/bkt/a/b.txt", "", NONE, "GetObject",
                        "s3:GetObject arn:aws:s3:::bkt/a/b.txt"),
                c("GetObject with response overrides and a part number", "GET", "/bkt/k",
                        "response-content-type=text%2Fplain&partNumber=1", NONE, "GetObject",
                        "s3:GetObject arn:aws:s3:::bkt/k"),
                c("GetObject of a version is s3:GetObjectVersion with s3:versionid", "GET", "/bkt/k",
                        "versionId=3HL4kqtJlcpXroDTDmJ%2Bv", NONE, "GetObject",
                        "s3:GetObjectVersion arn:aws:s3:::bkt/k {s3:versionid=[3HL4kqtJlcpXroDTDmJ+v]}"),
                c("HeadObject is s3:GetObject", "HEAD", "/bkt/k", "", NONE, "HeadObject",
                        "s3:GetObject arn:aws:s3:::bkt/k"),
                c("HeadObject of a version is s3:GetObjectVersion", "HEAD", "/bkt/k", "versionId=v1", NONE,
                        "HeadObject", "s3:GetObjectVersion arn:aws:s3:::bkt/k {s3:versionid=[v1]}"),
                c("PutObject is s3:PutObject", "PUT", "/bkt/k", "", NONE, "PutObject",
                        "s3:PutObject arn:aws:s3:::bkt/k"),
                c("PutObject with a canned ACL also needs s3:PutObjectAcl", "PUT", "/bkt/k", "",
                        List.of("x-amz-acl: public-read"), "PutObject",
                        "s3:PutObject arn:aws:s3:::bkt/k {s3:x-amz-acl=[public-read]}",
                        "s3:PutObjectAcl arn:aws:s3:::bkt/k {s3:x-amz-acl=[public-read]}"),
                c("PutObject with tags also needs s3:PutObjectTagging and gives the request tags", "PUT", "/bkt/k",
                        "", List.of("x-amz-tagging: project=blue%20sky&team=a+b"), "PutObject",
                        "s3:PutObject arn:aws:s3:::bkt/k {s3:RequestObjectTag/project=[blue sky], "
                                + "s3:RequestObjectTag/team=[a b], s3:RequestObjectTagKeys=[project, team]}",
                        "s3:PutObjectTagging arn:aws:s3:::bkt/k {s3:RequestObjectTag/project=[blue sky], "
                                + "s3:RequestObjectTag/team=[a b], s3:RequestObjectTagKeys=[project, team]}"),
                c("PutObject gives the encryption and storage class headers as keys", "PUT", "/bkt/k", "",
                        List.of("X-Amz-Server-Side-Encryption: aws:kms", "x-amz-storage-class: STANDARD_IA"),
                        "PutObject", "s3:PutObject arn:aws:s3:::bkt/k {s3:x-amz-server-side-encryption=[aws:kms], "
                                + "s3:x-amz-storage-class=[STANDARD_IA]}"),
                c("PutObject with an object lock needs retention and legal hold", "PUT", "/bkt/k", "",
                        List.of("x-amz-object-lock-mode: GOVERNANCE",
                                "x-amz-object-lock-retain-until-date: 2030-01-01T00:00:00Z",
                                "x-amz-object-lock-legal-hold: ON"), "PutObject",
                        "s3:PutObject arn:aws:s3:::bkt/k {s3:object-lock-mode=[GOVERNANCE], "
                                + "s3:object-lock-retain-until-date=[2030-01-01T00:00:00Z], "
                                + "s3:object-lock-legal-hold=[ON]}",
                        "s3:PutObjectRetention arn:aws:s3:::bkt/k", "s3:PutObjectLegalHold arn:aws:s3:::bkt/k"),
                c("a presigned URL's x-amz-acl in the query counts as the header", "PUT", "/bkt/k",
                        "x-amz-acl=public-read", NONE, "PutObject",
                        "s3:PutObject arn:aws:s3:::bkt/k {s3:x-amz-acl=[public-read]}",
                        "s3:PutObjectAcl arn:aws:s3:::bkt/k {s3:x-amz-acl=[public-read]}"),
                c("CopyObject writes the destination and reads the source", "PUT", "/dst/copy.txt", "",
                        List.of("x-amz-copy-source: src/a%20b/c.txt"), "CopyObject",
                        "s3:PutObject arn:aws:s3:::dst/copy.txt {s3:x-amz-copy-source=[src/a b/c.txt]}",
                        "s3:GetObject arn:aws:s3:::src/a b/c.txt"),
                c("CopyObject from a version reads it with s3:GetObjectVersion", "PUT", "/dst/k", "",
                        List.of("x-amz-copy-source: /src/k?versionId=v%2B1",
                                "x-amz-metadata-directive: REPLACE"), "CopyObject",
                        "s3:PutObject arn:aws:s3:::dst/k {s3:x-amz-copy-source=[src/k], "
                                + "s3:x-amz-metadata-directive=[REPLACE]}",
                        "s3:GetObjectVersion arn:aws:s3:::src/k {s3:versionid=[v+1]}"),
                c("a copy source hidden in the query is still a copy", "PUT", "/dst/k",
                        "x-amz-copy-source=src%2Fsecret", NONE, "CopyObject",
                        "s3:PutObject arn:aws:s3:::dst/k {s3:x-amz-copy-source=[src/secret]}",
                        "s3:GetObject arn:aws:s3:::src/secret"),
                c("DeleteObject", "DELETE", "/bkt/k", "", NONE, "DeleteObject",
                        "s3:DeleteObject arn:aws:s3:::bkt/k"),
                c("DeleteObject of a version is s3:DeleteObjectVersion", "DELETE", "/bkt/k", "versionId=v1", NONE,
                        "DeleteObject", "s3:DeleteObjectVersion arn:aws:s3:::bkt/k {s3:versionid=[v1]}"),
                c("DeleteObject bypassing governance retention needs s3:BypassGovernanceRetention", "DELETE",
                        "/bkt/k", "versionId=v1", List.of("x-amz-bypass-governance-retention: true"), "DeleteObject",
                        "s3:DeleteObjectVersion arn:aws:s3:::bkt/k {s3:versionid=[v1]}",
                        "s3:BypassGovernanceRetention arn:aws:s3:::bkt/k"),
                c("CreateMultipartUpload is s3:PutObject", "POST", "/bkt/big.bin", "uploads", NONE,
                        "CreateMultipartUpload", "s3:PutObject arn:aws:s3:::bkt/big.bin"),
                c("CreateMultipartUpload with an ACL and tags", "POST", "/bkt/big.bin", "uploads",
                        List.of("x-amz-acl: private", "x-amz-tagging: a=1"), "CreateMultipartUpload",
                        "s3:PutObject arn:aws:s3:::bkt/big.bin {s3:x-amz-acl=[private], "
                                + "s3:RequestObjectTag/a=[1], s3:RequestObjectTagKeys=[a]}",
                        "s3:PutObjectAcl arn:aws:s3:::bkt/big.bin {s3:x-amz-acl=[private]}",
                        "s3:PutObjectTagging arn:aws:s3:::bkt/big.bin {s3:RequestObjectTag/a=[1], "
                                + "s3:RequestObjectTagKeys=[a]}"),
                c("UploadPart is s3:PutObject", "PUT", "/bkt/big.bin", "partNumber=2&uploadId=abc", NONE,
                        "UploadPart", "s3:PutObject arn:aws:s3:::bkt/big.bin"),
                c("UploadPartCopy writes the destination and reads the source", "PUT", "/bkt/big.bin",
                        "partNumber=2&uploadId=abc", List.of("x-amz-copy-source: other/part.bin",
                                "x-amz-copy-source-range: bytes=0-99"), "UploadPartCopy",
                        "s3:PutObject arn:aws:s3:::bkt/big.bin {s3:x-amz-copy-source=[other/part.bin]}",
                        "s3:GetObject arn:aws:s3:::other/part.bin"),
                c("CompleteMultipartUpload is s3:PutObject", "POST", "/bkt/big.bin", "uploadId=abc", NONE,
                        "CompleteMultipartUpload", "s3:PutObject arn:aws:s3:::bkt/big.bin"),
                c("AbortMultipartUpload", "DELETE", "/bkt/big.bin", "uploadId=abc", NONE, "AbortMultipartUpload",
                        "s3:AbortMultipartUpload arn:aws:s3:::bkt/big.bin"),
                c("ListParts is s3:ListMultipartUploadParts", "GET", "/bkt/big.bin", "uploadId=abc&max-parts=10",
                        NONE, "ListParts", "s3:ListMultipartUploadParts arn:aws:s3:::bkt/big.bin"),
                c("GetObjectTagging", "GET", "/bkt/k", "tagging", NONE, "GetObjectTagging",
                        "s3:GetObjectTagging arn:aws:s3:::bkt/k"),
                c("GetObjectTagging of a version", "GET", "/bkt/k", "tagging&versionId=v", NONE, "GetObjectTagging",
                        "s3:GetObjectVersionTagging arn:aws:s3:::bkt/k {s3:versionid=[v]}"),
                c("PutObjectTagging (its body's tags are keys)", "PUT", "/bkt/k", "tagging", NONE, "PutObjectTagging",
                        "s3:PutObjectTagging arn:aws:s3:::bkt/k {s3:RequestObjectTag/team=[blue], "
                                + "s3:RequestObjectTagKeys=[team]}"),
                c("PutObjectTagging of a version", "PUT", "/bkt/k", "tagging&versionId=v", NONE, "PutObjectTagging",
                        "s3:PutObjectVersionTagging arn:aws:s3:::bkt/k {s3:versionid=[v], "
                                + "s3:RequestObjectTag/team=[blue], s3:RequestObjectTagKeys=[team]}"),
                c("DeleteObjectTagging", "DELETE", "/bkt/k", "tagging", NONE, "DeleteObjectTagging",
                        "s3:DeleteObjectTagging arn:aws:s3:::bkt/k"),
                c("GetObjectAcl", "GET", "/bkt/k", "acl", NONE, "GetObjectAcl", "s3:GetObjectAcl arn:aws:s3:::bkt/k"),
                c("PutObjectAcl with a canned ACL", "PUT", "/bkt/k", "acl", List.of("x-amz-acl: private"),
                        "PutObjectAcl", "s3:PutObjectAcl arn:aws:s3:::bkt/k {s3:x-amz-acl=[private]}"),
                c("PutObjectAcl of a version", "PUT", "/bkt/k", "acl&versionId=v", NONE, "PutObjectAcl",
                        "s3:PutObjectVersionAcl arn:aws:s3:::bkt/k {s3:versionid=[v]}"),

                c("virtual-hosted: the bucket comes from the Host", "GET", "/photos/2024/cat.jpg", "",
                        List.of("Host: media.s3.example.com"), "GetObject",
                        "s3:GetObject arn:aws:s3:::media/photos/2024/cat.jpg"),
                c("virtual-hosted with a port and a dotted bucket", "GET", "/", "list-type=2",
                        List.of("Host: my.dotted.bucket.S3.Example.com:8443"), "ListObjectsV2",
                        "s3:ListBucket arn:aws:s3:::my.dotted.bucket"),
                c("virtual-hosted: a path that looks like another bucket is a key", "GET", "/other/k", "",
                        List.of("Host: media.s3.example.com"), "GetObject",
                        "s3:GetObject arn:aws:s3:::media/other/k"),
                c("virtual-hosted with a fully qualified host name", "GET", "/k", "",
                        List.of("Host: media.s3.example.com."), "GetObject", "s3:GetObject arn:aws:s3:::media/k"),
                c("the base host itself is path-style", "GET", "/bkt/k", "", List.of("Host: s3.example.com"),
                        "GetObject", "s3:GetObject arn:aws:s3:::bkt/k"),
                c("an unknown host is path-style", "GET", "/bkt/k", "", List.of("Host: 127.0.0.1:9000"),
                        "GetObject", "s3:GetObject arn:aws:s3:::bkt/k"),
                c("a host that only ends like the base host is path-style", "GET", "/bkt/k", "",
                        List.of("Host: evils3.example.com"), "GetObject", "s3:GetObject arn:aws:s3:::bkt/k"),

                c("tricky key: unicode", "GET", "/bkt/%E6%97%A5%E6%9C%AC%20%F0%9F%98%80.txt", "", NONE, "GetObject",
                        "s3:GetObject arn:aws:s3:::bkt/日本 😀.txt"),
                c("tricky key: an encoded slash is a slash", "GET", "/bkt/a%2Fb", "", NONE, "GetObject",
                        "s3:GetObject arn:aws:s3:::bkt/a/b"),
                c("tricky key: a double slash is kept", "GET", "/bkt/a//b", "", NONE, "GetObject",
                        "s3:GetObject arn:aws:s3:::bkt/a//b"),
                c("tricky key: a leading slash is kept", "GET", "/bkt//a", "", NONE, "GetObject",
                        "s3:GetObject arn:aws:s3:::bkt//a"),
                c("tricky key: .. is not resolved", "GET", "/bkt/../other/secret", "", NONE, "GetObject",
                        "s3:GetObject arn:aws:s3:::bkt/../other/secret"),
                c("tricky key: a trailing slash is kept", "PUT", "/bkt/folder/", "", NONE, "PutObject",
                        "s3:PutObject arn:aws:s3:::bkt/folder/"),
                c("tricky key: + is literal in a path", "GET", "/bkt/a+b", "", NONE, "GetObject",
                        "s3:GetObject arn:aws:s3:::bkt/a+b"),
                c("tricky key: wildcard characters are literal", "GET", "/bkt/%2A%3F", "", NONE, "GetObject",
                        "s3:GetObject arn:aws:s3:::bkt/*?"),
                c("tricky key: virtual-hosted / alone is the bucket", "GET", "//", "",
                        List.of("Host: media.s3.example.com"), "GetObject", "s3:GetObject arn:aws:s3:::media//"),
                c("tricky key: an encoded ? is part of the key, not the query", "GET", "/bkt/a%3Facl", "", NONE,
                        "GetObject", "s3:GetObject arn:aws:s3:::bkt/a?acl"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void classify_operation_needsWhatAwsRequires(Case c) throws S3Exception {
        S3Operation operation = CLASSIFIER.classify(request(c.method(), c.path(), c.query(), c.headers()), NOW);
        if (operation.needsTaggingBody()) {
            operation = operation.withTaggingBody(new TaggingBody(Map.of("team", "blue")));
        }

        assertThat(operation.name()).isEqualTo(c.operation());
        assertThat(operation.authorizations().stream().map(S3RequestClassifierTest::describe))
                .containsExactlyElementsOf(c.authorizations());
    }

    /** A request and the S3 error it gets instead of an operation. */
    record Refusal(String name, String method, String path, String query, List<String> headers, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Refusal> refusals() {
        return Stream.of(
                new Refusal("an unknown bucket sub-resource", "GET", "/bkt", "lifecycle", NONE, "NotImplemented"),
                new Refusal("an unknown object sub-resource does not fall through to GetObject", "GET", "/bkt/k",
                        "attributes", NONE, "NotImplemented"),
                new Refusal("an unknown object sub-resource does not fall through to PutObject", "PUT", "/bkt/k",
                        "retention", NONE, "NotImplemented"),
                new Refusal("legal hold", "PUT", "/bkt/k", "legal-hold", NONE, "NotImplemented"),
                new Refusal("restore", "POST", "/bkt/k", "restore", NONE, "NotImplemented"),
                new Refusal("select", "POST", "/bkt/k", "select&select-type=2", NONE, "NotImplemented"),
                new Refusal("bucket CORS", "PUT", "/bkt", "cors", NONE, "NotImplemented"),
                new Refusal("an unknown parameter", "GET", "/bkt/k", "foo=bar", NONE, "NotImplemented"),
                new Refusal("two sub-resources at once", "GET", "/bkt", "acl&policy", NONE, "NotImplemented"),
                new Refusal("tagging and a multipart upload id", "PUT", "/bkt/k", "tagging&uploadId=x", NONE,
                        "NotImplemented"),
                new Refusal("a browser POST upload", "POST", "/bkt", "", NONE, "NotImplemented"),
                new Refusal("POST to an object without a sub-resource", "POST", "/bkt/k", "", NONE, "NotImplemented"),
                new Refusal("an unknown method", "PATCH", "/bkt/k", "", NONE, "NotImplemented"),
                new Refusal("OPTIONS", "OPTIONS", "/bkt/k", "", NONE, "NotImplemented"),
                new Refusal("PUT at the service level", "PUT", "/", "", NONE, "NotImplemented"),
                new Refusal("a bucket sub-resource on an object", "GET", "/bkt/k", "location", NONE,
                        "NotImplemented"),
                new Refusal("an object sub-resource on a bucket", "DELETE", "/bkt", "uploadId=x", NONE,
                        "NotImplemented"),
                new Refusal("a truncated escape", "GET", "/bkt/a%2", "", NONE, "InvalidURI"),
                new Refusal("a non-hex escape", "GET", "/bkt/a%zz", "", NONE, "InvalidURI"),
                new Refusal("bytes that are not UTF-8", "GET", "/bkt/a%C3%28", "", NONE, "InvalidURI"),
                new Refusal("a bad escape in the query", "GET", "/bkt", "prefix=%G0", NONE, "InvalidURI"),
                new Refusal("a path that does not start with /", "GET", "bkt/k", "", NONE, "InvalidURI"),
                new Refusal("a bucket name with a colon", "GET", "/a:b/k", "", NONE, "InvalidBucketName"),
                new Refusal("a bucket name with a wildcard", "GET", "/b*/k", "", NONE, "InvalidBucketName"),
                new Refusal("a new bucket with upper case", "PUT", "/MyBucket", "", NONE, "InvalidBucketName"),
                new Refusal("a new bucket of two characters", "PUT", "/ab", "", NONE, "InvalidBucketName"),
                new Refusal("a key of 1025 bytes", "GET", "/bkt/" + "k".repeat(1025), "", NONE, "KeyTooLongError"),
                new Refusal("a parameter given twice", "GET", "/bkt", "prefix=a&prefix=b", NONE, "InvalidArgument"),
                new Refusal("a version id given twice", "GET", "/bkt/k", "versionId=a&versionId=b", NONE,
                        "InvalidArgument"),
                new Refusal("an empty version id", "GET", "/bkt/k", "versionId=", NONE, "InvalidArgument"),
                new Refusal("list-type other than 2", "GET", "/bkt", "list-type=3", NONE, "InvalidArgument"),
                new Refusal("a copy source without a key", "PUT", "/bkt/k", "", List.of("x-amz-copy-source: src"),
                        "InvalidArgument"),
                new Refusal("a copy source with another parameter", "PUT", "/bkt/k", "",
                        List.of("x-amz-copy-source: src/k?versionId=1&acl"), "InvalidArgument"),
                new Refusal("a copy source that is not a bucket", "PUT", "/bkt/k", "",
                        List.of("x-amz-copy-source: arn:aws:s3:us-east-1:111122223333:accesspoint/ap/object/k"),
                        "InvalidArgument"),
                new Refusal("a copy source in both header and query, differing", "PUT", "/bkt/k",
                        "x-amz-copy-source=src%2Fb", List.of("x-amz-copy-source: src/a"), "InvalidArgument"),
                new Refusal("tags with a duplicate name", "PUT", "/bkt/k", "", List.of("x-amz-tagging: a=1&a=2"),
                        "InvalidArgument"),
                new Refusal("tags with a bad escape", "PUT", "/bkt/k", "", List.of("x-amz-tagging: a=%zz"),
                        "InvalidArgument"),
                new Refusal("a transfer coding before chunked", "PUT", "/bkt/k", "",
                        List.of("Transfer-Encoding: gzip, chunked"), "NotImplemented"),
                new Refusal("a transfer coding in a header of its own", "PUT", "/bkt/k", "",
                        List.of("Transfer-Encoding: gzip", "Transfer-Encoding: chunked"), "NotImplemented"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void classify_requestS3Refuses_isTheS3Error(Refusal r) {
        assertThatThrownBy(() -> CLASSIFIER.classify(request(r.method(), r.path(), r.query(), r.headers()), NOW))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.error().code().code()).isEqualTo(r.code()));
    }

    @Test
    void classify_notImplemented_isStatus501WithS3sMessage() {
        assertThatThrownBy(() -> CLASSIFIER.classify(request("GET", "/bkt", "website", NONE), NOW))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.error().httpStatus()).isEqualTo(501);
                    assertThat(e.error().message())
                            .isEqualTo("A header you provided implies functionality that is not implemented");
                });
    }

    @Test
    void classify_operation_namesBucketKeyAndVersion() throws S3Exception {
        S3Operation operation = CLASSIFIER.classify(request("GET", "/bkt/a%20b", "versionId=v7", NONE), NOW);

        assertThat(operation.bucket()).contains("bkt");
        assertThat(operation.key()).contains("a b");
        assertThat(operation.versionId()).contains("v7");
        assertThat(CLASSIFIER.classify(request("GET", "/", "", NONE), NOW).bucket()).isEmpty();
    }

    @Test
    void classify_withoutBaseHosts_isPathStyleWhateverTheHost() throws S3Exception {
        var pathOnly = new S3RequestClassifier(List.of());

        S3Operation operation = pathOnly.classify(
                request("GET", "/bkt/k", "", List.of("Host: media.s3.example.com")), NOW);

        assertThat(operation.authorizations().get(0).resourceArn()).isEqualTo("arn:aws:s3:::bkt/k");
    }

    @Test
    void classify_headerSignedSigV4_givesAuthTypeVersionAgeAndContentHash() throws S3Exception {
        var request = ReceivedRequest.builder().method("GET").rawPath("/bkt/k")
                .addHeader("Authorization", "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20261206/us-east-1/s3/"
                        + "aws4_request, SignedHeaders=host;x-amz-date, Signature=abc")
                .addHeader("X-Amz-Date", "20261206T115950Z")
                .addHeader("x-amz-content-sha256", "UNSIGNED-PAYLOAD").build();

        Map<String, List<String>> context = CLASSIFIER.classify(request, NOW).authorizations().get(0).context();

        assertThat(context).containsEntry("s3:authType", List.of("REST-HEADER"))
                .containsEntry("s3:signatureversion", List.of("AWS4-HMAC-SHA256"))
                .containsEntry("s3:signatureAge", List.of("10000"))
                .containsEntry("s3:x-amz-content-sha256", List.of("UNSIGNED-PAYLOAD"));
    }

    @Test
    void classify_presignedSigV4_isRestQueryString() throws S3Exception {
        var request = ReceivedRequest.builder().method("GET").rawPath("/bkt/k")
                .rawQuery("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAEXAMPLE%2F20261206%2Fus-east-1%2Fs3"
                        + "%2Faws4_request&X-Amz-Date=20261206T115900Z&X-Amz-Expires=3600"
                        + "&X-Amz-SignedHeaders=host&X-Amz-Security-Token=tok&X-Amz-Signature=abc")
                .build();

        S3Operation operation = CLASSIFIER.classify(request, NOW);

        assertThat(operation.name()).isEqualTo("GetObject");
        assertThat(operation.authorizations().get(0).context())
                .containsEntry("s3:authType", List.of("REST-QUERY-STRING"))
                .containsEntry("s3:signatureversion", List.of("AWS4-HMAC-SHA256"))
                .containsEntry("s3:signatureAge", List.of("60000"));
    }

    @Test
    void classify_sigV2Header_isSignatureVersionAws() throws S3Exception {
        var request = ReceivedRequest.builder().method("GET").rawPath("/bkt/k")
                .addHeader("Authorization", "AWS ASIAEXAMPLE:c2lnbmF0dXJl")
                .addHeader("Date", "Sun, 06 Dec 2026 11:59:58 GMT").build();

        Map<String, List<String>> context = CLASSIFIER.classify(request, NOW).authorizations().get(0).context();

        assertThat(context).containsEntry("s3:signatureversion", List.of("AWS"))
                .containsEntry("s3:signatureAge", List.of("2000"));
    }

    @Test
    void classify_sigV2Presigned_isRestQueryStringWithoutAge() throws S3Exception {
        var request = ReceivedRequest.builder().method("GET").rawPath("/bkt/k")
                .rawQuery("AWSAccessKeyId=ASIAEXAMPLE&Expires=1796558400&Signature=c2ln%3D&x-amz-security-token=t")
                .build();

        S3Operation operation = CLASSIFIER.classify(request, NOW);

        assertThat(operation.authorizations().get(0).context())
                .containsEntry("s3:authType", List.of("REST-QUERY-STRING"))
                .containsEntry("s3:signatureversion", List.of("AWS"))
                .doesNotContainKey("s3:signatureAge");
    }

    @Test
    void classify_sigV4a_isTheEcdsaAlgorithm() throws S3Exception {
        var request = ReceivedRequest.builder().method("GET").rawPath("/bkt/k")
                .addHeader("Authorization", "AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20261206/s3/aws4_request, "
                        + "SignedHeaders=host, Signature=3045")
                .addHeader("X-Amz-Date", "20261206T120000Z").build();

        assertThat(CLASSIFIER.classify(request, NOW).authorizations().get(0).context())
                .containsEntry("s3:signatureversion", List.of("AWS4-ECDSA-P256-SHA256"));
    }

    @Test
    void classify_getObject_needsTheObjectsExistingTags_andTakesThem() throws S3Exception {
        S3Operation operation = CLASSIFIER.classify(request("GET", "/bkt/k", "", NONE), NOW);
        var object = new S3ObjectRef("bkt", "k", Optional.empty());

        assertThat(operation.needsExistingObjectTags()).isTrue();
        assertThat(operation.existingObjectTagsNeeded()).containsExactly(object);

        S3Operation tagged = operation.withExistingObjectTags(object, Map.of("class", "secret"));

        assertThat(tagged.needsExistingObjectTags()).isFalse();
        assertThat(tagged.authorizations().get(0).context())
                .containsEntry("s3:ExistingObjectTag/class", List.of("secret"));
    }

    @Test
    void classify_copyObject_needsOnlyTheSourcesTags() throws S3Exception {
        S3Operation operation = CLASSIFIER.classify(
                request("PUT", "/dst/k", "", List.of("x-amz-copy-source: src/a?versionId=v1")), NOW);

        assertThat(operation.copySource()).contains(new S3ObjectRef("src", "a", Optional.of("v1")));
        assertThat(operation.existingObjectTagsNeeded())
                .containsExactly(new S3ObjectRef("src", "a", Optional.of("v1")));
    }

    @Test
    void classify_putObjectAndDeleteObject_needNoExistingTags() throws S3Exception {
        assertThat(CLASSIFIER.classify(request("PUT", "/bkt/k", "", NONE), NOW).needsExistingObjectTags()).isFalse();
        assertThat(CLASSIFIER.classify(request("DELETE", "/bkt/k", "", NONE), NOW).needsExistingObjectTags())
                .isFalse();
    }

    @Test
    void classify_deleteObjects_cannotAuthorizeBeforeItsBody() throws S3Exception {
        S3Operation operation = CLASSIFIER.classify(request("POST", "/bkt", "delete", NONE), NOW);

        assertThat(operation.name()).isEqualTo("DeleteObjects");
        assertThat(operation.needsDeleteObjectsBody()).isTrue();
        assertThatThrownBy(operation::authorizations).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void classify_deleteObjects_withItsBody_needsEachKey() throws S3Exception {
        var request = ReceivedRequest.builder().method("POST").rawPath("/bkt").rawQuery("delete")
                .addHeader("Authorization", "AWS4-HMAC-SHA256 Credential=A/20261206/us-east-1/s3/aws4_request, "
                        + "SignedHeaders=host, Signature=abc").build();
        S3Operation operation = CLASSIFIER.classify(request, NOW);
        var body = new DeleteObjectsBody(List.of(
                new DeleteObjectsBody.ObjectIdentifier("a.txt", Optional.empty()),
                new DeleteObjectsBody.ObjectIdentifier("dir/b.txt", Optional.of("v2"))), false);

        S3Operation withBody = operation.withDeleteObjects(body);

        assertThat(withBody.needsDeleteObjectsBody()).isFalse();
        assertThat(withBody.authorizations().stream().map(S3RequestClassifierTest::describeWithoutSigning))
                .containsExactly("s3:DeleteObject arn:aws:s3:::bkt/a.txt",
                        "s3:DeleteObjectVersion arn:aws:s3:::bkt/dir/b.txt {s3:versionid=[v2]}");
        assertThat(withBody.authorizations().get(0).context()).containsEntry("s3:authType", List.of("REST-HEADER"));
    }

    @Test
    void classify_putObjectTagging_cannotAuthorizeBeforeItsBody() throws S3Exception {
        S3Operation operation = CLASSIFIER.classify(request("PUT", "/bkt/k", "tagging", NONE), NOW);

        assertThat(operation.needsTaggingBody()).isTrue();
        assertThat(operation.needsBody()).isTrue();
        assertThatThrownBy(operation::authorizations).isInstanceOf(IllegalStateException.class);
        assertThat(operation.needsExistingObjectTags()).isTrue();
    }

    @Test
    void classify_putObjectTagging_existingTagsBeforeBody_stillWaitsForTheBody() throws S3Exception {
        S3Operation operation = CLASSIFIER.classify(request("PUT", "/bkt/k", "tagging", NONE), NOW)
                .withExistingObjectTags(new S3ObjectRef("bkt", "k", Optional.empty()), Map.of());

        assertThat(operation.needsTaggingBody()).isTrue();
        assertThatThrownBy(operation::authorizations).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void classify_putObjectTagging_withBodyThenExistingTags_hasBothKinds() throws S3Exception {
        S3Operation operation = CLASSIFIER.classify(request("PUT", "/bkt/k", "tagging", NONE), NOW)
                .withTaggingBody(new TaggingBody(Map.of("class", "public")));

        S3Operation complete = operation.withExistingObjectTags(new S3ObjectRef("bkt", "k", Optional.empty()),
                Map.of("class", "secret"));

        assertThat(complete.needsBody()).isFalse();
        assertThat(complete.authorizations().get(0).context())
                .containsEntry("s3:RequestObjectTag/class", List.of("public"))
                .containsEntry("s3:ExistingObjectTag/class", List.of("secret"));
    }

    @Test
    void classify_otherOperations_needNoBody() throws S3Exception {
        assertThat(CLASSIFIER.classify(request("PUT", "/bkt/k", "", NONE), NOW).needsBody()).isFalse();
        assertThat(CLASSIFIER.classify(request("PUT", "/bkt", "tagging", NONE), NOW).needsBody()).isFalse();
    }

    @Test
    void withTaggingBody_onAnotherOperation_isRefused() throws S3Exception {
        S3Operation operation = CLASSIFIER.classify(request("GET", "/bkt/k", "tagging", NONE), NOW);

        assertThatThrownBy(() -> operation.withTaggingBody(new TaggingBody(Map.of())))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void withDeleteObjects_onAnotherOperation_isRefused() throws S3Exception {
        S3Operation operation = CLASSIFIER.classify(request("GET", "/bkt/k", "", NONE), NOW);
        var body = new DeleteObjectsBody(List.of(new DeleteObjectsBody.ObjectIdentifier("k", Optional.empty())), false);

        assertThatThrownBy(() -> operation.withDeleteObjects(body)).isInstanceOf(IllegalStateException.class);
    }

    /** Every query parameter name some operation accepts; any other must never be classified. */
    private static final Set<String> KNOWN_PARAMETERS = Set.of("max-buckets", "continuation-token", "prefix",
            "bucket-region", "list-type", "delimiter", "encoding-type", "max-keys", "marker", "fetch-owner",
            "start-after", "versions", "key-marker", "version-id-marker", "uploads", "max-uploads", "upload-id-marker",
            "location", "tagging", "policy", "acl", "versioning", "delete", "versionId", "uploadId", "max-parts",
            "part-number-marker", "partNumber", "response-cache-control", "response-content-disposition",
            "response-content-encoding", "response-content-language", "response-content-type", "response-expires",
            "x-id", "Signature", "Expires", "AWSAccessKeyId");

    @Property
    void classify_anUnknownParameter_isNeverAnOperation(@ForAll("methods") String method,
            @ForAll("paths") String path, @ForAll("parameterNames") String parameter) {
        Assume.that(!KNOWN_PARAMETERS.contains(parameter) && !parameter.toLowerCase(Locale.ROOT).startsWith("x-amz-"));

        assertThatThrownBy(() -> CLASSIFIER.classify(request(method, path, S3Keys.encodeQuery(parameter) + "=1",
                NONE), NOW)).isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.error().code()).isEqualTo(S3ErrorCode.NOT_IMPLEMENTED));
    }

    @Property
    void classify_anyRequestLine_isAnOperationOrAnS3Error(@ForAll("methods") String method,
            @ForAll("rawText") String path, @ForAll("rawText") String query, @ForAll("rawText") String header) {
        var request = ReceivedRequest.builder().method(method).rawPath("/" + path).rawQuery(query)
                .addHeader("x-amz-copy-source", header).addHeader("x-amz-tagging", header)
                .addHeader("Host", header + ".s3.example.com").build();
        try {
            S3Operation operation = CLASSIFIER.classify(request, NOW);
            if (!operation.needsBody()) {
                assertThat(operation.authorizations()).isNotEmpty().allSatisfy(a -> assertThat(a.resourceArn())
                        .satisfiesAnyOf(arn -> assertThat(arn).isEqualTo("*"),
                                arn -> assertThat(arn).startsWith("arn:aws:s3:::")));
            }
        } catch (S3Exception expected) {
            assertThat(expected.error().httpStatus()).isBetween(400, 501);
        }
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "HEAD", "PUT", "POST", "DELETE");
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of("/", "/bkt", "/bkt/", "/bkt/k", "/bkt/a/b/");
    }

    @Provide
    Arbitrary<String> parameterNames() {
        return Arbitraries.oneOf(Arbitraries.strings().withCharRange('a', 'z').withChars('-', 'A', 'I').ofMinLength(1)
                .ofMaxLength(20), Arbitraries.of("lifecycle", "cors", "website", "retention", "legal-hold",
                "restore", "select", "attributes", "torrent", "replication", "notification", "logging", "inventory",
                "metrics", "analytics", "accelerate", "encryption", "object-lock", "ownershipControls",
                "publicAccessBlock", "requestPayment", "intelligent-tiering", "policyStatus", "session",
                "renameObject", "metadataTable", "uploadid", "VersionId", "Tagging"));
    }

    @Provide
    Arbitrary<String> rawText() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withChars("%/?&=+.-_~aZ09:*\u00e9\u00ff").ofMaxLength(40));
    }

    static ReceivedRequest request(String method, String path, String query, List<String> headers) {
        var builder = ReceivedRequest.builder().method(method).rawPath(path).rawQuery(query);
        for (String header : headers) {
            int colon = header.indexOf(':');
            builder.addHeader(header.substring(0, colon), header.substring(colon + 1).strip());
        }
        return builder.build();
    }

    static String describe(S3Authorization authorization) {
        return authorization.action() + " " + authorization.resourceArn()
                + (authorization.context().isEmpty() ? "" : " " + authorization.context());
    }

    private static String describeWithoutSigning(S3Authorization authorization) {
        var context = new LinkedHashMap<>(authorization.context());
        context.keySet().removeIf(k -> k.equals("s3:authType") || k.equals("s3:signatureversion")
                || k.equals("s3:signatureAge"));
        return authorization.action() + " " + authorization.resourceArn() + (context.isEmpty() ? "" : " " + context);
    }
}
