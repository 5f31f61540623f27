package org.opensts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opensts.sigv4.SigningCredentials;

class UpstreamCredentialsFileTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @Test
    void parse_defaultProfile_readsKeyAndSecretAmongOtherProfilesAndComments() {
        SigningCredentials credentials = UpstreamCredentialsFile.parse(List.of(
                "# the gateway's key", "[other]", "aws_access_key_id = AKIAOTHER", "aws_secret_access_key = nope", "",
                "[default]", "aws_access_key_id=AKIAIOSFODNN7EXAMPLE", "  aws_secret_access_key =  " + SECRET + "  ",
                "; no token"), "creds");

        assertThat(credentials.accessKeyId()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
        assertThat(credentials.hasSessionToken()).isFalse();
        assertThat(credentials.toString()).doesNotContain(SECRET);
    }

    @Test
    void parse_sessionToken_isKept() {
        SigningCredentials credentials = UpstreamCredentialsFile.parse(List.of("[default]",
                "aws_access_key_id = ASIAEXAMPLE", "aws_secret_access_key = " + SECRET, "aws_session_token = TOKEN"),
                "creds");

        assertThat(credentials.hasSessionToken()).isTrue();
        assertThat(credentials.toString()).doesNotContain(SECRET).doesNotContain("TOKEN");
    }

    @Test
    void parse_noDefaultProfile_isRefusedNamingTheFile() {
        assertThatThrownBy(() -> UpstreamCredentialsFile.parse(List.of("[other]", "aws_access_key_id = A"), "creds"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("creds has no [default] profile");
    }

    @Test
    void parse_missingSecret_isRefusedWithoutShowingTheKey() {
        assertThatThrownBy(() -> UpstreamCredentialsFile.parse(
                List.of("[default]", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE"), "creds"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("creds: the [default] profile has no aws_secret_access_key");
    }

    @Test
    void parse_missingKeyId_isRefusedWithoutShowingTheSecret() {
        assertThatThrownBy(() -> UpstreamCredentialsFile.parse(
                List.of("[default]", "aws_secret_access_key = " + SECRET), "creds"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(SECRET);
    }
}
