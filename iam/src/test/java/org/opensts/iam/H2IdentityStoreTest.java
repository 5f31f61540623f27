package org.opensts.iam;

import org.opensts.iam.jdbc.StoreSettings;

/** The store suite on the embedded store's database, H2 in PostgreSQL mode, each case in a new in-memory database. */
class H2IdentityStoreTest extends IdentityStoreSuite {
    @Override
    StoreSettings newDatabase() {
        return TestStores.inMemoryH2();
    }
}
