package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/**
 * The instance profile operations on a real (in-memory H2) store: each operation, its errors in the words of AWS's
 * recorded answers, the quotas, and what a profile's role changes for DeleteRole and GetAccountSummary.
 */
class InstanceProfileOperationsTest {
    private static final String ACCOUNT = UserOperationsTest.ACCOUNT;

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    private final JdbcIdentityStore store = TestStores.inMemory(TestStores.newMasterKey(), clock);
    private final IamService iam = new IamService(store, clock, new SecureRandom());
    private final InstanceProfileOperations profiles = iam.instanceProfiles();

    InstanceProfileOperationsTest() {
        iam.accounts().createAccount(ACCOUNT);
        iam.roles().createRole(ACCOUNT, CreateRoleRequest.of("worker", UserOperationsTest.TRUST));
        iam.roles().createRole(ACCOUNT, CreateRoleRequest.of("other", UserOperationsTest.TRUST));
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

    private InstanceProfile create(String name) {
        return profiles.createInstanceProfile(ACCOUNT, name, Optional.empty(), List.of());
    }

    @Test
    void createInstanceProfile_givesAnAipaIdTheRootPathNoRoleAndTheArnOfItsPath() {
        InstanceProfile web = profiles.createInstanceProfile(ACCOUNT, "web", Optional.of("/app/"),
                List.of(new Tag("Team", "a")));

        assertThat(web.instanceProfileId()).startsWith("AIPA").hasSize(21);
        assertThat(web.arn()).isEqualTo("arn:aws:iam::123456789012:instance-profile/app/web");
        assertThat(web.roles()).isEmpty();
        assertThat(profiles.getInstanceProfile(ACCOUNT, "WEB")).isEqualTo(web);
        assertThat(create("api").path()).isEqualTo("/");
    }

    @Test
    void createInstanceProfile_nameTakenInAnyCase_isEntityAlreadyExists() {
        create("web");

        ApiException e = rejection(() -> create("Web"));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ENTITY_ALREADY_EXISTS);
        assertThat(e.getMessage()).isEqualTo("Instance Profile Web already exists.");
    }

    @Test
    void createInstanceProfile_beyondTheAccountQuota_isLimitExceeded() {
        for (int i = 0; i < IamQuotas.AWS_DEFAULTS.instanceProfiles(); i++) {
            create("p" + i);
        }

        ApiException e = rejection(() -> create("one-too-many"));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThat(e.getMessage()).isEqualTo("Cannot exceed quota for InstanceProfilesPerAccount: 1000");
        assertThat(iam.accounts().getAccountSummary(ACCOUNT)).containsEntry("InstanceProfiles", 1000)
                .containsEntry("InstanceProfilesQuota", 1000);
    }

    @Test
    void unknownProfile_isNoSuchEntity_inAwsWords_forEveryOperationThatNamesOne() {
        List<Runnable> calls = List.of(
                () -> profiles.getInstanceProfile(ACCOUNT, "nonexistent-profile"),
                () -> profiles.deleteInstanceProfile(ACCOUNT, "nonexistent-profile"),
                () -> profiles.addRoleToInstanceProfile(ACCOUNT, "nonexistent-profile", "worker"),
                () -> profiles.removeRoleFromInstanceProfile(ACCOUNT, "nonexistent-profile", "worker"),
                () -> profiles.tagInstanceProfile(ACCOUNT, "nonexistent-profile", List.of(new Tag("k", "v"))),
                () -> profiles.untagInstanceProfile(ACCOUNT, "nonexistent-profile", List.of("k")),
                () -> profiles.listInstanceProfileTags(ACCOUNT, "nonexistent-profile", Optional.empty(),
                        Optional.empty()));
        for (Runnable call : calls) {
            ApiException e = rejection(call);

            assertThat(e.errorCode()).isEqualTo(ErrorCode.NO_SUCH_ENTITY);
            assertThat(e.getMessage()).isEqualTo("Instance Profile nonexistent-profile cannot be found.");
        }
    }

    @Test
    void addRoleToInstanceProfile_thenGetAndListForRole_showTheRole_andDeleteIsRefusedUntilItIsRemoved() {
        create("web");

        profiles.addRoleToInstanceProfile(ACCOUNT, "WEB", "Worker");

        assertThat(profiles.getInstanceProfile(ACCOUNT, "web").roles()).extracting(Role::roleName)
                .containsExactly("worker");
        assertThat(profiles.listInstanceProfilesForRole(ACCOUNT, "worker", Optional.empty(), Optional.empty())
                .items()).extracting(InstanceProfile::instanceProfileName).containsExactly("web");
        ApiException e = rejection(() -> profiles.deleteInstanceProfile(ACCOUNT, "web"));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.DELETE_CONFLICT);
        assertThat(e.getMessage()).isEqualTo("Cannot delete entity, must remove roles from instance profile first.");

        profiles.removeRoleFromInstanceProfile(ACCOUNT, "web", "worker");
        profiles.deleteInstanceProfile(ACCOUNT, "web");

        assertThat(store.findInstanceProfile(ACCOUNT, "web")).isEmpty();
    }

    @Test
    void addRoleToInstanceProfile_aSecondRoleOrTheSameAgain_isLimitExceeded() {
        create("web");
        profiles.addRoleToInstanceProfile(ACCOUNT, "web", "worker");

        for (String role : List.of("other", "worker")) {
            ApiException e = rejection(() -> profiles.addRoleToInstanceProfile(ACCOUNT, "web", role));

            assertThat(e.errorCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
            assertThat(e.getMessage()).isEqualTo("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
        }
    }

    @Test
    void roleErrors_areGetRolesNoSuchEntity_orTheRoleNotInTheProfile() {
        create("web");

        assertThat(rejection(() -> profiles.addRoleToInstanceProfile(ACCOUNT, "web", "nonexistent-role"))
                .getMessage()).isEqualTo("The role with name nonexistent-role cannot be found.");
        assertThat(rejection(() -> profiles.removeRoleFromInstanceProfile(ACCOUNT, "web", "nonexistent-role"))
                .getMessage()).isEqualTo("The role with name nonexistent-role cannot be found.");
        ApiException notIn = rejection(() -> profiles.removeRoleFromInstanceProfile(ACCOUNT, "web", "worker"));
        assertThat(notIn.errorCode()).isEqualTo(ErrorCode.NO_SUCH_ENTITY);
        assertThat(notIn.getMessage()).isEqualTo("Role worker in Instance Profile web cannot be found.");
        assertThat(rejection(() -> profiles.listInstanceProfilesForRole(ACCOUNT, "nonexistent-role",
                Optional.empty(), Optional.empty())).getMessage())
                .isEqualTo("The role with name nonexistent-role cannot be found.");
    }

    @Test
    void deleteRole_inAnInstanceProfile_isDeleteConflict_untilRemovedFromIt() {
        create("web");
        profiles.addRoleToInstanceProfile(ACCOUNT, "web", "worker");

        ApiException e = rejection(() -> iam.roles().deleteRole(ACCOUNT, "worker"));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.DELETE_CONFLICT);
        assertThat(e.getMessage()).isEqualTo("Cannot delete entity, must remove roles from instance profile first.");
        profiles.removeRoleFromInstanceProfile(ACCOUNT, "web", "worker");
        iam.roles().deleteRole(ACCOUNT, "worker");
        assertThat(store.findRole(ACCOUNT, "worker")).isEmpty();
    }

    @Test
    void tags_mergeIgnoringKeyCase_untagIgnoresUnknownKeys_andFiftyIsTheQuota() {
        profiles.createInstanceProfile(ACCOUNT, "web", Optional.empty(), List.of(new Tag("Team", "a")));

        profiles.tagInstanceProfile(ACCOUNT, "web", List.of(new Tag("team", "b"), new Tag("Env", "prod")));
        profiles.untagInstanceProfile(ACCOUNT, "web", List.of("ENV", "missing"));

        assertThat(profiles.listInstanceProfileTags(ACCOUNT, "web", Optional.empty(), Optional.empty()).items())
                .containsExactly(new Tag("team", "b"));
        List<Tag> fifty = IntStream.range(0, 50).mapToObj(i -> new Tag("k" + i, "v")).toList();
        ApiException e = rejection(() -> profiles.tagInstanceProfile(ACCOUNT, "web", fifty));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThat(e.getMessage()).isEqualTo("Cannot exceed quota for TagsPerInstanceProfile: 50");
    }

    @Test
    void listInstanceProfiles_filtersByPathPrefix_andPagesByName() {
        profiles.createInstanceProfile(ACCOUNT, "b", Optional.of("/app/"), List.of());
        profiles.createInstanceProfile(ACCOUNT, "A", Optional.of("/app/"), List.of());
        profiles.createInstanceProfile(ACCOUNT, "c", Optional.of("/other/"), List.of());

        Page<InstanceProfile> first = profiles.listInstanceProfiles(ACCOUNT, Optional.of("/app/"), Optional.empty(),
                Optional.of(1));
        Page<InstanceProfile> second = profiles.listInstanceProfiles(ACCOUNT, Optional.of("/app/"), first.marker(),
                Optional.of(1));

        assertThat(first.items()).extracting(InstanceProfile::instanceProfileName).containsExactly("A");
        assertThat(second.items()).extracting(InstanceProfile::instanceProfileName).containsExactly("b");
        assertThat(second.isTruncated()).isFalse();
        assertThat(profiles.listInstanceProfiles(ACCOUNT, Optional.empty(), Optional.empty(), Optional.empty())
                .items()).hasSize(3);
    }
}
