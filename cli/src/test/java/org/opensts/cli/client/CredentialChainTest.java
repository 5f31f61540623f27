package org.opensts.cli.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.client.StsException;
import org.opensts.client.StsWireClient;

/**
 * Discovery as the AWS CLI does it, over a temporary home directory and an environment given as a map: which
 * credentials, region and endpoint each combination of variables, options and shared files selects; role chains
 * against a real node; and the configuration mistakes the AWS CLI refuses, with its words and return codes.
 */
class CredentialChainTest {
    private static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    static Path shared;
    private static ClientTestNode node;

    @TempDir
    Path home;

    @BeforeAll
    static void startNode() throws Exception {
        node = ClientTestNode.start(shared, Clock.systemUTC());
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    private static ClientOptions options(String profile, String region, String endpoint) {
        return new ClientOptions(Optional.ofNullable(profile), Optional.ofNullable(region),
                Optional.ofNullable(endpoint));
    }

    private CredentialChain chain(Map<String, String> env, String config, String credentials) throws IOException {
        Files.createDirectories(home.resolve(".aws"));
        if (config != null) {
            Files.writeString(home.resolve(".aws/config"), config, UTF_8);
        }
        if (credentials != null) {
            Files.writeString(home.resolve(".aws/credentials"), credentials, UTF_8);
        }
        return new CredentialChain(new ClientEnvironment(env, home, CLOCK, serial -> "123456"));
    }

    // ---- which static credentials win

    record CredentialsCase(String name, Map<String, String> env, String config, String credentials,
            ClientOptions options, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Map<String, String> ENV_KEYS = Map.of("AWS_ACCESS_KEY_ID", "AKIDENV",
            "AWS_SECRET_ACCESS_KEY", "env-secret");
    private static final String CREDENTIALS = """
            [default]
            aws_access_key_id = AKIDCREDDEFAULT
            aws_secret_access_key = cred-default-secret

            # a comment
            ; another comment
            [work]
            aws_access_key_id=AKIDCREDWORK
            aws_secret_access_key=cred-work-secret
            aws_session_token = work-token
            """;
    private static final String CONFIG = """
            [default]
            region = eu-west-1

            [profile work]
            aws_access_key_id = AKIDCONFIGWORK
            aws_secret_access_key = config-work-secret
            region = eu-central-1

            [profile configonly]
            aws_access_key_id = AKIDCONFIGONLY
            aws_secret_access_key = config-only-secret

            [credsinbare]
            aws_access_key_id = AKIDNOTAPROFILE
            aws_secret_access_key = not-a-profile

            [profile process]
            credential_process = echo '{"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "p", \
            "SessionToken": "t", "Expiration": "2026-12-06T08:00:00Z"}'
            aws_access_key_id = AKIDCONFIGBEHINDPROCESS
            aws_secret_access_key = behind-process
            """;

    static Stream<CredentialsCase> credentialsCases() {
        return Stream.of(
                new CredentialsCase("environment variables beat the default profile", ENV_KEYS, CONFIG, CREDENTIALS,
                        options(null, null, null), "AKIDENV env"),
                new CredentialsCase("environment variables beat AWS_PROFILE", with(ENV_KEYS, "AWS_PROFILE", "work"),
                        CONFIG, CREDENTIALS, options(null, null, null), "AKIDENV env"),
                new CredentialsCase("--profile beats environment variables", ENV_KEYS, CONFIG, CREDENTIALS,
                        options("work", null, null), "AKIDCREDWORK shared-credentials-file token"),
                new CredentialsCase("the default profile of the credentials file", Map.of(), CONFIG, CREDENTIALS,
                        options(null, null, null), "AKIDCREDDEFAULT shared-credentials-file"),
                new CredentialsCase("AWS_PROFILE selects a profile", Map.of("AWS_PROFILE", "work"), CONFIG,
                        CREDENTIALS, options(null, null, null), "AKIDCREDWORK shared-credentials-file token"),
                new CredentialsCase("AWS_DEFAULT_PROFILE selects a profile", Map.of("AWS_DEFAULT_PROFILE", "work"),
                        CONFIG, CREDENTIALS, options(null, null, null), "AKIDCREDWORK shared-credentials-file token"),
                new CredentialsCase("AWS_PROFILE beats AWS_DEFAULT_PROFILE",
                        Map.of("AWS_PROFILE", "configonly", "AWS_DEFAULT_PROFILE", "work"), CONFIG, CREDENTIALS,
                        options(null, null, null), "AKIDCONFIGONLY config-file"),
                new CredentialsCase("the credentials file beats the config file for the same profile", Map.of(),
                        CONFIG, CREDENTIALS, options("work", null, null),
                        "AKIDCREDWORK shared-credentials-file token"),
                new CredentialsCase("keys only in the config file", Map.of(), CONFIG, CREDENTIALS,
                        options("configonly", null, null), "AKIDCONFIGONLY config-file"),
                new CredentialsCase("credential_process beats keys in the config file", Map.of(), CONFIG, CREDENTIALS,
                        options("process", null, null), "AKIDPROCESS custom-process token expires"),
                new CredentialsCase("an empty variable counts as unset",
                        Map.of("AWS_ACCESS_KEY_ID", "", "AWS_SECRET_ACCESS_KEY", ""), CONFIG, CREDENTIALS,
                        options(null, null, null), "AKIDCREDDEFAULT shared-credentials-file"),
                new CredentialsCase("a session token from the environment", with(ENV_KEYS, "AWS_SESSION_TOKEN", "tok"),
                        null, null, options(null, null, null), "AKIDENV env token"),
                new CredentialsCase("AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE point elsewhere",
                        Map.of("AWS_CONFIG_FILE", "~/elsewhere/config", "AWS_SHARED_CREDENTIALS_FILE",
                                "~/elsewhere/credentials", "AWS_PROFILE", "moved"),
                        null, null, options(null, null, null), "AKIDMOVED shared-credentials-file"),
                new CredentialsCase("a bare [name] in the config file is not a profile", Map.of(), CONFIG, "",
                        options("credsinbare", null, null), "255 The config profile (credsinbare) could not be found"),
                new CredentialsCase("nothing anywhere", Map.of(), null, null, options(null, null, null),
                        "253 Unable to locate credentials. You can configure credentials by running "
                                + "\"aws configure\"."),
                new CredentialsCase("a named profile that does not exist", Map.of("AWS_PROFILE", "nope"), CONFIG,
                        CREDENTIALS, options(null, null, null), "255 The config profile (nope) could not be found"),
                new CredentialsCase("an access key id without its secret", Map.of("AWS_ACCESS_KEY_ID", "AKIDHALF"),
                        null, null, options(null, null, null),
                        "255 Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY"),
                new CredentialsCase("a profile whose source loops back", Map.of(), """
                        [profile a]
                        role_arn = arn:aws:iam::123456789012:role/demo
                        source_profile = b
                        [profile b]
                        role_arn = arn:aws:iam::123456789012:role/demo
                        source_profile = a
                        """, null, options("a", null, null), "255 Infinite loop in credential configuration detected."
                        + " Attempting to load from profile a which has already been visited. Visited profiles: "
                        + "['a', 'b']"),
                new CredentialsCase("a profile that is its own source without keys", Map.of(), """
                        [profile self]
                        role_arn = arn:aws:iam::123456789012:role/demo
                        source_profile = self
                        """, null, options("self", null, null), "255 Infinite loop in credential configuration "
                        + "detected. Attempting to load from profile self which has already been visited. Visited "
                        + "profiles: ['self']"),
                new CredentialsCase("a source profile that does not exist", Map.of(), """
                        [profile a]
                        role_arn = arn:aws:iam::123456789012:role/demo
                        source_profile = missing
                        """, null, options("a", null, null),
                        "255 The source_profile \"missing\" referenced in the profile \"a\" does not exist."),
                new CredentialsCase("a role profile with both sources", Map.of(), """
                        [profile a]
                        role_arn = arn:aws:iam::123456789012:role/demo
                        source_profile = a
                        credential_source = Environment
                        """, null, options("a", null, null),
                        "255 The profile \"a\" contains both source_profile and credential_source."),
                new CredentialsCase("a role profile with no source", Map.of(), """
                        [profile a]
                        role_arn = arn:aws:iam::123456789012:role/demo
                        """, null, options("a", null, null),
                        "255 Partial credentials found in assume-role, missing: source_profile or credential_source"),
                new CredentialsCase("credential_source Environment without variables", Map.of(), """
                        [profile a]
                        role_arn = arn:aws:iam::123456789012:role/demo
                        credential_source = Environment
                        """, null, options("a", null, null),
                        "255 Error when retrieving credentials from Environment: No credentials found in "
                                + "credential_source referenced in profile a"),
                new CredentialsCase("a source profile without credentials", Map.of(), """
                        [profile a]
                        role_arn = arn:aws:iam::123456789012:role/demo
                        source_profile = empty
                        [profile empty]
                        region = us-east-1
                        """, null, options("a", null, null), "255 The source profile \"empty\" must have credentials."),
                new CredentialsCase("a web identity token file without a role", Map.of(), """
                        [profile w]
                        web_identity_token_file = /nonexistent
                        """, null, options("w", null, null), "255 The provided profile or the current environment is "
                        + "configured to assume role with web identity but has no role ARN configured. Ensure that "
                        + "the profile has the role_arn configuration set or the AWS_ROLE_ARN env var is set."),
                new CredentialsCase("a credential process that fails", Map.of(), """
                        [profile p]
                        credential_process = sh -c 'echo broken >&2; exit 3'
                        """, null, options("p", null, null),
                        "255 Error when retrieving credentials from custom-process: broken"),
                new CredentialsCase("a credential process of another version", Map.of(), """
                        [profile p]
                        credential_process = echo '{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "S"}'
                        """, null, options("p", null, null), "255 Error when retrieving credentials from "
                        + "custom-process: Unsupported version '2' for credential process provider, supported "
                        + "versions: 1"),
                new CredentialsCase("a config file that is not INI", Map.of(), "region = us-east-1\n", null,
                        options(null, null, null), "255 Unable to parse config file: HOME/.aws/config"));
    }

    private static Map<String, String> with(Map<String, String> base, String name, String value) {
        var copy = new HashMap<>(base);
        copy.put(name, value);
        return copy;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("credentialsCases")
    void credentials(CredentialsCase c) throws Exception {
        Files.createDirectories(home.resolve("elsewhere"));
        Files.writeString(home.resolve("elsewhere/credentials"), "[moved]\naws_access_key_id = AKIDMOVED\n"
                + "aws_secret_access_key = moved-secret\n", UTF_8);
        CredentialChain chain = chain(c.env(), c.config(), c.credentials());

        assertThat(describe(chain, c.options())).isEqualTo(c.expected().replace("HOME", home.toString()));
    }

    private static String describe(CredentialChain chain, ClientOptions options) {
        try {
            ClientCredentials found = chain.credentials(options);
            return found.accessKeyId() + " " + found.source() + found.sessionToken().map(t -> " token").orElse("")
                    + found.expiration().map(t -> " expires").orElse("");
        } catch (ClientConfigException e) {
            return e.exitCode() + " " + e.getMessage();
        }
    }

    // ---- region

    record SettingCase(String name, Map<String, String> env, String config, ClientOptions options, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<SettingCase> regionCases() {
        String config = "[default]\nregion = eu-west-1\n[profile p]\nregion = eu-west-2\n";
        return Stream.of(
                new SettingCase("--region beats everything", Map.of("AWS_REGION", "us-west-1"), config,
                        options(null, "ap-south-1", null), "ap-south-1"),
                new SettingCase("AWS_REGION beats AWS_DEFAULT_REGION",
                        Map.of("AWS_REGION", "us-west-1", "AWS_DEFAULT_REGION", "us-west-2"), config,
                        options(null, null, null), "us-west-1"),
                new SettingCase("AWS_DEFAULT_REGION beats the profile", Map.of("AWS_DEFAULT_REGION", "us-west-2"),
                        config, options("p", null, null), "us-west-2"),
                new SettingCase("the selected profile's region", Map.of(), config, options("p", null, null),
                        "eu-west-2"),
                new SettingCase("the default profile's region", Map.of(), config, options(null, null, null),
                        "eu-west-1"),
                new SettingCase("no region anywhere", Map.of(), "", options(null, null, null),
                        "253 You must specify a region. You can also configure your region by running \"aws "
                                + "configure\"."),
                new SettingCase("a region that is no host label", Map.of(), "", options(null, "us east", null),
                        "255 Provided region_name 'us east' doesn't match a supported format."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("regionCases")
    void region(SettingCase c) throws Exception {
        CredentialChain chain = chain(c.env(), c.config(), null);
        String region;
        try {
            region = chain.region(c.options());
        } catch (ClientConfigException e) {
            region = e.exitCode() + " " + e.getMessage();
        }
        assertThat(region).isEqualTo(c.expected());
    }

    // ---- endpoint

    static Stream<SettingCase> endpointCases() {
        String config = """
                [default]
                endpoint_url = http://profile.example:1
                services = local

                [profile plain]
                endpoint_url = http://plain.example:2

                [profile ignoring]
                endpoint_url = http://plain.example:2
                ignore_configured_endpoint_urls = true

                [services local]
                sts =
                  endpoint_url = http://services.example:3
                s3 =
                  endpoint_url = http://not-for-sts.example
                """;
        return Stream.of(
                new SettingCase("--endpoint-url beats everything", Map.of("AWS_ENDPOINT_URL_STS", "http://env:4"),
                        config, options(null, null, "http://option.example:9"), "http://option.example:9"),
                new SettingCase("AWS_ENDPOINT_URL_STS beats AWS_ENDPOINT_URL",
                        Map.of("AWS_ENDPOINT_URL_STS", "http://sts-env:5", "AWS_ENDPOINT_URL", "http://env:6"),
                        config, options(null, null, null), "http://sts-env:5"),
                new SettingCase("AWS_ENDPOINT_URL beats the config file", Map.of("AWS_ENDPOINT_URL", "http://env:6"),
                        config, options(null, null, null), "http://env:6"),
                new SettingCase("the services section beats the profile's endpoint_url", Map.of(), config,
                        options(null, null, null), "http://services.example:3"),
                new SettingCase("the profile's endpoint_url", Map.of(), config, options("plain", null, null),
                        "http://plain.example:2"),
                new SettingCase("ignore_configured_endpoint_urls in the profile", Map.of(), config,
                        options("ignoring", null, null), "https://sts.eu-north-1.amazonaws.com"),
                new SettingCase("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ignores the variables too",
                        Map.of("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", "AWS_ENDPOINT_URL", "http://env:6"),
                        config, options(null, null, null), "https://sts.eu-north-1.amazonaws.com"),
                new SettingCase("--endpoint-url even when configured endpoints are ignored",
                        Map.of("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"), config,
                        options(null, null, "http://option.example:9"), "http://option.example:9"),
                new SettingCase("nothing configured: AWS's regional endpoint", Map.of(), "",
                        options(null, null, null), "https://sts.eu-north-1.amazonaws.com"),
                new SettingCase("an endpoint that is not a URL", Map.of("AWS_ENDPOINT_URL", "localhost:8790"), "",
                        options(null, null, null), "255 Invalid endpoint: localhost:8790"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpointCases")
    void endpoint(SettingCase c) throws Exception {
        CredentialChain chain = chain(c.env(), c.config(), null);
        String endpoint;
        try {
            endpoint = chain.endpoint(c.options(), "eu-north-1").toString();
        } catch (ClientConfigException e) {
            endpoint = e.exitCode() + " " + e.getMessage();
        }
        assertThat(endpoint).isEqualTo(c.expected());
    }

    // ---- role chains against a real node

    private String adminCredentials() {
        return "[base]\naws_access_key_id = " + node.adminKeyId() + "\naws_secret_access_key = " + node.adminSecret()
                + "\n";
    }

    @Test
    void roleProfile_withSourceProfile_assumesTheRoleWithTheSourcesKeys() throws Exception {
        CredentialChain chain = chain(Map.of(), """
                [profile role]
                role_arn = %s
                source_profile = base
                role_session_name = from-profile
                duration_seconds = 1800
                region = us-east-1
                endpoint_url = %s
                """.formatted(ClientTestNode.DEMO_ROLE, node.endpoint()), adminCredentials());

        ClientCredentials credentials = chain.credentials(options("role", null, null));

        assertThat(credentials.source()).isEqualTo("assume-role");
        assertThat(credentials.accessKeyId()).startsWith("ASIA");
        assertThat(credentials.expiration()).isPresent();
        assertThat(callerArn(chain, "role")).isEqualTo("arn:aws:sts::123456789012:assumed-role/demo/from-profile");
    }

    @Test
    void roleProfile_chainedThroughAnotherRoleProfile_assumesBothInTurn() throws Exception {
        CredentialChain chain = chain(Map.of("AWS_REGION", "us-east-1"), """
                [profile first]
                role_arn = %s
                source_profile = base
                role_session_name = first-hop
                [profile second]
                role_arn = %s
                source_profile = first
                role_session_name = second-hop
                """.formatted(ClientTestNode.DEMO_ROLE, ClientTestNode.CHAINED_ROLE), adminCredentials());

        assertThat(callerArn(chain, "second"))
                .isEqualTo("arn:aws:sts::123456789012:assumed-role/chained/second-hop");
    }

    @Test
    void roleProfile_withCredentialSourceEnvironment_usesTheVariablesEvenUnderAProfile() throws Exception {
        CredentialChain chain = chain(Map.of("AWS_ACCESS_KEY_ID", node.adminKeyId(), "AWS_SECRET_ACCESS_KEY",
                node.adminSecret(), "AWS_REGION", "us-east-1"), """
                [profile role]
                role_arn = %s
                credential_source = Environment
                role_session_name = from-env
                """.formatted(ClientTestNode.DEMO_ROLE), null);

        assertThat(callerArn(chain, "role")).isEqualTo("arn:aws:sts::123456789012:assumed-role/demo/from-env");
    }

    @Test
    void roleProfile_whoseSourceIsAProcess_runsTheProcessForTheSourceKeys() throws Exception {
        Path script = home.resolve("source-process.sh");
        Files.writeString(script, "#!/bin/sh\nprintf '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": "
                + "\"%s\"}' \"$SOURCE_KEY_ID\" \"$SOURCE_SECRET\"\n", UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        CredentialChain chain = chain(Map.of("SOURCE_KEY_ID", node.adminKeyId(), "SOURCE_SECRET",
                node.adminSecret(), "AWS_REGION", "us-east-1"), """
                [profile source]
                credential_process = %s
                [profile role]
                role_arn = %s
                source_profile = source
                role_session_name = via-process
                """.formatted(script, ClientTestNode.DEMO_ROLE), null);

        assertThat(callerArn(chain, "role")).isEqualTo("arn:aws:sts::123456789012:assumed-role/demo/via-process");
    }

    @Test
    void roleProfile_withMfaSerial_asksForTheCodeAndSendsIt() throws Exception {
        chain(Map.of(), """
                [profile role]
                role_arn = %s
                source_profile = base
                mfa_serial = arn:aws:iam::123456789012:mfa/admin
                """.formatted(ClientTestNode.DEMO_ROLE), adminCredentials());
        var asked = new StringBuilder();
        var chain = new CredentialChain(new ClientEnvironment(Map.of("AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL",
                node.endpoint().toString()), home, CLOCK, serial -> {
                    asked.append(serial);
                    return "123456";
                }));

        StsException refused = catchThrowableOfType(StsException.class,
                () -> chain.credentials(options("role", null, null)));

        assertThat(asked).hasToString("arn:aws:iam::123456789012:mfa/admin");
        assertThat(refused.errorCode()).isEqualTo("AccessDenied");
    }

    private String callerArn(CredentialChain chain, String profile) throws ClientConfigException {
        ClientOptions options = options(profile, null, node.endpoint().toString());
        CredentialChain.Resolved resolved = chain.resolve(options);
        return StsWireClient.builder(resolved.endpoint()).region(resolved.region())
                .credentials(resolved.credentials().signingCredentials()).build().getCallerIdentity().arn();
    }

    @Test
    void clientCredentials_toString_showsNoSecret() {
        ClientCredentials credentials = ClientCredentials.of("AKIDSHOWN", "the-secret-value", Optional.of("the-token"),
                Optional.empty(), "env");

        assertThat(credentials.toString()).contains("AKIDSHOWN").doesNotContain("the-secret-value")
                .doesNotContain("the-token");
    }
}
