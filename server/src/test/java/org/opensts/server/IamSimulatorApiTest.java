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
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.AccessKeyCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ContextEntry;
import software.amazon.awssdk.services.iam.model.ContextKeyTypeEnum;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.InvalidInputException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;
import software.amazon.awssdk.services.iam.model.SimulateCustomPolicyResponse;

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
        String ownFolder = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::home/${aws:username}/*\"}]}";

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
