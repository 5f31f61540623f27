package org.opensts.iam.jdbc;

import org.opensts.iam.TestStores;

/** The console token uses suite on H2 in PostgreSQL mode, the embedded store's database. */
class H2ConsoleTokenUsesTest extends ConsoleTokenUsesSuite {
    @Override
    StoreSettings newDatabase() {
        return TestStores.inMemoryH2();
    }
}
