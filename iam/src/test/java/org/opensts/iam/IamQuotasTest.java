package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each per-account quota starts at AWS's default and may be set from 1 to the most AWS raises it to, by the name
 * GetAccountSummary gives it.
 */
class IamQuotasTest {

    @ParameterizedTest
    @CsvSource({"Users, 5000", "groups, 500", "ROLES, 5000", "Policies, 5000", "InstanceProfiles, 5000"})
    void eachQuota_mayBeRaisedToAwssMaximum_andNoFurther(String name, int maximum) {
        IamQuotas raised = IamQuotas.AWS_DEFAULTS.with(name, maximum);

        assertThat(raised).isNotNull();
        assertThatThrownBy(() -> IamQuotas.AWS_DEFAULTS.with(name, maximum + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from 1 to " + maximum);
        assertThatThrownBy(() -> IamQuotas.AWS_DEFAULTS.with(name, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"Users, 4000, 4000, 300, 1000, 1500, 1000", "Groups, 400, 5000, 400, 1000, 1500, 1000",
            "Roles, 4000, 5000, 300, 4000, 1500, 1000", "Policies, 4000, 5000, 300, 1000, 4000, 1000",
            "InstanceProfiles, 4000, 5000, 300, 1000, 1500, 4000"})
    void with_changesTheNamedQuotaOnly(String name, int value, int users, int groups, int roles, int policies,
            int profiles) {
        assertThat(IamQuotas.AWS_DEFAULTS.with(name, value))
                .isEqualTo(new IamQuotas(users, groups, roles, policies, profiles));
    }

    @ParameterizedTest
    @CsvSource({"AccessKeysPerUser", "UsersQuota", "''", "Role"})
    void anotherName_isRefused_namingTheQuotasThereAre(String name) {
        assertThatThrownBy(() -> IamQuotas.AWS_DEFAULTS.with(name, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Users, Groups, Roles, Policies and InstanceProfiles");
    }
}
