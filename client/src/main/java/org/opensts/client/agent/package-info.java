/**
 * The credential agent's endpoints: an IMDSv2-compatible instance metadata endpoint ({@link
 * org.opensts.client.agent.ImdsServer}) and a container credentials endpoint ({@link
 * org.opensts.client.agent.ContainerCredentialsServer}), both serving the role credentials that one refreshing
 * provider keeps fresh ({@link org.opensts.client.agent.AgentCredentials}).
 *
 * <p>They run on the JDK's {@code com.sun.net.httpserver}: a handful of local programs ask for credentials a few times
 * an hour, so a small blocking server is plenty, and the client library stays free of Netty for those who embed it.
 */
package org.opensts.client.agent;
