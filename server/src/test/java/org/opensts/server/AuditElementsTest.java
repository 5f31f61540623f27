package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditElementsTest {
    @Test
    void of_threeMembers_keepsTheOrderGivenWhateverTheirHashes() {
        assertThat(AuditElements.of("roleName", "demo", "roleId", "AROAEXAMPLE", "arn", "arn:aws:iam::1:role/demo")
                .keySet()).containsExactly("roleName", "roleId", "arn");
        assertThat(AuditElements.of("userName", "alice", "accessKeyId", "AKIAEXAMPLE", "status", "Active").keySet())
                .containsExactly("userName", "accessKeyId", "status");
    }

    @Test
    void of_twoMembers_keepsTheOrderGiven() {
        assertThat(AuditElements.of("assumedRoleId", "AROAEXAMPLE:s", "arn", "arn:aws:sts::1:assumed-role/demo/s")
                .keySet()).containsExactly("assumedRoleId", "arn");
        assertThat(AuditElements.of("arn", "x", "assumedRoleId", "y").keySet()).containsExactly("arn", "assumedRoleId");
    }
}
