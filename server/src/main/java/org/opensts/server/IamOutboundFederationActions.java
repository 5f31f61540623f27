package org.opensts.server;

import java.util.List;
import java.util.Map;
import org.opensts.iam.IamService;
import org.opensts.iam.OutboundFederation;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.shape.Struct;
import org.opensts.sts.Authorizer;
import org.opensts.sts.WebIdentityTokens;

/**
 * The IAM actions that switch outbound identity federation (GetWebIdentityToken) on and off for the caller's account
 * and tell its issuer URL. None takes input, and IAM authorizes them against no particular resource.
 */
final class IamOutboundFederationActions {
    static final StructureShape ENABLE_REQUEST = StructureShape.empty("EnableOutboundWebIdentityFederationRequest");
    static final StructureShape DISABLE_REQUEST = StructureShape.empty("DisableOutboundWebIdentityFederationRequest");
    static final StructureShape INFO_REQUEST = StructureShape.empty("GetOutboundWebIdentityFederationInfoRequest");

    private final IamService iam;
    private final WebIdentityTokens tokens;

    private IamOutboundFederationActions(IamService iam, WebIdentityTokens tokens) {
        this.iam = iam;
        this.tokens = tokens;
    }

    static List<IamAction> all(IamService iam, Authorizer authorizer, WebIdentityTokens tokens) {
        var actions = new IamOutboundFederationActions(iam, tokens);
        return List.of(
                IamAction.of(authorizer, "EnableOutboundWebIdentityFederation", ENABLE_REQUEST,
                        (account, input) -> "*",
                        actions::enableOutboundWebIdentityFederation),
                IamAction.of(authorizer, "DisableOutboundWebIdentityFederation", DISABLE_REQUEST,
                        (account, input) -> "*",
                        actions::disableOutboundWebIdentityFederation),
                IamAction.of(authorizer, "GetOutboundWebIdentityFederationInfo", INFO_REQUEST,
                        (account, input) -> "*",
                        actions::getOutboundWebIdentityFederationInfo));
    }

    private ActionResult enableOutboundWebIdentityFederation(IamCall call, Struct input) {
        OutboundFederation enabled = iam.outboundFederation().enable(call.accountId());
        String issuer = tokens.issuerUrl(enabled);
        return ActionResult.of(xml -> xml.element("IssuerIdentifier", issuer),
                Map.of("issuerIdentifier", issuer));
    }

    private ActionResult disableOutboundWebIdentityFederation(IamCall call, Struct input) {
        iam.outboundFederation().disable(call.accountId());
        return ActionResult.empty();
    }

    private ActionResult getOutboundWebIdentityFederationInfo(IamCall call, Struct input) {
        OutboundFederation info = iam.outboundFederation().info(call.accountId());
        String issuer = tokens.issuerUrl(info);
        return ActionResult.of(xml -> xml
                .element("IssuerIdentifier", issuer)
                .element("JwtVendingEnabled", info.enabled()), Map.of());
    }

}
