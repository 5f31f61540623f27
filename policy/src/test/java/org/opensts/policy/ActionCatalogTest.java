package org.opensts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.opensts.policy.ActionCatalog.AccessLevel;

class ActionCatalogTest {
    private final ActionCatalog catalog = ActionCatalog.aws();

    @Test
    void aws_holdsTheServiceAuthorizationReference() {
        assertThat(catalog.size()).isGreaterThan(20_000);
    }

    @Test
    void supportsOnlyAllResources_isTrueForActionsWithoutResourceTypes() {
        assertThat(catalog.supportsOnlyAllResources("s3:ListAllMyBuckets")).isTrue();
        assertThat(catalog.supportsOnlyAllResources("sts:GetCallerIdentity")).isTrue();
        assertThat(catalog.supportsOnlyAllResources("s3:GetObject")).isFalse();
        assertThat(catalog.supportsOnlyAllResources("iam:PassRole")).isFalse();
    }

    @Test
    void openStsAuthorize_isKnown_readOnly_andNamesNoResource() {
        assertThat(catalog.accessLevel("opensts:Authorize")).contains(AccessLevel.READ);
        assertThat(catalog.supportsOnlyAllResources("OpenSTS:authorize")).isTrue();
    }

    @Test
    void consoleActions_areKnown_andNameNoResource() {
        assertThat(catalog.accessLevel("opensts:ListAuditEvents")).contains(AccessLevel.LIST);
        assertThat(catalog.accessLevel("opensts:DescribeNode")).contains(AccessLevel.READ);
        assertThat(catalog.accessLevel("opensts:ValidatePolicy")).contains(AccessLevel.READ);
        assertThat(catalog.supportsOnlyAllResources("opensts:ListAuditEvents")).isTrue();
        assertThat(catalog.supportsOnlyAllResources("opensts:DescribeNode")).isTrue();
        assertThat(catalog.supportsOnlyAllResources("opensts:ValidatePolicy")).isTrue();
    }

    @Test
    void accessLevel_isTheReferencesLevel_andChangesOnlyForWritesPermissionsAndTags() {
        assertThat(catalog.accessLevel("iam:GetRole")).contains(AccessLevel.READ);
        assertThat(catalog.accessLevel("iam:ListRoles")).contains(AccessLevel.LIST);
        assertThat(catalog.accessLevel("iam:PassRole")).contains(AccessLevel.WRITE);
        assertThat(catalog.accessLevel("iam:CreatePolicyVersion")).contains(AccessLevel.PERMISSIONS_MANAGEMENT);
        assertThat(catalog.accessLevel("iam:TagRole")).contains(AccessLevel.TAGGING);
        assertThat(AccessLevel.READ.changes()).isFalse();
        assertThat(AccessLevel.LIST.changes()).isFalse();
        assertThat(AccessLevel.WRITE.changes()).isTrue();
        assertThat(AccessLevel.PERMISSIONS_MANAGEMENT.changes()).isTrue();
        assertThat(AccessLevel.TAGGING.changes()).isTrue();
    }

    @Test
    void lookups_ignoreCase_asPolicyActionsDo() {
        assertThat(catalog.accessLevel("IAM:getrole")).contains(AccessLevel.READ);
        assertThat(catalog.supportsOnlyAllResources("S3:LISTALLMYBUCKETS")).isTrue();
    }

    @Test
    void anUnknownAction_hasNoLevel_andIsNotWildcardOnly() {
        assertThat(catalog.accessLevel("example:DoSomething")).isEmpty();
        assertThat(catalog.supportsOnlyAllResources("example:DoSomething")).isFalse();
    }
}
