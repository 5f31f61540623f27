package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * The attack of a principal deleted and created again under its name, tried as an attacker would, through the AWS SDK
 * for Java v2 against a node on loopback: a session of a user or role outlives its principal, and a namesake is created
 * with more permissions. On AWS a session and a trust policy belong to the principal's unique id, not to its name: the
 * old session gets nothing, neither the deleted principal's permissions nor the namesake's, and a trust policy that
 * named the old principal does not trust the namesake.
 */
class DeletedPrincipalsEndToEndTest {
    private static final String ACCOUNT = "123456789012";
    private static final String ASSUME_ROLES = policy("sts:AssumeRole", "sts:GetFederationToken");
    private static final String LIST_USERS_AND_ASSUME_ROLES = policy("iam:ListUsers", "sts:AssumeRole");
    private static final String EVERYTHING = policy("*");

    @TempDir
    static Path dataDir;

    private static OpenStsNode node;
    private static IamClient admin;
    private static AwsCredentials adminCredentials;

    @BeforeAll
    static void start() throws Exception {
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir.resolve("node"),
                new InetSocketAddress("127.0.0.1", 0), ACCOUNT));
        adminCredentials = SdkClients.credentials(node.initialAdmin().orElseThrow());
        admin = SdkClients.iam(node, adminCredentials);
    }

    @AfterAll
    static void stop() {
        admin.close();
        node.close();
    }

    private static String policy(String... actions) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\""
                + String.join("\",\"", actions) + "\"],\"Resource\":\"*\"}]}";
    }

    private static String trusting(String principalArn) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                + principalArn + "\"},\"Action\":\"sts:AssumeRole\"}]}";
    }

    private static String userArn(String name) {
        return "arn:aws:iam::" + ACCOUNT + ":user/" + name;
    }

    private static String roleArn(String name) {
        return "arn:aws:iam::" + ACCOUNT + ":role/" + name;
    }

    /** Creates a user with one inline policy and one access key, and returns the key. */
    private static AwsBasicCredentials createUser(String name, String policy) {
        admin.createUser(r -> r.userName(name));
        admin.putUserPolicy(r -> r.userName(name).policyName("permissions").policyDocument(policy));
        var key = admin.createAccessKey(r -> r.userName(name)).accessKey();
        return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
    }

    /** Deletes a user the way IAM lets one go: its keys and policies first. */
    private static void deleteUser(String name) {
        for (AccessKeyMetadata key : admin.listAccessKeys(r -> r.userName(name)).accessKeyMetadata()) {
            admin.deleteAccessKey(r -> r.userName(name).accessKeyId(key.accessKeyId()));
        }
        admin.deleteUserPolicy(r -> r.userName(name).policyName("permissions"));
        admin.deleteUser(r -> r.userName(name));
    }

    private static void createRole(String name, String trustPolicy, String policy) {
        admin.createRole(r -> r.roleName(name).assumeRolePolicyDocument(trustPolicy));
        admin.putRolePolicy(r -> r.roleName(name).policyName("permissions").policyDocument(policy));
    }

    private static void deleteRole(String name) {
        admin.deleteRolePolicy(r -> r.roleName(name).policyName("permissions"));
        admin.deleteRole(r -> r.roleName(name));
    }

    private static AwsSessionCredentials session(Credentials credentials) {
        return AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                credentials.sessionToken());
    }

    private static AwsSessionCredentials getSessionToken(AwsCredentials user) {
        try (StsClient sts = SdkClients.sts(node, user)) {
            return session(sts.getSessionToken().credentials());
        }
    }

    private static AwsSessionCredentials assumeRole(AwsCredentials caller, String roleName) {
        try (StsClient sts = SdkClients.sts(node, caller)) {
            return session(sts.assumeRole(r -> r.roleArn(roleArn(roleName)).roleSessionName("s1")).credentials());
        }
    }

    private static GetCallerIdentityResponse callerIdentity(AwsCredentials caller) {
        try (StsClient sts = SdkClients.sts(node, caller)) {
            return sts.getCallerIdentity();
        }
    }

    private static void listUsers(AwsCredentials caller) {
        try (IamClient iam = SdkClients.iam(node, caller)) {
            iam.listUsers();
        }
    }

    /** Runs {@code call} as {@code caller}, which must be refused with AccessDenied, 403. */
    private static void assertAccessDenied(AwsCredentials caller, Consumer<AwsCredentials> call) {
        AwsServiceException e = catchThrowableOfType(AwsServiceException.class, () -> call.accept(caller));

        assertThat(e).as("refused").isNotNull();
        assertThat(e.statusCode()).isEqualTo(403);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
    }

    private static String trustPolicyShown(String roleName) {
        return URLDecoder.decode(admin.getRole(r -> r.roleName(roleName)).role().assumeRolePolicyDocument(), UTF_8);
    }

    /**
     * A role that trusts the account: assuming it takes an identity policy that allows {@code sts:AssumeRole}, so it
     * shows whether a caller still has its permissions.
     */
    private static void createAccountTrustingRole(String name) {
        createRole(name, trusting("arn:aws:iam::" + ACCOUNT + ":root"), policy("iam:GetUser"));
    }

    @Test
    void getSessionToken_sessionOfADeletedUser_getsNothingFromTheUserOrFromANamesakeWithMorePermissions() {
        AwsBasicCredentials u5 = createUser("u5", ASSUME_ROLES);
        String u5Id = admin.getUser(r -> r.userName("u5")).user().userId();
        createAccountTrustingRole("open-to-account-5");
        createRole("trusts-u5", trusting(userArn("u5")), policy("iam:GetUser"));
        AwsSessionCredentials oldSession = getSessionToken(u5);
        assumeRole(oldSession, "open-to-account-5");
        assumeRole(oldSession, "trusts-u5");

        deleteUser("u5");

        assertThat(callerIdentity(oldSession).arn()).as("GetCallerIdentity still answers").isEqualTo(userArn("u5"));
        assertAccessDenied(oldSession, session -> assumeRole(session, "open-to-account-5"));
        assertAccessDenied(oldSession, session -> assumeRole(session, "trusts-u5"));
        assertThat(trustPolicyShown("trusts-u5")).isEqualTo(trusting(u5Id));

        AwsBasicCredentials namesake = createUser("u5", EVERYTHING);

        assertAccessDenied(oldSession, session -> assumeRole(session, "open-to-account-5"));
        assertAccessDenied(oldSession, session -> assumeRole(session, "trusts-u5"));
        assumeRole(getSessionToken(namesake), "open-to-account-5"); // the namesake's own sessions have its permissions
        assertAccessDenied(namesake, caller -> assumeRole(caller, "trusts-u5"));
        assertThat(trustPolicyShown("trusts-u5")).as("still the old user's id").isEqualTo(trusting(u5Id));
    }

    /**
     * A federated user may call nothing but GetCallerIdentity (AWS's rule for GetFederationToken credentials), so over
     * the wire its token stays what it was; that it gets no permission of a namesake issuer is shown where its
     * permissions are decided, in the STS module's tests of the authorizer and of GetFederationToken.
     */
    @Test
    void getFederationToken_federatedUserOfADeletedIssuer_isStillTheSameFederatedUserOnceANamesakeExists() {
        AwsBasicCredentials u4 = createUser("u4", ASSUME_ROLES);
        AwsSessionCredentials federated;
        try (StsClient sts = SdkClients.sts(node, u4)) {
            federated = session(sts.getFederationToken(r -> r.name("fed-u4").policy(EVERYTHING)).credentials());
        }
        GetCallerIdentityResponse before = callerIdentity(federated);

        deleteUser("u4");
        createUser("u4", EVERYTHING);

        GetCallerIdentityResponse after = callerIdentity(federated);
        assertThat(after.arn()).isEqualTo("arn:aws:sts::" + ACCOUNT + ":federated-user/fed-u4").isEqualTo(before.arn());
        assertThat(after.userId()).isEqualTo(ACCOUNT + ":fed-u4");
    }

    @Test
    void assumeRole_sessionOfADeletedRole_getsNothingFromTheRoleOrFromANamesakeWithMorePermissions() {
        createRole("r5", trusting(userArn("admin")), LIST_USERS_AND_ASSUME_ROLES);
        String r5Id = admin.getRole(r -> r.roleName("r5")).role().roleId();
        createAccountTrustingRole("open-to-account-r5");
        createRole("trusts-r5", trusting(roleArn("r5")), policy("iam:GetUser"));
        AwsSessionCredentials oldSession = assumeRole(adminCredentials, "r5");
        listUsers(oldSession);
        assumeRole(oldSession, "open-to-account-r5");
        assumeRole(oldSession, "trusts-r5");

        deleteRole("r5");

        assertThat(callerIdentity(oldSession).arn()).isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/r5/s1");
        assertAccessDenied(oldSession, DeletedPrincipalsEndToEndTest::listUsers);
        assertAccessDenied(oldSession, session -> assumeRole(session, "open-to-account-r5"));
        assertAccessDenied(oldSession, session -> assumeRole(session, "trusts-r5"));
        assertThat(trustPolicyShown("trusts-r5")).isEqualTo(trusting(r5Id));

        createRole("r5", trusting(userArn("admin")), EVERYTHING);

        assertAccessDenied(oldSession, DeletedPrincipalsEndToEndTest::listUsers);
        assertAccessDenied(oldSession, session -> assumeRole(session, "open-to-account-r5"));
        assertAccessDenied(oldSession, session -> assumeRole(session, "trusts-r5"));
        AwsSessionCredentials namesakeSession = assumeRole(adminCredentials, "r5");
        listUsers(namesakeSession);
        assertAccessDenied(namesakeSession, session -> assumeRole(session, "trusts-r5"));
        assertThat(trustPolicyShown("trusts-r5")).as("still the old role's id").isEqualTo(trusting(r5Id));
    }

    @Test
    void renamedUser_keepsItsSessionsAndIsStillTrustedUnderItsNewName() {
        AwsBasicCredentials u6 = createUser("u6", ASSUME_ROLES);
        createAccountTrustingRole("open-to-account-6");
        createRole("trusts-u6", trusting(userArn("u6")), policy("iam:GetUser"));
        AwsSessionCredentials session = getSessionToken(u6);

        admin.updateUser(r -> r.userName("u6").newUserName("u6-renamed"));

        assumeRole(session, "open-to-account-6");
        assumeRole(session, "trusts-u6");
        assumeRole(u6, "trusts-u6");
        assertThat(trustPolicyShown("trusts-u6")).isEqualTo(trusting(userArn("u6-renamed")));
    }
}
