package org.opensts.iam.jdbc;

import org.opensts.iam.TestPostgres;

/** The replay guard suite on a real PostgreSQL server, each case in a new database. */
class PostgresAssertionReplayGuardTest extends AssertionReplayGuardSuite {
    @Override
    StoreSettings newDatabase() {
        return TestPostgres.newDatabase();
    }
}
