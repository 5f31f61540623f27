package org.opensts.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.federation.testing.TestOidcIssuer;
import org.opensts.protocol.testing.MutableClock;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/** The web identity provider against a real node and OIDC issuer: the token file is read again on every refresh. */
class WebIdentityCredentialsProviderTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/ci";
    private static TestOidcIssuer issuer;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final CountingTransport transport = new CountingTransport();
    private LoopbackNode node;
    private Path tokenFile;
    private WebIdentityCredentialsProvider provider;

    @BeforeAll
    static void startIssuer() {
        issuer = TestOidcIssuer.builder().pathPrefix("/realms/wi").start();
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @BeforeEach
    void start() throws Exception {
        node = LoopbackNode.start(dir, clock, Optional.of(issuer.caPemFile()));
        try (IamClient iam = IamClient.builder().endpointOverride(node.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(node.adminSdk()))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            String providerArn = iam.createOpenIDConnectProvider(r -> r.url(issuer.url())
                    .clientIDList(TestOidcIssuer.DEFAULT_AUDIENCE).thumbprintList(issuer.caThumbprint()))
                    .openIDConnectProviderArn();
            iam.createRole(r -> r.roleName("ci").assumeRolePolicyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\""
                            + providerArn + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\"}]}"));
        }
        tokenFile = dir.resolve("token");
        writeToken();
        provider = WebIdentityCredentialsProvider.builder()
                .endpoint(node.endpoint())
                .roleArn(ROLE)
                .roleSessionName("pod")
                .webIdentityTokenFile(tokenFile)
                .clock(clock)
                .executor(Runnable::run)
                .transport(transport)
                .build();
    }

    @AfterEach
    void stop() {
        provider.close();
        node.close();
    }

    /** A token valid for ten minutes from the clock's now, as a projected service-account token is. */
    private void writeToken() throws Exception {
        Files.writeString(tokenFile, issuer.mint(issuer.claims(clock.instant())
                .expirationTime(java.util.Date.from(clock.instant().plus(Duration.ofMinutes(10)))).build()) + "\n",
                UTF_8);
    }

    @Test
    void resolve_tokenInTheFile_returnsRoleCredentialsOnce() {
        AwsSessionCredentials first = (AwsSessionCredentials) provider.resolveCredentials();
        provider.resolveCredentials();

        assertThat(first.accessKeyId()).startsWith("ASIA");
        assertThat(first.expirationTime()).contains(clock.instant().plus(Duration.ofHours(1)));
        assertThat(first.accountId()).contains(LoopbackNode.ACCOUNT);
        assertThat(transport.attempts()).isEqualTo(1);
    }

    @Test
    void resolve_afterTheFileWasRotated_presentsTheNewTokenNotTheExpiredOne() throws Exception {
        String firstKey = provider.resolveCredentials().accessKeyId();

        clock.advance(Duration.ofMinutes(56)); // the first token expired long ago; the writer has rotated it
        writeToken();
        String refreshedKey = provider.resolveCredentials().accessKeyId(); // runs the refresh inline
        refreshedKey = provider.resolveCredentials().accessKeyId();

        assertThat(refreshedKey).isNotEqualTo(firstKey);
        assertThat(transport.attempts()).isEqualTo(2);
    }

    @Test
    void resolve_fileStillHoldsTheExpiredToken_failsWithTheIdpErrorOnceTheCredentialsExpire() throws Exception {
        Instant expiry = provider.resolveCredentials().expirationTime().orElseThrow();

        clock.set(expiry);

        assertThatThrownBy(provider::resolveCredentials).isInstanceOf(SdkClientException.class)
                .hasMessageContaining("ExpiredTokenException")
                .cause().isInstanceOf(StsException.class);
    }

    @Test
    void resolve_tokenFileMissing_failsNamingTheFileWithoutCallingSts() throws Exception {
        Files.delete(tokenFile);

        assertThatThrownBy(provider::resolveCredentials).isInstanceOf(SdkClientException.class)
                .hasMessageContaining(tokenFile.toString());
        assertThat(transport.attempts()).isZero();
    }

    @Test
    void readToken_emptyOrOversizedFile_isRefused() throws Exception {
        Files.writeString(tokenFile, " \n", UTF_8);
        assertThatThrownBy(() -> WebIdentityCredentialsProvider.readToken(tokenFile)).hasMessageContaining("empty");

        Files.write(tokenFile, new byte[WebIdentityCredentialsProvider.MAX_TOKEN_BYTES + 1]);
        assertThatThrownBy(() -> WebIdentityCredentialsProvider.readToken(tokenFile)).hasMessageContaining("larger");
    }
}
