/**
 * The credential agent's endpoints: an IMDSv2-compatible instance metadata endpoint ({@link
 * org.opensts.client.agent.ImdsServer}) and a container credentials endpoint ({@link
 * org.opensts.client.agent.ContainerCredentialsServer}), both serving the role credentials that one refreshing
 * provider keeps fresh ({@link org.opensts.client.agent.AgentCredentials}).
 *
 * <p>They run on {@code AgentHttpServer}, a small non-blocking HTTP/1.1 server with a time
 * limit per request and a cap on connections, so that one slow or idle caller cannot keep the others from their
 * credentials; it keeps the client library free of Netty for the programs that embed it.
 */
package org.opensts.client.agent;
