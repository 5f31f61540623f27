package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.token.Secret;
import org.opensts.iam.Totp;
import org.opensts.protocol.testing.BotocoreData;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyLastUsed;
import software.amazon.awssdk.services.iam.model.CredentialReportNotPresentException;
import software.amazon.awssdk.services.iam.model.GenerateCredentialReportResponse;
import software.amazon.awssdk.services.iam.model.GetCredentialReportResponse;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.ReportFormatType;
import software.amazon.awssdk.services.iam.model.ReportStateType;
import software.amazon.awssdk.services.iam.model.VirtualMFADevice;

/**
 * GenerateCredentialReport and GetCredentialReport over HTTP through the AWS SDK for Java v2's own IAM client: AWS's
 * recorded answers before and after a report exists, and a report whose columns, root row and user rows are AWS's,
 * filled from the store.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IamCredentialReportApiTest {
    private static final String ACCOUNT = "123456789012";

    /** The report's header line, as AWS writes it (IAM User Guide, "Getting credential reports"). */
    private static final String AWS_HEADER = "user,arn,user_creation_time,password_enabled,password_last_used,"
            + "password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
            + "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
            + "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
            + "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,"
            + "cert_2_active,cert_2_last_rotated";

    private static final String REPORT_TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\+00:00";

    @TempDir
    static Path dataDir;

    private static OpenStsNode node;
    private static IamClient iam;
    private static AwsBasicCredentials nobody;

    @BeforeAll
    static void start() throws Exception {
        nobody = TestNodes.knownKey("nobody");
        node = TestNodes.start(dataDir, """
                accounts:
                  - id: "123456789012"
                    users:
                      - name: nobody
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                      - name: "comma,user"
                """.formatted(nobody.accessKeyId(), nobody.secretAccessKey()));
        AccessKeyCredentials initial = node.initialAdmin().orElseThrow();
        iam = SdkClients.iam(node, AwsBasicCredentials.create(initial.accessKey().accessKeyId(),
                initial.secretAccessKey().revealUtf8()));
        // The user "reported": its first key made inactive, a second key a second later, an MFA device enabled.
        iam.createUser(r -> r.userName("reported"));
        String first = iam.createAccessKey(r -> r.userName("reported")).accessKey().accessKeyId();
        iam.updateAccessKey(r -> r.userName("reported").accessKeyId(first).status("Inactive"));
        Thread.sleep(1_100);
        iam.createAccessKey(r -> r.userName("reported"));
        enableMfa("reported");
        // nobody's key signs a request (refused, but used), and its use reaches the store.
        try (IamClient asNobody = SdkClients.iam(node, nobody)) {
            catchThrowableOfType(IamException.class, asNobody::listUsers);
        }
        awaitLastUse(nobody.accessKeyId());
    }

    @AfterAll
    static void stop() {
        iam.close();
        node.close();
    }

    @Test
    void inputShapes_areEmpty_asTheModelDeclaresNoInput() {
        assertThat(BotocoreData.iamModel().operations().get("GenerateCredentialReport").inputShape()).isEmpty();
        assertThat(BotocoreData.iamModel().operations().get("GetCredentialReport").inputShape()).isEmpty();
        assertThat(IamCredentialReportActions.GENERATE_CREDENTIAL_REPORT_REQUEST.members()).isEmpty();
        assertThat(IamCredentialReportActions.GET_CREDENTIAL_REPORT_REQUEST.members()).isEmpty();
    }

    @Test
    @Order(1)
    void getCredentialReport_beforeAnyReport_isReportNotPresent410_withoutAMessage() {
        CredentialReportNotPresentException e = catchThrowableOfType(CredentialReportNotPresentException.class,
                iam::getCredentialReport);

        assertThat(e.statusCode()).isEqualTo(410);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ReportNotPresent");
        assertThat(e.awsErrorDetails().errorMessage()).isNull();
    }

    @Test
    @Order(2)
    void generateCredentialReport_calledAtOnce_startsOneReport_theOthersAreToldItIsInProgressOrComplete()
            throws Exception {
        var answers = new ArrayList<GenerateCredentialReportResponse>();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<GenerateCredentialReportResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(callers.submit(() -> iam.generateCredentialReport()));
            }
            for (Future<GenerateCredentialReportResponse> call : calls) {
                answers.add(call.get(60, TimeUnit.SECONDS));
            }
        } finally {
            callers.shutdownNow();
        }
        GenerateCredentialReportResponse later = iam.generateCredentialReport();

        assertThat(answers).filteredOn(answer -> answer.state() == ReportStateType.STARTED).singleElement()
                .satisfies(started -> assertThat(started.description())
                        .isEqualTo("No report exists. Starting a new report generation task"));
        assertThat(answers).filteredOn(answer -> answer.state() != ReportStateType.STARTED).hasSize(3)
                .allSatisfy(other -> {
                    assertThat(other.state()).isIn(ReportStateType.INPROGRESS, ReportStateType.COMPLETE);
                    assertThat(other.description()).isNull();
                });
        assertThat(later.state()).isEqualTo(ReportStateType.COMPLETE);
        assertThat(later.description()).isNull();
    }

    @Test
    @Order(3)
    void getCredentialReport_afterGenerating_isTheCsvWithItsFormatAndTime() {
        GetCredentialReportResponse report = iam.getCredentialReport();

        assertThat(report.reportFormat()).isEqualTo(ReportFormatType.TEXT_CSV);
        assertThat(report.generatedTime()).isBetween(Instant.now().minus(Duration.ofMinutes(5)), Instant.now());
        assertThat(report.content().asUtf8String()).startsWith(AWS_HEADER + "\n");
    }

    @Test
    @Order(5)
    void report_isReused_withinFourHours_soLaterChangesWaitForTheNextOne() {
        iam.createUser(r -> r.userName("late-comer"));
        iam.generateCredentialReport();

        assertThat(iam.getCredentialReport().content().asUtf8String()).doesNotContain("late-comer");
    }

    @Test
    @Order(3)
    void rootRow_isAwsRootAccountRow_withNoPasswordKeysOrCertificates() {
        Map<String, String> root = rows(report()).get(0);

        assertThat(root.get("user")).isEqualTo("<root_account>");
        assertThat(root.get("arn")).isEqualTo("arn:aws:iam::123456789012:root");
        assertThat(root.get("user_creation_time")).matches(REPORT_TIME);
        assertThat(root).containsEntry("password_enabled", "not_supported")
                .containsEntry("password_last_used", "N/A")
                .containsEntry("password_last_changed", "not_supported")
                .containsEntry("password_next_rotation", "not_supported")
                .containsEntry("mfa_active", "false")
                .containsEntry("access_key_1_active", "false")
                .containsEntry("access_key_1_last_rotated", "N/A")
                .containsEntry("access_key_2_active", "false")
                .containsEntry("cert_1_active", "false")
                .containsEntry("cert_1_last_rotated", "N/A")
                .containsEntry("cert_2_active", "false")
                .containsEntry("cert_2_last_rotated", "N/A");
    }

    @Test
    @Order(3)
    void userRows_reportTheStoresUsersKeysAndMfa() {
        String name = "reported";

        Map<String, String> row = userRow(report(), name);

        assertThat(row.get("arn")).isEqualTo("arn:aws:iam::123456789012:user/" + name);
        assertThat(row.get("user_creation_time")).matches(REPORT_TIME);
        assertThat(row).containsEntry("password_enabled", "false")
                .containsEntry("password_last_used", "N/A")
                .containsEntry("password_last_changed", "N/A")
                .containsEntry("password_next_rotation", "N/A")
                .containsEntry("mfa_active", "true")
                .containsEntry("access_key_1_active", "false")
                .containsEntry("access_key_1_last_used_date", "N/A")
                .containsEntry("access_key_1_last_used_region", "N/A")
                .containsEntry("access_key_1_last_used_service", "N/A")
                .containsEntry("access_key_2_active", "true")
                .containsEntry("cert_1_active", "false")
                .containsEntry("cert_2_last_rotated", "N/A");
        assertThat(row.get("access_key_1_last_rotated")).matches(REPORT_TIME);
        assertThat(row.get("access_key_2_last_rotated")).matches(REPORT_TIME);
    }

    @Test
    @Order(3)
    void userRow_ofAKeyThatSignedRequests_reportsItsLastUse() {
        Map<String, String> row = userRow(report(), "nobody");
        AccessKeyLastUsed lastUsed = iam.getAccessKeyLastUsed(r -> r.accessKeyId(nobody.accessKeyId()))
                .accessKeyLastUsed();

        assertThat(row.get("access_key_1_active")).isEqualTo("true");
        assertThat(row.get("access_key_1_last_used_date")).matches(REPORT_TIME);
        assertThat(row.get("access_key_1_last_used_region")).isEqualTo(lastUsed.region());
        assertThat(row.get("access_key_1_last_used_service")).isEqualTo("iam").isEqualTo(lastUsed.serviceName());
        assertThat(row.get("access_key_2_active")).isEqualTo("false");
        assertThat(row.get("access_key_2_last_rotated")).isEqualTo("N/A");
    }

    @Test
    @Order(3)
    void aNameWithAComma_isQuoted_soTheRowKeepsItsColumns() {
        String report = report();

        assertThat(report).contains("\n\"comma,user\",\"arn:aws:iam::123456789012:user/comma,user\",");
        assertThat(userRow(report, "comma,user")).hasSize(AWS_HEADER.split(",").length);
    }

    @Test
    void aUserWithoutPolicies_isAccessDenied403_onStar() {
        try (IamClient denied = SdkClients.iam(node, nobody)) {
            IamException generate = catchThrowableOfType(IamException.class, denied::generateCredentialReport);
            IamException get = catchThrowableOfType(IamException.class, denied::getCredentialReport);

            assertThat(generate.statusCode()).isEqualTo(403);
            assertThat(generate.awsErrorDetails().errorMessage()).startsWith("User: arn:aws:iam::123456789012:user/"
                    + "nobody is not authorized to perform: iam:GenerateCredentialReport on resource: * because no "
                    + "identity-based policy allows the iam:GenerateCredentialReport action.");
            assertThat(get.statusCode()).isEqualTo(403);
            assertThat(get.awsErrorDetails().errorMessage()).contains("iam:GetCredentialReport on resource: *");
        }
    }

    // ---- helpers

    /** The account's current report, as GetCredentialReport gives it. */
    private static String report() {
        return iam.getCredentialReport().content().asUtf8String();
    }

    /** Waits until the store has the key's last use, which the node writes every five seconds. */
    private static void awaitLastUse(String accessKeyId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (iam.getAccessKeyLastUsed(r -> r.accessKeyId(accessKeyId)).accessKeyLastUsed().lastUsedDate() == null
                && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
    }

    private static Map<String, String> userRow(String report, String userName) {
        return rows(report).stream().filter(row -> row.get("user").equals(userName)).findFirst().orElseThrow();
    }

    /** The report's rows under its header, read as RFC 4180 CSV. */
    private static List<Map<String, String>> rows(String report) {
        List<List<String>> lines = Csv.parse(report);
        List<String> header = lines.get(0);
        return lines.subList(1, lines.size()).stream().map(cells -> {
            assertThat(cells).hasSameSizeAs(header);
            var row = new LinkedHashMap<String, String>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), cells.get(i));
            }
            return (Map<String, String>) row;
        }).toList();
    }

    private static void enableMfa(String userName) {
        VirtualMFADevice device = iam.createVirtualMFADevice(r -> r.virtualMFADeviceName(userName + "-mfa"))
                .virtualMFADevice();
        Secret seed = Secret.copyOf(base32(device.base32StringSeed().asUtf8String()));
        long now = Totp.timeStep(Instant.now());
        iam.enableMFADevice(r -> r.userName(userName).serialNumber(device.serialNumber())
                .authenticationCode1(Totp.code(seed, now - 1)).authenticationCode2(Totp.code(seed, now)));
    }

    /** RFC 4648 base32 without padding. */
    private static byte[] base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var out = new byte[text.length() * 5 / 8];
        long buffer = 0;
        int bits = 0;
        int o = 0;
        for (char c : text.toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out[o++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
        }
        return Arrays.copyOf(out, o);
    }

    /** A minimal RFC 4180 reader, enough for the report: quoted cells with doubled quotes, LF line ends. */
    private static final class Csv {
        static List<List<String>> parse(String text) {
            var lines = new java.util.ArrayList<List<String>>();
            var cells = new java.util.ArrayList<String>();
            var cell = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        cell.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    cells.add(cell.toString());
                    cell.setLength(0);
                } else if (c == '\n') {
                    cells.add(cell.toString());
                    cell.setLength(0);
                    lines.add(List.copyOf(cells));
                    cells.clear();
                } else {
                    cell.append(c);
                }
            }
            return lines;
        }
    }
}
