/**
 * The bootstrap file: a declarative YAML description of accounts, users, access keys and roles, applied at start-up
 * through {@link org.opensts.iam.IamService} — the same code path as the IAM API — so that it is validated the same
 * way. Applying a file twice changes nothing.
 */
package org.opensts.iam.bootstrap;
