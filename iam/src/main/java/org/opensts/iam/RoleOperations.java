package org.opensts.iam;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import org.opensts.policy.Policy;
import org.opensts.policy.PolicyType;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.QueryBinder;
import org.opensts.token.AccessKeyIds;

/** The IAM operations on roles, their trust policies and their inline policies. */
public final class RoleOperations {
    /** IAM quotas (STS_API.md §3), counted without whitespace as IAM counts them. */
    static final int MAX_TRUST_POLICY_SIZE = 2048;
    static final int MAX_ROLE_INLINE_POLICY_SIZE = 10240;

    private final IdentityStore store;
    private final Clock clock;
    private final SecureRandom random;

    RoleOperations(IdentityStore store, Clock clock, SecureRandom random) {
        this.store = store;
        this.clock = clock;
        this.random = random;
    }

    public Role createRole(String accountId, CreateRoleRequest request) {
        QueryBinder.check(IamShapes.ROLE_NAME, request.roleName(), "roleName");
        String path = request.path().orElse("/");
        QueryBinder.check(IamShapes.PATH, path, "path");
        QueryBinder.check(IamShapes.POLICY_DOCUMENT, request.assumeRolePolicyDocument(), "assumeRolePolicyDocument");
        request.description().ifPresent(text -> QueryBinder.check(IamShapes.ROLE_DESCRIPTION, text, "description"));
        int maxSessionDuration = request.maxSessionDuration().orElse(Role.DEFAULT_MAX_SESSION_DURATION);
        QueryBinder.check(IamShapes.ROLE_MAX_SESSION_DURATION, Integer.toString(maxSessionDuration),
                "maxSessionDuration");
        request.permissionsBoundary().ifPresent(arn -> QueryBinder.check(IamShapes.ARN, arn, "permissionsBoundary"));
        IamChecks.checkTags(request.tags());
        checkTrustPolicy(request.assumeRolePolicyDocument());
        return IamChecks.createEntity(() -> store.write(writer -> {
            IamChecks.requireAccount(writer, accountId);
            if (writer.findRole(accountId, request.roleName()).isPresent()) {
                throw roleExists(request.roleName());
            }
            var role = new Role(accountId, AccessKeyIds.newUniqueId("AROA", random), request.roleName(), path,
                    request.assumeRolePolicyDocument(), request.description(), maxSessionDuration,
                    request.permissionsBoundary(), request.tags(), clock.instant());
            writer.createRole(role);
            return role;
        }), () -> roleExists(request.roleName()));
    }

    public Role getRole(String accountId, String roleName) {
        QueryBinder.check(IamShapes.ROLE_NAME, roleName, "roleName");
        return store.findRole(accountId, roleName).orElseThrow(() -> IamChecks.noSuchRole(roleName));
    }

    public void updateAssumeRolePolicy(String accountId, String roleName, String policyDocument) {
        QueryBinder.check(IamShapes.ROLE_NAME, roleName, "roleName");
        QueryBinder.check(IamShapes.POLICY_DOCUMENT, policyDocument, "policyDocument");
        checkTrustPolicy(policyDocument);
        store.write(writer -> {
            Role role = writer.findRole(accountId, roleName).orElseThrow(() -> IamChecks.noSuchRole(roleName));
            writer.updateRole(role.withAssumeRolePolicyDocument(policyDocument));
            return null;
        });
    }

    /** UpdateRole: changes the description and/or the maximum session duration; absent values are kept. */
    public void updateRole(String accountId, String roleName, Optional<String> description,
            Optional<Integer> maxSessionDuration) {
        QueryBinder.check(IamShapes.ROLE_NAME, roleName, "roleName");
        description.ifPresent(text -> QueryBinder.check(IamShapes.ROLE_DESCRIPTION, text, "description"));
        maxSessionDuration.ifPresent(seconds -> QueryBinder.check(IamShapes.ROLE_MAX_SESSION_DURATION,
                Integer.toString(seconds), "maxSessionDuration"));
        store.write(writer -> {
            Role role = writer.findRole(accountId, roleName).orElseThrow(() -> IamChecks.noSuchRole(roleName));
            writer.updateRole(role.withDescriptionAndMaxSessionDuration(
                    description.isPresent() ? description : role.description(),
                    maxSessionDuration.orElse(role.maxSessionDuration())));
            return null;
        });
    }

    public void putRolePolicy(String accountId, String roleName, String policyName, String policyDocument) {
        QueryBinder.check(IamShapes.ROLE_NAME, roleName, "roleName");
        QueryBinder.check(IamShapes.POLICY_NAME, policyName, "policyName");
        QueryBinder.check(IamShapes.POLICY_DOCUMENT, policyDocument, "policyDocument");
        Policy policy = IamChecks.parsePolicy(policyDocument, PolicyType.IDENTITY);
        store.write(writer -> {
            Role role = writer.findRole(accountId, roleName).orElseThrow(() -> IamChecks.noSuchRole(roleName));
            PolicyOwner owner = PolicyOwner.of(role);
            IamChecks.checkInlineQuota(writer, owner, policyName, policy, MAX_ROLE_INLINE_POLICY_SIZE, "role", role.roleName());
            writer.putInlinePolicy(owner, new InlinePolicy(policyName, policyDocument));
            return null;
        });
    }

    private static void checkTrustPolicy(String document) {
        Policy policy = IamChecks.parsePolicy(document, PolicyType.TRUST);
        if (policy.sizeWithoutWhitespace() > MAX_TRUST_POLICY_SIZE) {
            throw new ApiException(ErrorCode.LIMIT_EXCEEDED,
                    "Cannot exceed quota for ACLSizePerRole: " + MAX_TRUST_POLICY_SIZE);
        }
    }

    private static ApiException roleExists(String roleName) {
        return IamChecks.alreadyExists("Role with name " + roleName + " already exists.");
    }
}
