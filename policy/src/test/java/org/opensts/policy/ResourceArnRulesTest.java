package org.opensts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceArnRulesTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"*", "arn:aws:s3:::photos/*", "arn:*:s3:::photos", "arn:aws-cn:s3:::photos",
            "arn:aws-us-gov:iam::111122223333:role/admin", "arn:aws:iam::*:root", "arn:aws:iam::*:*",
            "arn:aws:iam::111122223333:user/${aws:username}", "arn:aws:s3:*",
            "arn:aws:s3:us-west-2:111122223333:accesspoint/reports/object/*", "arn:aws:s3:*:*:access-grants/default",
            "arn:aws:s3:us-east-1:111122223333:job/*", "arn:aws:s3:us-east-1:111122223333:*",
            "arn:aws:s3:us-east-1:111122223333:acc*", "arn:aws:ec2:us-east-1::volume/*", "arn:aws:fdsasf",
            "arn:aws:s3"})
    void problem_resourceIamAccepts_isNone(String resource) {
        assertThat(ResourceArnRules.problem(resource)).isNull();
        assertThat(ResourceArnRules.failsLegacyParsing(resource)).isFalse();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "bucket                              | Resource bucket must be in ARN format or \"*\".",
            "s3:::bucket                         | Partition \"\" is not valid for resource \"arn:::bucket:*:*\".",
            "aws:s3:::bucket                     | Partition \"s3\" is not valid for resource \"arn:s3:::bucket:*\".",
            "a:b:                                | Partition \"b\" is not valid for resource \"arn:b:*:*:*:*\".",
            "arn:AWS:s3:::bucket | Partition \"AWS\" is not valid for resource \"arn:AWS:s3:::bucket\".",
            "urn:aws:s3:::bucket                 | Resource urn:aws:s3:::bucket must be in ARN format or \"*\".",
            "arn:* | Resource vendor must be fully qualified and cannot contain regexes.",
            "arn:aws:iam:us-east-1::role/a       | IAM resource arn:aws:iam:us-east-1::role/a cannot contain "
                    + "region information.",
            "arn:aws:s3:eu-west-1::bucket/*     | Resource arn:aws:s3:eu-west-1::bucket/* can not contain region "
                    + "information."})
    void problem_resourceIamRefuses_isIamsMessage(String resource, String message) {
        assertThat(ResourceArnRules.problem(resource)).hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"arn:aws:iam::111122223333:rolex", "arn:aws:iam::111122223333:role*",
            "arn:aws:iam::111122223333:root/x", "arn:aws:iam::111122223333", "arn:aws:iam:::"})
    void problem_iamResourceOfNoIamResourceType_isIamsPathMessage(String resource) {
        assertThat(ResourceArnRules.problem(resource)).hasMessageStartingWith("IAM resource path must either be");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"arn:aws:s3::bucket", "arn:aws::bucket", "arn:aws::::bucket", "arn:aws::s3:::bucket"})
    void failsLegacyParsing_emptySegmentInAShortArnOrEmptyService_isTrue(String resource) {
        assertThat(ResourceArnRules.failsLegacyParsing(resource)).isTrue();
    }
}
