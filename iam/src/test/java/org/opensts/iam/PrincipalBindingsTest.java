package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opensts.iam.jdbc.JdbcIdentityStore;

/**
 * A resource policy submitted with each request (the authorization API's) is bound at the time of the request: each
 * user and role ARN to the entity that bears exactly that ARN now, and one that names no entity to no one.
 */
class PrincipalBindingsTest {
    private static final String ACCOUNT = "123456789012";
    private static final String IAM = "arn:aws:iam::123456789012:";
    private static final String TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",\
            "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}""";

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T15:00:00Z"), ZoneOffset.UTC);
    private final JdbcIdentityStore store = TestStores.inMemory(TestStores.newMasterKey(), clock);
    private final IamService iam = new IamService(store, clock, new SecureRandom());

    PrincipalBindingsTest() {
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
    void bindAtEvaluation_roleAndUserArns_areBoundToTheEntitiesBearingExactlyThoseArns() {
        String roleId = iam.roles().createRole(ACCOUNT, new CreateRoleRequest("pathy", Optional.of("/team/"), TRUST,
                Optional.empty(), Optional.empty(), Optional.empty(), List.of())).roleId();
        String userId = iam.users().createUser(ACCOUNT, new CreateUserRequest("pathu", Optional.of("/team/"),
                Optional.empty(), List.of())).userId();

        assertThat(PrincipalBindings.bindAtEvaluation(grant(IAM + "role/team/pathy"), store))
                .isEqualTo(grant(roleId));
        assertThat(PrincipalBindings.bindAtEvaluation(grant(IAM + "user/team/pathu"), store))
                .isEqualTo(grant(userId));
    }

    @Test
    void bindAtEvaluation_arnWithAnotherPathOrOfNoEntity_namesNoOne() {
        iam.roles().createRole(ACCOUNT, new CreateRoleRequest("pathy", Optional.of("/team/"), TRUST,
                Optional.empty(), Optional.empty(), Optional.empty(), List.of()));

        for (String principal : List.of(IAM + "role/pathy", IAM + "role/other/pathy", IAM + "role/never",
                IAM + "user/nobody", "arn:aws:iam::444455556666:role/pathy")) {
            assertThat(PrincipalBindings.bindAtEvaluation(grant(principal), store)).as(principal)
                    .isEqualTo(grant(PrincipalBindings.NO_SUCH_PRINCIPAL));
        }
    }

    /** Each named user or role is a store read, paid before the evaluation's cost bound: their number is bounded. */
    @Test
    void bindAtEvaluation_moreNamedPrincipalsThanTheBound_isRefused_atTheBoundIsBound() {
        String atTheBound = grants(PrincipalBindings.MAX_NAMED_AT_EVALUATION);

        assertThat(PrincipalBindings.bindAtEvaluation(atTheBound, store)).contains(PrincipalBindings.NO_SUCH_PRINCIPAL);
        assertThatThrownBy(() -> PrincipalBindings.bindAtEvaluation(
                grants(PrincipalBindings.MAX_NAMED_AT_EVALUATION + 1), store))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 500 IAM users and roles");
    }

    private static String grants(int roles) {
        var names = new StringJoiner("\",\"", "[\"", "\"]");
        for (int i = 0; i < roles; i++) {
            names.add(IAM + "role/r" + i);
        }
        return """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":%s},\
                "Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}]}""".formatted(names);
    }

    @Test
    void bindAtEvaluation_deletedRole_namesNoOne_andARoleCreatedAgainUnderItsNameIsAnother() {
        String firstId = iam.roles().createRole(ACCOUNT, CreateRoleRequest.of("gone", TRUST)).roleId();
        iam.roles().deleteRole(ACCOUNT, "gone");
        String deleted = PrincipalBindings.bindAtEvaluation(grant(IAM + "role/gone"), store);
        String secondId = iam.roles().createRole(ACCOUNT, CreateRoleRequest.of("gone", TRUST)).roleId();

        assertThat(deleted).isEqualTo(grant(PrincipalBindings.NO_SUCH_PRINCIPAL));
        assertThat(PrincipalBindings.bindAtEvaluation(grant(IAM + "role/gone"), store)).isEqualTo(grant(secondId))
                .isNotEqualTo(grant(firstId));
    }

    @Test
    void bindAtEvaluation_accountsSessionsUniqueIdsAndEveryone_stayAsWritten() {
        for (String principal : List.of(ACCOUNT, IAM + "root", "*", "AROANOSUCHROLE00000001",
                "arn:aws:sts::123456789012:assumed-role/gone/s1", "arn:aws:sts::123456789012:federated-user/bob")) {
            assertThat(PrincipalBindings.bindAtEvaluation(grant(principal), store)).as(principal)
                    .isEqualTo(grant(principal));
        }
    }

    @Test
    void bindAtEvaluation_documentThatIsNotJson_isReturnedAsItIs() {
        assertThat(PrincipalBindings.bindAtEvaluation("{\"Version\":", store)).isEqualTo("{\"Version\":");
    }
}
