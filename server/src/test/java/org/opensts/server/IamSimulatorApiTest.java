package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.AccessKeyCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachmentType;
import software.amazon.awssdk.services.iam.model.ContextEntry;
import software.amazon.awssdk.services.iam.model.ContextKeyTypeEnum;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.InlinePolicyIdentifierType;
import software.amazon.awssdk.services.iam.model.InvalidInputException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;
import software.amazon.awssdk.services.iam.model.PolicyIdentifier;
import software.amazon.awssdk.services.iam.model.PolicyIdentifierPolicyType;
import software.amazon.awssdk.services.iam.model.SimulateCustomPolicyResponse;
import software.amazon.awssdk.services.iam.model.Statement;

/** The policy simulator over HTTP, through the AWS SDK's own IAM client. */
class IamSimulatorApiTest {
    private static final String ACCOUNT = "123456789012";
    /** The AWS CLI documentation's simulate-custom-policy example. */
    private static final String DYNAMODB_AFTER_DATE = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
            + "\"Action\":\"dynamodb:*\",\"Resource\":\"*\",\"Condition\":{\"DateGreaterThan\":{\"aws:CurrentTime\":"
            + "\"2018-08-16T12:00:00Z\"}}}}";

    @TempDir
    Path dataDir;

    private OpenStsNode node;
    private IamClient iam;

    @BeforeEach
    void start() throws Exception {
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir, new InetSocketAddress("127.0.0.1", 0), ACCOUNT));
        AccessKeyCredentials admin = node.initialAdmin().orElseThrow();
        iam = SdkClients.iam(node, AwsBasicCredentials.create(
                        admin.accessKey().accessKeyId(), admin.secretAccessKey().revealUtf8()));
    }

    @AfterEach
    void stop() {
        iam.close();
        node.close();
    }

    private static ContextEntry date(String key, String value) {
        return ContextEntry.builder().contextKeyName(key).contextKeyValues(value)
                .contextKeyType(ContextKeyTypeEnum.DATE).build();
    }

    @Test
    void simulateCustomPolicy_awsCliExample_isAllowedWithTheStatementsPosition() {
        SimulateCustomPolicyResponse response = iam.simulateCustomPolicy(r -> r
                .policyInputList(DYNAMODB_AFTER_DATE)
                .actionNames("dynamodb:CreateBackup")
                .contextEntries(date("aws:CurrentTime", "2019-04-25T11:00:00Z")));

        EvaluationResult result = response.evaluationResults().get(0);
        assertThat(result.evalActionName()).isEqualTo("dynamodb:CreateBackup");
        assertThat(result.evalResourceName()).isEqualTo("*");
        assertThat(result.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
        assertThat(result.matchedStatements()).singleElement().satisfies(statement -> {
            assertThat(statement.sourcePolicyId()).isEqualTo("PolicyInputList.1");
            assertThat(statement.startPosition().line()).isEqualTo(1);
            assertThat(statement.startPosition().column()).isEqualTo(38);
            assertThat(statement.endPosition().column()).isEqualTo(167);
        });
        assertThat(result.missingContextValues()).isEmpty();
        assertThat(response.isTruncated()).isFalse();
    }

    @Test
    void simulateCustomPolicy_awsCliExampleWithAnEarlierDate_isImplicitDeny() {
        EvaluationResult result = iam.simulateCustomPolicy(r -> r
                .policyInputList(DYNAMODB_AFTER_DATE)
                .actionNames("dynamodb:CreateBackup")
                .contextEntries(date("aws:CurrentTime", "2014-04-25T11:00:00Z"))).evaluationResults().get(0);

        assertThat(result.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.IMPLICIT_DENY);
        assertThat(result.matchedStatements()).isEmpty();
    }

    @Test
    void simulateCustomPolicy_explicitDeny_namesTheDenyingStatement() {
        String deny = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"NoDelete\",\"Effect\":\"Deny\","
                + "\"Action\":\"s3:DeleteObject\",\"Resource\":\"*\"}]}";
        String allow = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":\"*\"}]}";

        List<EvaluationResult> results = iam.simulateCustomPolicy(r -> r.policyInputList(allow, deny)
                .actionNames("s3:GetObject", "s3:DeleteObject")).evaluationResults();

        assertThat(results).extracting(EvaluationResult::evalDecision).containsExactly(
                PolicyEvaluationDecisionType.ALLOWED, PolicyEvaluationDecisionType.EXPLICIT_DENY);
        assertThat(results.get(1).matchedStatements()).singleElement().satisfies(statement -> {
            assertThat(statement.sourcePolicyId()).isEqualTo("PolicyInputList.2");
            assertThat(statement.sourcePolicyTypeAsString()).isEqualTo("IAM Policy");
        });
    }

    @Test
    void simulateCustomPolicy_namedResource_reportsMissingKeysPerResource() {
        EvaluationResult result = iam.simulateCustomPolicy(r -> r.policyInputList(DYNAMODB_AFTER_DATE)
                .actionNames("dynamodb:CreateBackup")
                .resourceArns("arn:aws:dynamodb:us-east-1:123456789012:table/orders")).evaluationResults().get(0);

        assertThat(result.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.IMPLICIT_DENY);
        assertThat(result.missingContextValues()).isEmpty();
        assertThat(result.resourceSpecificResults()).singleElement().satisfies(specific -> {
            assertThat(specific.evalResourceName()).isEqualTo("arn:aws:dynamodb:us-east-1:123456789012:table/orders");
            assertThat(specific.missingContextValues()).containsExactly("aws:CurrentTime");
        });
    }

    @Test
    void simulateCustomPolicy_permissionsBoundary_isReportedInItsDetail() {
        String allowAll = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
                + "\"Resource\":\"*\"}]}";
        String boundary = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":\"*\"}]}";

        List<EvaluationResult> results = iam.simulateCustomPolicy(r -> r.policyInputList(allowAll)
                .permissionsBoundaryPolicyInputList(boundary)
                .actionNames("s3:GetObject", "ec2:RunInstances")).evaluationResults();

        assertThat(results.get(0).evalDecision()).isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
        assertThat(results.get(0).permissionsBoundaryDecisionDetail().allowedByPermissionsBoundary()).isTrue();
        assertThat(results.get(1).evalDecision()).isEqualTo(PolicyEvaluationDecisionType.IMPLICIT_DENY);
        assertThat(results.get(1).permissionsBoundaryDecisionDetail().allowedByPermissionsBoundary()).isFalse();
    }

    @Test
    void simulateCustomPolicy_crossAccountResourcePolicy_needsBothSidesAndReportsEach() {
        String allowS3 = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"*\"}]}";
        String bucketPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::123456789012:user/alice\"},\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::shared/*\"}]}";

        EvaluationResult result = iam.simulateCustomPolicy(r -> r.policyInputList(allowS3)
                .actionNames("s3:GetObject")
                .resourceArns("arn:aws:s3:::shared/report.csv")
                .resourcePolicy(bucketPolicy)
                .resourceOwner("arn:aws:iam::210987654321:root")
                .callerArn("arn:aws:iam::123456789012:user/alice")).evaluationResults().get(0);

        assertThat(result.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
        assertThat(result.evalDecisionDetails()).containsEntry("IAM Policy", PolicyEvaluationDecisionType.ALLOWED)
                .containsEntry("Resource Policy", PolicyEvaluationDecisionType.ALLOWED);
        assertThat(result.resourceSpecificResults()).singleElement().satisfies(specific -> assertThat(
                specific.evalDecisionDetails()).as("across accounts, each resource has them too")
                .isEqualTo(result.evalDecisionDetails()));
    }

    @Test
    void simulateCustomPolicy_callerArn_bringsItsGlobalKeys() {
        String ownFolder = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::home/${aws:username}/*\"}]}";

        List<EvaluationResult> results = iam.simulateCustomPolicy(r -> r.policyInputList(ownFolder)
                .actionNames("s3:GetObject")
                .resourceArns("arn:aws:s3:::home/alice/notes.txt", "arn:aws:s3:::home/bob/notes.txt")
                .callerArn("arn:aws:iam::123456789012:user/alice")).evaluationResults();

        assertThat(results).extracting(EvaluationResult::evalDecision).containsExactly(
                PolicyEvaluationDecisionType.ALLOWED, PolicyEvaluationDecisionType.IMPLICIT_DENY);
    }

    @Test
    void simulateCustomPolicy_callerArnOfAStoredUserOrRoleSession_bringsItsUserIdAndRoleArn() {
        String adminId = iam.getUser(r -> r.userName("admin")).user().userId();
        iam.createRole(r -> r.roleName("deployer").path("/team/").assumeRolePolicyDocument("{\"Version\":"
                + "\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"123456789012\"},"
                + "\"Action\":\"sts:AssumeRole\"}]}"));
        String roleId = iam.getRole(r -> r.roleName("deployer")).role().roleId();
        String byUserId = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:userid\":[\"" + adminId + "\",\""
                + roleId + ":ci\"]}}}]}";
        String byRoleArn = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":\"*\",\"Condition\":{\"ArnEquals\":{\"aws:PrincipalArn\":"
                + "\"arn:aws:iam::123456789012:role/team/deployer\"}}}]}";

        assertThat(iam.simulateCustomPolicy(r -> r.policyInputList(byUserId).actionNames("s3:GetObject")
                .callerArn("arn:aws:iam::123456789012:user/admin")).evaluationResults().get(0).evalDecision())
                .isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
        assertThat(iam.simulateCustomPolicy(r -> r.policyInputList(byUserId).actionNames("s3:GetObject")
                .callerArn("arn:aws:sts::123456789012:assumed-role/deployer/ci")).evaluationResults().get(0)
                .evalDecision()).isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
        assertThat(iam.simulateCustomPolicy(r -> r.policyInputList(byRoleArn).actionNames("s3:GetObject")
                .callerArn("arn:aws:sts::123456789012:assumed-role/deployer/ci")).evaluationResults().get(0)
                .evalDecision()).isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
    }

    @Test
    void simulateCustomPolicy_pagesWithMaxItemsAndMarker() {
        String allowAll = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
                + "\"Resource\":\"*\"}]}";

        SimulateCustomPolicyResponse first = iam.simulateCustomPolicy(r -> r.policyInputList(allowAll)
                .actionNames("s3:GetObject", "s3:PutObject", "s3:DeleteObject").maxItems(2));
        SimulateCustomPolicyResponse second = iam.simulateCustomPolicy(r -> r.policyInputList(allowAll)
                .actionNames("s3:GetObject", "s3:PutObject", "s3:DeleteObject").maxItems(2)
                .marker(first.marker()));

        assertThat(first.isTruncated()).isTrue();
        assertThat(first.evaluationResults()).extracting(EvaluationResult::evalActionName)
                .containsExactly("s3:GetObject", "s3:PutObject");
        assertThat(second.isTruncated()).isFalse();
        assertThat(second.evaluationResults()).extracting(EvaluationResult::evalActionName)
                .containsExactly("s3:DeleteObject");
    }

    @Test
    void simulateCustomPolicy_manyActionsOnManyResources_answersEachPageInOrder() {
        String allowAll = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
                + "\"Resource\":\"*\"}]}";
        List<String> actions = IntStream.range(0, 150).mapToObj(i -> "s3:Action" + i).toList();
        List<String> resources = IntStream.range(0, 150).mapToObj(i -> "arn:aws:s3:::bucket/" + i).toList();

        SimulateCustomPolicyResponse first = iam.simulateCustomPolicy(r -> r.policyInputList(allowAll)
                .actionNames(actions).resourceArns(resources).maxItems(1000));
        SimulateCustomPolicyResponse second = iam.simulateCustomPolicy(r -> r.policyInputList(allowAll)
                .actionNames(actions).resourceArns(resources).maxItems(1000).marker(first.marker()));

        assertThat(first.isTruncated()).isTrue();
        assertThat(first.evaluationResults()).hasSize(1000);
        assertThat(second.evaluationResults().get(0)).satisfies(result -> {
            assertThat(result.evalActionName()).isEqualTo("s3:Action6");
            assertThat(result.evalResourceName()).isEqualTo("arn:aws:s3:::bucket/100");
        });
    }

    @Test
    void simulateCustomPolicy_negativeMarker_isValidationError() {
        String marker = Base64.getUrlEncoder().withoutPadding().encodeToString("-5".getBytes(UTF_8));

        IamException e = catchThrowableOfType(IamException.class, () -> iam.simulateCustomPolicy(r -> r
                .policyInputList(DYNAMODB_AFTER_DATE).actionNames("dynamodb:CreateBackup").marker(marker)));

        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Invalid Marker.");
    }

    record Abuse(String name, String pattern, String contextValue, PolicyEvaluationDecisionType decision) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * The abuse run's call (issue 12, item 4): a StringLike pattern of * and 65,000 characters against a 1,000,000-
     * character context value, in a request of about 1 MB. Matching by backtracking took O(pattern × value) steps
     * (90 s of a core); segments found left to right take O(pattern + value), a little more for segments holding ?
     * ({@code WildcardBenchmark} in the benchmarks module gives the figures).
     */
    static Stream<Abuse> abuses() {
        String million = "a".repeat(1_000_000);
        return Stream.of(
                new Abuse("a literal segment that almost matches everywhere", "*" + "a".repeat(64_999) + "b*",
                        million, PolicyEvaluationDecisionType.IMPLICIT_DENY),
                new Abuse("a literal segment found at the very end", "*" + "a".repeat(64_999) + "b",
                        million + "b", PolicyEvaluationDecisionType.ALLOWED),
                new Abuse("thousands of short segments", "*a".repeat(32_500) + "*b*", million,
                        PolicyEvaluationDecisionType.IMPLICIT_DENY),
                new Abuse("a segment of ? and literals that almost matches everywhere",
                        "*" + "a?".repeat(32_499) + "b*", million, PolicyEvaluationDecisionType.IMPLICIT_DENY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("abuses")
    void simulateCustomPolicy_adversarialPatternAgainstAMillionCharacterValue_isAnswered(Abuse c) {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringLike\":{\"aws:RequestTag/note\":\"" + c.pattern()
                + "\"}}}}";

        EvaluationResult result = iam.simulateCustomPolicy(r -> r.policyInputList(policy)
                .actionNames("s3:GetObject")
                .contextEntries(ContextEntry.builder().contextKeyName("aws:RequestTag/note")
                        .contextKeyValues(c.contextValue()).contextKeyType(ContextKeyTypeEnum.STRING).build()))
                .evaluationResults().get(0);

        assertThat(result.evalDecision()).isEqualTo(c.decision());
    }

    @Test
    void simulateCustomPolicy_pageOverTheWorkBudget_isInvalidInputAndASmallerPageIsAnswered() {
        // 200 condition values, each compared with a 20,000-character value: 4,000,000 units an evaluation, so 100
        // evaluations (the default page) are over the budget of 2^26 and 10 are within it.
        String values = IntStream.range(0, 200).mapToObj(i -> "\"*x" + i + "*\"").collect(Collectors.joining(","));
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringLike\":{\"aws:RequestTag/note\":[" + values + "]}}}}";
        ContextEntry note = ContextEntry.builder().contextKeyName("aws:RequestTag/note")
                .contextKeyValues("a".repeat(20_000)).contextKeyType(ContextKeyTypeEnum.STRING).build();
        List<String> actions = IntStream.range(0, 100).mapToObj(i -> "s3:Action" + i).toList();

        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> iam.simulateCustomPolicy(
                r -> r.policyInputList(policy).actionNames(actions).contextEntries(note)));
        SimulateCustomPolicyResponse smaller = iam.simulateCustomPolicy(r -> r.policyInputList(policy)
                .actionNames(actions).contextEntries(note).maxItems(10));

        assertThat(e.awsErrorDetails().errorMessage()).startsWith("The simulation is too large for one call: 100 "
                + "evaluations");
        assertThat(smaller.evaluationResults()).hasSize(10)
                .allSatisfy(result -> assertThat(result.evalDecision())
                        .isEqualTo(PolicyEvaluationDecisionType.IMPLICIT_DENY));
        assertThat(smaller.isTruncated()).isTrue();
    }

    @Test
    void simulateCustomPolicy_malformedPolicy_isInvalidInput() {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> iam.simulateCustomPolicy(
                r -> r.policyInputList("{\"Version\":\"2012-10-17\"").actionNames("s3:GetObject")));

        assertThat(e.statusCode()).isEqualTo(400);
    }

    @Test
    void simulateCustomPolicy_serviceControlPolicies_limitWhatTheIdentityPolicyAllows() {
        String denyAll = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"*\","
                + "\"Resource\":\"*\"}}";

        EvaluationResult result = iam.simulateCustomPolicy(r -> r.policyInputList(DYNAMODB_AFTER_DATE)
                .actionNames("dynamodb:CreateBackup")
                .contextEntries(date("aws:CurrentTime", "2019-04-25T11:00:00Z"))
                .orderedOrganizationPolicyInputList(scp -> scp.serviceControlPolicyInputList(denyAll)))
                .evaluationResults().get(0);

        assertThat(result.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.EXPLICIT_DENY);
        assertThat(result.matchedStatements()).singleElement().satisfies(statement -> assertThat(
                statement.sourcePolicyId())
                .isEqualTo("OrderedOrganizationPolicyInputList.1.ServiceControlPolicyInputList.1"));
        assertThat(result.organizationsDecisionDetail().allowedByOrganizations()).isFalse();
    }

    @Test
    void simulateCustomPolicy_serviceControlPoliciesThatAllow_reportAllowedByOrganizations() {
        String allowAll = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\","
                + "\"Resource\":\"*\"}}";

        EvaluationResult result = iam.simulateCustomPolicy(r -> r.policyInputList(allowAll)
                .actionNames("s3:ListAllMyBuckets")
                .orderedOrganizationPolicyInputList(scp -> scp.serviceControlPolicyInputList(allowAll),
                        scp -> scp.serviceControlPolicyInputList(allowAll)))
                .evaluationResults().get(0);

        assertThat(result.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
        assertThat(result.organizationsDecisionDetail().allowedByOrganizations()).isTrue();
    }

    @Test
    void simulatePrincipalPolicy_theAdminUser_isAllowedByItsInlinePolicy() {
        EvaluationResult result = iam.simulatePrincipalPolicy(r -> r
                .policySourceArn("arn:aws:iam::123456789012:user/admin")
                .actionNames("ec2:RunInstances")).evaluationResults().get(0);

        assertThat(result.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
        assertThat(result.matchedStatements()).singleElement().satisfies(statement -> {
            assertThat(statement.sourcePolicyId()).isEqualTo("user_admin_AdministratorAccess");
            assertThat(statement.sourcePolicyTypeAsString()).isEqualTo("IAM Policy");
        });
    }

    /** The kinds of principal AWS's real responses were recorded for: each with one attached managed policy. */
    enum PrincipalKind { ROLE, GROUP, USER }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PrincipalKind.class)
    void simulatePrincipalPolicy_attachedPolicyOnANamedResource_answersWithEveryMemberAwsSends(PrincipalKind kind) {
        // Spaced as AWS's recorded request was, so that the statement's recorded positions apply.
        String policyArn = iam.createPolicy(r -> r.policyName("put-objects").policyDocument("{\"Version\": "
                + "\"2012-10-17\", \"Statement\": {\"Sid\": \"\", \"Effect\": \"Allow\", \"Action\": "
                + "\"s3:PutObject\", \"Resource\": \"*\"}}")).policy().arn();
        String principalArn = switch (kind) {
            case ROLE -> {
                iam.createRole(r -> r.roleName("simulated").assumeRolePolicyDocument("{\"Version\":\"2012-10-17\","
                        + "\"Statement\":{\"Sid\":\"\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                        + "\"apigateway.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}}"));
                iam.attachRolePolicy(r -> r.roleName("simulated").policyArn(policyArn));
                yield "arn:aws:iam::123456789012:role/simulated";
            }
            case GROUP -> {
                iam.createGroup(r -> r.groupName("simulated"));
                iam.attachGroupPolicy(r -> r.groupName("simulated").policyArn(policyArn));
                yield "arn:aws:iam::123456789012:group/simulated";
            }
            case USER -> {
                iam.createUser(r -> r.userName("simulated"));
                iam.attachUserPolicy(r -> r.userName("simulated").policyArn(policyArn));
                yield "arn:aws:iam::123456789012:user/simulated";
            }
        };

        List<EvaluationResult> results = iam.simulatePrincipalPolicy(r -> r.policySourceArn(principalArn)
                .actionNames("s3:PutObject", "s3:GetObjectVersion").resourceArns("arn:aws:s3:::bucket"))
                .evaluationResults();

        EvaluationResult allowed = results.get(0);
        assertThat(allowed.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
        assertThat(allowed.matchedStatements()).singleElement().satisfies(statement -> {
            assertThat(statement.sourcePolicyId()).isEqualTo("put-objects");
            assertThat(statement.sourcePolicyTypeAsString()).isEqualTo("IAM Policy");
            assertThat(statement.startPosition().column()).isEqualTo(41);
            assertThat(statement.endPosition().column()).isEqualTo(113);
        });
        EvaluationResult denied = results.get(1);
        assertThat(denied.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.IMPLICIT_DENY);
        assertThat(denied.matchedStatements()).isEmpty();
        for (EvaluationResult result : results) {
            assertThat(result.hasEvalDecisionDetails()).as("present, and empty").isTrue();
            assertThat(result.evalDecisionDetails()).isEmpty();
            assertThat(result.organizationsDecisionDetail().allowedByOrganizations()).isTrue();
            assertThat(result.permissionsBoundaryDecisionDetail()).isNull();
            assertThat(result.resourceSpecificResults()).singleElement().satisfies(specific -> {
                assertThat(specific.evalResourceName()).isEqualTo("arn:aws:s3:::bucket");
                assertThat(specific.evalResourceDecision()).isEqualTo(result.evalDecision());
                assertThat(specific.matchedStatements()).isEqualTo(result.matchedStatements());
                assertThat(specific.hasEvalDecisionDetails()).isFalse();
            });
        }
    }

    @Test
    void simulateCustomPolicy_allResources_leavesOutEvalDecisionDetails_butNotTheOrganizationsDetail() {
        EvaluationResult result = iam.simulateCustomPolicy(r -> r.policyInputList(DYNAMODB_AFTER_DATE)
                .actionNames("dynamodb:CreateBackup")).evaluationResults().get(0);

        assertThat(result.hasEvalDecisionDetails()).isFalse();
        assertThat(result.organizationsDecisionDetail().allowedByOrganizations()).isTrue();
        assertThat(result.hasResourceSpecificResults()).isFalse();
    }

    @Test
    void simulate_sourcePolicyType_isWhatAwsSends_forInlineResourceAndBoundaryStatements() {
        iam.createUser(r -> r.userName("carol"));
        iam.putUserPolicy(r -> r.userName("carol").policyName("own").policyDocument("{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:DeleteObject\",\"Resource\":\"*\"}]}"));
        String bucketPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":"
                + "\"*\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::shared/*\"}]}";
        String boundary = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
                + "\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";

        List<EvaluationResult> results = iam.simulatePrincipalPolicy(r -> r
                .policySourceArn("arn:aws:iam::123456789012:user/carol")
                .permissionsBoundaryPolicyInputList(boundary)
                .actionNames("s3:DeleteObject", "s3:PutObject", "s3:GetObject")
                .resourceArns("arn:aws:s3:::shared/file")
                .resourcePolicy(bucketPolicy)).evaluationResults();

        assertThat(results).extracting(EvaluationResult::evalDecision)
                .containsOnly(PolicyEvaluationDecisionType.EXPLICIT_DENY);
        assertThat(results.get(0).matchedStatements()).singleElement().satisfies(statement -> {
            assertThat(statement.sourcePolicyId()).isEqualTo("user_carol_own");
            assertThat(statement.sourcePolicyTypeAsString()).isEqualTo("IAM Policy");
        });
        assertThat(results.get(1).matchedStatements()).singleElement().satisfies(statement -> {
            assertThat(statement.sourcePolicyId()).isEqualTo("ResourcePolicy");
            assertThat(statement.sourcePolicyTypeAsString()).isEqualTo("Resource Policy");
        });
        assertThat(results.get(2).matchedStatements()).singleElement().satisfies(statement -> {
            assertThat(statement.sourcePolicyId()).isEqualTo("PermissionsBoundaryPolicyInputList.1");
            assertThat(statement.sourcePolicyTypeAsString()).isEqualTo("Permissions Boundary Policy");
        });
    }

    private static final String READ_OBJECTS = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";
    private static final String ALLOW_ALL = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"*\",\"Resource\":\"*\"}]}";
    private static final String DENY_DELETE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
            + "\"Action\":\"s3:DeleteObject\",\"Resource\":\"*\"}]}";
    private static final String S3_ONLY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";
    private static final String DANA = "arn:aws:iam::123456789012:user/team/dana";

    /**
     * Dana (path {@code /team/}) reads objects through the customer managed policy {@code read-objects} (path
     * {@code /team/}, the only policy that allows it), may do anything through her inline policy {@code own} except
     * delete objects, which her group {@code ops-eu} denies inline, and has {@code s3-only} as permissions boundary
     * when {@code bounded}.
     */
    private void storeDana(boolean bounded) {
        iam.createUser(r -> r.userName("dana").path("/team/"));
        String readObjects = iam.createPolicy(r -> r.policyName("read-objects").path("/team/")
                .policyDocument(READ_OBJECTS)).policy().arn();
        iam.attachUserPolicy(r -> r.userName("dana").policyArn(readObjects));
        iam.createGroup(r -> r.groupName("ops-eu"));
        iam.addUserToGroup(r -> r.groupName("ops-eu").userName("dana"));
        iam.putGroupPolicy(r -> r.groupName("ops-eu").policyName("NoDelete").policyDocument(DENY_DELETE));
        if (bounded) {
            String s3Only = iam.createPolicy(r -> r.policyName("s3-only").policyDocument(S3_ONLY)).policy().arn();
            iam.putUserPermissionsBoundary(r -> r.userName("dana").permissionsBoundary(s3Only));
        } else {
            iam.putUserPolicy(r -> r.userName("dana").policyName("own").policyDocument(ALLOW_ALL));
        }
    }

    private List<EvaluationResult> simulateDana(List<String> actions, PolicyIdentifier... exclusions) {
        return iam.simulatePrincipalPolicy(r -> r.policySourceArn(DANA).actionNames(actions)
                .resourceArns("arn:aws:s3:::bucket/key").policyExclusionList(exclusions)).evaluationResults();
    }

    private static PolicyIdentifier type(PolicyIdentifierPolicyType type) {
        return PolicyIdentifier.builder().policyType(type).build();
    }

    private static PolicyIdentifier arn(String policyArn) {
        return PolicyIdentifier.builder().policyArn(policyArn).build();
    }

    private static PolicyIdentifier inline(String policyName, AttachmentType type, String attachmentName) {
        return PolicyIdentifier.builder().inlinePolicyIdentifier(InlinePolicyIdentifierType.builder()
                .policyName(policyName).attachmentType(type).attachmentName(attachmentName).build()).build();
    }

    /** Identifiers that name Dana's {@code read-objects}; AWS matches a managed policy's ARN without its path. */
    static Stream<Arguments> identifiersOfTheAllowingPolicy() {
        return Stream.of(
                Arguments.of("its ARN without the path", arn("arn:aws:iam::123456789012:policy/read-objects")),
                Arguments.of("its ARN with a * in the name", arn("arn:aws:iam::123456789012:policy/read-*")),
                Arguments.of("its ARN with ? in the name", arn("arn:aws:iam::123456789012:policy/read-object?")),
                Arguments.of("its type, user-managed", type(PolicyIdentifierPolicyType.USER_MANAGED)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identifiersOfTheAllowingPolicy")
    void simulatePrincipalPolicy_excludingTheOnlyAllowingPolicy_turnsAllowedIntoImplicitDeny(String name,
            PolicyIdentifier exclusion) {
        storeDana(/* bounded= */ true);

        EvaluationResult before = simulateDana(List.of("s3:GetObject")).get(0);
        EvaluationResult after = simulateDana(List.of("s3:GetObject"), exclusion).get(0);

        assertThat(before.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
        assertThat(before.matchedStatements()).extracting(Statement::sourcePolicyId).containsExactly("read-objects");
        assertThat(after.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.IMPLICIT_DENY);
        assertThat(after.matchedStatements()).isEmpty();
        assertThat(after.evalDecisionDetails()).isEmpty();
        assertThat(after.resourceSpecificResults()).singleElement().satisfies(specific -> {
            assertThat(specific.evalResourceDecision()).isEqualTo(PolicyEvaluationDecisionType.IMPLICIT_DENY);
            assertThat(specific.matchedStatements()).isEmpty();
        });
        assertThat(after.permissionsBoundaryDecisionDetail().allowedByPermissionsBoundary())
                .as("a policy ARN or type leaves the boundary in place").isTrue();
    }

    @Test
    void simulatePrincipalPolicy_excludingAGroupsDenyByWildcardAttachmentName_turnsExplicitDenyIntoAllowed() {
        storeDana(/* bounded= */ false);

        EvaluationResult before = simulateDana(List.of("s3:DeleteObject")).get(0);
        EvaluationResult after = simulateDana(List.of("s3:DeleteObject"),
                inline("NoDelete", AttachmentType.GROUP, "ops-*")).get(0);

        assertThat(before.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.EXPLICIT_DENY);
        assertThat(before.matchedStatements()).extracting(Statement::sourcePolicyId)
                .containsExactly("group_ops-eu_NoDelete");
        assertThat(after.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
        assertThat(after.matchedStatements()).extracting(Statement::sourcePolicyId).containsExactly("user_dana_own");
        assertThat(after.resourceSpecificResults()).singleElement().satisfies(specific ->
                assertThat(specific.matchedStatements()).extracting(Statement::sourcePolicyId)
                        .containsExactly("user_dana_own"));
    }

    @Test
    void simulatePrincipalPolicy_excludingTheBoundaryByType_liftsItsLimit_butNotABoundaryTheRequestGives() {
        storeDana(/* bounded= */ true);
        iam.putUserPolicy(r -> r.userName("dana").policyName("own").policyDocument(ALLOW_ALL));
        PolicyIdentifier boundary = type(PolicyIdentifierPolicyType.PERMISSION_BOUNDARY);

        EvaluationResult before = simulateDana(List.of("ec2:RunInstances")).get(0);
        EvaluationResult after = simulateDana(List.of("ec2:RunInstances"), boundary).get(0);
        EvaluationResult given = iam.simulatePrincipalPolicy(r -> r.policySourceArn(DANA)
                .actionNames("ec2:RunInstances").permissionsBoundaryPolicyInputList(READ_OBJECTS)
                .policyExclusionList(boundary)).evaluationResults().get(0);

        assertThat(before.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.IMPLICIT_DENY);
        assertThat(before.permissionsBoundaryDecisionDetail().allowedByPermissionsBoundary()).isFalse();
        assertThat(after.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
        assertThat(after.permissionsBoundaryDecisionDetail()).isNull();
        assertThat(after.matchedStatements()).extracting(Statement::sourcePolicyId).containsExactly("user_dana_own");
        assertThat(given.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.IMPLICIT_DENY);
        assertThat(given.permissionsBoundaryDecisionDetail().allowedByPermissionsBoundary()).isFalse();
    }

    @Test
    void simulatePrincipalPolicy_inlineIdentifier_excludesOnlyItsGroupsPolicy_whenTwoGroupsPoliciesShareALabel() {
        // Group "a" policy "b_x" and group "a_b" policy "x" are both reported as group_a_b_x.
        iam.createUser(r -> r.userName("gus"));
        iam.putUserPolicy(r -> r.userName("gus").policyName("own").policyDocument(ALLOW_ALL));
        for (String group : List.of("a", "a_b")) {
            iam.createGroup(r -> r.groupName(group));
            iam.addUserToGroup(r -> r.groupName(group).userName("gus"));
        }
        iam.putGroupPolicy(r -> r.groupName("a").policyName("b_x").policyDocument(DENY_DELETE));
        iam.putGroupPolicy(r -> r.groupName("a_b").policyName("x").policyDocument("{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:PutObject\",\"Resource\":\"*\"}]}"));

        List<EvaluationResult> results = iam.simulatePrincipalPolicy(r -> r
                .policySourceArn("arn:aws:iam::123456789012:user/gus")
                .actionNames("s3:DeleteObject", "s3:PutObject")
                .policyExclusionList(inline("x", AttachmentType.GROUP, "a_b"))).evaluationResults();

        assertThat(results).extracting(EvaluationResult::evalDecision).containsExactly(
                PolicyEvaluationDecisionType.EXPLICIT_DENY, PolicyEvaluationDecisionType.ALLOWED);
        assertThat(results.get(0).matchedStatements()).extracting(Statement::sourcePolicyId)
                .containsExactly("group_a_b_x");
        assertThat(results.get(1).matchedStatements()).extracting(Statement::sourcePolicyId)
                .containsExactly("user_gus_own");
    }

    @Test
    void simulatePrincipalPolicy_roleInlinePolicyByName_isExcluded() {
        iam.createRole(r -> r.roleName("deployer").assumeRolePolicyDocument("{\"Version\":\"2012-10-17\","
                + "\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},"
                + "\"Action\":\"sts:AssumeRole\"}}"));
        iam.putRolePolicy(r -> r.roleName("deployer").policyName("reads").policyDocument(READ_OBJECTS));

        EvaluationResult result = iam.simulatePrincipalPolicy(r -> r
                .policySourceArn("arn:aws:iam::123456789012:role/deployer").actionNames("s3:GetObject")
                .policyExclusionList(inline("reads", AttachmentType.ROLE, "deploy?r"))).evaluationResults().get(0);

        assertThat(result.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.IMPLICIT_DENY);
        assertThat(result.matchedStatements()).isEmpty();
    }

    /** Well-formed identifiers that name none of Dana's policies: AWS ignores them. */
    static Stream<Arguments> identifiersOfNoPolicy() {
        return Stream.of(
                Arguments.of("another policy's ARN", arn("arn:aws:iam::123456789012:policy/write-objects")),
                Arguments.of("the policy's ARN with its path, as AWS answers",
                        arn("arn:aws:iam::123456789012:policy/team/read-objects")),
                Arguments.of("its name in another account", arn("arn:aws:iam::999999999999:policy/read-objects")),
                Arguments.of("an AWS managed policy not attached", arn("arn:aws:iam::aws:policy/ReadOnlyAccess")),
                Arguments.of("an inline policy of another group", inline("NoDelete", AttachmentType.GROUP, "dev-*")),
                Arguments.of("the group's policy named as a user's", inline("NoDelete", AttachmentType.USER, "d*")),
                Arguments.of("an inline policy name the group lacks", inline("NoPut", AttachmentType.GROUP, "ops-eu")),
                Arguments.of("AWS managed policies, of which Dana has none",
                        type(PolicyIdentifierPolicyType.AWS_MANAGED)),
                Arguments.of("resource control policies, which are not simulated",
                        type(PolicyIdentifierPolicyType.RCP)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identifiersOfNoPolicy")
    void simulatePrincipalPolicy_identifierThatNamesNoPolicy_changesNothing(String name, PolicyIdentifier exclusion) {
        storeDana(/* bounded= */ false);
        List<String> actions = List.of("s3:GetObject", "s3:DeleteObject", "ec2:RunInstances");

        assertThat(simulateDana(actions, exclusion)).isEqualTo(simulateDana(actions));
    }

    @Test
    void simulatePrincipalPolicy_excludingServiceControlPolicies_leavesOutTheOrganizationsDetail() {
        storeDana(/* bounded= */ false);

        EvaluationResult result = simulateDana(List.of("s3:GetObject"), type(PolicyIdentifierPolicyType.SCP)).get(0);

        assertThat(result.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
        assertThat(result.organizationsDecisionDetail()).isNull();
    }

    /**
     * Malformed identifiers, each sent second in its list, and the error and message they get: AWS's own where its
     * real answers give one (the inline identifier's message, even though it names members that are there, and the
     * unanchored pattern), IAM's usual {@code ARN … is not valid.} for a malformed ARN, ours naming the member for a
     * character no name may hold and for a union with two members (AWS's SDKs refuse it before sending).
     */
    static Stream<Arguments> malformedIdentifiers() {
        String inlineMessage = "Invalid inline policy exclusion: policyName, attachmentType, and attachmentName are "
                + "required";
        return Stream.of(
                Arguments.of("a wildcard in an inline policy's name", inline("No*", AttachmentType.GROUP, "ops-eu"),
                        "InvalidInput", inlineMessage),
                Arguments.of("two * in an entity name", inline("NoDelete", AttachmentType.GROUP, "o*-*"),
                        "InvalidInput", inlineMessage),
                Arguments.of("a / in an entity name, which AWS's words for it are not on record for",
                        inline("NoDelete", AttachmentType.GROUP, "ops/eu"), "InvalidInput",
                        "Invalid inline policy exclusion: attachmentName 'ops/eu' may hold only letters, digits, "
                                + "+=,.@_- and the wildcards * and ?, at most 128 of them."),
                Arguments.of("a space in an inline policy's name, which AWS's words for it are not on record for",
                        inline("No Delete", AttachmentType.GROUP, "ops-eu"), "InvalidInput",
                        "Invalid inline policy exclusion: policyName 'No Delete' may hold only letters, digits and "
                                + "+=,.@_-, at most 128 of them."),
                Arguments.of("an inline policy's name of wildcards only", inline("*", AttachmentType.GROUP, "ops-eu"),
                        "ValidationError", "1 validation error detected: Value at "
                                + "'policyExclusionList.2.member.inlinePolicyIdentifier.policyName' failed to "
                                + "satisfy constraint: Member must satisfy regular expression pattern: "
                                + ".*[\\w+=,.@-]+.*"),
                Arguments.of("two * in a policy ARN's name", arn("arn:aws:iam::123456789012:policy/*read*"),
                        "InvalidInput", "ARN arn:aws:iam::123456789012:policy/*read* is not valid."),
                Arguments.of("a wildcard in a policy ARN's account", arn("arn:aws:iam::12345678901?:policy/read"),
                        "InvalidInput", "ARN arn:aws:iam::12345678901?:policy/read is not valid."),
                Arguments.of("an ARN of no policy", arn("arn:aws:iam::123456789012:user/dana"),
                        "InvalidInput", "ARN arn:aws:iam::123456789012:user/dana is not valid."),
                Arguments.of("an entity name of wildcards only", inline("NoDelete", AttachmentType.GROUP, "*"),
                        "ValidationError", "1 validation error detected: Value at "
                                + "'policyExclusionList.2.member.inlinePolicyIdentifier.attachmentName' failed to "
                                + "satisfy constraint: Member must satisfy regular expression pattern: "
                                + ".*[\\w+=,.@-]+.*"),
                Arguments.of("a union with two members", PolicyIdentifier.builder()
                        .policyType(PolicyIdentifierPolicyType.INLINE)
                        .policyArn("arn:aws:iam::123456789012:policy/read-objects").build(),
                        "InvalidInput", "Invalid policy exclusion: exactly one of policyType, policyArn, and "
                                + "inlinePolicyIdentifier is required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedIdentifiers")
    void simulatePrincipalPolicy_malformedIdentifier_isRefusedBeforeSimulating(String name,
            PolicyIdentifier exclusion, String errorCode, String message) {
        storeDana(/* bounded= */ false);

        IamException e = catchThrowableOfType(IamException.class, () -> simulateDana(List.of("s3:GetObject"),
                // A valid identifier first: one malformed identifier anywhere refuses the whole request.
                type(PolicyIdentifierPolicyType.RCP), exclusion));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo(errorCode);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
    }

    @Test
    void simulatePrincipalPolicy_moreThan256Exclusions_isValidationError() {
        PolicyIdentifier[] exclusions = Stream.generate(() -> type(PolicyIdentifierPolicyType.RCP)).limit(257)
                .toArray(PolicyIdentifier[]::new);

        IamException e = catchThrowableOfType(IamException.class, () -> iam.simulatePrincipalPolicy(r -> r
                .policySourceArn("arn:aws:iam::123456789012:user/admin").actionNames("s3:GetObject")
                .policyExclusionList(exclusions)));

        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
    }

    @Test
    void simulatePrincipalPolicy_unknownUser_isNoSuchEntity() {
        NoSuchEntityException e = catchThrowableOfType(NoSuchEntityException.class, () -> iam.simulatePrincipalPolicy(
                r -> r.policySourceArn("arn:aws:iam::123456789012:user/nobody").actionNames("s3:GetObject")));

        assertThat(e.statusCode()).isEqualTo(404);
    }

    @Test
    void getContextKeysForCustomPolicy_listsTheConditionKeys() {
        assertThat(iam.getContextKeysForCustomPolicy(r -> r.policyInputList(DYNAMODB_AFTER_DATE)).contextKeyNames())
                .containsExactly("aws:CurrentTime");
    }

    /** The AWS CLI's example of get-context-keys-for-custom-policy: its answer lists the keys unsorted. */
    @Test
    void getContextKeysForCustomPolicy_listsTheKeysInTheDocumentsOrder_asTheAwsCliExampleShows() {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":"
                + "\"dynamodb:*\",\"Resource\":\"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}\","
                + "\"Condition\":{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2015-08-16T12:00:00Z\"}}}}";

        assertThat(iam.getContextKeysForCustomPolicy(r -> r.policyInputList(policy)).contextKeyNames())
                .containsExactly("aws:username", "aws:CurrentTime");
    }

    @Test
    void getContextKeysForPrincipalPolicy_ofTheAdmin_isEmpty() {
        assertThat(iam.getContextKeysForPrincipalPolicy(r -> r.policySourceArn(
                "arn:aws:iam::123456789012:user/admin")).contextKeyNames()).isEmpty();
    }

    @Test
    void simulatePrincipalPolicy_withoutPermission_isAccessDenied() {
        IamException e = catchThrowableOfType(IamException.class, () -> unprivileged().simulateCustomPolicy(
                r -> r.policyInputList(DYNAMODB_AFTER_DATE).actionNames("dynamodb:CreateBackup")));

        assertThat(e.statusCode()).isEqualTo(403);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
    }

    private IamClient unprivileged() {
        iam.createUser(r -> r.userName("nobody"));
        var key = iam.createAccessKey(r -> r.userName("nobody")).accessKey();
        return SdkClients.iam(node, AwsBasicCredentials.create(
                        key.accessKeyId(), key.secretAccessKey()));
    }
}
