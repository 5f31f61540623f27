package org.opensts.iam;

import org.opensts.iam.jdbc.StoreSettings;

/** The store suite on a real PostgreSQL server (see {@link TestPostgres}), each case in a new database. */
class PostgresIdentityStoreTest extends IdentityStoreSuite {
    @Override
    StoreSettings newDatabase() {
        return TestPostgres.newDatabase();
    }
}
