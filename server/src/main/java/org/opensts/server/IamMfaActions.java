package org.opensts.server;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opensts.iam.IamService;
import org.opensts.iam.IamShapes;
import org.opensts.iam.MfaDevice;
import org.opensts.iam.MfaOperations;
import org.opensts.iam.MfaOperations.NewVirtualMfaDevice;
import org.opensts.iam.MfaOperations.VirtualMfaDevice;
import org.opensts.iam.Page;
import org.opensts.iam.Tag;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.shape.Struct;
import org.opensts.sts.Authorizer;

/**
 * The IAM actions on virtual MFA devices.
 *
 * <p>As in AWS's authorization reference, enabling, resynchronizing, deactivating and listing a user's devices are
 * authorized against the user's ARN (the caller's own when the request names no user); creating, deleting and tagging a
 * device against the device's ARN (its serial number). The seed and its QR code appear once, in
 * CreateVirtualMFADevice's response, and never in its audit event.
 */
final class IamMfaActions {
    static final StructureShape CREATE_VIRTUAL_MFA_DEVICE_REQUEST =
            StructureShape.builder("CreateVirtualMFADeviceRequest")
                    .optional("Path", IamShapes.VIRTUAL_MFA_DEVICE_PATH)
                    .required("VirtualMFADeviceName", IamShapes.VIRTUAL_MFA_DEVICE_NAME)
                    .optional("Tags", IamShapes.TAG_LIST)
                    .build();
    static final StructureShape ENABLE_MFA_DEVICE_REQUEST = StructureShape.builder("EnableMFADeviceRequest")
            .required("UserName", IamShapes.EXISTING_USER_NAME)
            .required("SerialNumber", IamShapes.SERIAL_NUMBER)
            .required("AuthenticationCode1", IamShapes.AUTHENTICATION_CODE)
            .required("AuthenticationCode2", IamShapes.AUTHENTICATION_CODE)
            .build();
    static final StructureShape RESYNC_MFA_DEVICE_REQUEST = StructureShape.builder("ResyncMFADeviceRequest")
            .required("UserName", IamShapes.EXISTING_USER_NAME)
            .required("SerialNumber", IamShapes.SERIAL_NUMBER)
            .required("AuthenticationCode1", IamShapes.AUTHENTICATION_CODE)
            .required("AuthenticationCode2", IamShapes.AUTHENTICATION_CODE)
            .build();
    static final StructureShape DEACTIVATE_MFA_DEVICE_REQUEST = StructureShape.builder("DeactivateMFADeviceRequest")
            .optional("UserName", IamShapes.EXISTING_USER_NAME)
            .required("SerialNumber", IamShapes.SERIAL_NUMBER)
            .build();
    static final StructureShape LIST_MFA_DEVICES_REQUEST = StructureShape.builder("ListMFADevicesRequest")
            .optional("UserName", IamShapes.EXISTING_USER_NAME)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();
    static final StructureShape LIST_VIRTUAL_MFA_DEVICES_REQUEST =
            StructureShape.builder("ListVirtualMFADevicesRequest")
                    .optional("AssignmentStatus", IamShapes.ASSIGNMENT_STATUS)
                    .optional("Marker", IamShapes.MARKER)
                    .optional("MaxItems", IamShapes.MAX_ITEMS)
                    .build();
    static final StructureShape DELETE_VIRTUAL_MFA_DEVICE_REQUEST =
            StructureShape.builder("DeleteVirtualMFADeviceRequest")
                    .required("SerialNumber", IamShapes.SERIAL_NUMBER)
                    .build();
    static final StructureShape TAG_MFA_DEVICE_REQUEST = StructureShape.builder("TagMFADeviceRequest")
            .required("SerialNumber", IamShapes.SERIAL_NUMBER)
            .required("Tags", IamShapes.TAG_LIST)
            .build();
    static final StructureShape UNTAG_MFA_DEVICE_REQUEST = StructureShape.builder("UntagMFADeviceRequest")
            .required("SerialNumber", IamShapes.SERIAL_NUMBER)
            .required("TagKeys", IamShapes.TAG_KEY_LIST)
            .build();
    static final StructureShape LIST_MFA_DEVICE_TAGS_REQUEST = StructureShape.builder("ListMFADeviceTagsRequest")
            .required("SerialNumber", IamShapes.SERIAL_NUMBER)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();

    private static final String SERIAL_NUMBER = "SerialNumber";

    private final IamService iam;
    private final MfaOperations mfa;

    private IamMfaActions(IamService iam) {
        this.iam = iam;
        this.mfa = iam.mfa();
    }

    static List<IamAction> all(IamService iam, Authorizer authorizer) {
        var actions = new IamMfaActions(iam);
        return List.of(
                IamAction.of(authorizer, "CreateVirtualMFADevice", CREATE_VIRTUAL_MFA_DEVICE_REQUEST,
                        (account, input) -> IamArns.mfa(account, input.string("Path"),
                                input.requiredString("VirtualMFADeviceName")),
                        actions::createVirtualMFADevice).withRequestKeys(IamRequestKeys.REQUEST_TAGS)
                        .alsoRequiring("TagMFADevice", IamRequestKeys::hasTags),
                IamAction.on(authorizer, "EnableMFADevice", ENABLE_MFA_DEVICE_REQUEST,
                        (account, input) -> IamUserActions.user(iam, account, input.requiredString("UserName")),
                        actions::enableMFADevice),
                IamAction.on(authorizer, "ResyncMFADevice", RESYNC_MFA_DEVICE_REQUEST,
                        (account, input) -> IamUserActions.user(iam, account, input.requiredString("UserName")),
                        actions::resyncMFADevice),
                IamAction.onCaller(authorizer, "DeactivateMFADevice", DEACTIVATE_MFA_DEVICE_REQUEST,
                        (caller, input) -> IamUserActions.userOrCaller(iam, caller, input),
                        actions::deactivateMFADevice),
                IamAction.onCaller(authorizer, "ListMFADevices", LIST_MFA_DEVICES_REQUEST,
                        (caller, input) -> IamUserActions.userOrCaller(iam, caller, input),
                        actions::listMFADevices),
                IamAction.of(authorizer, "ListVirtualMFADevices", LIST_VIRTUAL_MFA_DEVICES_REQUEST,
                        (account, input) -> IamArns.mfa(account, Optional.empty(), "*"),
                        actions::listVirtualMFADevices),
                IamAction.on(authorizer, "DeleteVirtualMFADevice", DELETE_VIRTUAL_MFA_DEVICE_REQUEST,
                        (account, input) -> device(iam, account, input.requiredString(SERIAL_NUMBER)),
                        actions::deleteVirtualMFADevice),
                IamAction.on(authorizer, "TagMFADevice", TAG_MFA_DEVICE_REQUEST,
                        (account, input) -> device(iam, account, input.requiredString(SERIAL_NUMBER)),
                        actions::tagMFADevice).withRequestKeys(IamRequestKeys.REQUEST_TAGS),
                IamAction.on(authorizer, "UntagMFADevice", UNTAG_MFA_DEVICE_REQUEST,
                        (account, input) -> device(iam, account, input.requiredString(SERIAL_NUMBER)),
                        actions::untagMFADevice).withRequestKeys(IamRequestKeys.TAG_KEYS_OF_REQUEST),
                IamAction.on(authorizer, "ListMFADeviceTags", LIST_MFA_DEVICE_TAGS_REQUEST,
                        (account, input) -> device(iam, account, input.requiredString(SERIAL_NUMBER)),
                        actions::listMFADeviceTags));
    }

    private ActionResult createVirtualMFADevice(IamCall call, Struct input) {
        NewVirtualMfaDevice created = mfa.createVirtualMfaDevice(call.accountId(),
                input.requiredString("VirtualMFADeviceName"), input.string("Path"),
                IamUserActions.tags(input));
        MfaDevice device = created.device();
        return ActionResult.of(xml -> {
            // Blobs are base64 in the Query protocol's XML.
            xml.start("VirtualMFADevice")
                    .element("SerialNumber", device.serialNumber())
                    .element("Base32StringSeed", Base64.getEncoder().encodeToString(
                            created.base32StringSeed().revealBytes()))
                    .element("QRCodePNG", Base64.getEncoder().encodeToString(
                            created.qrCodePng().revealBytes()));
            IamXml.tags(xml, device.tags());
            xml.end();
        }, Map.of("virtualMFADevice", Map.of("serialNumber", device.serialNumber())));
    }

    private ActionResult enableMFADevice(IamCall call, Struct input) {
        mfa.enableMfaDevice(call.accountId(), input.requiredString("UserName"),
                input.requiredString(SERIAL_NUMBER), input.requiredString("AuthenticationCode1"),
                input.requiredString("AuthenticationCode2"));
        return ActionResult.empty();
    }

    private ActionResult resyncMFADevice(IamCall call, Struct input) {
        mfa.resyncMfaDevice(call.accountId(), input.requiredString("UserName"),
                input.requiredString(SERIAL_NUMBER), input.requiredString("AuthenticationCode1"),
                input.requiredString("AuthenticationCode2"));
        return ActionResult.empty();
    }

    private ActionResult deactivateMFADevice(IamCall call, Struct input) {
        mfa.deactivateMfaDevice(call.accountId(), IamUserActions.userNameOrCaller(call, input),
                input.requiredString(SERIAL_NUMBER));
        return ActionResult.empty();
    }

    private ActionResult listMFADevices(IamCall call, Struct input) {
        String userName = IamUserActions.userNameOrCaller(call, input);
        Page<MfaDevice> page = mfa.listMfaDevices(call.accountId(), userName,
                input.string("Marker"), input.integer("MaxItems"));
        String storedName = iam.users().getUser(call.accountId(), userName).userName();
        return ActionResult.of(xml -> {
            xml.startList("MFADevices");
            for (MfaDevice device : page.items()) {
                xml.start("member")
                        .element("UserName", storedName)
                        .element("SerialNumber", device.serialNumber())
                        .element("EnableDate", device.enableDate().orElseThrow())
                        .end();
            }
            xml.end();
            IamXml.pagination(xml, page);
        }, Map.of());
    }

    private ActionResult listVirtualMFADevices(IamCall call, Struct input) {
        Page<VirtualMfaDevice> page = mfa.listVirtualMfaDevices(call.accountId(),
                input.string("AssignmentStatus"), input.string("Marker"),
                input.integer("MaxItems"));
        return ActionResult.of(xml -> {
            xml.startList("VirtualMFADevices");
            for (VirtualMfaDevice entry : page.items()) {
                xml.start("member").element("SerialNumber", entry.device().serialNumber());
                entry.user().ifPresent(user -> IamXml.user(xml, "User", user, false));
                entry.device().enableDate().ifPresent(at -> xml.element("EnableDate", at));
                xml.end();
            }
            xml.end();
            IamXml.pagination(xml, page);
        }, Map.of());
    }

    private ActionResult deleteVirtualMFADevice(IamCall call, Struct input) {
        mfa.deleteVirtualMfaDevice(call.accountId(), input.requiredString(SERIAL_NUMBER));
        return ActionResult.empty();
    }

    private ActionResult tagMFADevice(IamCall call, Struct input) {
        mfa.tagMfaDevice(call.accountId(), input.requiredString(SERIAL_NUMBER),
                IamUserActions.tags(input));
        return ActionResult.empty();
    }

    private ActionResult untagMFADevice(IamCall call, Struct input) {
        mfa.untagMfaDevice(call.accountId(), input.requiredString(SERIAL_NUMBER),
                input.strings("TagKeys"));
        return ActionResult.empty();
    }

    private ActionResult listMFADeviceTags(IamCall call, Struct input) {
        Page<Tag> page = mfa.listMfaDeviceTags(call.accountId(),
                input.requiredString(SERIAL_NUMBER), input.string("Marker"),
                input.integer("MaxItems"));
        return ActionResult.of(xml -> IamProviderActions.tagPage(xml, page), Map.of());
    }

    /**
     * The device the request names, if it is in the account whatever case the request used, with its stored serial
     * number (the device's ARN) and tags; else the serial number as sent.
     */
    private static IamResource device(IamService iam, String account, String serialNumber) {
        return iam.store().listMfaDevices(account).stream()
                .filter(stored -> stored.serialNumber().equalsIgnoreCase(serialNumber))
                .findFirst()
                .map(device -> IamResource.tagged(device.serialNumber(), device.tags()))
                .orElseGet(() -> IamResource.of(serialNumber));
    }
}
