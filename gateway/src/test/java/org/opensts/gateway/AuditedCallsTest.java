package org.opensts.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.opensts.gateway.s3.S3Authorization;
import org.opensts.gateway.s3.S3Operation;
import org.opensts.verifier.PayloadCheck;
import org.opensts.verifier.ReceivedRequest;
import org.opensts.verifier.Verification;
import org.opensts.verifier.VerifiedCaller;

class AuditedCallsTest {
    private static final Instant NOW = Instant.parse("2026-12-07T01:00:00Z");
    private static final PayloadCheck NO_BODY = new PayloadCheck() {
        @Override
        public void update(ByteBuffer received, Consumer<ByteBuffer> decoded) {
            decoded.accept(received);
        }

        @Override
        public Map<String, String> finish() {
            return Map.of();
        }

        @Override
        public OptionalLong decodedContentLength() {
            return OptionalLong.of(0);
        }
    };

    private static S3Operation operation(String name, Optional<String> key) {
        return new S3Operation(name, Optional.of("photos"), key, Optional.empty(), Optional.empty(),
                List.of(new S3Authorization("s3:" + name, "arn:aws:s3:::photos", Map.of(), Optional.empty())), false);
    }

    @Test
    void isAudited_bucketLevelCalls_whateverTheirOutcome() {
        for (String name : List.of("CreateBucket", "DeleteBucket", "PutBucketPolicy", "GetBucketPolicy",
                "DeleteBucketPolicy")) {
            assertThat(AuditedCalls.isAudited(operation(name, Optional.empty()), Optional.empty())).isTrue();
            assertThat(AuditedCalls.isAudited(operation(name, Optional.empty()), Optional.of("NoSuchBucket")))
                    .isTrue();
        }
    }

    @Test
    void isAudited_objectCalls_onlyWhenTheGatewayRefusesThem_whateverTheRefusal() {
        S3Operation getObject = operation("GetObject", Optional.of("a.txt"));
        S3Operation putObject = operation("PutObject", Optional.of("a.txt"));

        assertThat(AuditedCalls.isAudited(getObject, Optional.empty())).isFalse();
        assertThat(AuditedCalls.isAudited(putObject, Optional.empty())).isFalse();
        for (String refusal : List.of("AccessDenied", "XAmzContentSHA256Mismatch", "SignatureDoesNotMatch",
                "BadDigest", "IncompleteBody", "MissingContentLength", "NotImplemented", "MaxMessageLengthExceeded",
                "BadRequest", "SlowDown", "InternalError")) {
            assertThat(AuditedCalls.isAudited(putObject, Optional.of(refusal))).as(refusal).isTrue();
        }
    }

    @Test
    void holdsAnswer_onlyForTheBucketLevelCallsTheStoreServes() {
        assertThat(AuditedCalls.holdsAnswer(operation("DeleteBucket", Optional.empty()))).isTrue();
        assertThat(AuditedCalls.holdsAnswer(operation("CreateBucket", Optional.empty()))).isTrue();
        assertThat(AuditedCalls.holdsAnswer(operation("GetObject", Optional.of("a.txt")))).isFalse();
        assertThat(AuditedCalls.holdsAnswer(operation("ListObjectsV2", Optional.empty()))).isFalse();
    }

    @Test
    void event_putBucketPolicy_carriesTheBucketAndThePolicy_andOtherCallsNoPolicy() {
        var request = ReceivedRequest.builder().method("PUT").rawPath("/photos").rawQuery("policy")
                .addHeader("User-Agent", "aws-cli/2").sourceIp("192.0.2.7").build();
        var verification = new Verification(VerifiedCaller.ofUser("123456789012",
                "arn:aws:iam::123456789012:user/admin", "AIDAEXAMPLE", "AKIAEXAMPLE"), "us-east-1", "s3",
                NO_BODY);

        S3AuditEvent put = AuditedCalls.event(request, NOW, "REQ1", verification,
                operation("PutBucketPolicy", Optional.empty()), Optional.of("{\"Version\":\"2012-10-17\"}"),
                Optional.empty(), Optional.empty());
        S3AuditEvent get = AuditedCalls.event(request, NOW, "REQ2", verification,
                operation("GetBucketPolicy", Optional.empty()), Optional.of("ignored"), Optional.of("AccessDenied"),
                Optional.of("Access Denied"));

        assertThat(put.requestParameters()).containsExactly(Map.entry("bucketName", "photos"),
                Map.entry("bucketPolicy", "{\"Version\":\"2012-10-17\"}"));
        assertThat(put.userAgent()).contains("aws-cli/2");
        assertThat(put.sourceIp()).isEqualTo("192.0.2.7");
        assertThat(get.requestParameters()).containsOnlyKeys("bucketName");
        assertThat(get.errorCode()).contains("AccessDenied");
    }
}
