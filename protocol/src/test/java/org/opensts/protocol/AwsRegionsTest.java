package org.opensts.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Where S3 takes Signature Version 2: the commercial regions launched before January 30, 2014 and GovCloud's first;
 * not the later ones nor any region of AWS's other partitions, whose endpoints are published for Signature Version 4
 * alone; and a deployment's own regions, which are not AWS's.
 */
class AwsRegionsTest {
    @ParameterizedTest(name = "{0}: only Signature Version 4 = {1}")
    @CsvSource({"us-east-1, false", "eu-west-1, false", "us-west-2, false", "eu-central-1, true",
            "ap-south-1, true", "cn-north-1, true", "cn-northwest-1, true", "us-gov-west-1, false",
            "us-gov-east-1, true", "us-iso-east-1, true", "us-isob-east-1, true", "eu-isoe-west-1, true",
            "eusc-de-east-1, true", "on-prem-1, false"})
    void acceptsOnlySignatureVersion4_asAwsPublishesItsEndpoints(String region, boolean only) {
        assertThat(AwsRegions.acceptsOnlySignatureVersion4(region)).isEqualTo(only);
    }
}
