package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opensts.policy.PolicyType;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

class PolicyCacheTest {
    /** An S3 ARN with a region: refused in a new document, yet stored by rules that took it. */
    private static final String DOCUMENT = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:us-east-1::bucket/*\"}]}";

    private final PolicyCache cache = new PolicyCache(100);

    @Test
    void stored_documentThatANewSubmissionWouldFail_compiles() {
        assertThat(cache.stored(DOCUMENT, PolicyType.IDENTITY).statements()).hasSize(1);
    }

    @Test
    void submitted_afterTheSameDocumentWasCompiledAsStored_isStillRefused() {
        cache.stored(DOCUMENT, PolicyType.IDENTITY);

        assertThatThrownBy(() -> cache.submitted(DOCUMENT, PolicyType.IDENTITY))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.MALFORMED_POLICY_DOCUMENT));
    }
}
