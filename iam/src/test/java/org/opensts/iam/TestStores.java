package org.opensts.iam;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.iam.jdbc.StoreSettings;
import org.opensts.token.MasterKey;

/** Real stores for tests: an in-memory H2 database per call, migrated like any other. */
public final class TestStores {
    private TestStores() {
    }

    public static MasterKey newMasterKey() {
        try {
            return MasterKey.fromKeysetJson(MasterKey.generateKeysetJson());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static StoreSettings inMemoryH2() {
        return new StoreSettings("jdbc:h2:mem:iam-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                Optional.empty(), Optional.empty(), 2);
    }

    public static JdbcIdentityStore inMemory(MasterKey masterKey, Clock clock) {
        return JdbcIdentityStore.open(inMemoryH2(), masterKey, clock);
    }
}
