package org.opensts.iam.jdbc;

import org.opensts.iam.TestStores;

/** The replay guard suite on H2 in PostgreSQL mode, the embedded store's database. */
class H2AssertionReplayGuardTest extends AssertionReplayGuardSuite {
    @Override
    StoreSettings newDatabase() {
        return TestStores.inMemoryH2();
    }
}
