package org.opensts.server;

import java.util.List;
import java.util.Map;
import org.opensts.iam.IamService;
import org.opensts.iam.IamShapes;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.shape.Struct;
import org.opensts.sts.Authorizer;

/** The IAM actions on the caller's account as a whole: its summary and its STS preference. */
final class IamAccountActions {
    /** GetAccountSummary takes no input; the model declares none. */
    static final StructureShape GET_ACCOUNT_SUMMARY_REQUEST = StructureShape.empty("GetAccountSummaryRequest");

    static final StructureShape SET_SECURITY_TOKEN_SERVICE_PREFERENCES_REQUEST =
            StructureShape.builder("SetSecurityTokenServicePreferencesRequest")
                    .required("GlobalEndpointTokenVersion", IamShapes.GLOBAL_ENDPOINT_TOKEN_VERSION)
                    .build();

    private final IamService iam;

    private IamAccountActions(IamService iam) {
        this.iam = iam;
    }

    static List<IamAction> all(IamService iam, Authorizer authorizer) {
        var actions = new IamAccountActions(iam);
        return List.of(
                // IAM authorizes GetAccountSummary against no particular resource.
                IamAction.of(authorizer, "GetAccountSummary", GET_ACCOUNT_SUMMARY_REQUEST,
                        (account, input) -> "*",
                        actions::getAccountSummary),
                // Like GetAccountSummary, an action on the account as a whole: IAM names no resource for it.
                IamAction.of(authorizer, "SetSecurityTokenServicePreferences",
                        SET_SECURITY_TOKEN_SERVICE_PREFERENCES_REQUEST,
                        (account, input) -> "*",
                        actions::setSecurityTokenServicePreferences));
    }

    private ActionResult getAccountSummary(IamCall call, Struct input) {
        Map<String, Integer> summary = iam.accounts().getAccountSummary(call.accountId());
        return ActionResult.of(xml -> {
            // A map of the awsQuery protocol: <entry><key/><value/></entry> per pair.
            xml.startMap("SummaryMap");
            summary.forEach((key, value) -> xml.start("entry")
                    .element("key", key)
                    .element("value", value)
                    .end());
            xml.end();
        }, Map.of());
    }

    private ActionResult setSecurityTokenServicePreferences(IamCall call, Struct input) {
        iam.accounts().setSecurityTokenServicePreferences(call.accountId(),
                input.requiredString("GlobalEndpointTokenVersion"));
        return ActionResult.empty();
    }

}
