package org.opensts.iam;

import org.opensts.iam.jdbc.StoreSettings;

/** IAM writes racing each other on a real PostgreSQL server (see {@link TestPostgres}), the store nodes share. */
class PostgresConcurrentWritesTest extends ConcurrentWritesSuite {
    @Override
    StoreSettings newDatabase() {
        return TestPostgres.newDatabase();
    }
}
