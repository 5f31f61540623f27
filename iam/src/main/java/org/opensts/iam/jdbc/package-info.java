/**
 * The identity store on JDBC: an embedded H2 file (the default, nothing to install, one node) or PostgreSQL (shared by
 * several nodes), one schema migrated by Flyway at start-up, pooled by HikariCP. A Java migration
 * ({@code AwsManagedPolicyMigration}) copies the AWS managed policies OpenSTS ships into the policy tables, once per
 * catalog shipped. Long-term secrets are sealed with the master key before they reach SQL. On PostgreSQL every
 * committed write is announced with {@code NOTIFY}, and each node's {@code PostgresChangeFeed} hears it, so nodes drop
 * what they cached.
 */
package org.opensts.iam.jdbc;
