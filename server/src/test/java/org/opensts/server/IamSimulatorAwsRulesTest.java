package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.policy.testing.EvaluationRuleCases;
import org.opensts.policy.testing.EvaluationRuleCases.Case;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ContextEntry;
import software.amazon.awssdk.services.iam.model.ContextKeyTypeEnum;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.OrderedOrganizationPolicyType;
import software.amazon.awssdk.services.iam.model.SimulateCustomPolicyRequest;
import software.amazon.awssdk.services.iam.model.SimulatePrincipalPolicyRequest;

/**
 * The table of AWS evaluation rules ({@link EvaluationRuleCases}) through the policy simulator over HTTP, with the AWS
 * SDK's own IAM client: every case through {@code SimulateCustomPolicy}, and every case whose caller is an IAM user of
 * the node's account through {@code SimulatePrincipalPolicy} too, with that user's policies stored in IAM. The engine
 * runs the same table directly in the policy module, so a request, the engine and the simulator answer alike.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IamSimulatorAwsRulesTest {
    /** The account the table's callers belong to. */
    private static final String ACCOUNT = "111111111111";
    private static final String ALICE = "arn:aws:iam::" + ACCOUNT + ":user/alice";

    private Path dataDir;
    private OpenStsNode node;
    private IamClient iam;

    @BeforeAll
    void start() throws Exception {
        dataDir = Files.createTempDirectory("simulator-rules");
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir, new InetSocketAddress("127.0.0.1", 0), ACCOUNT));
        AccessKeyCredentials admin = node.initialAdmin().orElseThrow();
        iam = SdkClients.iam(node, SdkClients.credentials(admin));
        iam.createUser(r -> r.userName("alice"));
    }

    @AfterAll
    void stop() throws Exception {
        iam.close();
        node.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    static List<Case> cases() {
        return EvaluationRuleCases.all();
    }

    /** The cases SimulatePrincipalPolicy can express: the caller is a stored user, and no organization applies. */
    static List<Case> principalCases() {
        return cases().stream()
                .filter(c -> c.caller().equals(ALICE) && c.serviceControlPolicies().isEmpty())
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void simulateCustomPolicy_decidesAsAwsDocuments(Case c) {
        var request = SimulateCustomPolicyRequest.builder()
                .policyInputList(c.identity())
                .actionNames(c.action())
                .resourceArns(c.resource())
                .callerArn(c.caller())
                .contextEntries(contextEntries(c));
        c.boundary().ifPresent(request::permissionsBoundaryPolicyInputList);
        c.resourcePolicy().ifPresent(request::resourcePolicy);
        c.resourceOwner().ifPresent(owner -> request.resourceOwner("arn:aws:iam::" + owner + ":root"));
        if (!c.serviceControlPolicies().isEmpty()) {
            request.orderedOrganizationPolicyInputList(c.serviceControlPolicies().stream()
                    .map(level -> OrderedOrganizationPolicyType.builder().serviceControlPolicyInputList(level).build())
                    .toList());
        }

        EvaluationResult result = iam.simulateCustomPolicy(request.build()).evaluationResults().get(0);

        assertThat(result.evalDecisionAsString()).as(c.page()).isEqualTo(c.expected());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("principalCases")
    void simulatePrincipalPolicy_withTheCallersStoredPolicies_decidesAsAwsDocuments(Case c) {
        storeAlicePolicies(c);
        var request = SimulatePrincipalPolicyRequest.builder()
                .policySourceArn(ALICE)
                .actionNames(c.action())
                .resourceArns(c.resource())
                .contextEntries(contextEntries(c));
        c.resourcePolicy().ifPresent(request::resourcePolicy);
        c.resourceOwner().ifPresent(owner -> request.resourceOwner("arn:aws:iam::" + owner + ":root"));

        EvaluationResult result = iam.simulatePrincipalPolicy(request.build()).evaluationResults().get(0);

        assertThat(result.evalDecisionAsString()).as(c.page()).isEqualTo(c.expected());
    }

    /** Gives alice exactly the case's identity policies (inline) and permissions boundary (a managed policy). */
    private void storeAlicePolicies(Case c) {
        iam.listUserPolicies(r -> r.userName("alice")).policyNames()
                .forEach(name -> iam.deleteUserPolicy(r -> r.userName("alice").policyName(name)));
        for (int i = 0; i < c.identity().size(); i++) {
            String name = "case" + (i + 1);
            String document = c.identity().get(i);
            iam.putUserPolicy(r -> r.userName("alice").policyName(name).policyDocument(document));
        }
        iam.deleteUserPermissionsBoundary(r -> r.userName("alice"));
        if (c.boundary().isPresent()) {
            String boundaryArn = "arn:aws:iam::" + ACCOUNT + ":policy/boundary";
            if (iam.listPolicies(r -> r.scope("Local")).policies().isEmpty()) {
                iam.createPolicy(r -> r.policyName("boundary").policyDocument(c.boundary().get().get(0)));
            } else {
                iam.listPolicyVersions(r -> r.policyArn(boundaryArn)).versions().stream()
                        .filter(version -> !version.isDefaultVersion())
                        .forEach(version -> iam.deletePolicyVersion(r -> r.policyArn(boundaryArn)
                                .versionId(version.versionId())));
                iam.createPolicyVersion(r -> r.policyArn(boundaryArn).setAsDefault(true)
                        .policyDocument(c.boundary().get().get(0)));
            }
            iam.putUserPermissionsBoundary(r -> r.userName("alice").permissionsBoundary(boundaryArn));
        }
    }

    private static List<ContextEntry> contextEntries(Case c) {
        var entries = new ArrayList<ContextEntry>();
        c.context().forEach((key, values) -> entries.add(ContextEntry.builder().contextKeyName(key)
                .contextKeyValues(values)
                .contextKeyType(values.size() == 1 ? ContextKeyTypeEnum.STRING : ContextKeyTypeEnum.STRING_LIST)
                .build()));
        return entries;
    }
}
