package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import javax.imageio.ImageIO;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.Arn;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.QueryBinder;
import org.opensts.token.Secret;

/**
 * The IAM operations on virtual MFA devices: create one (a fresh TOTP seed, shown once as base32 text and as a QR
 * code), enable it for a user with two consecutive codes, resynchronize it with two more, deactivate, list, delete
 * and tag it.
 *
 * <p>A device's serial number is its ARN, {@code arn:aws:iam::ACCOUNT:mfa/path/name}. Its seed is sealed at rest by
 * the store and leaves this class only in the {@link NewVirtualMfaDevice} of the call that created it. Codes are
 * checked with {@link Totp}; a code's time step, once accepted, is recorded with the store's compare-and-set, so no
 * code is accepted twice on any node.
 */
public final class MfaOperations {
    /** IAM quota (IAM User Guide, "IAM and AWS STS quotas"). */
    static final int MAX_MFA_DEVICES_PER_USER = 8;
    /** 160 bits, the seed length RFC 4226 recommends for HMAC-SHA1. */
    static final int SEED_BYTES = 20;
    /**
     * EnableMFADevice takes two consecutive codes. The second may be the current step's, one step ahead (a device
     * whose clock runs a little fast) or up to three steps behind (codes typed slowly): the two codes together are
     * still a one-in-10^12 guess.
     */
    static final int ENABLE_STEPS_BEHIND = 3;
    static final int ENABLE_STEPS_AHEAD = 1;
    /**
     * How far, in time steps either side of ours, ResyncMFADevice looks for the device's two consecutive codes: 60
     * steps, half an hour. AWS does not publish its window. Two 6-digit codes matched anywhere in it are still a
     * guess of about one in 8 * 10^9 ((2 * 60 + 1) / 10^12).
     */
    static final int RESYNC_STEPS_EITHER_SIDE = 60;
    /** Pixels per QR module; the quiet zone is the four modules QR codes require. */
    static final int QR_MODULE_PIXELS = 6;
    static final int QR_QUIET_ZONE_MODULES = 4;

    static final String INVALID_AUTHENTICATION_CODE = "Authentication code for device is not valid.";

    private static final String BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String ASSIGNED = "Assigned";
    private static final String UNASSIGNED = "Unassigned";

    private final IdentityStore store;
    private final Clock clock;
    private final SecureRandom random;

    MfaOperations(IdentityStore store, Clock clock, SecureRandom random) {
        this.store = store;
        this.clock = clock;
        this.random = random;
    }

    /**
     * A virtual MFA device as CreateVirtualMFADevice returns it: the only time its seed is shown. Not a record: it
     * holds the seed.
     */
    public static final class NewVirtualMfaDevice {
        private final MfaDevice device;
        private final Secret base32StringSeed;
        private final Secret qrCodePng;

        NewVirtualMfaDevice(MfaDevice device, Secret base32StringSeed, Secret qrCodePng) {
            this.device = requireNonNull(device, "device");
            this.base32StringSeed = requireNonNull(base32StringSeed, "base32StringSeed");
            this.qrCodePng = requireNonNull(qrCodePng, "qrCodePng");
        }

        public MfaDevice device() {
            return device;
        }

        /** The seed as RFC 4648 base32 text (ASCII), what a person types into an authenticator app. */
        public Secret base32StringSeed() {
            return base32StringSeed;
        }

        /** A PNG image of the QR code of {@code otpauth://totp/NAME@ACCOUNT?secret=BASE32}. */
        public Secret qrCodePng() {
            return qrCodePng;
        }

        @Override
        public String toString() {
            return "NewVirtualMfaDevice[" + device.serialNumber() + "]";
        }
    }

    /** A virtual MFA device and, when it is enabled, the user it belongs to (ListVirtualMFADevices). */
    public record VirtualMfaDevice(MfaDevice device, Optional<User> user) {
        public VirtualMfaDevice {
            requireNonNull(device, "device");
            requireNonNull(user, "user");
        }
    }

    /**
     * CreateVirtualMFADevice: a device with a fresh random seed, not yet enabled for anyone.
     *
     * @throws ApiException {@code EntityAlreadyExists} if a device has this path and name (in any case);
     *     {@code InvalidInput} if the serial number would be longer than 256 characters; {@code ValidationError}
     *     for what the model forbids
     */
    public NewVirtualMfaDevice createVirtualMfaDevice(String accountId, String deviceName, Optional<String> path,
            List<Tag> tags) {
        QueryBinder.check(IamShapes.VIRTUAL_MFA_DEVICE_NAME, deviceName, "virtualMFADeviceName");
        String devicePath = path.orElse("/");
        QueryBinder.check(IamShapes.VIRTUAL_MFA_DEVICE_PATH, devicePath, "path");
        if (!IamShapes.PATH.matchesPattern(devicePath)) {
            throw ApiException.validationError("The specified value for path is invalid. It must begin and end with / "
                    + "and contain only alphanumeric characters and/or / characters.");
        }
        IamChecks.checkTags(tags);
        String serialNumber = Arn.iam(accountId, "mfa" + devicePath + deviceName).toString();
        if (serialNumber.length() > IamShapes.SERIAL_NUMBER.max().orElseThrow()) {
            throw new ApiException(ErrorCode.INVALID_INPUT, "The serial number of the device, " + serialNumber
                    + ", would be longer than 256 characters.");
        }
        var seedBytes = new byte[SEED_BYTES];
        random.nextBytes(seedBytes);
        Secret seed = Secret.copyOf(seedBytes);
        char[] base32 = base32(seedBytes);
        Arrays.fill(seedBytes, (byte) 0);
        try {
            MfaDevice device = IamChecks.createEntity(() -> store.write(writer -> {
                IamChecks.requireAccount(writer, accountId);
                boolean taken = writer.listMfaDevices(accountId).stream()
                        .anyMatch(existing -> existing.serialNumber().equalsIgnoreCase(serialNumber));
                if (taken) {
                    throw deviceExists();
                }
                var created = new MfaDevice(serialNumber, accountId, deviceName, devicePath, Optional.empty(),
                        Optional.empty(), 0, 0, clock.instant(), tags);
                writer.createMfaDevice(created, seed);
                return created;
            }), MfaOperations::deviceExists);
            String uri = "otpauth://totp/" + deviceName + "@" + accountId + "?secret=" + new String(base32);
            return new NewVirtualMfaDevice(device, Secret.ofUtf8(new String(base32)), Secret.copyOf(qrCodePng(uri)));
        } finally {
            Arrays.fill(base32, '\0');
        }
    }

    /**
     * EnableMFADevice: two consecutive codes of the device make it the user's.
     *
     * @throws ApiException {@code NoSuchEntity} for an unknown user or device; {@code EntityAlreadyExists} if the
     *     device is enabled already (for anyone); {@code LimitExceeded} if the user has 8 devices;
     *     {@code InvalidAuthenticationCode} (403) if the codes are not two consecutive codes of the device, or were
     *     used before
     */
    public void enableMfaDevice(String accountId, String userName, String serialNumber, String authenticationCode1,
            String authenticationCode2) {
        checkCodePair(userName, serialNumber, authenticationCode1, authenticationCode2);
        store.write(writer -> {
            User user = writer.findUser(accountId, userName).orElseThrow(() -> IamChecks.noSuchUser(userName));
            MfaDevice device = requireDevice(writer, accountId, serialNumber);
            if (device.isEnabled()) {
                throw IamChecks.alreadyExists("MFA Device is already in use.");
            }
            if (writer.listMfaDevicesForUser(user.userId()).size() >= MAX_MFA_DEVICES_PER_USER) {
                throw new ApiException(ErrorCode.LIMIT_EXCEEDED,
                        "Cannot exceed quota for MFADevicesPerUser: " + MAX_MFA_DEVICES_PER_USER);
            }
            Secret seed = writer.findMfaSeed(device.serialNumber()).orElseThrow(() -> noSuchDevice(serialNumber));
            Instant now = clock.instant();
            long secondStep = consecutiveCodes(seed, authenticationCode1, authenticationCode2, Totp.timeStep(now),
                    device.lastTimeStep());
            // The compare-and-set orders two nodes enabling the same device with the same codes: one wins.
            if (!writer.acceptMfaTimeStep(device.serialNumber(), secondStep)) {
                throw invalidAuthenticationCode();
            }
            writer.updateMfaDevice(device.enabledFor(user.userId(), now, secondStep));
            return null;
        });
    }

    /**
     * The time step of the second of two consecutive codes whose first step is newer than {@code lastAccepted}.
     * Every candidate step is compared, so the time taken does not tell which one matched.
     */
    private static long consecutiveCodes(Secret seed, String code1, String code2, long current, long lastAccepted) {
        long found = -1;
        for (long second = current + ENABLE_STEPS_AHEAD; second >= current - ENABLE_STEPS_BEHIND; second--) {
            boolean pair = Totp.matches(seed, second - 1, code1) & Totp.matches(seed, second, code2);
            if (pair && second - 1 > lastAccepted && found < 0) {
                found = second;
            }
        }
        if (found < 0) {
            throw invalidAuthenticationCode();
        }
        return found;
    }

    /**
     * ResyncMFADevice: two consecutive codes of a device whose clock drifted beyond the one step either side that
     * STS accepts. The codes are looked for within {@link #RESYNC_STEPS_EITHER_SIDE} steps of our clock; the step of
     * the second becomes the device's last accepted one and its distance from ours the device's step offset, which
     * every later check adds to our clock.
     *
     * @throws ApiException {@code NoSuchEntity} for an unknown user or device, or a device not enabled for the user;
     *     {@code InvalidAuthenticationCode} (403) if the codes are not two consecutive codes of the device in the
     *     window, or are not newer than the last code the device accepted
     */
    public void resyncMfaDevice(String accountId, String userName, String serialNumber, String authenticationCode1,
            String authenticationCode2) {
        checkCodePair(userName, serialNumber, authenticationCode1, authenticationCode2);
        store.write(writer -> {
            User user = writer.findUser(accountId, userName).orElseThrow(() -> IamChecks.noSuchUser(userName));
            MfaDevice device = requireDevice(writer, accountId, serialNumber);
            if (!device.userId().equals(Optional.of(user.userId()))) {
                throw notEnabledFor(serialNumber, user);
            }
            Secret seed = writer.findMfaSeed(device.serialNumber()).orElseThrow(() -> noSuchDevice(serialNumber));
            long current = Totp.timeStep(clock.instant());
            long secondStep = resyncCodes(seed, authenticationCode1, authenticationCode2, current,
                    device.lastTimeStep());
            // One compare-and-set for the step and the offset: of two nodes given the same codes, one wins.
            if (!writer.resyncMfaDevice(device.serialNumber(), secondStep, secondStep - current)) {
                throw invalidAuthenticationCode();
            }
            return null;
        });
    }

    /**
     * The step of the second of two consecutive codes within the resync window whose first step is newer than
     * {@code lastAccepted}; of several such pairs (a one-in-10^12 chance each), the one nearest our clock. Every pair
     * is compared, so the time taken does not tell which one matched.
     */
    private static long resyncCodes(Secret seed, String code1, String code2, long current, long lastAccepted) {
        long found = Long.MIN_VALUE;
        for (long second = current - RESYNC_STEPS_EITHER_SIDE; second <= current + RESYNC_STEPS_EITHER_SIDE;
                second++) {
            boolean pair = Totp.matches(seed, second - 1, code1) & Totp.matches(seed, second, code2);
            boolean nearer = found == Long.MIN_VALUE || Math.abs(second - current) < Math.abs(found - current);
            if (pair && second - 1 > lastAccepted && nearer) {
                found = second;
            }
        }
        if (found == Long.MIN_VALUE) {
            throw invalidAuthenticationCode();
        }
        return found;
    }

    /**
     * DeactivateMFADevice: the device is no longer the user's; it keeps its seed and can be enabled again, for this
     * user or another.
     *
     * @throws ApiException {@code NoSuchEntity} for an unknown user or device, or a device not enabled for the user
     */
    public void deactivateMfaDevice(String accountId, String userName, String serialNumber) {
        QueryBinder.check(IamShapes.EXISTING_USER_NAME, userName, "userName");
        QueryBinder.check(IamShapes.SERIAL_NUMBER, serialNumber, "serialNumber");
        store.write(writer -> {
            User user = writer.findUser(accountId, userName).orElseThrow(() -> IamChecks.noSuchUser(userName));
            MfaDevice device = requireDevice(writer, accountId, serialNumber);
            if (!device.userId().equals(Optional.of(user.userId()))) {
                throw notEnabledFor(serialNumber, user);
            }
            writer.updateMfaDevice(device.deactivated());
            return null;
        });
    }

    /**
     * ListMFADevices: the devices enabled for a user, sorted by serial number, one page at a time.
     *
     * @throws ApiException {@code NoSuchEntity} for an unknown user
     */
    public Page<MfaDevice> listMfaDevices(String accountId, String userName, Optional<String> marker,
            Optional<Integer> maxItems) {
        QueryBinder.check(IamShapes.EXISTING_USER_NAME, userName, "userName");
        checkPaging(marker, maxItems);
        User user = store.findUser(accountId, userName).orElseThrow(() -> IamChecks.noSuchUser(userName));
        return Page.of(store.listMfaDevicesForUser(user.userId()), MfaOperations::sortKey, marker, maxItems);
    }

    /**
     * ListVirtualMFADevices: the account's devices, all of them or only the assigned (enabled) or unassigned ones,
     * sorted by serial number, one page at a time; an assigned device comes with its user.
     *
     * @param assignmentStatus {@code Assigned}, {@code Unassigned} or {@code Any} (the default)
     */
    public Page<VirtualMfaDevice> listVirtualMfaDevices(String accountId, Optional<String> assignmentStatus,
            Optional<String> marker, Optional<Integer> maxItems) {
        assignmentStatus.ifPresent(status -> QueryBinder.check(IamShapes.ASSIGNMENT_STATUS, status,
                "assignmentStatus"));
        checkPaging(marker, maxItems);
        String status = assignmentStatus.orElse("Any");
        List<MfaDevice> devices = store.listMfaDevices(accountId).stream()
                .filter(device -> switch (status) {
                    case ASSIGNED -> device.isEnabled();
                    case UNASSIGNED -> !device.isEnabled();
                    default -> true;
                })
                .toList();
        Page<MfaDevice> page = Page.of(devices, MfaOperations::sortKey, marker, maxItems);
        return new Page<>(page.items().stream()
                .map(device -> new VirtualMfaDevice(device, device.userId().flatMap(store::findUserById)))
                .toList(), page.marker());
    }

    /**
     * DeleteVirtualMFADevice.
     *
     * @throws ApiException {@code NoSuchEntity} for an unknown device; {@code DeleteConflict} while it is enabled
     */
    public void deleteVirtualMfaDevice(String accountId, String serialNumber) {
        QueryBinder.check(IamShapes.SERIAL_NUMBER, serialNumber, "serialNumber");
        changeDevice(accountId, serialNumber, (writer, device) -> {
            if (device.isEnabled()) {
                throw new ApiException(ErrorCode.DELETE_CONFLICT, "MFA Device is still in use.");
            }
            writer.deleteMfaDevice(device.serialNumber());
            return null;
        });
    }

    /** TagMFADevice: adds tags, replacing those with the same key in any case. */
    public void tagMfaDevice(String accountId, String serialNumber, List<Tag> tags) {
        QueryBinder.check(IamShapes.SERIAL_NUMBER, serialNumber, "serialNumber");
        changeDevice(accountId, serialNumber, (writer, device) -> {
            writer.updateMfaDevice(withTags(device, IamChecks.mergeTags(device.tags(), tags, "TagsPerMfaDevice")));
            return null;
        });
    }

    /** UntagMFADevice: removes the tags with these keys, in any case; unknown keys are ignored. */
    public void untagMfaDevice(String accountId, String serialNumber, List<String> tagKeys) {
        QueryBinder.check(IamShapes.SERIAL_NUMBER, serialNumber, "serialNumber");
        changeDevice(accountId, serialNumber, (writer, device) -> {
            writer.updateMfaDevice(withTags(device, IamChecks.removeTags(device.tags(), tagKeys)));
            return null;
        });
    }

    /** ListMFADeviceTags: the device's tags sorted by key, one page at a time. */
    public Page<Tag> listMfaDeviceTags(String accountId, String serialNumber, Optional<String> marker,
            Optional<Integer> maxItems) {
        QueryBinder.check(IamShapes.SERIAL_NUMBER, serialNumber, "serialNumber");
        checkPaging(marker, maxItems);
        MfaDevice device = requireDevice(store, accountId, serialNumber);
        return Page.of(device.tags(), tag -> tag.key().toLowerCase(Locale.ROOT), marker, maxItems);
    }

    private void changeDevice(String accountId, String serialNumber,
            BiFunction<IdentityWriter, MfaDevice, Void> change) {
        store.write(writer -> change.apply(writer, requireDevice(writer, accountId, serialNumber)));
    }

    private static MfaDevice requireDevice(IdentityReader reader, String accountId, String serialNumber) {
        return findDevice(reader, accountId, serialNumber).orElseThrow(() -> noSuchDevice(serialNumber));
    }

    /**
     * By serial number within the account, in any case (device names are IAM names). One found in another case is
     * found again by its own serial number, so that a write holds its lock (see {@code JdbcSession}).
     */
    private static Optional<MfaDevice> findDevice(IdentityReader reader, String accountId, String serialNumber) {
        if (!Arn.tryParse(serialNumber).map(Arn::accountId).equals(Optional.of(accountId))) {
            return Optional.empty();
        }
        return reader.findMfaDevice(serialNumber).or(() -> reader.listMfaDevices(accountId).stream()
                .filter(device -> device.serialNumber().equalsIgnoreCase(serialNumber))
                .findFirst()
                .flatMap(device -> reader.findMfaDevice(device.serialNumber())));
    }

    private static MfaDevice withTags(MfaDevice device, List<Tag> tags) {
        return new MfaDevice(device.serialNumber(), device.accountId(), device.deviceName(), device.path(),
                device.userId(), device.enableDate(), device.lastTimeStep(), device.stepOffset(), device.createDate(),
                tags);
    }

    private static String sortKey(MfaDevice device) {
        return device.serialNumber().toLowerCase(Locale.ROOT);
    }

    private static void checkPaging(Optional<String> marker, Optional<Integer> maxItems) {
        marker.ifPresent(text -> QueryBinder.check(IamShapes.MARKER, text, "marker"));
        maxItems.ifPresent(count -> QueryBinder.check(IamShapes.MAX_ITEMS, Integer.toString(count), "maxItems"));
    }

    /** IAM's {@code NoSuchEntity} for an MFA device that does not exist, in IAM's words. */
    public static ApiException noSuchDevice(String serialNumber) {
        return IamChecks.noSuchEntity("MFA Device with serial number " + serialNumber + " does not exist.");
    }

    private static ApiException notEnabledFor(String serialNumber, User user) {
        return IamChecks.noSuchEntity("MFA Device with serial number " + serialNumber + " is not enabled for user "
                + user.userName() + ".");
    }

    private static ApiException deviceExists() {
        return IamChecks.alreadyExists("MFA device already exists.");
    }

    private static ApiException invalidAuthenticationCode() {
        return new ApiException(ErrorCode.INVALID_AUTHENTICATION_CODE, INVALID_AUTHENTICATION_CODE);
    }

    /** RFC 4648 base32 without padding; the seed is a whole number of 5-byte groups, so none is needed. */
    static char[] base32(byte[] bytes) {
        if (bytes.length % 5 != 0) {
            throw new IllegalArgumentException("a seed is a whole number of 5-byte groups");
        }
        var out = new char[bytes.length / 5 * 8];
        int o = 0;
        for (int i = 0; i < bytes.length; i += 5) {
            long group = 0;
            for (int j = 0; j < 5; j++) {
                group = (group << 8) | (bytes[i + j] & 0xff);
            }
            for (int shift = 35; shift >= 0; shift -= 5) {
                out[o++] = BASE32_ALPHABET.charAt((int) (group >>> shift) & 31);
            }
        }
        return out;
    }

    /**
     * The PNG of a QR code of {@code text}: black modules on white, {@link #QR_MODULE_PIXELS} pixels each, inside
     * the quiet zone, error correction level M (what authenticator apps scan reliably from a screen).
     */
    static byte[] qrCodePng(String text) {
        BitMatrix matrix;
        try {
            matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, Map.of(
                    EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
                    EncodeHintType.MARGIN, QR_QUIET_ZONE_MODULES));
        } catch (WriterException e) {
            throw new IllegalStateException("A provisioning URI always fits in a QR code", e);
        }
        int width = matrix.getWidth() * QR_MODULE_PIXELS;
        int height = matrix.getHeight() * QR_MODULE_PIXELS;
        var image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean dark = matrix.get(x / QR_MODULE_PIXELS, y / QR_MODULE_PIXELS);
                image.setRGB(x, y, dark ? 0xFF000000 : 0xFFFFFFFF);
            }
        }
        var png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", png)) {
                throw new IllegalStateException("The JDK has no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Writing to memory does not fail", e);
        }
        return png.toByteArray();
    }

    /** The parameters EnableMFADevice and ResyncMFADevice share, checked against the model as the binder would. */
    private static void checkCodePair(String userName, String serialNumber, String authenticationCode1,
            String authenticationCode2) {
        QueryBinder.check(IamShapes.EXISTING_USER_NAME, userName, "userName");
        QueryBinder.check(IamShapes.SERIAL_NUMBER, serialNumber, "serialNumber");
        QueryBinder.check(IamShapes.AUTHENTICATION_CODE, authenticationCode1, "authenticationCode1");
        QueryBinder.check(IamShapes.AUTHENTICATION_CODE, authenticationCode2, "authenticationCode2");
    }
}
