/**
 * Calling STS from Java without the AWS SDK's STS client: {@link org.opensts.client.StsWireClient} speaks the Query
 * protocol over {@code java.net.http}, signed with the project's own SigV4 signer, and the refreshing credentials
 * providers build on it. The agent's endpoints live in {@code org.opensts.client.agent}.
 */
package org.opensts.client;
