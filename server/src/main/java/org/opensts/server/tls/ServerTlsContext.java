package org.opensts.server.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS server context built from a certificate chain file and a private key file, rebuilt when either changes.
 *
 * <p>Each new connection takes {@link #current()} when it is accepted, so a connection keeps the context it started
 * with and nothing is dropped when the files change. {@link #reloadIfChanged()} compares the files' contents (not their
 * modification times, which may not move for a quick rewrite) with the last pair it saw; a new pair that does not load
 * (half written, a key that does not match the certificate) is logged once and the context in use stays.
 *
 * <p>TLS 1.2 and 1.3 only, on the JDK's provider.
 */
public final class ServerTlsContext {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTlsContext.class);
    /** The protocols served; anything older is refused in the handshake. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final Path certificateChainFile;
    private final Path privateKeyFile;
    private volatile SslContext current;
    private byte[] lastSeen;

    private ServerTlsContext(Path certificateChainFile, Path privateKeyFile, SslContext current, byte[] lastSeen) {
        this.certificateChainFile = certificateChainFile;
        this.privateKeyFile = privateKeyFile;
        this.current = current;
        this.lastSeen = lastSeen;
    }

    /**
     * Loads the pair.
     *
     * @throws IOException if either file cannot be read or parsed, or the key does not belong to the first certificate
     */
    public static ServerTlsContext load(Path certificateChainFile, Path privateKeyFile) throws IOException {
        byte[] digest = digest(certificateChainFile, privateKeyFile);
        SslContext context = build(certificateChainFile, privateKeyFile);
        return new ServerTlsContext(certificateChainFile, privateKeyFile, context, digest);
    }

    /** The context for a connection accepted now. */
    public SslContext current() {
        return current;
    }

    /**
     * Rebuilds the context if either file's content changed since the last call; a pair that does not load is logged
     * and the context in use stays.
     *
     * @return whether a new context is now in use
     */
    public synchronized boolean reloadIfChanged() {
        byte[] digest;
        try {
            digest = digest(certificateChainFile, privateKeyFile);
        } catch (IOException e) {
            LOG.warn("Cannot read the TLS certificate or key file; still serving the certificate loaded before: {}",
                    e.getMessage());
            return false;
        }
        if (MessageDigest.isEqual(digest, lastSeen)) {
            return false;
        }
        lastSeen = digest;
        try {
            current = build(certificateChainFile, privateKeyFile);
            return true;
        } catch (IOException e) {
            // Said once per new content, not at every check: the next change tries again.
            LOG.warn("The changed TLS certificate and key do not load; still serving the certificate loaded before: {}",
                    e.getMessage());
            return false;
        }
    }

    private static SslContext build(Path certificateChainFile, Path privateKeyFile) throws IOException {
        List<X509Certificate> chain = Pem.readCertificates(certificateChainFile);
        PrivateKey key = Pem.readPrivateKey(privateKeyFile);
        X509Certificate server = chain.get(0);
        if (!belongTogether(key, server.getPublicKey())) {
            throw new IOException("the private key in " + privateKeyFile + " does not belong to the first certificate "
                    + "in " + certificateChainFile);
        }
        SslContext context = SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOLS)
                .build();
        LOG.info("TLS certificate for {} (serial {}, valid until {}) loaded from {}",
                server.getSubjectX500Principal().getName(), server.getSerialNumber().toString(16),
                server.getNotAfter().toInstant(), certificateChainFile);
        return context;
    }

    /** Whether {@code key} signs what {@code publicKey} verifies: the one check that works for RSA and EC alike. */
    private static boolean belongTogether(PrivateKey key, PublicKey publicKey) throws IOException {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        try {
            var challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            var signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            var verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            throw new IOException("the private key cannot sign: " + e.getMessage(), e);
        }
    }

    private static byte[] digest(Path certificateChainFile, Path privateKeyFile) throws IOException {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            digest.update(Files.readAllBytes(certificateChainFile));
            digest.update((byte) 0);
            digest.update(Files.readAllBytes(privateKeyFile));
            return digest.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
