package org.opensts.iam.jdbc;

import org.opensts.iam.TestPostgres;

/** The console token uses suite on a real PostgreSQL server, each case in a new database. */
class PostgresConsoleTokenUsesTest extends ConsoleTokenUsesSuite {
    @Override
    StoreSettings newDatabase() {
        return TestPostgres.newDatabase();
    }
}
