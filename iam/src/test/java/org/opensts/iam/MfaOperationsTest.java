package org.opensts.iam;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opensts.iam.MfaOperations.NewVirtualMfaDevice;
import org.opensts.iam.MfaOperations.VirtualMfaDevice;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.testing.MutableClock;
import org.opensts.token.Secret;

class MfaOperationsTest {
    private static final String ACCOUNT = "123456789012";
    private static final String OTHER_ACCOUNT = "210987654321";
    private static final String SERIAL = "arn:aws:iam::123456789012:mfa/alice-phone";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:10Z"));
    private final JdbcIdentityStore store = TestStores.inMemory(TestStores.newMasterKey(), clock);
    private final IamService iam = new IamService(store, clock, new SecureRandom());
    private final MfaOperations mfa = iam.mfa();

    MfaOperationsTest() {
        iam.accounts().createAccount(ACCOUNT);
        iam.accounts().createAccount(OTHER_ACCOUNT);
        iam.users().createUser(ACCOUNT, CreateUserRequest.named("alice"));
        iam.users().createUser(ACCOUNT, CreateUserRequest.named("bob"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static ApiException rejection(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("the call succeeded");
    }

    /** RFC 4648 base32 without padding, as an authenticator app reads the seed. */
    static Secret base32Decode(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var out = new byte[text.length() * 5 / 8];
        long buffer = 0;
        int bits = 0;
        int o = 0;
        for (char c : text.toCharArray()) {
            int value = alphabet.indexOf(c);
            assertThat(value).as("base32 character %s", c).isNotNegative();
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                out[o++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
        }
        return Secret.copyOf(out);
    }

    private Secret seedOf(NewVirtualMfaDevice device) {
        return base32Decode(device.base32StringSeed().revealUtf8());
    }

    private long now() {
        return Totp.timeStep(clock.instant());
    }

    private NewVirtualMfaDevice create(String name) {
        return mfa.createVirtualMfaDevice(ACCOUNT, name, Optional.empty(), List.of());
    }

    /** Enables a device for a user with the codes of the previous and the current time step. */
    private void enable(NewVirtualMfaDevice device, String userName) {
        Secret seed = seedOf(device);
        mfa.enableMfaDevice(ACCOUNT, userName, device.device().serialNumber(), Totp.code(seed, now() - 1),
                Totp.code(seed, now()));
    }

    // ---- CreateVirtualMFADevice

    @Test
    void createVirtualMfaDevice_serialNumberIsTheArnOfItsPathAndName() {
        NewVirtualMfaDevice created = mfa.createVirtualMfaDevice(ACCOUNT, "alice-phone", Optional.of("/team/"),
                List.of(new Tag("Owner", "alice")));
        MfaDevice device = created.device();

        assertThat(device.serialNumber()).isEqualTo("arn:aws:iam::123456789012:mfa/team/alice-phone");
        assertThat(device.deviceName()).isEqualTo("alice-phone");
        assertThat(device.path()).isEqualTo("/team/");
        assertThat(device.isEnabled()).isFalse();
        assertThat(device.createDate()).isEqualTo(clock.instant());
        assertThat(device.tags()).containsExactly(new Tag("Owner", "alice"));
        assertThat(store.findMfaDevice(device.serialNumber())).contains(device);
    }

    @Test
    void createVirtualMfaDevice_seedIsTwentyRandomBytes_keptSealedByTheStore() {
        NewVirtualMfaDevice first = create("alice-phone");
        NewVirtualMfaDevice second = create("bob-phone");

        String base32 = first.base32StringSeed().revealUtf8();
        assertThat(base32).matches("[A-Z2-7]{32}");
        assertThat(seedOf(first).revealBytes()).hasSize(20)
                .isEqualTo(store.findMfaSeed(SERIAL).orElseThrow().revealBytes());
        assertThat(seedOf(second).revealBytes()).isNotEqualTo(seedOf(first).revealBytes());
    }

    @Test
    void createVirtualMfaDevice_qrCodeIsAPngOfTheProvisioningUri() throws Exception {
        NewVirtualMfaDevice created = create("alice-phone");

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(created.qrCodePng().revealBytes()));
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        String text = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)))).getText();

        assertThat(text).isEqualTo("otpauth://totp/alice-phone@123456789012?secret="
                + created.base32StringSeed().revealUtf8());
    }

    @Test
    void newVirtualMfaDevice_toString_showsNoSeed() {
        NewVirtualMfaDevice created = create("alice-phone");

        assertThat(created.toString()).contains(SERIAL)
                .doesNotContain(created.base32StringSeed().revealUtf8());
    }

    @Test
    void createVirtualMfaDevice_nameTakenInAnotherCase_isEntityAlreadyExists() {
        create("alice-phone");

        ApiException e = rejection(() -> create("Alice-Phone"));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ENTITY_ALREADY_EXISTS);
        assertThat(e.getMessage()).isEqualTo("MFA device already exists.");
    }

    @Test
    void createVirtualMfaDevice_sameNameOnAnotherPath_isAnotherDevice() {
        create("alice-phone");

        NewVirtualMfaDevice other = mfa.createVirtualMfaDevice(ACCOUNT, "alice-phone", Optional.of("/spare/"),
                List.of());

        assertThat(other.device().serialNumber()).isEqualTo("arn:aws:iam::123456789012:mfa/spare/alice-phone");
    }

    // ---- EnableMFADevice

    @Test
    void enableMfaDevice_twoConsecutiveCodes_enableItForTheUser() {
        NewVirtualMfaDevice created = create("alice-phone");

        enable(created, "alice");

        MfaDevice device = store.findMfaDevice(SERIAL).orElseThrow();
        User alice = iam.users().getUser(ACCOUNT, "alice");
        assertThat(device.userId()).contains(alice.userId());
        assertThat(device.enableDate()).contains(clock.instant());
        assertThat(device.lastTimeStep()).isEqualTo(now());
        assertThat(mfa.listMfaDevices(ACCOUNT, "ALICE", Optional.empty(), Optional.empty()).items())
                .containsExactly(device);
    }

    @Test
    void enableMfaDevice_codesTypedSlowly_areAccepted() {
        NewVirtualMfaDevice created = create("alice-phone");
        Secret seed = seedOf(created);

        mfa.enableMfaDevice(ACCOUNT, "alice", SERIAL, Totp.code(seed, now() - 4), Totp.code(seed, now() - 3));

        assertThat(store.findMfaDevice(SERIAL).orElseThrow().lastTimeStep()).isEqualTo(now() - 3);
    }

    record BadCodes(String name, long firstStep, long secondStep, boolean otherSeed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadCodes> codesThatDoNotEnable() {
        return Stream.of(
                new BadCodes("the same code twice", 0, 0, false),
                new BadCodes("consecutive codes in the wrong order", 0, -1, false),
                new BadCodes("codes one step apart but not consecutive", -2, 0, false),
                new BadCodes("consecutive codes from three minutes ago", -6, -5, false),
                new BadCodes("consecutive codes from two steps in the future", 1, 2, false),
                new BadCodes("consecutive codes of another device", -1, 0, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codesThatDoNotEnable")
    void enableMfaDevice_codesThatAreNotTwoConsecutiveCodesNow_areInvalidAuthenticationCode(BadCodes codes) {
        NewVirtualMfaDevice created = create("alice-phone");
        Secret seed = codes.otherSeed() ? seedOf(create("other")) : seedOf(created);

        ApiException e = rejection(() -> mfa.enableMfaDevice(ACCOUNT, "alice", SERIAL,
                Totp.code(seed, now() + codes.firstStep()), Totp.code(seed, now() + codes.secondStep())));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_AUTHENTICATION_CODE);
        assertThat(e.errorCode().httpStatus()).isEqualTo(403);
        assertThat(e.getMessage()).isEqualTo("Authentication code for device is not valid.");
        assertThat(store.findMfaDevice(SERIAL).orElseThrow().isEnabled()).isFalse();
    }

    @Test
    void enableMfaDevice_againAfterDeactivation_withTheSameCodes_isRefusedAsAReplay() {
        NewVirtualMfaDevice created = create("alice-phone");
        Secret seed = seedOf(created);
        String first = Totp.code(seed, now() - 1);
        String second = Totp.code(seed, now());
        mfa.enableMfaDevice(ACCOUNT, "alice", SERIAL, first, second);
        mfa.deactivateMfaDevice(ACCOUNT, "alice", SERIAL);

        ApiException e = rejection(() -> mfa.enableMfaDevice(ACCOUNT, "bob", SERIAL, first, second));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_AUTHENTICATION_CODE);
        clock.advance(Duration.ofSeconds(60));
        enable(created, "bob");
        assertThat(store.findMfaDevice(SERIAL).orElseThrow().userId())
                .contains(iam.users().getUser(ACCOUNT, "bob").userId());
    }

    @Test
    void enableMfaDevice_deviceEnabledAlready_isEntityAlreadyExists() {
        NewVirtualMfaDevice created = create("alice-phone");
        enable(created, "alice");
        clock.advance(Duration.ofSeconds(60));

        ApiException e = rejection(() -> enable(created, "bob"));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ENTITY_ALREADY_EXISTS);
        assertThat(e.getMessage()).isEqualTo("MFA Device is already in use.");
    }

    @Test
    void enableMfaDevice_ninthDeviceOfAUser_isLimitExceeded() {
        for (int i = 0; i < MfaOperations.MAX_MFA_DEVICES_PER_USER; i++) {
            enable(create("device" + i), "alice");
        }
        NewVirtualMfaDevice ninth = create("device8");

        ApiException e = rejection(() -> enable(ninth, "alice"));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThat(e.getMessage()).isEqualTo("Cannot exceed quota for MFADevicesPerUser: 8");
    }

    /** A call refused with an error code and message. */
    record Refusal(String name, Consumer<MfaOperations> call, ErrorCode code, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Refusal> refusals() {
        String noDevice = "MFA Device with serial number " + SERIAL + " does not exist.";
        return Stream.of(
                new Refusal("a device name with a space breaks the pattern",
                        mfa -> mfa.createVirtualMfaDevice(ACCOUNT, "alice phone", Optional.empty(), List.of()),
                        ErrorCode.VALIDATION_ERROR, "1 validation error detected: Value at "
                                + "'virtualMFADeviceName' failed to satisfy constraint: Member must satisfy regular "
                                + "expression pattern: [\\w+=,.@-]+"),
                new Refusal("a path without its trailing slash is a ValidationError in IAM's own words",
                        mfa -> mfa.createVirtualMfaDevice(ACCOUNT, "phone", Optional.of("/team"), List.of()),
                        ErrorCode.VALIDATION_ERROR, "The specified value for path is invalid. It must begin and end "
                                + "with / and contain only alphanumeric characters and/or / characters."),
                new Refusal("a path without its leading slash is a ValidationError in IAM's own words",
                        mfa -> mfa.createVirtualMfaDevice(ACCOUNT, "phone", Optional.of("team/"), List.of()),
                        ErrorCode.VALIDATION_ERROR, "The specified value for path is invalid. It must begin and end "
                                + "with / and contain only alphanumeric characters and/or / characters."),
                new Refusal("a path longer than 512 characters breaks the model's length",
                        mfa -> mfa.createVirtualMfaDevice(ACCOUNT, "phone", Optional.of("/" + "p".repeat(511) + "/"),
                                List.of()),
                        ErrorCode.VALIDATION_ERROR, "1 validation error detected: Value at 'path' failed to satisfy "
                                + "constraint: Member must have length less than or equal to 512"),
                new Refusal("a serial number longer than 256 characters is InvalidInput",
                        mfa -> mfa.createVirtualMfaDevice(ACCOUNT, "n".repeat(230), Optional.empty(), List.of()),
                        ErrorCode.INVALID_INPUT, "The serial number of the device, arn:aws:iam::123456789012:mfa/nnn"),
                new Refusal("an account that does not exist is NoSuchEntity",
                        mfa -> mfa.createVirtualMfaDevice("999999999999", "phone", Optional.empty(), List.of()),
                        ErrorCode.NO_SUCH_ENTITY, "The account 999999999999 cannot be found."),
                new Refusal("enabling for a user that does not exist is NoSuchEntity",
                        mfa -> mfa.enableMfaDevice(ACCOUNT, "carol", SERIAL, "123456", "654321"),
                        ErrorCode.NO_SUCH_ENTITY, "The user with name carol cannot be found."),
                new Refusal("enabling a device that does not exist is NoSuchEntity",
                        mfa -> mfa.enableMfaDevice(ACCOUNT, "alice", SERIAL, "123456", "654321"),
                        ErrorCode.NO_SUCH_ENTITY, noDevice),
                new Refusal("enabling a device of another account is NoSuchEntity",
                        mfa -> mfa.enableMfaDevice(ACCOUNT, "alice", "arn:aws:iam::210987654321:mfa/phone",
                                "123456", "654321"),
                        ErrorCode.NO_SUCH_ENTITY, "MFA Device with serial number "
                                + "arn:aws:iam::210987654321:mfa/phone does not exist."),
                new Refusal("a code of five digits is a ValidationError that does not echo it",
                        mfa -> mfa.enableMfaDevice(ACCOUNT, "alice", SERIAL, "12345", "123456"),
                        ErrorCode.VALIDATION_ERROR, "1 validation error detected: Value at 'authenticationCode1' "
                                + "failed to satisfy constraint: Member must have length greater than or equal to 6"),
                new Refusal("a code with a letter is a ValidationError that does not echo it",
                        mfa -> mfa.enableMfaDevice(ACCOUNT, "alice", SERIAL, "123456", "12345a"),
                        ErrorCode.VALIDATION_ERROR, "1 validation error detected: Value at 'authenticationCode2' "
                                + "failed to satisfy constraint: Member must satisfy regular expression pattern"),
                new Refusal("a serial number shorter than 9 characters is a ValidationError",
                        mfa -> mfa.deleteVirtualMfaDevice(ACCOUNT, "GAHT1234"),
                        ErrorCode.VALIDATION_ERROR, "1 validation error detected: Value at 'serialNumber'"),
                new Refusal("deactivating a device that does not exist is NoSuchEntity",
                        mfa -> mfa.deactivateMfaDevice(ACCOUNT, "alice", SERIAL),
                        ErrorCode.NO_SUCH_ENTITY, noDevice),
                new Refusal("deleting a device that does not exist is NoSuchEntity",
                        mfa -> mfa.deleteVirtualMfaDevice(ACCOUNT, SERIAL),
                        ErrorCode.NO_SUCH_ENTITY, noDevice),
                new Refusal("listing the devices of a user that does not exist is NoSuchEntity",
                        mfa -> mfa.listMfaDevices(ACCOUNT, "carol", Optional.empty(), Optional.empty()),
                        ErrorCode.NO_SUCH_ENTITY, "The user with name carol cannot be found."),
                new Refusal("an assignment status outside the enum is a ValidationError",
                        mfa -> mfa.listVirtualMfaDevices(ACCOUNT, Optional.of("Enabled"), Optional.empty(),
                                Optional.empty()),
                        ErrorCode.VALIDATION_ERROR, "1 validation error detected: Value at 'assignmentStatus' failed "
                                + "to satisfy constraint: Member must satisfy enum value set"),
                new Refusal("a marker that is not ours is a ValidationError",
                        mfa -> mfa.listVirtualMfaDevices(ACCOUNT, Optional.empty(), Optional.of("!!"),
                                Optional.empty()),
                        ErrorCode.VALIDATION_ERROR, "Invalid Marker."),
                new Refusal("tagging a device that does not exist is NoSuchEntity",
                        mfa -> mfa.tagMfaDevice(ACCOUNT, SERIAL, List.of(new Tag("k", "v"))),
                        ErrorCode.NO_SUCH_ENTITY, noDevice),
                new Refusal("listing the tags of a device that does not exist is NoSuchEntity",
                        mfa -> mfa.listMfaDeviceTags(ACCOUNT, SERIAL, Optional.empty(), Optional.empty()),
                        ErrorCode.NO_SUCH_ENTITY, noDevice));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusal(Refusal refusal) {
        ApiException e = rejection(() -> refusal.call().accept(mfa));

        assertThat(e.errorCode()).as(e.getMessage()).isEqualTo(refusal.code());
        assertThat(e.getMessage()).startsWith(refusal.message());
    }

    // ---- ResyncMFADevice

    /** Enables alice's phone and moves a minute on, so that the enabling codes are in the past. */
    private Secret enabledPhone() {
        NewVirtualMfaDevice created = create("alice-phone");
        enable(created, "alice");
        clock.advance(Duration.ofSeconds(60));
        return seedOf(created);
    }

    private void resync(Secret seed, long firstStep, long secondStep) {
        mfa.resyncMfaDevice(ACCOUNT, "alice", SERIAL, Totp.code(seed, firstStep), Totp.code(seed, secondStep));
    }

    private static void assertInvalidAuthenticationCode(ApiException e) {
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_AUTHENTICATION_CODE);
        assertThat(e.errorCode().httpStatus()).isEqualTo(403);
        assertThat(e.getMessage()).isEqualTo("Authentication code for device is not valid.");
    }

    @Test
    void resyncMfaDevice_codesTenStepsAhead_thenTheDevicesCodesAreAcceptedAndOurClocksAreNot() {
        Secret seed = enabledPhone();
        var verifier = new TotpVerifier(store);
        String userId = iam.users().getUser(ACCOUNT, "alice").userId();
        String beforeResync = Totp.code(seed, now() + 10);
        assertThat(rejection(() -> verifier.check(Optional.of(userId), SERIAL, beforeResync, clock.instant()))
                .getMessage()).isEqualTo(TotpVerifier.INVALID_CODE);

        resync(seed, now() + 9, now() + 10);
        clock.advance(Duration.ofSeconds(30));

        MfaDevice device = store.findMfaDevice(SERIAL).orElseThrow();
        assertThat(device.stepOffset()).isEqualTo(10);
        assertThat(device.lastTimeStep()).isEqualTo(now() + 9);
        verifier.spend(verifier.check(Optional.of(userId), SERIAL, Totp.code(seed, now() + 10), clock.instant()));
        assertThat(rejection(() -> verifier.check(Optional.of(userId), SERIAL, Totp.code(seed, now() + 10),
                clock.instant())).getMessage()).isEqualTo(TotpVerifier.INVALID_CODE);
        clock.advance(Duration.ofSeconds(30));
        assertThat(rejection(() -> verifier.check(Optional.of(userId), SERIAL, Totp.code(seed, now()),
                clock.instant())).getMessage()).isEqualTo(TotpVerifier.INVALID_CODE);
        verifier.spend(verifier.check(Optional.of(userId), SERIAL, Totp.code(seed, now() + 10), clock.instant()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(longs = {-60, -10, -2, 0, 2, 10, 60})
    void resyncMfaDevice_codesWithinHalfAnHourOfOurClock_setTheOffsetOfTheSecond(long stepsAway) {
        Secret seed = enabledPhone();
        // Codes of a device that runs behind are newer than the last accepted only once that is long past.
        clock.advance(Duration.ofHours(2));

        resync(seed, now() + stepsAway - 1, now() + stepsAway);

        assertThat(store.findMfaDevice(SERIAL).orElseThrow().stepOffset()).isEqualTo(stepsAway);
    }

    static Stream<BadCodes> codesThatDoNotResync() {
        return Stream.of(
                new BadCodes("the same code twice", 10, 10, false),
                new BadCodes("consecutive codes in the wrong order", 11, 10, false),
                new BadCodes("codes two steps apart", 8, 10, false),
                new BadCodes("consecutive codes beyond the window ahead", 61, 62, false),
                new BadCodes("consecutive codes beyond the window behind", -62, -61, false),
                new BadCodes("consecutive codes of another device", 9, 10, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codesThatDoNotResync")
    void resyncMfaDevice_codesThatAreNotTwoConsecutiveCodesInTheWindow_areInvalidAuthenticationCode(BadCodes codes) {
        Secret seed = enabledPhone();
        Secret used = codes.otherSeed() ? seedOf(create("other")) : seed;

        assertInvalidAuthenticationCode(rejection(() -> resync(used, now() + codes.firstStep(),
                now() + codes.secondStep())));
        assertThat(store.findMfaDevice(SERIAL).orElseThrow().stepOffset()).isZero();
    }

    @Test
    void resyncMfaDevice_sameCodesTwice_theSecondIsRefusedAsAReplay() {
        Secret seed = enabledPhone();
        resync(seed, now() + 9, now() + 10);

        assertInvalidAuthenticationCode(rejection(() -> resync(seed, now() + 9, now() + 10)));
    }

    @Test
    void resyncMfaDevice_codesNotNewerThanTheLastAccepted_areRefused() {
        Secret seed = enabledPhone();
        long enablingStep = now() - 2;

        assertInvalidAuthenticationCode(rejection(() -> resync(seed, enablingStep - 1, enablingStep)));
    }

    @Test
    void resyncMfaDevice_deviceNotEnabledForTheUser_isNoSuchEntity() {
        enabledPhone();
        Secret other = seedOf(create("bob-phone"));
        String bobSerial = "arn:aws:iam::123456789012:mfa/bob-phone";

        ApiException e = rejection(() -> mfa.resyncMfaDevice(ACCOUNT, "bob", SERIAL, "123456", "654321"));
        ApiException unassigned = rejection(() -> mfa.resyncMfaDevice(ACCOUNT, "alice", bobSerial,
                Totp.code(other, now() - 1), Totp.code(other, now())));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.NO_SUCH_ENTITY);
        assertThat(e.getMessage()).isEqualTo("MFA Device with serial number " + SERIAL
                + " is not enabled for user bob.");
        assertThat(unassigned.errorCode()).isEqualTo(ErrorCode.NO_SUCH_ENTITY);
    }

    @Test
    void resyncMfaDevice_unknownUserOrDevice_isNoSuchEntity() {
        enabledPhone();

        assertThat(rejection(() -> mfa.resyncMfaDevice(ACCOUNT, "nobody", SERIAL, "123456", "654321")).errorCode())
                .isEqualTo(ErrorCode.NO_SUCH_ENTITY);
        assertThat(rejection(() -> mfa.resyncMfaDevice(ACCOUNT, "alice", "arn:aws:iam::123456789012:mfa/none",
                "123456", "654321")).errorCode()).isEqualTo(ErrorCode.NO_SUCH_ENTITY);
    }

    @Test
    void resyncMfaDevice_fiveDigitCode_isValidationErrorThatDoesNotEchoIt() {
        enabledPhone();

        ApiException e = rejection(() -> mfa.resyncMfaDevice(ACCOUNT, "alice", SERIAL, "12345", "654321"));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.getMessage()).doesNotContain("12345");
    }

    @Test
    void enableMfaDevice_afterAResync_startsTheDeviceWithoutOffset() {
        Secret seed = enabledPhone();
        resync(seed, now() + 9, now() + 10);
        mfa.deactivateMfaDevice(ACCOUNT, "alice", SERIAL);
        clock.advance(Duration.ofMinutes(10));

        mfa.enableMfaDevice(ACCOUNT, "alice", SERIAL, Totp.code(seed, now() - 1), Totp.code(seed, now()));

        assertThat(store.findMfaDevice(SERIAL).orElseThrow().stepOffset()).isZero();
    }

    // ---- DeactivateMFADevice, DeleteVirtualMFADevice

    @Test
    void deactivateMfaDevice_ofAnotherUser_isNoSuchEntity_andLeavesItEnabled() {
        enable(create("alice-phone"), "alice");

        ApiException e = rejection(() -> mfa.deactivateMfaDevice(ACCOUNT, "bob", SERIAL));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.NO_SUCH_ENTITY);
        assertThat(e.getMessage()).isEqualTo("MFA Device with serial number " + SERIAL + " is not enabled for user "
                + "bob.");
        assertThat(store.findMfaDevice(SERIAL).orElseThrow().isEnabled()).isTrue();
    }

    @Test
    void deactivateMfaDevice_freesItForDeletion() {
        enable(create("alice-phone"), "alice");

        mfa.deactivateMfaDevice(ACCOUNT, "alice", SERIAL);
        mfa.deleteVirtualMfaDevice(ACCOUNT, SERIAL);

        assertThat(store.findMfaDevice(SERIAL)).isEmpty();
        assertThat(store.findMfaSeed(SERIAL)).isEmpty();
        assertThat(mfa.listMfaDevices(ACCOUNT, "alice", Optional.empty(), Optional.empty()).items()).isEmpty();
    }

    @Test
    void deleteVirtualMfaDevice_whileEnabled_isDeleteConflict() {
        enable(create("alice-phone"), "alice");

        ApiException e = rejection(() -> mfa.deleteVirtualMfaDevice(ACCOUNT, SERIAL));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.DELETE_CONFLICT);
        assertThat(e.getMessage()).isEqualTo("MFA Device is still in use.");
    }

    @Test
    void deleteUser_withAnEnabledDevice_isDeleteConflict() {
        enable(create("alice-phone"), "alice");

        ApiException e = rejection(() -> iam.users().deleteUser(ACCOUNT, "alice"));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.DELETE_CONFLICT);
    }

    // ---- ListVirtualMFADevices, tags

    @Test
    void listVirtualMfaDevices_filtersByAssignment_andNamesTheUser() {
        enable(create("alice-phone"), "alice");
        create("spare");
        User alice = iam.users().getUser(ACCOUNT, "alice");

        List<VirtualMfaDevice> assigned = mfa.listVirtualMfaDevices(ACCOUNT, Optional.of("Assigned"),
                Optional.empty(), Optional.empty()).items();
        List<VirtualMfaDevice> unassigned = mfa.listVirtualMfaDevices(ACCOUNT, Optional.of("Unassigned"),
                Optional.empty(), Optional.empty()).items();
        List<VirtualMfaDevice> any = mfa.listVirtualMfaDevices(ACCOUNT, Optional.empty(), Optional.empty(),
                Optional.empty()).items();

        assertThat(assigned).extracting(entry -> entry.device().serialNumber()).containsExactly(SERIAL);
        assertThat(assigned.get(0).user()).contains(alice);
        assertThat(unassigned).extracting(entry -> entry.device().deviceName()).containsExactly("spare");
        assertThat(unassigned.get(0).user()).isEmpty();
        assertThat(any).hasSize(2);
    }

    @Test
    void listVirtualMfaDevices_pagesBySerialNumber() {
        create("c");
        create("a");
        create("b");

        Page<VirtualMfaDevice> first = mfa.listVirtualMfaDevices(ACCOUNT, Optional.of("Any"), Optional.empty(),
                Optional.of(2));
        Page<VirtualMfaDevice> second = mfa.listVirtualMfaDevices(ACCOUNT, Optional.of("Any"), first.marker(),
                Optional.of(2));

        assertThat(first.items()).extracting(entry -> entry.device().deviceName()).containsExactly("a", "b");
        assertThat(first.isTruncated()).isTrue();
        assertThat(second.items()).extracting(entry -> entry.device().deviceName()).containsExactly("c");
        assertThat(second.isTruncated()).isFalse();
    }

    @Test
    void listVirtualMfaDevices_leavesOutOtherAccounts() {
        create("alice-phone");
        mfa.createVirtualMfaDevice(OTHER_ACCOUNT, "theirs", Optional.empty(), List.of());

        assertThat(mfa.listVirtualMfaDevices(ACCOUNT, Optional.empty(), Optional.empty(), Optional.empty()).items())
                .extracting(entry -> entry.device().serialNumber()).containsExactly(SERIAL);
    }

    @Test
    void tagUntagAndListMfaDeviceTags() {
        mfa.createVirtualMfaDevice(ACCOUNT, "alice-phone", Optional.empty(), List.of(new Tag("a", "1")));

        mfa.tagMfaDevice(ACCOUNT, SERIAL, List.of(new Tag("A", "2"), new Tag("b", "3"), new Tag("c", "4")));
        mfa.untagMfaDevice(ACCOUNT, SERIAL, List.of("C"));

        Page<Tag> first = mfa.listMfaDeviceTags(ACCOUNT, SERIAL, Optional.empty(), Optional.of(1));
        Page<Tag> rest = mfa.listMfaDeviceTags(ACCOUNT, SERIAL, first.marker(), Optional.empty());
        assertThat(first.items()).containsExactly(new Tag("A", "2"));
        assertThat(rest.items()).containsExactly(new Tag("b", "3"));
    }

    @Test
    void taggingAnEnabledDevice_keepsItEnabled() {
        enable(create("alice-phone"), "alice");

        mfa.tagMfaDevice(ACCOUNT, SERIAL, List.of(new Tag("k", "v")));

        MfaDevice device = store.findMfaDevice(SERIAL).orElseThrow();
        assertThat(device.isEnabled()).isTrue();
        assertThat(device.lastTimeStep()).isEqualTo(now());
        assertThat(device.tags()).containsExactly(new Tag("k", "v"));
    }

    @Test
    void base32_encodesRfc4648TestVector() {
        // RFC 4648 §10: BASE32("fooba") = "MZXW6YTB".
        assertThat(new String(MfaOperations.base32("fooba".getBytes(US_ASCII)))).isEqualTo("MZXW6YTB");
        assertThat(base32Decode("MZXW6YTB").revealUtf8()).isEqualTo("fooba");
    }
}
