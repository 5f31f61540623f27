package org.opensts.token;

/**
 * Where a session token is accepted. AWS calls these token versions (IAM User Guide, "Managing AWS STS in an AWS
 * Region"): regional endpoints issue version 2 tokens, "valid in all Regions"; the global endpoint issues version 1
 * tokens unless the account chose version 2 (IAM {@code SetSecurityTokenServicePreferences}), and "version 1 tokens are
 * valid only in AWS Regions that are available by default. These tokens do not work in manually enabled Regions".
 */
public enum RegionScope {
    /** AWS's version 2 token: accepted in every region. */
    ALL_REGIONS,
    /** AWS's version 1 token: refused in a region an account has to opt in to. */
    DEFAULT_REGIONS
}
