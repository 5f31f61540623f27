package org.opensts.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opensts.sts.StsFixture.ACCOUNT;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.Group;
import org.opensts.iam.ManagedPolicy;
import org.opensts.iam.PolicyOwner;
import org.opensts.iam.Tag;
import org.opensts.iam.User;
import org.opensts.policy.Decision;
import org.opensts.policy.EvalDecision;
import org.opensts.policy.SourcePolicyType;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.AccessKeyIds;
import org.opensts.token.CredentialMinter;
import org.opensts.token.Session;
import org.opensts.token.TemporaryCredentials;

/** Which policies speak for a caller: its own, its groups', attached managed ones, its boundary, its session's. */
class AuthorizerTest {
    private static final String ALLOW_S3_READ = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
    private static final String ALLOW_ALL_S3 = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""";

    private final StsFixture fixture = new StsFixture();
    private final AccessKeyCredentials alice = fixture.user("alice");
    private final User aliceUser = fixture.iam.users().getUser(ACCOUNT, "alice");

    @AfterEach
    void close() {
        fixture.close();
    }

    private Decision decide(CallerIdentity caller, String action) {
        return fixture.sts.authorizer().evaluate(caller, action, "arn:aws:s3:::bucket/key", Optional.empty(),
                fixture.sts.authorizer().baseContext(caller, fixture.metadata()).build(), Optional.empty());
    }

    private ManagedPolicy customerPolicy(String name, String document) {
        var policy = new ManagedPolicy(ACCOUNT, AccessKeyIds.newUniqueId("ANPA", fixture.random),
                name, "/", "v1", Optional.empty(), Instant.EPOCH, Instant.EPOCH, List.of(), 0, 0);
        fixture.store.write(writer -> {
            writer.createManagedPolicy(policy, document);
            return null;
        });
        return policy;
    }

    @Test
    void userWithoutPolicies_isImplicitlyDenied() {
        assertThat(decide(fixture.callerOf(alice), "s3:GetObject").decision()).isEqualTo(EvalDecision.IMPLICIT_DENY);
    }

    @Test
    void groupInlinePolicy_speaksForItsMembers() {
        var group = new Group(ACCOUNT, "AGPAEXAMPLE0000000001", "readers", "/", Instant.EPOCH);
        fixture.store.write(writer -> {
            writer.createGroup(group);
            writer.addUserToGroup(group.groupId(), aliceUser.userId());
            writer.putInlinePolicy(new PolicyOwner(PolicyOwner.Kind.GROUP, group.groupId()),
                    new org.opensts.iam.InlinePolicy("read", ALLOW_S3_READ));
            return null;
        });

        Decision decision = decide(fixture.callerOf(alice), "s3:GetObject");

        assertThat(decision.decision()).isEqualTo(EvalDecision.ALLOWED);
        assertThat(decision.matchedStatements()).singleElement()
                .satisfies(statement -> assertThat(statement.source().type()).isEqualTo(SourcePolicyType.GROUP));
    }

    @Test
    void attachedCustomerManagedPolicy_speaksForTheUser() {
        ManagedPolicy policy = customerPolicy("reader", ALLOW_S3_READ);
        fixture.store.write(writer -> {
            writer.attachPolicy(PolicyOwner.of(aliceUser), policy.policyId());
            return null;
        });

        Decision decision = decide(fixture.callerOf(alice), "s3:GetObject");

        assertThat(decision.decision()).isEqualTo(EvalDecision.ALLOWED);
        assertThat(decision.matchedStatements()).singleElement().satisfies(statement -> {
            assertThat(statement.source().id()).isEqualTo(policy.policyName());
            assertThat(statement.source().type()).isEqualTo(SourcePolicyType.USER_MANAGED);
        });
    }

    @Test
    void attachedAwsManagedAdministratorAccess_allowsEverything() {
        ManagedPolicy administrator = fixture.store.findManagedPolicy("aws", "AdministratorAccess").orElseThrow();
        fixture.store.write(writer -> {
            writer.attachPolicy(PolicyOwner.of(aliceUser), administrator.policyId());
            return null;
        });

        assertThat(decide(fixture.callerOf(alice), "ec2:RunInstances").decision()).isEqualTo(EvalDecision.ALLOWED);
    }

    @Test
    void permissionsBoundary_limitsWhatTheIdentityPoliciesAllow() {
        ManagedPolicy boundary = customerPolicy("boundary", ALLOW_S3_READ);
        fixture.iam.users().putUserPolicy(ACCOUNT, "alice", "s3", ALLOW_ALL_S3);
        fixture.store.write(writer -> {
            writer.updateUser(new User(aliceUser.accountId(), aliceUser.userId(), aliceUser.userName(),
                    aliceUser.path(), aliceUser.createDate(), Optional.of(boundary.arn()), aliceUser.tags()));
            return null;
        });

        CallerIdentity caller = fixture.callerOf(alice);
        assertThat(decide(caller, "s3:GetObject").decision()).isEqualTo(EvalDecision.ALLOWED);
        assertThat(decide(caller, "s3:PutObject").decision()).isEqualTo(EvalDecision.IMPLICIT_DENY);
    }

    @Test
    void roleSessionWithManagedSessionPolicy_isLimitedToIt() {
        ManagedPolicy narrow = customerPolicy("narrow", ALLOW_S3_READ);
        fixture.role("wide", StsFixture.trusting(StsFixture.userArn("alice")), ALLOW_ALL_S3);
        fixture.iam.users().putUserPolicy(ACCOUNT, "alice", "assume", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}""");
        var request = new AssumeRoleRequest(StsFixture.roleArn("wide"), "narrowed", List.of(narrow.arn()),
                Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), false);
        CallerIdentity session = fixture.callerOf(fixture.assumeRole(fixture.callerOf(alice), request).credentials());

        assertThat(decide(session, "s3:GetObject").decision()).isEqualTo(EvalDecision.ALLOWED);
        assertThat(decide(session, "s3:PutObject").decision()).isEqualTo(EvalDecision.IMPLICIT_DENY);
    }

    @Test
    void awsDenyBySourceIpExample_deniesADirectCallFromOutsideTheRanges() {
        // "AWS: Denies access to AWS based on the source IP" (IAM User Guide, example policies): the Deny must apply
        // to a call the principal makes itself, for which aws:ViaAWSService is false. The fixture calls from
        // 192.0.2.10.
        fixture.iam.users().putUserPolicy(ACCOUNT, "alice", "guard", """
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":"s3:*","Resource":"*"},
                  {"Effect":"Deny","Action":"*","Resource":"*","Condition":{
                    "NotIpAddress":{"aws:SourceIp":["198.51.100.0/24","203.0.113.0/24"]},
                    "Bool":{"aws:ViaAWSService":"false"}}}]}""");

        assertThat(decide(fixture.callerOf(alice), "s3:GetObject").decision())
                .isEqualTo(EvalDecision.EXPLICIT_DENY);
    }

    @Test
    void principalIsAwsService_isFalseForEverySignedCaller() {
        fixture.iam.users().putUserPolicy(ACCOUNT, "alice", "only-people", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
                  "Condition":{"Bool":{"aws:PrincipalIsAWSService":"false","aws:ViaAWSService":"false"}}}]}""");

        assertThat(decide(fixture.callerOf(alice), "s3:GetObject").decision()).isEqualTo(EvalDecision.ALLOWED);
    }

    @Test
    void authorize_deniedAction_isAccessDeniedNamingActionResourceAndReason() {
        ApiException e = org.assertj.core.api.Assertions.catchThrowableOfType(ApiException.class,
                () -> fixture.sts.authorizer().authorize(fixture.callerOf(alice), fixture.metadata(),
                        "iam:CreateUser", "arn:aws:iam::123456789012:user/bob"));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage()).startsWith("User: arn:aws:iam::123456789012:user/alice is not authorized to "
                + "perform: iam:CreateUser on resource: user bob because no identity-based policy allows the "
                + "iam:CreateUser action. Encoded authorization failure message: ");
    }

    // ---- sessions of deleted principals: they get nothing, not even from a namesake

    private static final String ALLOW_GET_FEDERATION_TOKEN = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetFederationToken",\
            "Resource":"*"}]}""";

    private TemporaryCredentials sessionTokenOf(AccessKeyCredentials key) {
        return fixture.sts.getSessionToken(fixture.callerOf(key),
                new GetSessionTokenRequest(Optional.empty(), Optional.empty(), Optional.empty()));
    }

    private TemporaryCredentials federatedUserOf(AccessKeyCredentials key, String sessionPolicy) {
        return fixture.sts.getFederationToken(fixture.callerOf(key), fixture.metadata(),
                new GetFederationTokenRequest("fed", Optional.of(sessionPolicy), List.of(), Optional.empty(),
                        List.of())).credentials();
    }

    @Test
    void sessionOfADeletedUser_hasNoPermissions_evenOnceANamesakeWithMoreExists() {
        AccessKeyCredentials u5 = fixture.user("u5", ALLOW_S3_READ);
        TemporaryCredentials session = sessionTokenOf(u5);
        assertThat(decide(fixture.callerOf(session), "s3:GetObject").decision()).isEqualTo(EvalDecision.ALLOWED);

        fixture.deleteUser("u5");

        CallerIdentity orphan = fixture.callerOf(session);
        assertThat(orphan.user()).isEmpty();
        assertThat(decide(orphan, "s3:GetObject").decision()).isEqualTo(EvalDecision.IMPLICIT_DENY);

        fixture.user(ACCOUNT, "u5", List.of(new Tag("Team", "namesake")), StsFixture.ALLOW_ALL);

        CallerIdentity stillOrphan = fixture.callerOf(session);
        assertThat(stillOrphan.user()).isEmpty();
        assertThat(decide(stillOrphan, "s3:GetObject").decision()).isEqualTo(EvalDecision.IMPLICIT_DENY);
        assertThat(decide(stillOrphan, "ec2:RunInstances").decision()).isEqualTo(EvalDecision.IMPLICIT_DENY);
        assertThat(fixture.sts.authorizer().principalTags(stillOrphan)).isEmpty();
    }

    @Test
    void federatedUserOfADeletedIssuer_hasNoPermissions_evenOnceANamesakeWithMoreExists() {
        AccessKeyCredentials u4 = fixture.user("u4", ALLOW_S3_READ, ALLOW_GET_FEDERATION_TOKEN);
        TemporaryCredentials federated = federatedUserOf(u4, StsFixture.ALLOW_ALL);
        assertThat(decide(fixture.callerOf(federated), "s3:GetObject").decision()).isEqualTo(EvalDecision.ALLOWED);

        fixture.deleteUser("u4");

        assertThat(decide(fixture.callerOf(federated), "s3:GetObject").decision())
                .isEqualTo(EvalDecision.IMPLICIT_DENY);

        fixture.user(ACCOUNT, "u4", List.of(new Tag("Team", "namesake")), StsFixture.ALLOW_ALL);

        CallerIdentity caller = fixture.callerOf(federated);
        assertThat(decide(caller, "s3:GetObject").decision()).isEqualTo(EvalDecision.IMPLICIT_DENY);
        assertThat(decide(caller, "ec2:RunInstances").decision()).isEqualTo(EvalDecision.IMPLICIT_DENY);
        assertThat(fixture.sts.authorizer().principalTags(caller)).doesNotContainKey("Team");
    }

    @Test
    void federatedUserWhoseTokenDoesNotNameItsIssuersId_hasNoPermissionsOfTheIssuer() {
        AccessKeyCredentials u4 = fixture.user("u4", ALLOW_S3_READ, ALLOW_GET_FEDERATION_TOKEN);
        Session issued = fixture.callerOf(federatedUserOf(u4, StsFixture.ALLOW_ALL)).session().orElseThrow();
        // As a token sealed before tokens carried the issuer's id opens: the issuer's name alone could be a namesake's.
        TemporaryCredentials legacy = new CredentialMinter(fixture.keyRing.codec(), fixture.random)
                .mint(issued.toBuilder().accessKeyId(null).sourceUniqueId(null));

        assertThat(fixture.callerOf(legacy).session().orElseThrow().sourceUniqueId()).isEmpty();
        assertThat(decide(fixture.callerOf(legacy), "s3:GetObject").decision()).isEqualTo(EvalDecision.IMPLICIT_DENY);
    }

    @Test
    void sessionOfADeletedRole_hasNoPermissions_evenOnceANamesakeWithMoreExists() {
        fixture.iam.users().putUserPolicy(ACCOUNT, "alice", "assume", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}""");
        fixture.role("r5", StsFixture.trusting(StsFixture.userArn("alice")), ALLOW_S3_READ);
        TemporaryCredentials session = fixture.assumeRole(fixture.callerOf(alice),
                AssumeRoleRequest.of(StsFixture.roleArn("r5"), "s1")).credentials();
        assertThat(decide(fixture.callerOf(session), "s3:GetObject").decision()).isEqualTo(EvalDecision.ALLOWED);

        fixture.deleteRole("r5");

        assertThat(decide(fixture.callerOf(session), "s3:GetObject").decision())
                .isEqualTo(EvalDecision.IMPLICIT_DENY);

        fixture.role(ACCOUNT, "r5", StsFixture.trusting(StsFixture.userArn("alice")), 3600,
                List.of(new Tag("Team", "namesake")), StsFixture.ALLOW_ALL);

        CallerIdentity caller = fixture.callerOf(session);
        assertThat(decide(caller, "s3:GetObject").decision()).isEqualTo(EvalDecision.IMPLICIT_DENY);
        assertThat(decide(caller, "ec2:RunInstances").decision()).isEqualTo(EvalDecision.IMPLICIT_DENY);
        assertThat(fixture.sts.authorizer().principalTags(caller)).doesNotContainKey("Team");
    }

    @Test
    void sessionOfARenamedUser_keepsTheUsersPermissions() {
        AccessKeyCredentials u6 = fixture.user("u6", ALLOW_S3_READ);
        TemporaryCredentials session = sessionTokenOf(u6);

        fixture.iam.users().updateUser(ACCOUNT, "u6", Optional.of("u6-renamed"), Optional.empty());

        CallerIdentity caller = fixture.callerOf(session);
        assertThat(caller.user().map(User::userName)).contains("u6-renamed");
        assertThat(decide(caller, "s3:GetObject").decision()).isEqualTo(EvalDecision.ALLOWED);
    }
}
