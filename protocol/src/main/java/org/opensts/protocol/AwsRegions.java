package org.opensts.protocol;

import java.util.List;
import java.util.Set;

/**
 * The public AWS commercial regions (partition {@code aws}), as the AWS SDKs' partition data lists them (the
 * {@code aws} partition's {@code regions} in the SDKs' {@code partitions.json}; AWS General Reference, "AWS Regions"),
 * and which of them AWS enables by default (IAM User Guide, "Managing AWS STS in an AWS Region": the regions launched
 * before 20 March 2019; every later one is opt-in). Change the lists here, in one place, when AWS adds a region.
 */
public final class AwsRegions {
    /** Every public commercial region. */
    public static final List<String> COMMERCIAL = List.of(
            "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
            "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
            "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1",
            "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
            "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2",
            "us-west-1", "us-west-2");

    /** The commercial regions enabled in every account by default; the others need an administrator to opt in. */
    public static final Set<String> ENABLED_BY_DEFAULT = Set.of(
            "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
            "ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1",
            "us-east-1", "us-east-2", "us-west-1", "us-west-2");

    /**
     * The commercial regions in which S3 accepts Signature Version 2: those launched before January 30, 2014 (Amazon S3
     * API Reference, "Signing and authenticating REST requests": "any new regions after January 30, 2014 will support
     * only Signature Version 4"). Every other commercial region accepts only Signature Version 4.
     */
    public static final Set<String> S3_SIGNATURE_VERSION_2 = Set.of(
            "ap-northeast-1", "ap-southeast-1", "ap-southeast-2", "eu-west-1", "sa-east-1", "us-east-1", "us-west-1",
            "us-west-2");

    /** How the regions of AWS's partitions other than the commercial one begin. */
    private static final List<String> OTHER_PARTITION_PREFIXES = List.of("cn-", "us-gov-", "us-iso-", "us-isob-",
            "us-isof-", "eu-isoe-", "eusc-");

    /** Where a request with no credential scope (and the global endpoint) is served: AWS's global STS region. */
    public static final String DEFAULT_REGION = "us-east-1";

    private AwsRegions() {
    }

    /**
     * Whether {@code region} is an AWS region that an account has to opt in to, where AWS refuses version 1 session
     * tokens. Regions that are not AWS's (a deployment's private ones) are not opt-in regions.
     */
    public static boolean isOptIn(String region) {
        return !ENABLED_BY_DEFAULT.contains(region) && COMMERCIAL.contains(region);
    }

    /**
     * Whether S3 in {@code region} refuses Signature Version 2: an AWS commercial region launched after January 30,
     * 2014, and every region of AWS's other partitions (China, the isolated ones, the European sovereign cloud) but
     * GovCloud's first, {@code us-gov-west-1} (2011); their endpoints are published for Signature Version 4 alone.
     * Regions that are not AWS's (a deployment's private ones) accept it.
     */
    public static boolean acceptsOnlySignatureVersion4(String region) {
        if (COMMERCIAL.contains(region)) {
            return !S3_SIGNATURE_VERSION_2.contains(region);
        }
        for (String partition : OTHER_PARTITION_PREFIXES) {
            if (region.startsWith(partition)) {
                return !region.equals("us-gov-west-1");
            }
        }
        return false;
    }

    /** Whether {@code name} has the shape of a region name: lower-case words and digits joined by hyphens. */
    public static boolean isWellFormed(String name) {
        if (name.isEmpty() || name.length() > 64 || name.startsWith("-") || name.endsWith("-")
                || name.contains("--")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-') {
                return false;
            }
        }
        return true;
    }
}
