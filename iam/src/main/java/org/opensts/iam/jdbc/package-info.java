/**
 * The identity store on JDBC: an embedded H2 file (the default, nothing to install) or PostgreSQL, one schema migrated
 * by Flyway at start-up, pooled by HikariCP. Long-term secrets are sealed with the master key before they reach SQL.
 */
package org.opensts.iam.jdbc;
