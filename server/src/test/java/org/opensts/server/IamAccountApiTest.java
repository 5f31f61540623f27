package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.protocol.testing.BotocoreData;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.GlobalEndpointTokenVersion;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.SummaryKeyType;

/** GetAccountSummary over HTTP, parsed by the AWS SDK for Java v2 into its typed summary map. */
class IamAccountApiTest {
    private static final String ACCOUNT = "123456789012";

    @TempDir
    static Path dataDir;

    private static OpenStsNode node;
    private static IamClient iam;

    @BeforeAll
    static void start() throws Exception {
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir, new InetSocketAddress("127.0.0.1", 0),
                ACCOUNT));
        AccessKeyCredentials admin = node.initialAdmin().orElseThrow();
        iam = client(AwsBasicCredentials.create(admin.accessKey().accessKeyId(), admin.secretAccessKey().revealUtf8()));
    }

    @AfterAll
    static void stop() {
        iam.close();
        node.close();
    }

    private static IamClient client(AwsCredentials credentials) {
        return SdkClients.iam(node, credentials);
    }

    @Test
    void inputShape_isEmpty_asTheModelDeclaresNoInput() {
        assertThat(BotocoreData.iamModel().operations().get("GetAccountSummary").inputShape()).isEmpty();
        assertThat(IamAccountActions.GET_ACCOUNT_SUMMARY_REQUEST.members()).isEmpty();
    }

    @Test
    void getAccountSummary_countsEntities_andEveryKeyIsOneTheSdkKnows() {
        Map<SummaryKeyType, Integer> before = iam.getAccountSummary().summaryMap();
        iam.createUser(r -> r.userName("counted"));
        iam.createGroup(r -> r.groupName("counted"));

        Map<SummaryKeyType, Integer> summary = iam.getAccountSummary().summaryMap();

        assertThat(summary).contains(entry(SummaryKeyType.USERS, before.get(SummaryKeyType.USERS) + 1),
                entry(SummaryKeyType.GROUPS, before.get(SummaryKeyType.GROUPS) + 1), entry(SummaryKeyType.ROLES, 0),
                entry(SummaryKeyType.ACCESS_KEYS_PER_USER_QUOTA, 2), entry(SummaryKeyType.USERS_QUOTA, 5000),
                entry(SummaryKeyType.GROUP_POLICY_SIZE_QUOTA, 5120));
        assertThat(summary.keySet()).doesNotContain(SummaryKeyType.UNKNOWN_TO_SDK_VERSION);
        assertThat(iam.getAccountSummary().summaryMapAsStrings()).hasSameSizeAs(summary);
    }

    @Test
    void getAccountSummary_withoutAPolicy_isAccessDenied403() {
        iam.createUser(r -> r.userName("unprivileged"));
        AccessKey key = iam.createAccessKey(r -> r.userName("unprivileged")).accessKey();
        try (IamClient denied = client(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()))) {
            IamException e = catchThrowableOfType(IamException.class, denied::getAccountSummary);

            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorMessage()).startsWith("User: arn:aws:iam::123456789012:user/"
                    + "unprivileged is not authorized to perform: iam:GetAccountSummary on resource: * because no "
                    + "identity-based policy allows the iam:GetAccountSummary action. Encoded authorization failure "
                    + "message: ");
        }
    }

    @Test
    void setSecurityTokenServicePreferences_v2Token_isGetAccountSummarysGlobalEndpointTokenVersion2() {
        iam.setSecurityTokenServicePreferences(r -> r.globalEndpointTokenVersion(GlobalEndpointTokenVersion.V2_TOKEN));
        try {
            assertThat(iam.getAccountSummary().summaryMap())
                    .contains(entry(SummaryKeyType.GLOBAL_ENDPOINT_TOKEN_VERSION, 2));
        } finally {
            iam.setSecurityTokenServicePreferences(r -> r.globalEndpointTokenVersion(
                    GlobalEndpointTokenVersion.V1_TOKEN));
        }
        assertThat(iam.getAccountSummary().summaryMap())
                .contains(entry(SummaryKeyType.GLOBAL_ENDPOINT_TOKEN_VERSION, 1));
    }

    @Test
    void setSecurityTokenServicePreferences_unknownVersion_isValidationError400() {
        IamException e = catchThrowableOfType(IamException.class,
                () -> iam.setSecurityTokenServicePreferences(r -> r.globalEndpointTokenVersion("v3Token")));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
    }

    @Test
    void setSecurityTokenServicePreferences_withoutAPolicy_isAccessDeniedOnResourceStar() {
        iam.createUser(r -> r.userName("no-preferences"));
        AccessKey key = iam.createAccessKey(r -> r.userName("no-preferences")).accessKey();
        try (IamClient denied = client(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()))) {
            IamException e = catchThrowableOfType(IamException.class, () -> denied.setSecurityTokenServicePreferences(
                    r -> r.globalEndpointTokenVersion(GlobalEndpointTokenVersion.V2_TOKEN)));

            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorMessage()).contains(
                    "is not authorized to perform: iam:SetSecurityTokenServicePreferences on resource: * because no "
                            + "identity-based policy allows the iam:SetSecurityTokenServicePreferences action. "
                            + "Encoded authorization failure message: ");
        }
    }
}
