package org.opensts.server;

import java.util.ArrayList;
import java.util.List;
import org.opensts.iam.IamService;
import org.opensts.iam.PolicySimulator;
import org.opensts.policy.PolicyEvaluator;
import org.opensts.sts.Authorizer;
import org.opensts.sts.WebIdentityTokens;

/** Every IAM Query action (Version 2010-05-08) OpenSTS serves, family by family. */
final class IamActions {
    private IamActions() {
    }

    static List<QueryAction> all(IamService iam, Authorizer authorizer, WebIdentityTokens webIdentityTokens) {
        var actions = new ArrayList<QueryAction>();
        actions.addAll(IamUserActions.all(iam, authorizer));
        actions.addAll(IamGroupActions.all(iam, authorizer));
        actions.addAll(IamAccountActions.all(iam, authorizer));
        actions.addAll(IamAccountSettingsActions.all(iam, authorizer));
        actions.addAll(IamAuthorizationDetailsActions.all(iam, authorizer));
        actions.addAll(IamRoleActions.all(iam, authorizer));
        actions.addAll(IamInstanceProfileActions.all(iam, authorizer));
        actions.addAll(IamProviderActions.all(iam, authorizer));
        actions.addAll(IamMfaActions.all(iam, authorizer));
        actions.addAll(IamPolicyActions.all(iam, authorizer));
        actions.addAll(IamOutboundFederationActions.all(iam, authorizer, webIdentityTokens));
        actions.addAll(IamAbsentFeatureActions.all(iam, authorizer));
        actions.addAll(IamCredentialReportActions.all(iam.store(), authorizer));
        actions.addAll(IamSimulatorActions.all(new PolicySimulator(iam.store(), authorizer.identityPolicies(),
                new PolicyEvaluator()), authorizer));
        return List.copyOf(actions);
    }
}
