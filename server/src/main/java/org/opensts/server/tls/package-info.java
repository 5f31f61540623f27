/**
 * HTTPS for the listener: {@link org.opensts.server.tls.ServerTlsContext} serves a PEM certificate chain and key and
 * picks up new ones without a restart; {@link org.opensts.server.tls.SelfSignedCertificates} keeps a private CA and a
 * server certificate for {@code --tls-self-signed}, encoded by {@link org.opensts.server.tls.CertificateTemplate}
 * (the JDK parses X.509 certificates but has no public API to make one).
 */
package org.opensts.server.tls;
