package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.AwsRegions;
import org.opensts.protocol.ErrorCode;

class RegionsTest {
    private static final String ACCOUNT = "123456789012";
    private static final Regions TWO = Regions.of("us-east-1", List.of("us-east-1", "eu-west-1"));

    record Case(String name, String signedRegion, ErrorCode error, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> signedRegions() {
        String disabled = "STS is not activated in this region for account:123456789012. Your account administrator "
                + "can activate STS in this region using the IAM Console.";
        return Stream.of(
                new Case("an enabled region is served", "eu-west-1", null, null),
                new Case("a commercial region not enabled is RegionDisabledException", "af-south-1",
                        ErrorCode.REGION_DISABLED, disabled),
                new Case("a name that is no region is SignatureDoesNotMatch", "moon-base-1",
                        ErrorCode.SIGNATURE_DOES_NOT_MATCH, "Credential should be scoped to a valid region. "),
                new Case("a region's name in capitals is no region", "EU-WEST-1",
                        ErrorCode.SIGNATURE_DOES_NOT_MATCH, "Credential should be scoped to a valid region. "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signedRegions")
    void checkSigned(Case c) {
        if (c.error() == null) {
            assertThatCode(() -> TWO.checkSigned(c.signedRegion(), ACCOUNT)).doesNotThrowAnyException();
            return;
        }
        assertThatThrownBy(() -> TWO.checkSigned(c.signedRegion(), ACCOUNT))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(c.error());
                    assertThat(e.getMessage()).isEqualTo(c.message());
                });
    }

    @Test
    void checkSigned_aPrivateRegionThatIsEnabled_isServed() {
        var regions = Regions.of("on-prem-1", List.of("on-prem-1"));

        assertThatCode(() -> regions.checkSigned("on-prem-1", ACCOUNT)).doesNotThrowAnyException();
    }

    @Test
    void checkUnsigned_nodeRegionNotEnabled_isRegionDisabledForTheRolesAccount() {
        var regions = Regions.of("ap-east-1", List.of("us-east-1"));

        assertThatThrownBy(() -> regions.checkUnsigned("210987654321"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.REGION_DISABLED);
                    assertThat(e.errorCode().httpStatus()).isEqualTo(403);
                    assertThat(e.getMessage())
                            .startsWith("STS is not activated in this region for account:210987654321.");
                });
    }

    @Test
    void defaults_enableEveryCommercialRegionAndServeInUsEast1() {
        Regions regions = Regions.defaults();

        assertThat(regions.nodeRegion()).isEqualTo("us-east-1");
        assertThat(regions.enabled()).containsAll(AwsRegions.COMMERCIAL).containsAll(AwsRegions.ENABLED_BY_DEFAULT);
    }

    @Test
    void new_aNameThatIsNoRegion_isRefused() {
        assertThatThrownBy(() -> Regions.of("us east 1", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Regions.of("us-east-1", List.of("-x"))).isInstanceOf(IllegalArgumentException.class);
    }
}
