package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.testing.BotocoreData;
import org.opensts.protocol.testing.ShapeConformance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.ListServiceSpecificCredentialsResponse;
import software.amazon.awssdk.services.iam.model.ListSigningCertificatesResponse;
import software.amazon.awssdk.services.iam.model.ListSshPublicKeysResponse;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The read and clean-up actions of IAM features a node does not have — login profiles, SSH public keys, signing
 * certificates, server certificates, service-specific credentials — over HTTP through the AWS SDK for Java v2's own
 * IAM client: the answers AWS gives an account that has none of them, the user checked first, the model's
 * constraints, and the caller's policies deciding.
 */
class IamAbsentFeaturesApiTest {
    private static final String ACCOUNT = "123456789012";

    @TempDir
    static Path dataDir;

    private static OpenStsNode node;
    private static IamClient iam;
    private static AwsBasicCredentials admin;
    private static AwsBasicCredentials nobody;
    private static AwsBasicCredentials self;

    /**
     * One node for the class. The bootstrap file adds {@code nobody}, without any policy; {@code self}, allowed the
     * user actions on its own user only; the user {@code Keeper} under the path {@code /team/}; and the role
     * {@code worker} under {@code /svc/}, which the admin may assume and which may call anything.
     */
    @BeforeAll
    static void start() throws Exception {
        nobody = TestNodes.knownKey("nobody");
        self = TestNodes.knownKey("self");
        node = TestNodes.start(dataDir, """
                accounts:
                  - id: "123456789012"
                    users:
                      - name: nobody
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                      - name: self
                        policies:
                          - name: OwnCredentials
                            document: {Version: "2012-10-17", Statement: [{Effect: Allow, \
                Action: ["iam:ListSSHPublicKeys", "iam:ListSigningCertificates", \
                "iam:ListServiceSpecificCredentials", "iam:GetLoginProfile", "iam:DeleteLoginProfile"], \
                Resource: "arn:aws:iam::123456789012:user/${aws:username}"}]}
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                      - name: Keeper
                        path: /team/
                    roles:
                      - name: worker
                        path: /svc/
                        trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, \
                Principal: {AWS: "arn:aws:iam::123456789012:user/admin"}, Action: "sts:AssumeRole"}]}
                        policies:
                          - name: Everything
                            document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}
                """.formatted(nobody.accessKeyId(), nobody.secretAccessKey(), self.accessKeyId(),
                self.secretAccessKey()));
        AccessKeyCredentials initial = node.initialAdmin().orElseThrow();
        admin = AwsBasicCredentials.create(initial.accessKey().accessKeyId(), initial.secretAccessKey().revealUtf8());
        iam = client(admin);
    }

    @AfterAll
    static void stop() {
        iam.close();
        node.close();
    }

    private static IamClient client(AwsCredentials credentials) {
        return SdkClients.iam(node, credentials);
    }

    private static <T extends IamException> T failure(Class<T> type, Runnable call) {
        return catchThrowableOfType(type, call::run);
    }

    // ---- the declared input shapes are the model's

    static Stream<Arguments> declaredShapes() {
        return Stream.of(IamAbsentFeatureActions.LIST_SSH_PUBLIC_KEYS_REQUEST,
                IamAbsentFeatureActions.LIST_SIGNING_CERTIFICATES_REQUEST,
                IamAbsentFeatureActions.LIST_SERVICE_SPECIFIC_CREDENTIALS_REQUEST,
                IamAbsentFeatureActions.GET_LOGIN_PROFILE_REQUEST,
                IamAbsentFeatureActions.DELETE_LOGIN_PROFILE_REQUEST,
                IamAbsentFeatureActions.LIST_SERVER_CERTIFICATES_REQUEST,
                IamAbsentFeatureActions.GET_SERVER_CERTIFICATE_REQUEST,
                IamAbsentFeatureActions.DELETE_SERVER_CERTIFICATE_REQUEST,
                IamAbsentFeatureActions.LIST_SERVER_CERTIFICATE_TAGS_REQUEST,
                IamAbsentFeatureActions.TAG_SERVER_CERTIFICATE_REQUEST,
                IamAbsentFeatureActions.UNTAG_SERVER_CERTIFICATE_REQUEST,
                IamAbsentFeatureActions.UPDATE_SERVER_CERTIFICATE_REQUEST,
                IamAbsentFeatureActions.GET_MFA_DEVICE_REQUEST,
                IamAbsentFeatureActions.GET_SSH_PUBLIC_KEY_REQUEST,
                IamAbsentFeatureActions.DELETE_SSH_PUBLIC_KEY_REQUEST,
                IamAbsentFeatureActions.UPDATE_SSH_PUBLIC_KEY_REQUEST,
                IamAbsentFeatureActions.DELETE_SIGNING_CERTIFICATE_REQUEST,
                IamAbsentFeatureActions.UPDATE_SIGNING_CERTIFICATE_REQUEST,
                IamAbsentFeatureActions.DELETE_SERVICE_SPECIFIC_CREDENTIAL_REQUEST,
                IamAbsentFeatureActions.RESET_SERVICE_SPECIFIC_CREDENTIAL_REQUEST,
                IamAbsentFeatureActions.UPDATE_SERVICE_SPECIFIC_CREDENTIAL_REQUEST,
                IamAbsentFeatureActions.UPDATE_LOGIN_PROFILE_REQUEST)
                .map(shape -> Arguments.of(shape.name(), shape));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("declaredShapes")
    void inputShape_matchesTheModel(String name, StructureShape shape) {
        assertThat(ShapeConformance.differences(shape, BotocoreData.iamModel())).isEmpty();
    }

    // ---- what AWS answers an account without the thing a call names (its recorded words)

    record Absent(String name, Consumer<IamClient> call, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Absent> absentThings() {
        return Stream.of(
                new Absent("GetServerCertificate", c -> c.getServerCertificate(r -> r.serverCertificateName(
                        "nonexistent-certificate")),
                        "The Server Certificate with name nonexistent-certificate cannot be found."),
                new Absent("DeleteServerCertificate", c -> c.deleteServerCertificate(r -> r.serverCertificateName(
                        "nonexistent-certificate")),
                        "The Server Certificate with name nonexistent-certificate cannot be found."),
                new Absent("ListServerCertificateTags", c -> c.listServerCertificateTags(
                        r -> r.serverCertificateName("nonexistent-certificate")),
                        "The Server Certificate with name nonexistent-certificate cannot be found."),
                new Absent("TagServerCertificate", c -> c.tagServerCertificate(
                        r -> r.serverCertificateName("nonexistent-certificate").tags(t -> t.key("k").value("v"))),
                        "The Server Certificate with name nonexistent-certificate cannot be found."),
                new Absent("UntagServerCertificate", c -> c.untagServerCertificate(
                        r -> r.serverCertificateName("nonexistent-certificate").tagKeys("k")),
                        "The Server Certificate with name nonexistent-certificate cannot be found."),
                new Absent("UpdateServerCertificate", c -> c.updateServerCertificate(
                        r -> r.serverCertificateName("nonexistent-certificate").newPath("/new/")),
                        "The Server Certificate with name nonexistent-certificate cannot be found."),
                new Absent("GetMFADevice of an existing user", c -> c.getMFADevice(r -> r.userName("Keeper")
                        .serialNumber("arn:aws:iam::123456789012:u2f/user/Keeper/fidokey-EXAMPLEBN5FHTECLFG7EXAMPLE")),
                        "MFA Device with serial number arn:aws:iam::123456789012:u2f/user/Keeper/"
                                + "fidokey-EXAMPLEBN5FHTECLFG7EXAMPLE does not exist."),
                new Absent("GetSSHPublicKey of an existing user", c -> c.getSSHPublicKey(r -> r.userName("Keeper")
                        .sshPublicKeyId("APKAXXXXXXXXXXXXXXXXX").encoding("SSH")),
                        "The Public Key with id APKAXXXXXXXXXXXXXXXXX cannot be found."),
                new Absent("DeleteSSHPublicKey of an existing user", c -> c.deleteSSHPublicKey(r -> r.userName(
                        "Keeper").sshPublicKeyId("APKAXXXXXXXXXXXXXXXXX")),
                        "The Public Key with id APKAXXXXXXXXXXXXXXXXX cannot be found."),
                new Absent("UpdateSSHPublicKey of an existing user", c -> c.updateSSHPublicKey(r -> r.userName(
                        "Keeper").sshPublicKeyId("APKAXXXXXXXXXXXXXXXXX").status("Inactive")),
                        "The Public Key with id APKAXXXXXXXXXXXXXXXXX cannot be found."),
                new Absent("DeleteSigningCertificate of an existing user", c -> c.deleteSigningCertificate(
                        r -> r.userName("Keeper").certificateId("NONEXISTENTCERTID12345678901")),
                        "The Certificate with id NONEXISTENTCERTID12345678901 cannot be found."),
                new Absent("UpdateSigningCertificate of an existing user", c -> c.updateSigningCertificate(
                        r -> r.userName("Keeper").certificateId("NONEXISTENTCERTID12345678901").status("Inactive")),
                        "The Certificate with id NONEXISTENTCERTID12345678901 cannot be found."),
                new Absent("DeleteServiceSpecificCredential of an existing user",
                        c -> c.deleteServiceSpecificCredential(r -> r.userName("Keeper")
                                .serviceSpecificCredentialId("satisfiesregexbutstillinvalid")),
                        "No such credential satisfiesregexbutstillinvalid exists"),
                new Absent("ResetServiceSpecificCredential of an existing user",
                        c -> c.resetServiceSpecificCredential(r -> r.userName("Keeper")
                                .serviceSpecificCredentialId("satisfiesregexbutstillinvalid")),
                        "No such credential satisfiesregexbutstillinvalid exists"),
                new Absent("UpdateServiceSpecificCredential of an existing user",
                        c -> c.updateServiceSpecificCredential(r -> r.userName("Keeper")
                                .serviceSpecificCredentialId("satisfiesregexbutstillinvalid").status("Inactive")),
                        "No such credential satisfiesregexbutstillinvalid exists"),
                new Absent("UpdateLoginProfile of an existing user", c -> c.updateLoginProfile(r -> r.userName(
                        "keeper").password("An0ther-Passw0rd!")),
                        "Login Profile for User Keeper cannot be found."),
                new Absent("ListServiceSpecificCredentials for a service AWS has none for",
                        c -> c.listServiceSpecificCredentials(r -> r.userName("Keeper")
                                .serviceName("nonexistentservice.amazonaws.com")),
                        "No such service nonexistentservice.amazonaws.com is supported for Service Specific "
                                + "Credentials"),
                new Absent("ListServiceSpecificCredentials for all users of a service that has none",
                        c -> c.listServiceSpecificCredentials(r -> r.allUsers(true)
                                .serviceName("lambda.amazonaws.com")),
                        "No such service lambda.amazonaws.com is supported for Service Specific Credentials"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("absentThings")
    void absentThing_isNoSuchEntity404_inAwsRecordedWords(Absent absent) {
        NoSuchEntityException e = failure(NoSuchEntityException.class, () -> absent.call().accept(iam));

        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchEntity");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(absent.message());
    }

    static Stream<String> servicesWithServiceSpecificCredentials() {
        return Stream.of("codecommit.amazonaws.com", "cassandra.amazonaws.com", "bedrock.amazonaws.com",
                "logs.amazonaws.com");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servicesWithServiceSpecificCredentials")
    void listServiceSpecificCredentials_aServiceAwsIssuesThemFor_isAnEmptyList(String service) {
        assertThat(iam.listServiceSpecificCredentials(r -> r.userName("Keeper").serviceName(service))
                .serviceSpecificCredentials()).isEmpty();
    }

    @Test
    void listServiceSpecificCredentials_unknownUserAndUnsupportedService_isTheUsersNoSuchEntity() {
        NoSuchEntityException e = failure(NoSuchEntityException.class, () -> iam.listServiceSpecificCredentials(
                r -> r.userName("no-such-user").serviceName("nonexistentservice.amazonaws.com")));

        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The user with name no-such-user cannot be found.");
    }

    @Test
    void listServerCertificates_isAnEmptyListNotTruncated_withOrWithoutAPathPrefix() {
        var all = iam.listServerCertificates();
        var underPath = iam.listServerCertificates(r -> r.pathPrefix("/cloudfront/").maxItems(1));

        assertThat(all.serverCertificateMetadataList()).isEmpty();
        assertThat(all.isTruncated()).isFalse();
        assertThat(underPath.serverCertificateMetadataList()).isEmpty();
    }

    @Test
    void listServerCertificates_markerNotOneOfOurs_isValidationError400() {
        IamException e = failure(IamException.class, () -> iam.listServerCertificates(r -> r.marker("junk")));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Invalid Marker.");
    }

    /** AWS's recorded refusals of an identifier that breaks the model's pattern, before any lookup. */
    static Stream<Absent> malformedIdentifiers() {
        String pattern = "1 validation error detected: Value at 'serviceSpecificCredentialId' failed to satisfy "
                + "constraint: Member must satisfy regular expression pattern: [\\w]+";
        return Stream.of(
                new Absent("DeleteServiceSpecificCredential", c -> c.deleteServiceSpecificCredential(
                        r -> r.userName("Keeper").serviceSpecificCredentialId(
                                "totally-wrong-credential-id-with-hyphens")), pattern),
                new Absent("ResetServiceSpecificCredential", c -> c.resetServiceSpecificCredential(
                        r -> r.userName("no-such-user").serviceSpecificCredentialId(
                                "totally-wrong-credential-id-with-hyphens")), pattern),
                new Absent("UpdateServiceSpecificCredential with a status outside the enum",
                        c -> c.updateServiceSpecificCredential(r -> r.userName("Keeper")
                                .serviceSpecificCredentialId("satisfiesregexbutstillinvalid").status("Invalid")),
                        "1 validation error detected: Value at 'status' failed to satisfy constraint: Member must "
                                + "satisfy enum value set"),
                new Absent("UpdateLoginProfile never quotes the password it refuses",
                        c -> c.updateLoginProfile(r -> r.userName("Keeper").password("p".repeat(129))),
                        "1 validation error detected: Value at 'password' failed to satisfy constraint: Member "
                                + "must have length less than or equal to 128"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedIdentifiers")
    void malformedParameter_isValidationError400_beforeAnyLookup(Absent malformed) {
        IamException e = failure(IamException.class, () -> malformed.call().accept(iam));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(malformed.message());
    }

    // ---- a user's SSH public keys, signing certificates and service-specific credentials

    @Test
    void listSshPublicKeys_existingUser_isAnEmptyListNotTruncated() {
        ListSshPublicKeysResponse response = iam.listSSHPublicKeys(r -> r.userName("Keeper"));

        assertThat(response.sshPublicKeys()).isEmpty();
        assertThat(response.isTruncated()).isFalse();
    }

    @Test
    void listSigningCertificates_existingUser_isAnEmptyListNotTruncated() {
        ListSigningCertificatesResponse response = iam.listSigningCertificates(r -> r.userName("keeper"));

        assertThat(response.certificates()).isEmpty();
        assertThat(response.isTruncated()).isFalse();
    }

    @Test
    void listServiceSpecificCredentials_existingUser_isAnEmptyList_forAnyServiceOrAll() {
        ListServiceSpecificCredentialsResponse all = iam.listServiceSpecificCredentials(r -> r.userName("Keeper"));
        ListServiceSpecificCredentialsResponse one = iam.listServiceSpecificCredentials(r -> r.userName("Keeper")
                .serviceName("codecommit.amazonaws.com"));

        assertThat(all.serviceSpecificCredentials()).isEmpty();
        assertThat(all.isTruncated()).isFalse();
        assertThat(one.serviceSpecificCredentials()).isEmpty();
    }

    @Test
    void listServiceSpecificCredentials_allUsers_isAnEmptyList() {
        assertThat(iam.listServiceSpecificCredentials(r -> r.allUsers(true).serviceName("bedrock.amazonaws.com"))
                .serviceSpecificCredentials()).isEmpty();
    }

    @Test
    void listServiceSpecificCredentials_allUsersAndAUserName_isValidationError400() {
        IamException e = failure(IamException.class,
                () -> iam.listServiceSpecificCredentials(r -> r.allUsers(true).userName("Keeper")));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
    }

    /** What each per-user list does for a user that does not exist: GetUser's NoSuchEntity. */
    static Stream<Arguments> perUserCalls() {
        return Stream.of(
                Arguments.of("ListSSHPublicKeys",
                        (Consumer<String>) name -> iam.listSSHPublicKeys(r -> r.userName(name))),
                Arguments.of("ListSigningCertificates",
                        (Consumer<String>) name -> iam.listSigningCertificates(r -> r.userName(name))),
                Arguments.of("ListServiceSpecificCredentials",
                        (Consumer<String>) name -> iam.listServiceSpecificCredentials(r -> r.userName(name))),
                Arguments.of("GetLoginProfile",
                        (Consumer<String>) name -> iam.getLoginProfile(r -> r.userName(name))),
                Arguments.of("DeleteLoginProfile",
                        (Consumer<String>) name -> iam.deleteLoginProfile(r -> r.userName(name))),
                Arguments.of("UpdateLoginProfile",
                        (Consumer<String>) name -> iam.updateLoginProfile(r -> r.userName(name))),
                Arguments.of("GetSSHPublicKey", (Consumer<String>) name -> iam.getSSHPublicKey(r -> r.userName(name)
                        .sshPublicKeyId("APKAXXXXXXXXXXXXXXXXX").encoding("PEM"))),
                Arguments.of("DeleteSSHPublicKey", (Consumer<String>) name -> iam.deleteSSHPublicKey(
                        r -> r.userName(name).sshPublicKeyId("APKAXXXXXXXXXXXXXXXXX"))),
                Arguments.of("UpdateSSHPublicKey", (Consumer<String>) name -> iam.updateSSHPublicKey(
                        r -> r.userName(name).sshPublicKeyId("APKAXXXXXXXXXXXXXXXXX").status("Active"))),
                Arguments.of("DeleteSigningCertificate", (Consumer<String>) name -> iam.deleteSigningCertificate(
                        r -> r.userName(name).certificateId("NONEXISTENTCERTID12345678901"))),
                Arguments.of("UpdateSigningCertificate", (Consumer<String>) name -> iam.updateSigningCertificate(
                        r -> r.userName(name).certificateId("NONEXISTENTCERTID12345678901").status("Inactive"))),
                Arguments.of("DeleteServiceSpecificCredential", (Consumer<String>) name ->
                        iam.deleteServiceSpecificCredential(r -> r.userName(name)
                                .serviceSpecificCredentialId("satisfiesregexbutstillinvalid"))),
                Arguments.of("ResetServiceSpecificCredential", (Consumer<String>) name ->
                        iam.resetServiceSpecificCredential(r -> r.userName(name)
                                .serviceSpecificCredentialId("satisfiesregexbutstillinvalid"))),
                Arguments.of("UpdateServiceSpecificCredential", (Consumer<String>) name ->
                        iam.updateServiceSpecificCredential(r -> r.userName(name)
                                .serviceSpecificCredentialId("satisfiesregexbutstillinvalid").status("Active"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("perUserCalls")
    void perUserAction_unknownUser_isNoSuchEntity404_inGetUsersWords(String action, Consumer<String> call) {
        NoSuchEntityException e = failure(NoSuchEntityException.class, () -> call.accept("no-such-user"));

        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The user with name no-such-user cannot be found.");
    }

    @Test
    void listSshPublicKeys_userNameOf65Characters_isValidationError_butListSigningCertificatesTakes128() {
        String name = "u".repeat(65);

        IamException ssh = failure(IamException.class, () -> iam.listSSHPublicKeys(r -> r.userName(name)));
        IamException certificates = failure(IamException.class,
                () -> iam.listSigningCertificates(r -> r.userName(name)));

        assertThat(ssh.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        assertThat(ssh.awsErrorDetails().errorMessage()).contains("at 'userName' failed to satisfy constraint: "
                + "Member must have length less than or equal to 64");
        assertThat(certificates.awsErrorDetails().errorCode()).isEqualTo("NoSuchEntity");
    }

    // ---- login profiles

    @Test
    void getLoginProfile_existingUser_isNoSuchEntity404_namingTheUserAsStored() {
        NoSuchEntityException e = failure(NoSuchEntityException.class,
                () -> iam.getLoginProfile(r -> r.userName("KEEPER")));

        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Login Profile for User Keeper cannot be found.");
    }

    @Test
    void deleteLoginProfile_existingUser_isNoSuchEntity404() {
        NoSuchEntityException e = failure(NoSuchEntityException.class,
                () -> iam.deleteLoginProfile(r -> r.userName("Keeper")));

        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Login Profile for User Keeper cannot be found.");
    }

    @Test
    void createLoginProfile_isStillNotServed() {
        IamException e = failure(IamException.class,
                () -> iam.createLoginProfile(r -> r.userName("Keeper").password("Passw0rd!xyz")));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAction");
    }

    // ---- the calling user, and callers who are no user

    @Test
    void aUser_withoutAUserName_actsOnItself_asItsOwnPoliciesAllow() {
        try (IamClient own = client(self)) {
            assertThat(own.listSSHPublicKeys().sshPublicKeys()).isEmpty();
            assertThat(own.listSigningCertificates().certificates()).isEmpty();
            assertThat(own.listServiceSpecificCredentials().serviceSpecificCredentials()).isEmpty();
            NoSuchEntityException e = failure(NoSuchEntityException.class, () -> own.getLoginProfile(r -> { }));

            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Login Profile for User self cannot be found.");
        }
    }

    @Test
    void aUser_allowedOnItselfOnly_isDeniedAnotherUsersLists() {
        try (IamClient own = client(self)) {
            IamException e = failure(IamException.class, () -> own.listSSHPublicKeys(r -> r.userName("Keeper")));

            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorMessage()).startsWith("User: arn:aws:iam::123456789012:user/self is "
                    + "not authorized to perform: iam:ListSSHPublicKeys on resource: user Keeper because no "
                    + "identity-based policy allows the iam:ListSSHPublicKeys action. ");
        }
    }

    @Test
    void aRoleSession_mustNameTheUser() {
        Credentials session;
        try (StsClient sts = SdkClients.sts(node, admin)) {
            session = sts.assumeRole(r -> r.roleArn("arn:aws:iam::123456789012:role/svc/worker")
                    .roleSessionName("no-user")).credentials();
        }
        try (IamClient asRole = client(AwsSessionCredentials.create(session.accessKeyId(), session.secretAccessKey(),
                session.sessionToken()))) {
            for (Runnable call : new Runnable[] {asRole::listSSHPublicKeys, asRole::listSigningCertificates,
                    asRole::listServiceSpecificCredentials, () -> asRole.getLoginProfile(r -> { }),
                    () -> asRole.deleteLoginProfile(r -> { })}) {
                IamException e = failure(IamException.class, call);

                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("Must specify userName when calling with non-User credentials");
            }
            assertThat(asRole.listSSHPublicKeys(r -> r.userName("Keeper")).sshPublicKeys()).isEmpty();
        }
    }

    // ---- authorization: iam:<Action> on the resource IAM names

    record Denial(String name, Consumer<IamClient> call, String action, String resource) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Denial> denials() {
        return Stream.of(
                new Denial("ListSSHPublicKeys on the user, path included",
                        c -> c.listSSHPublicKeys(r -> r.userName("Keeper")),
                        "ListSSHPublicKeys", "user Keeper"),
                new Denial("ListSigningCertificates on the user",
                        c -> c.listSigningCertificates(r -> r.userName("Keeper")),
                        "ListSigningCertificates", "user Keeper"),
                new Denial("ListServiceSpecificCredentials on the user",
                        c -> c.listServiceSpecificCredentials(r -> r.userName("Keeper")),
                        "ListServiceSpecificCredentials", "user Keeper"),
                new Denial("ListServiceSpecificCredentials for all users on every user",
                        c -> c.listServiceSpecificCredentials(r -> r.allUsers(true)),
                        "ListServiceSpecificCredentials", "arn:aws:iam::123456789012:user/*"),
                new Denial("GetLoginProfile on the user",
                        c -> c.getLoginProfile(r -> r.userName("Keeper")),
                        "GetLoginProfile", "user Keeper"),
                new Denial("DeleteLoginProfile on the user",
                        c -> c.deleteLoginProfile(r -> r.userName("Keeper")),
                        "DeleteLoginProfile", "user Keeper"),
                new Denial("GetLoginProfile without a user name on the caller",
                        c -> c.getLoginProfile(r -> { }),
                        "GetLoginProfile", "user nobody"),
                new Denial("ListServerCertificates on the certificates under the path prefix",
                        c -> c.listServerCertificates(r -> r.pathPrefix("/cloudfront/")),
                        "ListServerCertificates", "arn:aws:iam::123456789012:server-certificate/cloudfront/*"),
                new Denial("DeleteServerCertificate on the certificate",
                        c -> c.deleteServerCertificate(r -> r.serverCertificateName("web-cert")),
                        "DeleteServerCertificate", "server certificate web-cert"),
                new Denial("DeleteSSHPublicKey on the user",
                        c -> c.deleteSSHPublicKey(r -> r.userName("Keeper").sshPublicKeyId("APKAXXXXXXXXXXXXXXXXX")),
                        "DeleteSSHPublicKey", "user Keeper"),
                new Denial("UpdateSigningCertificate without a user name on the caller",
                        c -> c.updateSigningCertificate(r -> r.certificateId("NONEXISTENTCERTID12345678901")
                                .status("Inactive")),
                        "UpdateSigningCertificate", "user nobody"),
                new Denial("ResetServiceSpecificCredential on the user",
                        c -> c.resetServiceSpecificCredential(r -> r.userName("Keeper")
                                .serviceSpecificCredentialId("satisfiesregexbutstillinvalid")),
                        "ResetServiceSpecificCredential", "user Keeper"),
                new Denial("UpdateLoginProfile on the user",
                        c -> c.updateLoginProfile(r -> r.userName("Keeper")),
                        "UpdateLoginProfile", "user Keeper"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("denials")
    void aUserWithoutPolicies_isAccessDenied403(Denial denial) {
        try (IamClient denied = client(nobody)) {
            IamException e = failure(IamException.class, () -> denial.call().accept(denied));

            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(e.awsErrorDetails().errorMessage()).startsWith("User: arn:aws:iam::123456789012:user/nobody is "
                    + "not authorized to perform: iam:" + denial.action() + " on resource: " + denial.resource()
                    + " because no identity-based policy allows the iam:" + denial.action() + " action. Encoded "
                    + "authorization failure message: ");
        }
    }

    @Test
    void aUserWithoutPolicies_askingForAnUnknownUser_isAccessDenied_notNoSuchEntity() {
        try (IamClient denied = client(nobody)) {
            IamException e = failure(IamException.class, () -> denied.listSSHPublicKeys(r -> r.userName("ghost")));

            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorMessage())
                    .contains("on resource: user ghost because no identity-based policy allows");
        }
    }
}
