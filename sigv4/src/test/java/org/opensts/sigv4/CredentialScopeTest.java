package org.opensts.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialScopeTest {

    @Test
    void parse_readsDateRegionAndService_andToScopeStringWritesThemBack() {
        CredentialScope scope = CredentialScope.parse("20150830/us-east-1/sts/aws4_request");

        assertThat(scope).isEqualTo(new CredentialScope(LocalDate.of(2015, 8, 30), "us-east-1", "sts"));
        assertThat(scope.toScopeString()).isEqualTo("20150830/us-east-1/sts/aws4_request");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "20150830/us-east-1/sts",
        "20150830/us-east-1/sts/aws4_request/extra",
        "20150830/us-east-1/sts/aws5_request",
        "2015083/us-east-1/sts/aws4_request",
        "2015-08-30/us-east-1/sts/aws4_request",
        "20151330/us-east-1/sts/aws4_request",
        "20150830//sts/aws4_request",
        "20150830/us-east-1//aws4_request",
        ""
    })
    void parse_malformedScope_isRejected(String text) {
        assertThatThrownBy(() -> CredentialScope.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constructor_regionWithSlash_isRejected() {
        assertThatThrownBy(() -> new CredentialScope(LocalDate.of(2015, 8, 30), "us-east-1/x", "sts"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
