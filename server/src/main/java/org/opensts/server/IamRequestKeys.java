package org.opensts.server;

import java.util.ArrayList;
import java.util.List;
import org.opensts.iam.IamService;
import org.opensts.policy.GlobalConditionKeys;
import org.opensts.policy.RequestContext;
import org.opensts.protocol.shape.Struct;

/**
 * Condition keys an IAM action takes from its request, or from the resource it acts on, beyond the global keys every
 * call has — those the Service Authorization Reference for IAM ("Actions, resources, and condition keys for AWS
 * Identity and Access Management") lists in the action's condition-keys column. Each action declares its own next to
 * its declaration ({@link IamAction#withRequestKeys}); a key the request does not carry is left out, so that a
 * condition on it is judged as on a missing key.
 */
@FunctionalInterface
interface IamRequestKeys {
    String POLICY_ARN = "iam:PolicyARN";
    String PERMISSIONS_BOUNDARY = "iam:PermissionsBoundary";

    void addTo(RequestContext.Builder context, Struct input, IamResource resource);

    /**
     * {@code iam:PolicyARN}: the managed policy the request attaches or detaches ({@code PolicyArn}), spelled as the
     * store has it: the operation finds a policy whatever the case of its name, and a condition must see the policy
     * it will act on, not a spelling that slips past {@code ArnEquals}.
     */
    static IamRequestKeys policyArnOfRequest(IamService iam) {
        return (context, input, resource) ->
                context.put(POLICY_ARN, IamPolicyActions.storedPolicyArn(iam, input.requiredString("PolicyArn")));
    }

    /**
     * {@code iam:PermissionsBoundary}: the boundary the request sets ({@code PermissionsBoundary} of CreateUser,
     * CreateRole and Put*PermissionsBoundary), spelled as the store has it, as for {@link #policyArnOfRequest}.
     */
    static IamRequestKeys requestedBoundary(IamService iam) {
        return (context, input, resource) -> input.string("PermissionsBoundary").ifPresent(boundary ->
                context.put(PERMISSIONS_BOUNDARY, IamPolicyActions.storedPolicyArn(iam, boundary)));
    }

    /**
     * {@code iam:PermissionsBoundary}: the boundary the user or role already has, for the actions that change what
     * it may do (IAM User Guide, "Permissions boundaries for IAM entities": an administrator may be allowed to manage
     * only the entities that have a given boundary).
     */
    IamRequestKeys CURRENT_BOUNDARY = (context, input, resource) ->
            resource.permissionsBoundary().ifPresent(boundary -> context.put(PERMISSIONS_BOUNDARY, boundary));

    /**
     * {@code aws:RequestTag/<key>} for each tag of the request's {@code Tags}, and {@code aws:TagKeys} for their keys
     * (IAM User Guide, "Controlling access during IAM requests"). A request without tags has neither.
     */
    IamRequestKeys REQUEST_TAGS = (context, input, resource) -> {
        List<Struct> tags = input.structs("Tags");
        if (tags.isEmpty()) {
            return;
        }
        var keys = new ArrayList<String>(tags.size());
        for (Struct tag : tags) {
            String key = tag.requiredString("Key");
            keys.add(key);
            context.put(GlobalConditionKeys.REQUEST_TAG_PREFIX + key, tag.requiredString("Value"));
        }
        context.put(GlobalConditionKeys.TAG_KEYS, keys);
    };

    /** {@code aws:TagKeys}: the keys an Untag* request removes ({@code TagKeys}). */
    IamRequestKeys TAG_KEYS_OF_REQUEST = (context, input, resource) ->
            context.put(GlobalConditionKeys.TAG_KEYS, input.strings("TagKeys"));

    /** Whether a request has {@code Tags}: a Create* action then needs its Tag* action too. */
    static boolean hasTags(Struct input) {
        return !input.structs("Tags").isEmpty();
    }

    /** Whether a request sets a {@code PermissionsBoundary}: CreateUser and CreateRole then need its Put* action. */
    static boolean hasPermissionsBoundary(Struct input) {
        return input.string("PermissionsBoundary").isPresent();
    }
}
