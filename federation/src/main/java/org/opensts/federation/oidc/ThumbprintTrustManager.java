package org.opensts.federation.oidc;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts an identity provider's server through the SHA-1 thumbprints registered for it, for a certificate that no
 * trusted CA signed. AWS: "If your OIDC IdP relies on a certificate that is not signed by one of these trusted CAs,
 * only then we secure communication using the thumbprints set in the IdP's configuration" (IAM API Reference,
 * CreateOpenIDConnectProvider).
 *
 * <p>Design: a thumbprint names a trust anchor, not a chain to accept. The first presented certificate whose
 * thumbprint is registered becomes the only anchor of the JDK's own PKIX trust manager, which then checks the whole
 * chain with the same engine or socket: the signatures from the leaf up to that anchor, the dates of the certificates
 * below it, key usages, algorithm constraints and the host name (endpoint identification). Accepting a chain merely
 * because it contains a registered certificate would let anyone who appends a legitimate CA's public certificate to
 * their own leaf through. PKIX never checks an anchor's own dates, and a self-signed leaf is its own anchor, so this
 * class checks the anchor's validity itself. Only the overloads with an engine or a socket trust anything: without
 * one there is no host name to verify. Building a trust manager per handshake costs a KeyStore and a factory; fetches
 * of provider documents are rare (the keys are cached), so that is cheaper than being clever.
 */
final class ThumbprintTrustManager extends X509ExtendedTrustManager {
    /** No presented certificate has a registered thumbprint: AWS's {@code InvalidIdentityToken}, not a TLS fault. */
    static final class ThumbprintMismatchException extends CertificateException {
        private static final long serialVersionUID = 1L;

        ThumbprintMismatchException() {
            super("no presented certificate has a registered thumbprint");
        }
    }

    /** How the JDK's PKIX trust manager is asked once the anchor is chosen. */
    @FunctionalInterface
    private interface PkixCheck {
        void check(X509ExtendedTrustManager pkix) throws CertificateException;
    }

    private final Set<String> thumbprints;

    /** @param thumbprints hex SHA-1 thumbprints of certificates, in either case */
    ThumbprintTrustManager(Collection<String> thumbprints) {
        this.thumbprints = thumbprints.stream().map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        if (this.thumbprints.isEmpty()) {
            throw new IllegalArgumentException("no thumbprints to trust");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkPinned(chain, pkix -> pkix.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkPinned(chain, pkix -> pkix.checkServerTrusted(chain, authType, socket));
    }

    /** Refused: without the connection there is no host name to verify. */
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a thumbprint-pinned check needs the connection, to verify the host name");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("this trust manager trusts no client");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("this trust manager trusts no client");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("this trust manager trusts no client");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    private void checkPinned(X509Certificate[] chain, PkixCheck check) throws CertificateException {
        X509Certificate anchor = registeredCertificate(chain);
        anchor.checkValidity();
        check.check(pkixTrusting(anchor));
    }

    /** The first presented certificate whose thumbprint is registered. */
    private X509Certificate registeredCertificate(X509Certificate[] chain) throws CertificateException {
        if (chain == null) {
            throw new ThumbprintMismatchException();
        }
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new CertificateException("SHA-1 is not available", e);
        }
        for (X509Certificate certificate : chain) {
            if (thumbprints.contains(HexFormat.of().formatHex(sha1.digest(certificate.getEncoded())))) {
                return certificate;
            }
        }
        throw new ThumbprintMismatchException();
    }

    /** The JDK's PKIX trust manager with {@code anchor} as its one trust anchor. */
    private static X509ExtendedTrustManager pkixTrusting(X509Certificate anchor) throws CertificateException {
        TrustManagerFactory factory;
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("pinned", anchor);
            factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
        } catch (GeneralSecurityException | IOException e) {
            throw new CertificateException("cannot set up trust in the pinned certificate", e);
        }
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager pkix) {
                return pkix;
            }
        }
        throw new CertificateException("the JDK offers no PKIX trust manager");
    }
}
