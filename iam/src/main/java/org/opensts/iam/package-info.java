/**
 * Identities: accounts, IAM users and their access keys, roles, and the policies attached to them.
 *
 * <p>{@link org.opensts.iam.IdentityStore} is the one repository interface; {@code org.opensts.iam.jdbc} implements it
 * on an embedded H2 file or on PostgreSQL with one schema, and {@link org.opensts.iam.CachingIdentityStore} keeps the
 * hot path free of store I/O. {@link org.opensts.iam.IamService} holds the IAM operations as plain Java — with AWS's
 * validation, limits and errors — and is the only writer: the IAM Query API and the bootstrap file both go through it.
 */
package org.opensts.iam;
