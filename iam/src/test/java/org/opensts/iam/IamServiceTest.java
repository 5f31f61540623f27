package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

class IamServiceTest {
    private static final String ACCOUNT = "123456789012";
    private static final String TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},\
            "Action":"sts:AssumeRole"}]}""";
    private static final String ALLOW_S3 = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    private final JdbcIdentityStore store = TestStores.inMemory(TestStores.newMasterKey(), clock);
    private final IamService iam = new IamService(store, clock, new SecureRandom());

    IamServiceTest() {
        iam.accounts().createAccount(ACCOUNT);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static ApiException rejection(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void createRole_defaultsToOneHourAndTheRootPath() {
        Role role = iam.roles().createRole(ACCOUNT, CreateRoleRequest.of("demo", TRUST));

        assertThat(role.roleId()).startsWith("AROA").hasSize(21);
        assertThat(role.arn()).isEqualTo("arn:aws:iam::123456789012:role/demo");
        assertThat(role.maxSessionDuration()).isEqualTo(3600);
        assertThat(iam.roles().getRole(ACCOUNT, "DEMO").assumeRolePolicyDocument()).isEqualTo(TRUST);
    }

    @Test
    void createRole_trustPolicyWithoutPrincipal_isMalformedPolicyDocument() {
        ApiException e = rejection(() -> iam.roles().createRole(ACCOUNT, CreateRoleRequest.of("demo", ALLOW_S3)));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.MALFORMED_POLICY_DOCUMENT);
        assertThat(e.errorCode().httpStatus()).isEqualTo(400);
    }

    @Test
    void createRole_trustPolicyNotJson_isMalformedPolicyDocument() {
        assertThat(rejection(() -> iam.roles().createRole(ACCOUNT, CreateRoleRequest.of("demo", "not json"))).errorCode())
                .isEqualTo(ErrorCode.MALFORMED_POLICY_DOCUMENT);
    }

    @Test
    void createRole_trustPolicyAboveItsQuota_isLimitExceeded() {
        var statements = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            statements.append(i == 0 ? "" : ",").append("{\"Sid\":\"S").append(i).append("\",\"Effect\":\"Allow\","
                    + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/u").append(i)
                    .append("\"},\"Action\":\"sts:AssumeRole\"}");
        }
        String large = "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}";

        ApiException e = rejection(() -> iam.roles().createRole(ACCOUNT, CreateRoleRequest.of("demo", large)));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThat(e.getMessage()).isEqualTo("Cannot exceed quota for ACLSizePerRole: 2048");
    }

    @Test
    void createRole_maxSessionDurationOutOfRange_isValidationError() {
        ApiException e = rejection(() -> iam.roles().createRole(ACCOUNT, new CreateRoleRequest("demo", Optional.empty(),
                TRUST, Optional.empty(), Optional.of(43201), Optional.empty(), List.of())));

        assertThat(e.getMessage()).isEqualTo("1 validation error detected: Value '43201' at 'maxSessionDuration' "
                + "failed to satisfy constraint: Member must have value less than or equal to 43200");
    }

    @Test
    void putRolePolicy_replacesAPolicyOfTheSameName() {
        Role role = iam.roles().createRole(ACCOUNT, CreateRoleRequest.of("demo", TRUST));
        iam.roles().putRolePolicy(ACCOUNT, "demo", "s3", ALLOW_S3);
        String other = ALLOW_S3.replace("s3:GetObject", "s3:PutObject");

        iam.roles().putRolePolicy(ACCOUNT, "demo", "s3", other);

        assertThat(store.listInlinePolicies(PolicyOwner.of(role))).containsExactly(new InlinePolicy("s3", other));
    }

    @Test
    void putRolePolicy_identityPolicyWithAPrincipal_isMalformedPolicyDocument() {
        iam.roles().createRole(ACCOUNT, CreateRoleRequest.of("demo", TRUST));

        assertThat(rejection(() -> iam.roles().putRolePolicy(ACCOUNT, "demo", "bad", TRUST)).errorCode())
                .isEqualTo(ErrorCode.MALFORMED_POLICY_DOCUMENT);
    }

    @Test
    void updateRole_changesOnlyWhatIsGiven() {
        iam.roles().createRole(ACCOUNT, CreateRoleRequest.of("demo", TRUST));

        iam.roles().updateRole(ACCOUNT, "demo", Optional.of("for tests"), Optional.empty());
        iam.roles().updateRole(ACCOUNT, "demo", Optional.empty(), Optional.of(7200));

        Role role = iam.roles().getRole(ACCOUNT, "demo");
        assertThat(role.description()).contains("for tests");
        assertThat(role.maxSessionDuration()).isEqualTo(7200);
    }
}
