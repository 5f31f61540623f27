package org.opensts.iam.jdbc;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * Has the pool drop a connection to an embedded H2 database that failed as a whole
 * ({@link StoreException#isEmbeddedDatabaseFailure}). H2 closes its database when a write to the file fails (a full
 * disk, a file system remounted read-only), but its connections stay open and answer every statement with "The
 * database has been closed", and the pool, which evicts a connection only for a class 08 SQLSTATE or a few codes of
 * other databases, would lend them on forever. Dropped instead, they are replaced by new connections, the first of
 * which opens the database again from its file.
 */
final class H2FailureEviction implements SQLExceptionOverride {
    @java.lang.Override
    public Override adjudicate(SQLException e) {
        // The pool asks again for each exception chained to e by getNextException().
        return StoreException.isEmbeddedDatabaseFailure(e) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
    }
}
