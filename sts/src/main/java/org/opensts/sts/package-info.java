/**
 * The STS operations as plain Java: authenticating the caller ({@link org.opensts.sts.Authenticator}), validating
 * input against the model ({@link org.opensts.sts.StsShapes}), authorizing with the policy engine
 * ({@link org.opensts.sts.Authorizer}) and minting credentials. No sockets: every operation is a method call with
 * records on both sides, testable without a port.
 */
package org.opensts.sts;
