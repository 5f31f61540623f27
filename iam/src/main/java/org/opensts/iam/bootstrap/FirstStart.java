package org.opensts.iam.bootstrap;

import java.util.Optional;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.CreateUserRequest;
import org.opensts.iam.IamService;
import org.opensts.iam.jdbc.StoreException;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/**
 * What an empty store needs before anyone can sign a request: the account, and an IAM user {@code admin} with full
 * permissions and one access key.
 */
public final class FirstStart {
    /** The admin user's name. */
    public static final String ADMIN_USER = "admin";
    /** The admin user's inline policy: every action on every resource. */
    public static final String ADMIN_POLICY_NAME = "AdministratorAccess";
    static final String ADMIN_POLICY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    private FirstStart() {
    }

    /**
     * Initializes an empty store.
     *
     * @return the admin's access key when the store was empty (its secret is shown this once), else empty
     */
    public static Optional<AccessKeyCredentials> initializeIfEmpty(IamService iam, String accountId) {
        if (!iam.store().listAccounts().isEmpty()) {
            return Optional.empty();
        }
        try {
            iam.accounts().createAccount(accountId);
        } catch (ApiException | StoreException.DuplicateKeyException e) {
            // Another node sharing the store started at the same moment and is creating the admin: not our first start.
            if (e instanceof ApiException api && api.errorCode() != ErrorCode.ENTITY_ALREADY_EXISTS) {
                throw api;
            }
            return Optional.empty();
        }
        iam.users().createUser(accountId, CreateUserRequest.named(ADMIN_USER));
        iam.users().putUserPolicy(accountId, ADMIN_USER, ADMIN_POLICY_NAME, ADMIN_POLICY);
        return Optional.of(iam.users().createAccessKey(accountId, ADMIN_USER));
    }
}
