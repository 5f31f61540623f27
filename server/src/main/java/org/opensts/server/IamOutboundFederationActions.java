package org.opensts.server;

import java.util.List;
import java.util.Map;
import org.opensts.iam.IamService;
import org.opensts.iam.OutboundFederation;
import org.opensts.protocol.shape.StructureShape;
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

    private IamOutboundFederationActions() {
    }

    static List<IamAction> all(IamService iam, Authorizer authorizer, WebIdentityTokens tokens) {
        return List.of(
                IamAction.of(authorizer, "EnableOutboundWebIdentityFederation", ENABLE_REQUEST,
                        (account, input) -> "*",
                        (call, input) -> {
                            OutboundFederation enabled = iam.outboundFederation().enable(call.accountId());
                            String issuer = tokens.issuerUrl(enabled);
                            return ActionResult.of(xml -> xml.element("IssuerIdentifier", issuer),
                                    Map.of("issuerIdentifier", issuer));
                        }),
                IamAction.of(authorizer, "DisableOutboundWebIdentityFederation", DISABLE_REQUEST,
                        (account, input) -> "*",
                        (call, input) -> {
                            iam.outboundFederation().disable(call.accountId());
                            return ActionResult.empty();
                        }),
                IamAction.of(authorizer, "GetOutboundWebIdentityFederationInfo", INFO_REQUEST,
                        (account, input) -> "*",
                        (call, input) -> {
                            OutboundFederation info = iam.outboundFederation().info(call.accountId());
                            String issuer = tokens.issuerUrl(info);
                            return ActionResult.of(xml -> xml
                                    .element("IssuerIdentifier", issuer)
                                    .element("JwtVendingEnabled", info.enabled()), Map.of());
                        }));
    }
}
