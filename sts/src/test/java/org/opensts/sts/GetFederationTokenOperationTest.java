package org.opensts.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opensts.sts.StsFixture.ACCOUNT;
import static org.opensts.sts.StsFixture.ALLOW_ALL;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.policy.EvalDecision;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.SessionTag;
import org.opensts.token.TemporaryCredentials;

class GetFederationTokenOperationTest {
    private static final String ALLOW_S3_READ = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
    private static final String ALLOW_S3 = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""";

    private final StsFixture fixture = new StsFixture();
    private final AccessKeyCredentials alice = fixture.user("alice", ALLOW_ALL);

    @AfterEach
    void close() {
        fixture.close();
    }

    private GetFederationTokenResponse federate(AccessKeyCredentials key, GetFederationTokenRequest request) {
        return fixture.sts.getFederationToken(fixture.callerOf(key), fixture.metadata(), request);
    }

    private static GetFederationTokenRequest request(String name, Optional<String> policy) {
        return new GetFederationTokenRequest(name, policy, List.of(), Optional.empty(), List.of());
    }

    private EvalDecision decide(TemporaryCredentials credentials, String action) {
        CallerIdentity caller = fixture.callerOf(credentials);
        return fixture.sts.authorizer().evaluate(caller, action, "arn:aws:s3:::bucket/key", Optional.empty(),
                fixture.sts.authorizer().baseContext(caller, fixture.metadata()).build(), Optional.empty()).decision();
    }

    private static ApiException rejection(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void getFederationToken_issuesAFederatedUserForTwelveHoursByDefault() {
        GetFederationTokenResponse response = federate(alice, request("Bob", Optional.of(ALLOW_S3_READ)));

        assertThat(response.arn()).isEqualTo("arn:aws:sts::123456789012:federated-user/Bob");
        assertThat(response.federatedUserId()).isEqualTo(ACCOUNT + ":Bob");
        assertThat(response.credentials().expiration()).isEqualTo(fixture.clock.instant().plusSeconds(43200));
        assertThat(response.packedPolicySize()).isPositive();
        CallerIdentity federated = fixture.callerOf(response.credentials());
        assertThat(federated.arn()).isEqualTo("arn:aws:sts::123456789012:federated-user/Bob");
        assertThat(federated.userId()).isEqualTo(ACCOUNT + ":Bob");
    }

    @Test
    void getFederationToken_sessionCarriesTheIssuersUniqueId() {
        String aliceId = fixture.iam.users().getUser(ACCOUNT, "alice").userId();

        GetFederationTokenResponse response = federate(alice, request("Bob", Optional.empty()));

        var session = fixture.callerOf(response.credentials()).session().orElseThrow();
        assertThat(session.sourceArn()).isEqualTo("arn:aws:iam::123456789012:user/alice");
        assertThat(session.sourceUniqueId()).contains(aliceId);
    }

    @Test
    void getFederationToken_withoutSessionPolicyOrTags_reportsPackedSizeZero() {
        GetFederationTokenResponse response = federate(alice, request("Bob", Optional.empty()));

        assertThat(response.packedPolicySize()).isZero();
    }

    @Test
    void federatedUser_mayDoWhatBothTheUserAndTheSessionPolicyAllow() {
        AccessKeyCredentials carol = fixture.user("carol", ALLOW_S3, """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetFederationToken",\
                "Resource":"*"}]}""");
        TemporaryCredentials credentials = federate(carol, request("Bob", Optional.of(ALLOW_S3_READ))).credentials();

        assertThat(decide(credentials, "s3:GetObject")).isEqualTo(EvalDecision.ALLOWED);
        assertThat(decide(credentials, "s3:PutObject")).isEqualTo(EvalDecision.IMPLICIT_DENY);
        assertThat(decide(credentials, "ec2:RunInstances")).isEqualTo(EvalDecision.IMPLICIT_DENY);
    }

    @Test
    void federatedUserWithoutSessionPolicy_mayDoNothing() {
        TemporaryCredentials credentials = federate(alice, request("Bob", Optional.empty())).credentials();

        assertThat(decide(credentials, "s3:GetObject")).isEqualTo(EvalDecision.IMPLICIT_DENY);
    }

    @Test
    void getFederationToken_withoutPermission_isAccessDeniedOnTheFederatedUserArn() {
        AccessKeyCredentials dave = fixture.user("dave");

        ApiException e = rejection(() -> federate(dave, request("Bob", Optional.empty())));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage()).startsWith("User: arn:aws:iam::123456789012:user/dave is not authorized to perform: "
                + "sts:GetFederationToken on resource: arn:aws:sts::123456789012:federated-user/Bob because no "
                + "identity-based policy allows the sts:GetFederationToken action. Encoded authorization failure "
                + "message: ");
    }

    @Test
    void getFederationToken_withSessionCredentials_isAccessDenied() {
        TemporaryCredentials session = fixture.sts.getSessionToken(fixture.callerOf(alice),
                new GetSessionTokenRequest(Optional.empty(), Optional.empty(), Optional.empty()));

        ApiException e = rejection(() -> fixture.sts.getFederationToken(fixture.callerOf(session),
                fixture.metadata(), request("Bob", Optional.empty())));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage()).isEqualTo("Cannot call GetFederationToken with session credentials");
    }

    @Test
    void federatedUser_cannotAssumeRoles() {
        fixture.role("demo", StsFixture.trusting("*"));
        TemporaryCredentials credentials = federate(alice, request("Bob", Optional.of(ALLOW_ALL))).credentials();

        ApiException e = rejection(() -> fixture.assumeRole(fixture.callerOf(credentials),
                AssumeRoleRequest.of(StsFixture.roleArn("demo"), "s1")));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
    }

    @Test
    void getFederationToken_tagsBecomePrincipalTags() {
        TemporaryCredentials credentials = federate(alice, new GetFederationTokenRequest("Bob", Optional.empty(),
                List.of(), Optional.of(900), List.of(new SessionTag("Project", "Pegasus")))).credentials();

        CallerIdentity federated = fixture.callerOf(credentials);
        assertThat(fixture.sts.authorizer().principalTags(federated)).containsEntry("Project", "Pegasus");
        assertThat(credentials.expiration()).isEqualTo(fixture.clock.instant().plusSeconds(900));
    }

    @Test
    void getFederationToken_duplicateTagKeys_isRejected() {
        ApiException e = rejection(() -> federate(alice, new GetFederationTokenRequest("Bob", Optional.empty(),
                List.of(), Optional.empty(), List.of(new SessionTag("a", "1"), new SessionTag("A", "2")))));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }

    /**
     * The documented way to limit the tags a caller may pass (IAM User Guide, "Passing session tags in AWS STS"):
     * {@code sts:TagSession} allowed only for the keys a {@code ForAllValues} condition on {@code aws:TagKeys} lists,
     * and a Deny on one {@code aws:RequestTag} value. The tags are the request's keys, as they are for AssumeRole.
     */
    @Test
    void tagSession_isDecidedWithTheRequestsTagKeysAndValues() {
        AccessKeyCredentials proxy = fixture.user("proxy", """
                {"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":"sts:GetFederationToken","Resource":"*"},
                {"Effect":"Allow","Action":"sts:TagSession","Resource":"*",
                 "Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["dept","role"]}}},
                {"Effect":"Deny","Action":["sts:GetFederationToken","sts:TagSession"],"Resource":"*",
                 "Condition":{"StringEquals":{"aws:RequestTag/role":"admin"}}}]}""");

        federate(proxy, tagged(new SessionTag("dept", "eng")));
        ApiException unlisted = rejection(() -> federate(proxy, tagged(new SessionTag("clearance", "admin"))));
        ApiException denied = rejection(() -> federate(proxy, tagged(new SessionTag("role", "admin"))));

        assertThat(unlisted.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(unlisted.getMessage()).contains("sts:TagSession");
        assertThat(denied.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(denied.getMessage()).contains("with an explicit deny");
    }

    @Test
    void tagSession_allowedOnlyForOneTagValue_admitsThatValue() {
        AccessKeyCredentials proxy = fixture.user("proxy", """
                {"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":"sts:GetFederationToken","Resource":"*"},
                {"Effect":"Allow","Action":"sts:TagSession","Resource":"*",
                 "Condition":{"StringEquals":{"aws:RequestTag/dept":"eng"}}}]}""");

        federate(proxy, tagged(new SessionTag("dept", "eng")));
        ApiException other = rejection(() -> federate(proxy, tagged(new SessionTag("dept", "ops"))));

        assertThat(other.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
    }

    private static GetFederationTokenRequest tagged(SessionTag tag) {
        return new GetFederationTokenRequest("Bob", Optional.empty(), List.of(), Optional.empty(), List.of(tag));
    }
}
