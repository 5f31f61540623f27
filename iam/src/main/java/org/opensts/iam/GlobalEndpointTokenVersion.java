package org.opensts.iam;

import java.util.Optional;

/**
 * Which session tokens an account's calls to the global STS endpoint get (IAM {@code SetSecurityTokenServicePreferences},
 * reported as {@code GlobalEndpointTokenVersion} by {@code GetAccountSummary}). AWS: "Version 1 tokens are valid only in
 * AWS Regions that are available by default. These tokens do not work in manually enabled Regions … Version 2 tokens
 * are valid in all Regions" (IAM User Guide, "Managing AWS STS in an AWS Region"). Regional endpoints always issue
 * version 2 tokens.
 */
public enum GlobalEndpointTokenVersion {
    V1_TOKEN("v1Token", 1),
    V2_TOKEN("v2Token", 2);

    private final String wireName;
    private final int summaryValue;

    GlobalEndpointTokenVersion(String wireName, int summaryValue) {
        this.wireName = wireName;
        this.summaryValue = summaryValue;
    }

    /** As the IAM API spells it: {@code v1Token} or {@code v2Token}. */
    public String wireName() {
        return wireName;
    }

    /** The value of {@code GlobalEndpointTokenVersion} in {@code GetAccountSummary}'s map: 1 or 2. */
    public int summaryValue() {
        return summaryValue;
    }

    public static Optional<GlobalEndpointTokenVersion> fromWireName(String name) {
        for (GlobalEndpointTokenVersion version : values()) {
            if (version.wireName.equals(name)) {
                return Optional.of(version);
            }
        }
        return Optional.empty();
    }

    /** The stored form, which is also {@link #summaryValue()}. */
    public static GlobalEndpointTokenVersion fromSummaryValue(int value) {
        for (GlobalEndpointTokenVersion version : values()) {
            if (version.summaryValue == value) {
                return version;
            }
        }
        throw new IllegalArgumentException("no global endpoint token version " + value);
    }
}
