package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opensts.iam.jdbc.JdbcIdentityStore;

/**
 * Bucket policies stored before PutBucketPolicy bound their principals are bound when a node starts: a principal that
 * names a role now is bound to that role, one that names no one stays by name and is reported, one already bound
 * stays, and a policy put meanwhile is not overwritten.
 */
class StoredBucketPolicyBindingTest {
    private static final String ACCOUNT = "123456789012";
    private static final String TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",\
            "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}""";

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T15:00:00Z"), ZoneOffset.UTC);
    private final JdbcIdentityStore store = TestStores.inMemory(TestStores.newMasterKey(), clock);
    private final IamService iam = new IamService(store, clock, new SecureRandom());

    StoredBucketPolicyBindingTest() {
        iam.accounts().createAccount(ACCOUNT);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static String grant(String principal) {
        return """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"%s"},\
                "Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}]}""".formatted(principal);
    }

    @Test
    void aPolicyNamingARoleByArn_isBoundToTheRole_andBindingAgainChangesNothing() {
        String roleId = iam.roles().createRole(ACCOUNT, CreateRoleRequest.of("grantee", TRUST)).roleId();
        String arn = "arn:aws:iam::123456789012:role/grantee";
        store.bucketPolicies().put("photos", ACCOUNT, grant(arn));

        List<String> unbound = PrincipalBindings.bindStoredBucketPolicies(store.bucketPolicies(), store);

        assertThat(unbound).isEmpty();
        assertThat(store.bucketPolicies().find("photos").orElseThrow().document()).isEqualTo(grant(roleId));
        assertThat(PrincipalBindings.shown(grant(roleId), store)).isEqualTo(grant(arn));
        assertThat(PrincipalBindings.bindStoredBucketPolicies(store.bucketPolicies(), store)).isEmpty();
        assertThat(store.bucketPolicies().find("photos").orElseThrow().document()).isEqualTo(grant(roleId));
    }

    /**
     * An unbound principal was matched by account and name, whatever path it wrote: it is bound to the role it
     * matched, so that the grant stays with that role and does not pass to one created again under the name.
     */
    @Test
    void aPolicyNamingARoleWithAnotherPath_isBoundToTheRoleItWasMatchedWith() {
        String roleId = iam.roles().createRole(ACCOUNT, CreateRoleRequest.of("plain", TRUST)).roleId();
        String otherPath = "arn:aws:iam::123456789012:role/team/plain";
        store.bucketPolicies().put("photos", ACCOUNT, grant(otherPath));

        assertThat(PrincipalBindings.bindStoredBucketPolicies(store.bucketPolicies(), store)).isEmpty();

        assertThat(store.bucketPolicies().find("photos").orElseThrow().document()).isEqualTo(grant(roleId));
    }

    @Test
    void aPolicyNamingNoOne_staysAsWritten_andIsReported() {
        String nobody = "arn:aws:iam::123456789012:user/nobody";
        store.bucketPolicies().put("photos", ACCOUNT, grant(nobody));

        List<String> unbound = PrincipalBindings.bindStoredBucketPolicies(store.bucketPolicies(), store);

        assertThat(unbound).singleElement().asString().contains("photos").contains(nobody);
        assertThat(store.bucketPolicies().find("photos").orElseThrow().document()).isEqualTo(grant(nobody));
    }

    @Test
    void replace_ofAPolicyPutMeanwhile_changesNothing() {
        store.bucketPolicies().put("photos", ACCOUNT, grant("arn:aws:iam::123456789012:root"));

        boolean replaced = store.bucketPolicies().replace("photos", "{\"an\":\"older document\"}", grant("*"));

        assertThat(replaced).isFalse();
        assertThat(store.bucketPolicies().find("photos").orElseThrow().document())
                .isEqualTo(grant("arn:aws:iam::123456789012:root"));
    }
}
