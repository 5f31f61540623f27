package org.opensts.iam;

import org.opensts.iam.jdbc.StoreSettings;

/** IAM writes racing each other on the embedded store's database, H2 in PostgreSQL mode. */
class H2ConcurrentWritesTest extends ConcurrentWritesSuite {
    @Override
    StoreSettings newDatabase() {
        return TestStores.inMemoryH2();
    }
}
