package org.opensts.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.server.OpenStsNode;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * {@code opensts admin revoke-sessions} against a node on loopback, its effect observed with the AWS SDK: a session
 * of the role issued before the revocation is refused by IAM and STS, one issued after works.
 */
class RevokeSessionsCommandTest {
    private static final String ACCOUNT = "123456789012";
    private static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/worker";

    @TempDir
    static Path dataDir;

    private static OpenStsNode node;
    private static AwsBasicCredentials admin;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void start() throws Exception {
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir.resolve("node"),
                new InetSocketAddress("127.0.0.1", 0), ACCOUNT));
        var key = node.initialAdmin().orElseThrow();
        admin = AwsBasicCredentials.create(key.accessKey().accessKeyId(), key.secretAccessKey().revealUtf8());
        try (IamClient iam = iam(admin)) {
            iam.createRole(r -> r.roleName("worker").assumeRolePolicyDocument("{\"Version\":\"2012-10-17\","
                    + "\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + ACCOUNT
                    + ":root\"},\"Action\":\"sts:AssumeRole\"}]}"));
            iam.putRolePolicy(r -> r.roleName("worker").policyName("work").policyDocument("{\"Version\":"
                    + "\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"iam:ListRoles\","
                    + "\"sts:AssumeRole\"],\"Resource\":\"*\"}]}"));
        }
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static IamClient iam(AwsCredentials credentials) {
        return IamClient.builder().endpointOverride(node.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static StsClient sts(AwsCredentials credentials) {
        return StsClient.builder().endpointOverride(node.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static AwsSessionCredentials assumeWorker(AwsCredentials caller) {
        try (StsClient sts = sts(caller)) {
            Credentials c = sts.assumeRole(r -> r.roleArn(ROLE_ARN).roleSessionName("worker-session")).credentials();
            return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
        }
    }

    /** Whether the encoded message at the end of an AccessDenied says that a Deny statement decided. */
    private static boolean explicitlyDenied(String accessDenied) {
        String label = "Encoded authorization failure message: ";
        String encoded = accessDenied.substring(accessDenied.indexOf(label) + label.length());
        try (StsClient sts = sts(admin)) {
            return sts.decodeAuthorizationMessage(r -> r.encodedMessage(encoded)).decodedMessage()
                    .contains("\"explicitDeny\":true");
        }
    }

    private int run(Map<String, String> environment, String... args) {
        CommandLine commandLine = new CommandLine(new RevokeSessionsCommand(environment::get, Clock.systemUTC()));
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    private static Map<String, String> adminEnvironment() {
        var environment = new HashMap<String, String>();
        environment.put("AWS_ACCESS_KEY_ID", admin.accessKeyId());
        environment.put("AWS_SECRET_ACCESS_KEY", admin.secretAccessKey());
        environment.put("AWS_ENDPOINT_URL_IAM", node.endpoint().toString());
        return environment;
    }

    @Test
    void revokeSessions_refusesSessionsIssuedBefore_andNotThoseIssuedAfter() {
        AwsSessionCredentials before = assumeWorker(admin);
        try (IamClient iam = iam(before)) {
            iam.listRoles();
        }

        int exit = run(adminEnvironment(), "--role-name", "worker");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("Revoked the sessions of role worker issued before ")
                .contains("AWSRevokeOlderSessions");
        try (IamClient iam = iam(before)) {
            IamException refused = catchThrowableOfType(IamException.class, iam::listRoles);
            assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(explicitlyDenied(refused.awsErrorDetails().errorMessage())).isTrue();
        }
        StsException chained = catchThrowableOfType(StsException.class, () -> assumeWorker(before));
        assertThat(chained.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        AwsSessionCredentials after = assumeWorker(admin);
        try (IamClient iam = iam(after)) {
            assertThat(iam.listRoles().roles()).isNotEmpty();
        }
        try (IamClient iam = iam(admin)) {
            String document = URLDecoder.decode(iam.getRolePolicy(r -> r.roleName("worker")
                    .policyName("AWSRevokeOlderSessions")).policyDocument(), StandardCharsets.UTF_8);
            assertThat(document).contains("\"DateLessThan\":{\"aws:TokenIssueTime\":\"");
        }
    }

    @Test
    void revokeSessionsAgain_replacesTheEarlierPolicy_andSaysSo() {
        assertThat(run(adminEnvironment(), "--role-name", "worker")).isZero();

        assertThat(run(adminEnvironment(), "--role-name", "worker")).isZero();

        assertThat(out.toString()).contains("replacing the one of an earlier revocation");
    }

    @Test
    void unknownRole_failsWithIamsError() {
        assertThat(run(adminEnvironment(), "--role-name", "nobody")).isEqualTo(1);

        assertThat(err.toString()).contains("PutRolePolicy failed: NoSuchEntity");
    }

    @Test
    void noCredentialsInTheEnvironment_isAUsageError_andNoFlagTakesASecret() {
        var environment = adminEnvironment();
        environment.remove("AWS_SECRET_ACCESS_KEY");

        assertThat(run(environment, "--role-name", "worker")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        assertThat(run(adminEnvironment(), "--role-name", "worker", "--secret-access-key", "x"))
                .isEqualTo(CommandLine.ExitCode.USAGE);
    }

    @Test
    void noEndpoint_isAUsageError() {
        var environment = adminEnvironment();
        environment.remove("AWS_ENDPOINT_URL_IAM");

        assertThat(run(environment, "--role-name", "worker")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--endpoint-url");
    }

    @Test
    void callerNotAllowed_failsWithAccessDenied() {
        AwsSessionCredentials worker = assumeWorker(admin);
        var environment = adminEnvironment();
        environment.put("AWS_ACCESS_KEY_ID", worker.accessKeyId());
        environment.put("AWS_SECRET_ACCESS_KEY", worker.secretAccessKey());
        environment.put("AWS_SESSION_TOKEN", worker.sessionToken());

        assertThat(run(environment, "--role-name", "worker")).isEqualTo(1);
        assertThat(err.toString()).contains("AccessDenied");
    }
}
