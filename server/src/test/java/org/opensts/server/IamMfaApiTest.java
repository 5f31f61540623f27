package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.Totp;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.testing.BotocoreData;
import org.opensts.protocol.testing.MutableClock;
import org.opensts.protocol.testing.ShapeConformance;
import org.opensts.protocol.testing.ShapeConformance.Deviation;
import org.opensts.token.Secret;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AssignmentStatusType;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.InvalidAuthenticationCodeException;
import software.amazon.awssdk.services.iam.model.ListVirtualMfaDevicesResponse;
import software.amazon.awssdk.services.iam.model.MFADevice;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.VirtualMFADevice;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The virtual MFA device actions over HTTP, through the AWS SDK for Java v2's own IAM client — from the seed and its QR
 * code to a role whose trust policy requires MFA — with IAM's typed errors, the caller's policies deciding, and no
 * seed or code in the audit log.
 */
class IamMfaApiTest {
    private static final String ACCOUNT = "123456789012";
    private static final String MFA_ONLY_ROLE = "arn:aws:iam::123456789012:role/mfa-only";
    /** We mark MFA codes sensitive where the model does not (see {@code IamShapes.AUTHENTICATION_CODE}). */
    private static final Deviation SENSITIVE_CODE = new Deviation("authenticationCodeType", "sensitive", true, false,
            "an MFA code is a secret");
    /** CreateVirtualMFADevice checks its path's pattern itself (see {@code IamShapes.VIRTUAL_MFA_DEVICE_PATH}). */
    private static final Deviation OWN_PATH_CHECK = new Deviation("pathType", "pattern", Optional.empty(),
            Optional.of("(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"), "IAM words this check itself");

    @TempDir
    static Path dataDir;

    private static final MutableClock CLOCK = new MutableClock(Instant.now());
    private static OpenStsNode node;
    private static IamClient iam;
    private static AwsCredentials nobody;
    private static AwsCredentials owner;
    private static AwsCredentials creator;

    /**
     * One node for the class; each test works on devices and users of its own. The bootstrap file adds users with
     * known keys: {@code nobody}, without any policy; {@code owner}, who may list and deactivate its own devices and
     * is trusted by the role {@code mfa-only} when it has authenticated with MFA; {@code creator}, allowed
     * {@code iam:CreateVirtualMFADevice} on the device {@code allowed-device} only.
     */
    @BeforeAll
    static void start() throws Exception {
        nobody = TestNodes.knownKey("nobody");
        owner = TestNodes.knownKey("owner");
        creator = TestNodes.knownKey("creator");
        Path bootstrap = dataDir.resolve("bootstrap.yaml");
        Files.writeString(bootstrap, """
                accounts:
                  - id: "123456789012"
                    users:
                      - name: nobody
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                      - name: owner
                        policies:
                          - name: OwnDevices
                            document: {Version: "2012-10-17", Statement: [{Effect: Allow, \
                Action: ["iam:ListMFADevices", "iam:DeactivateMFADevice"], \
                Resource: "arn:aws:iam::123456789012:user/${aws:username}"}, \
                {Effect: Allow, Action: "sts:AssumeRole", Resource: "*"}]}
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                      - name: creator
                        policies:
                          - name: OneDevice
                            document: {Version: "2012-10-17", Statement: [{Effect: Allow, \
                Action: "iam:CreateVirtualMFADevice", Resource: "arn:aws:iam::123456789012:mfa/allowed-device"}]}
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                    roles:
                      - name: mfa-only
                        trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, \
                Principal: {AWS: "arn:aws:iam::123456789012:user/owner"}, Action: "sts:AssumeRole", \
                Condition: {Bool: {"aws:MultiFactorAuthPresent": "true"}}}]}
                """.formatted(nobody.accessKeyId(), nobody.secretAccessKey(), owner.accessKeyId(),
                owner.secretAccessKey(), creator.accessKeyId(), creator.secretAccessKey()), UTF_8);
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir.resolve("node"),
                new InetSocketAddress("127.0.0.1", 0), ACCOUNT).withBootstrapFile(bootstrap).withClock(CLOCK));
        AccessKeyCredentials admin = node.initialAdmin().orElseThrow();
        iam = client(AwsBasicCredentials.create(admin.accessKey().accessKeyId(),
                admin.secretAccessKey().revealUtf8()));
    }

    @AfterAll
    static void stop() {
        iam.close();
        node.close();
    }

    private static URI endpoint() {
        return URI.create("http://127.0.0.1:" + node.address().getPort());
    }

    static IamClient client(AwsCredentials credentials) {
        return SdkClients.iam(node, credentials);
    }

    private static StsClient sts(AwsCredentials credentials) {
        return SdkClients.sts(node, credentials);
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    /** RFC 4648 base32 without padding, read as an authenticator app reads the seed. */
    private static Secret seedOf(VirtualMFADevice device) {
        String text = device.base32StringSeed().asUtf8String();
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
        return Secret.copyOf(out);
    }

    private static long now() {
        return Totp.timeStep(CLOCK.instant());
    }

    private static VirtualMFADevice createDevice(String name) {
        return iam.createVirtualMFADevice(r -> r.virtualMFADeviceName(name)).virtualMFADevice();
    }

    private static void enable(VirtualMFADevice device, String userName) {
        Secret seed = seedOf(device);
        iam.enableMFADevice(r -> r.userName(userName).serialNumber(device.serialNumber())
                .authenticationCode1(Totp.code(seed, now() - 1)).authenticationCode2(Totp.code(seed, now())));
    }

    private static String createUser(String name) {
        return iam.createUser(r -> r.userName(name)).user().arn();
    }

    // ---- the declared input shapes are the model's

    static Stream<Arguments> declaredShapes() {
        return Stream.of(IamMfaActions.CREATE_VIRTUAL_MFA_DEVICE_REQUEST, IamMfaActions.ENABLE_MFA_DEVICE_REQUEST,
                IamMfaActions.RESYNC_MFA_DEVICE_REQUEST, IamMfaActions.DEACTIVATE_MFA_DEVICE_REQUEST,
                IamMfaActions.LIST_MFA_DEVICES_REQUEST,
                IamMfaActions.LIST_VIRTUAL_MFA_DEVICES_REQUEST, IamMfaActions.DELETE_VIRTUAL_MFA_DEVICE_REQUEST,
                IamMfaActions.TAG_MFA_DEVICE_REQUEST, IamMfaActions.UNTAG_MFA_DEVICE_REQUEST,
                IamMfaActions.LIST_MFA_DEVICE_TAGS_REQUEST)
                .map(shape -> Arguments.of(shape.name(), shape));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("declaredShapes")
    void inputShape_matchesTheModel(String name, StructureShape shape) {
        assertThat(ShapeConformance.differences(shape, BotocoreData.iamModel()))
                .filteredOn(difference -> !SENSITIVE_CODE.covers(difference) && !OWN_PATH_CHECK.covers(difference))
                .isEmpty();
    }

    // ---- create, enable, list

    @Test
    void createVirtualMfaDevice_returnsTheSerialNumberSeedAndQrCode() throws Exception {
        VirtualMFADevice device = iam.createVirtualMFADevice(r -> r.virtualMFADeviceName("phone-1").path("/team/")
                .tags(tag("Owner", "team"))).virtualMFADevice();

        assertThat(device.serialNumber()).isEqualTo("arn:aws:iam::123456789012:mfa/team/phone-1");
        String base32 = device.base32StringSeed().asUtf8String();
        assertThat(base32).matches("[A-Z2-7]{32}");
        assertThat(device.tags()).containsExactly(tag("Owner", "team"));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(device.qrCodePNG().asByteArray()));
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        String uri = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)))).getText();
        assertThat(uri).isEqualTo("otpauth://totp/phone-1@123456789012?secret=" + base32);
    }

    @Test
    void enableMfaDevice_thenListMfaDevicesAndListVirtualMfaDevices_showItAssigned() {
        String userArn = createUser("enabled-user");
        VirtualMFADevice device = createDevice("enabled-phone");

        enable(device, "enabled-user");

        List<MFADevice> devices = iam.listMFADevices(r -> r.userName("ENABLED-USER")).mfaDevices();
        assertThat(devices).hasSize(1);
        assertThat(devices.get(0).userName()).isEqualTo("enabled-user");
        assertThat(devices.get(0).serialNumber()).isEqualTo(device.serialNumber());
        assertThat(devices.get(0).enableDate()).isEqualTo(CLOCK.instant().truncatedTo(ChronoUnit.SECONDS));
        VirtualMFADevice assigned = iam.listVirtualMFADevices(r -> r.assignmentStatus(AssignmentStatusType.ASSIGNED))
                .virtualMFADevices().stream()
                .filter(entry -> entry.serialNumber().equals(device.serialNumber()))
                .findFirst().orElseThrow();
        assertThat(assigned.user().arn()).isEqualTo(userArn);
        assertThat(assigned.user().userName()).isEqualTo("enabled-user");
        assertThat(assigned.enableDate()).isNotNull();
        assertThat(assigned.base32StringSeed()).isNull();
        assertThat(iam.listVirtualMFADevices(r -> r.assignmentStatus(AssignmentStatusType.UNASSIGNED))
                .virtualMFADevices()).extracting(VirtualMFADevice::serialNumber)
                .doesNotContain(device.serialNumber());
    }

    @Test
    void listVirtualMfaDevices_pagesWithMaxItemsAndMarker() {
        var created = new ArrayList<String>();
        for (int i = 0; i < 3; i++) {
            created.add(createDevice("paged-" + i).serialNumber());
        }

        var serials = new ArrayList<String>();
        String marker = null;
        do {
            String from = marker;
            ListVirtualMfaDevicesResponse page = iam.listVirtualMFADevices(r -> r.maxItems(2).marker(from));
            page.virtualMFADevices().forEach(device -> serials.add(device.serialNumber()));
            assertThat(page.virtualMFADevices()).hasSizeLessThanOrEqualTo(2);
            marker = page.isTruncated() ? page.marker() : null;
        } while (marker != null);

        assertThat(serials).containsAll(created).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void deactivateThenDelete_removesTheDevice() {
        createUser("leaving-user");
        VirtualMFADevice device = createDevice("leaving-phone");
        enable(device, "leaving-user");

        DeleteConflictException conflict = catchThrowableOfType(DeleteConflictException.class,
                () -> iam.deleteVirtualMFADevice(r -> r.serialNumber(device.serialNumber())));
        iam.deactivateMFADevice(r -> r.userName("leaving-user").serialNumber(device.serialNumber()));
        iam.deleteVirtualMFADevice(r -> r.serialNumber(device.serialNumber()));

        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(conflict.awsErrorDetails().errorMessage()).isEqualTo("MFA Device is still in use.");
        assertThat(iam.listMFADevices(r -> r.userName("leaving-user")).mfaDevices()).isEmpty();
        NoSuchEntityException gone = catchThrowableOfType(NoSuchEntityException.class,
                () -> iam.deleteVirtualMFADevice(r -> r.serialNumber(device.serialNumber())));
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.awsErrorDetails().errorMessage())
                .isEqualTo("MFA Device with serial number " + device.serialNumber() + " does not exist.");
    }

    @Test
    void mfaDeviceTags_tagUntagAndListWithPaging() {
        VirtualMFADevice device = createDevice("tagged-phone");

        iam.tagMFADevice(r -> r.serialNumber(device.serialNumber()).tags(tag("a", "1"), tag("b", "2"), tag("c", "3")));
        iam.untagMFADevice(r -> r.serialNumber(device.serialNumber()).tagKeys("B"));
        var first = iam.listMFADeviceTags(r -> r.serialNumber(device.serialNumber()).maxItems(1));
        var rest = iam.listMFADeviceTags(r -> r.serialNumber(device.serialNumber()).marker(first.marker()));

        assertThat(first.tags()).containsExactly(tag("a", "1"));
        assertThat(first.isTruncated()).isTrue();
        assertThat(rest.tags()).containsExactly(tag("c", "3"));
        assertThat(rest.isTruncated()).isFalse();
    }

    // ---- errors

    @Test
    void enableMfaDevice_wrongCodes_isInvalidAuthenticationCode403() {
        createUser("wrong-code-user");
        VirtualMFADevice device = createDevice("wrong-code-phone");
        Secret seed = seedOf(device);
        String second = Totp.code(seed, now());

        InvalidAuthenticationCodeException e = catchThrowableOfType(InvalidAuthenticationCodeException.class,
                () -> iam.enableMFADevice(r -> r.userName("wrong-code-user").serialNumber(device.serialNumber())
                        .authenticationCode1(second).authenticationCode2(second)));

        assertThat(e.statusCode()).isEqualTo(403);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Authentication code for device is not valid.");
    }

    @Test
    void enableMfaDevice_deviceInUse_isEntityAlreadyExists409() {
        createUser("first-user");
        createUser("second-user");
        VirtualMFADevice device = createDevice("shared-phone");
        enable(device, "first-user");

        EntityAlreadyExistsException e = catchThrowableOfType(EntityAlreadyExistsException.class,
                () -> enable(device, "second-user"));

        assertThat(e.statusCode()).isEqualTo(409);
    }

    @Test
    void enableMfaDevice_unknownDevice_isNoSuchEntity404() {
        createUser("no-device-user");

        NoSuchEntityException e = catchThrowableOfType(NoSuchEntityException.class,
                () -> iam.enableMFADevice(r -> r.userName("no-device-user")
                        .serialNumber("arn:aws:iam::123456789012:mfa/nothing").authenticationCode1("123456")
                        .authenticationCode2("654321")));

        assertThat(e.statusCode()).isEqualTo(404);
    }

    @Test
    void enableMfaDevice_fiveDigitCode_isValidationErrorThatDoesNotEchoIt() {
        IamException e = catchThrowableOfType(IamException.class,
                () -> iam.enableMFADevice(r -> r.userName("admin").serialNumber("arn:aws:iam::123456789012:mfa/x1")
                        .authenticationCode1("98765").authenticationCode2("987654")));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        assertThat(e.awsErrorDetails().errorMessage()).contains("authenticationCode1").doesNotContain("98765");
    }

    @Test
    void createVirtualMfaDevice_pathWithoutItsSlashes_isValidationErrorInIamsOwnWords() {
        for (String path : List.of("invalid-path/", "/invalid-path")) {
            IamException e = catchThrowableOfType(IamException.class, () -> iam.createVirtualMFADevice(r -> r
                    .virtualMFADeviceName("path-phone").path(path)));

            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The specified value for path is invalid. It "
                    + "must begin and end with / and contain only alphanumeric characters and/or / characters.");
        }
    }

    @Test
    void listVirtualMfaDevices_markerThatIsNotOurs_isValidationError400() {
        IamException e = catchThrowableOfType(IamException.class,
                () -> iam.listVirtualMFADevices(r -> r.marker("%%not-a-marker")));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Invalid Marker.");
    }

    @Test
    void createVirtualMfaDevice_nameTaken_isEntityAlreadyExists409() {
        createDevice("twice-phone");

        EntityAlreadyExistsException e = catchThrowableOfType(EntityAlreadyExistsException.class,
                () -> createDevice("TWICE-phone"));

        assertThat(e.statusCode()).isEqualTo(409);
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("MFA device already exists.");
    }

    // ---- MFA in STS

    @Test
    void assumeRoleRequiringMfa_isAllowedOnlyWithAValidUnusedCode() {
        VirtualMFADevice device = createDevice("owner-phone");
        enable(device, "owner");
        Secret seed = seedOf(device);
        CLOCK.advance(Duration.ofSeconds(30));
        String code = Totp.code(seed, now());

        try (StsClient sts = sts(owner)) {
            StsException withoutMfa = catchThrowableOfType(StsException.class,
                    () -> sts.assumeRole(r -> r.roleArn(MFA_ONLY_ROLE).roleSessionName("no-mfa")));
            Credentials credentials = sts.assumeRole(r -> r.roleArn(MFA_ONLY_ROLE).roleSessionName("with-mfa")
                    .serialNumber(device.serialNumber()).tokenCode(code)).credentials();
            StsException replay = catchThrowableOfType(StsException.class,
                    () -> sts.assumeRole(r -> r.roleArn(MFA_ONLY_ROLE).roleSessionName("replay")
                            .serialNumber(device.serialNumber()).tokenCode(code)));

            assertThat(withoutMfa.statusCode()).isEqualTo(403);
            assertThat(withoutMfa.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            try (StsClient session = sts(AwsSessionCredentials.create(credentials.accessKeyId(),
                    credentials.secretAccessKey(), credentials.sessionToken()))) {
                assertThat(session.getCallerIdentity().arn())
                        .isEqualTo("arn:aws:sts::123456789012:assumed-role/mfa-only/with-mfa");
            }
            assertThat(replay.statusCode()).isEqualTo(403);
            assertThat(replay.awsErrorDetails().errorMessage())
                    .isEqualTo("MultiFactorAuthentication failed with invalid MFA one time pass code.");
        }
        try (IamClient asOwner = client(owner)) {
            assertThat(asOwner.listMFADevices().mfaDevices())
                    .extracting(MFADevice::serialNumber).containsExactly(device.serialNumber());
        }
    }

    @Test
    void resyncMfaDevice_codesTenStepsAhead_thenAssumeRoleTakesTheDevicesCodes() {
        VirtualMFADevice device = createDevice("owner-fast-phone");
        enable(device, "owner");
        Secret seed = seedOf(device);
        CLOCK.advance(Duration.ofSeconds(60));

        try (StsClient sts = sts(owner)) {
            StsException beforeResync = catchThrowableOfType(StsException.class,
                    () -> sts.assumeRole(r -> r.roleArn(MFA_ONLY_ROLE).roleSessionName("drifted")
                            .serialNumber(device.serialNumber()).tokenCode(Totp.code(seed, now() + 10))));
            iam.resyncMFADevice(r -> r.userName("owner").serialNumber(device.serialNumber())
                    .authenticationCode1(Totp.code(seed, now() + 9)).authenticationCode2(Totp.code(seed, now() + 10)));
            CLOCK.advance(Duration.ofSeconds(30));
            String deviceCode = Totp.code(seed, now() + 10);
            Credentials credentials = sts.assumeRole(r -> r.roleArn(MFA_ONLY_ROLE).roleSessionName("resynced")
                    .serialNumber(device.serialNumber()).tokenCode(deviceCode)).credentials();
            StsException replay = catchThrowableOfType(StsException.class,
                    () -> sts.assumeRole(r -> r.roleArn(MFA_ONLY_ROLE).roleSessionName("replay")
                            .serialNumber(device.serialNumber()).tokenCode(deviceCode)));

            assertThat(beforeResync.statusCode()).isEqualTo(403);
            assertThat(beforeResync.awsErrorDetails().errorMessage())
                    .isEqualTo("MultiFactorAuthentication failed with invalid MFA one time pass code.");
            assertThat(credentials.accessKeyId()).isNotEmpty();
            assertThat(replay.statusCode()).isEqualTo(403);
        }
    }

    @Test
    void resyncMfaDevice_wrongCodes_isInvalidAuthenticationCode403() {
        createUser("resync-user");
        VirtualMFADevice device = createDevice("resync-phone");
        enable(device, "resync-user");
        String code = Totp.code(seedOf(device), now() + 5);

        InvalidAuthenticationCodeException e = catchThrowableOfType(InvalidAuthenticationCodeException.class,
                () -> iam.resyncMFADevice(r -> r.userName("resync-user").serialNumber(device.serialNumber())
                        .authenticationCode1(code).authenticationCode2(code)));

        assertThat(e.statusCode()).isEqualTo(403);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Authentication code for device is not valid.");
    }

    @Test
    void resyncMfaDevice_deviceOfAnotherUser_isNoSuchEntity404() {
        createUser("resync-other-user");
        VirtualMFADevice device = createDevice("resync-unassigned-phone");

        NoSuchEntityException e = catchThrowableOfType(NoSuchEntityException.class,
                () -> iam.resyncMFADevice(r -> r.userName("resync-other-user").serialNumber(device.serialNumber())
                        .authenticationCode1("123456").authenticationCode2("654321")));

        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("MFA Device with serial number "
                + device.serialNumber() + " is not enabled for user resync-other-user.");
    }

    // ---- authorization

    record Call(String name, Consumer<IamClient> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Call> mfaCalls() {
        String serial = "arn:aws:iam::123456789012:mfa/anything";
        return Stream.of(
                new Call("CreateVirtualMFADevice", c -> c.createVirtualMFADevice(
                        r -> r.virtualMFADeviceName("denied"))),
                new Call("EnableMFADevice", c -> c.enableMFADevice(r -> r.userName("admin").serialNumber(serial)
                        .authenticationCode1("123456").authenticationCode2("654321"))),
                new Call("ResyncMFADevice", c -> c.resyncMFADevice(r -> r.userName("admin").serialNumber(serial)
                        .authenticationCode1("123456").authenticationCode2("654321"))),
                new Call("DeactivateMFADevice", c -> c.deactivateMFADevice(r -> r.userName("admin")
                        .serialNumber(serial))),
                new Call("ListMFADevices", c -> c.listMFADevices(r -> r.userName("admin"))),
                new Call("ListVirtualMFADevices", IamClient::listVirtualMFADevices),
                new Call("DeleteVirtualMFADevice", c -> c.deleteVirtualMFADevice(r -> r.serialNumber(serial))),
                new Call("TagMFADevice", c -> c.tagMFADevice(r -> r.serialNumber(serial).tags(tag("k", "v")))),
                new Call("UntagMFADevice", c -> c.untagMFADevice(r -> r.serialNumber(serial).tagKeys("k"))),
                new Call("ListMFADeviceTags", c -> c.listMFADeviceTags(r -> r.serialNumber(serial))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mfaCalls")
    void userWithoutAnyPolicy_isAccessDenied403(Call call) {
        try (IamClient client = client(nobody)) {
            IamException e = catchThrowableOfType(IamException.class, () -> call.call().accept(client));

            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            // A device is printed as its ARN, a user as IAM prints one: "user admin".
            assertThat(e.awsErrorDetails().errorMessage()).matches(Pattern.quote("User: arn:aws:iam::123456789012:"
                    + "user/nobody is not authorized to perform: iam:" + call.name() + " on resource: ")
                    + "(arn:aws:iam::123456789012:mfa/\\S+|user admin) because no identity-based policy allows the "
                    + Pattern.quote("iam:" + call.name()) + " action\\. Encoded authorization failure message: .+");
        }
    }

    @Test
    void policyAllowingOneActionOnOneDevice_allowsThatAndNothingElse() {
        try (IamClient client = client(creator)) {
            VirtualMFADevice device = client.createVirtualMFADevice(r -> r.virtualMFADeviceName("allowed-device"))
                    .virtualMFADevice();

            assertThat(device.serialNumber()).isEqualTo("arn:aws:iam::123456789012:mfa/allowed-device");
            for (Runnable denied : List.<Runnable>of(
                    () -> client.createVirtualMFADevice(r -> r.virtualMFADeviceName("other-device")),
                    () -> client.createVirtualMFADevice(r -> r.virtualMFADeviceName("allowed-device").path("/x/")),
                    () -> client.listVirtualMFADevices(),
                    () -> client.deleteVirtualMFADevice(r -> r.serialNumber(device.serialNumber())))) {
                IamException e = catchThrowableOfType(IamException.class, denied::run);
                assertThat(e.statusCode()).isEqualTo(403);
            }
        }
    }

    @Test
    void listMfaDevices_withoutAUserName_isTheCallers() {
        VirtualMFADevice device = createDevice("admin-phone");
        enable(device, "admin");

        assertThat(iam.listMFADevices().mfaDevices()).extracting(MFADevice::userName, MFADevice::serialNumber)
                .containsExactly(tuple("admin", device.serialNumber()));
    }

    @Test
    void policyOnTheUsersOwnArn_allowsListingItsDevicesAndNoOneElses() {
        try (IamClient asOwner = client(owner)) {
            asOwner.listMFADevices(r -> r.userName("owner"));
            asOwner.listMFADevices();

            IamException e = catchThrowableOfType(IamException.class,
                    () -> asOwner.listMFADevices(r -> r.userName("admin")));
            assertThat(e.statusCode()).isEqualTo(403);
        }
    }

    // ---- audit

    /**
     * Detection rules key on {@code sessionContext.attributes.mfaAuthenticated} and
     * {@code sessionContext.sessionIssuer.arn}: a call with MFA-proven credentials says so, and names who issued them.
     */
    @Test
    void auditEvents_ofCallsWithMfaSessions_sayMfaAuthenticatedAndNameTheIssuer() throws Exception {
        VirtualMFADevice device = createDevice("owner-audited-phone");
        enable(device, "owner");
        Secret seed = seedOf(device);
        CLOCK.advance(Duration.ofSeconds(30));
        String userCode = Totp.code(seed, now());
        CLOCK.advance(Duration.ofSeconds(30));
        String roleCode = Totp.code(seed, now());
        Credentials userSession;
        Credentials roleSession;
        try (StsClient sts = sts(owner)) {
            userSession = sts.getSessionToken(r -> r.serialNumber(device.serialNumber()).tokenCode(userCode))
                    .credentials();
            roleSession = sts.assumeRole(r -> r.roleArn(MFA_ONLY_ROLE).roleSessionName("audited")
                    .serialNumber(device.serialNumber()).tokenCode(roleCode)).credentials();
        }

        List<JsonNode> events = audited(() -> {
            for (Credentials credentials : List.of(userSession, roleSession)) {
                try (StsClient session = sts(AwsSessionCredentials.create(credentials.accessKeyId(),
                        credentials.secretAccessKey(), credentials.sessionToken()))) {
                    session.getCallerIdentity();
                }
            }
        });

        assertThat(events).hasSize(2);
        JsonNode user = events.get(0).get("userIdentity");
        assertThat(user.get("type").asText()).isEqualTo("IAMUser");
        assertThat(user.get("userName").asText()).isEqualTo("owner");
        assertThat(user.get("accessKeyId").asText()).isEqualTo(userSession.accessKeyId());
        assertThat(user.at("/sessionContext/attributes/mfaAuthenticated").asText()).isEqualTo("true");
        JsonNode role = events.get(1).get("userIdentity");
        assertThat(role.get("type").asText()).isEqualTo("AssumedRole");
        assertThat(role.at("/sessionContext/sessionIssuer/arn").asText()).isEqualTo(MFA_ONLY_ROLE);
        assertThat(role.at("/sessionContext/sessionIssuer/userName").asText()).isEqualTo("mfa-only");
        assertThat(role.at("/sessionContext/attributes/mfaAuthenticated").asText()).isEqualTo("true");
        assertThat(role.at("/sessionContext/attributes/creationDate").asText())
                .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        assertThat(events.toString())
                .doesNotContain(userSession.sessionToken()).doesNotContain(roleSession.sessionToken())
                .doesNotContain(userSession.secretAccessKey()).doesNotContain(roleSession.secretAccessKey());
    }

    /** The audit events {@code calls} writes, parsed. */
    private static List<JsonNode> audited(Runnable calls) throws Exception {
        Logger audit = (Logger) LoggerFactory.getLogger("opensts.audit");
        Level level = audit.getLevel();
        var events = new ListAppender<ILoggingEvent>();
        events.start();
        audit.addAppender(events);
        audit.setLevel(Level.INFO);
        try {
            calls.run();
        } finally {
            audit.setLevel(level);
            audit.detachAppender(events);
        }
        var parsed = new ArrayList<JsonNode>();
        for (ILoggingEvent event : events.list) {
            parsed.add(new ObjectMapper().readTree(event.getFormattedMessage()));
        }
        return parsed;
    }

    @Test
    void auditEvents_holdNeitherTheSeedNorTheCodes() {
        createUser("audited-user");
        Logger audit = (Logger) LoggerFactory.getLogger("opensts.audit");
        Level level = audit.getLevel();
        var events = new ListAppender<ILoggingEvent>();
        events.start();
        audit.addAppender(events);
        audit.setLevel(Level.INFO);
        VirtualMFADevice device;
        String code1;
        String code2;
        try {
            device = createDevice("audited-phone");
            Secret seed = seedOf(device);
            code1 = Totp.code(seed, now() - 1);
            code2 = Totp.code(seed, now());
            iam.enableMFADevice(r -> r.userName("audited-user").serialNumber(device.serialNumber())
                    .authenticationCode1(code1).authenticationCode2(code2));
        } finally {
            audit.setLevel(level);
            audit.detachAppender(events);
        }

        String log = String.join("\n", events.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        assertThat(log).contains("CreateVirtualMFADevice", "EnableMFADevice", device.serialNumber())
                .doesNotContain(device.base32StringSeed().asUtf8String())
                .doesNotContain(Base64.getEncoder().encodeToString(device.base32StringSeed().asByteArray()))
                // Quoted, as a JSON value would be: six digits alone may occur inside an id or the account number.
                .doesNotContain("\"" + code1 + "\"")
                .doesNotContain("\"" + code2 + "\"");
    }
}
