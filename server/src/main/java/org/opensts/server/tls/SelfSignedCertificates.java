package org.opensts.server.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private CA and a server certificate it issued, kept in one directory ({@code DATA/tls/}) for
 * {@code --tls-self-signed}: {@code ca.pem} (the bundle clients trust, e.g. through {@code AWS_CA_BUNDLE}),
 * {@code ca-key.pem}, {@code server.pem} (the server certificate, then the CA's) and {@code server-key.pem}. Keys are
 * ECDSA P-256 in PKCS #8, readable by their owner only.
 *
 * <p>The CA is made once and kept, so clients keep trusting it across restarts. The server certificate is kept too
 * while it was issued by that CA, covers the names asked for and has more than {@link #RENEW_BEFORE} to run; otherwise
 * a new one is issued.
 */
public final class SelfSignedCertificates {
    private static final Logger LOG = LoggerFactory.getLogger(SelfSignedCertificates.class);
    public static final String CA_CERTIFICATE = "ca.pem";
    public static final String CA_KEY = "ca-key.pem";
    public static final String SERVER_CERTIFICATE = "server.pem";
    public static final String SERVER_KEY = "server-key.pem";
    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /** Within what clients accept for a server certificate from a CA an operator added (825 days), and under 398. */
    static final Duration SERVER_VALIDITY = Duration.ofDays(397);
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    /** Allows for clients whose clocks run a little behind. */
    private static final Duration BACKDATE = Duration.ofHours(1);

    /** Where the files are. */
    public record Issued(Path caCertificate, Path serverCertificateChain, Path serverPrivateKey) {
    }

    /** The names a server certificate covers: DNS names and IP addresses. */
    public record SubjectAlternativeNames(Set<String> dnsNames, Set<InetAddress> ipAddresses) {
        public SubjectAlternativeNames {
            dnsNames = Set.copyOf(dnsNames);
            ipAddresses = Set.copyOf(ipAddresses);
        }

        /**
         * The names a client may reach a server listening on {@code host} by: {@code localhost}, {@code 127.0.0.1},
         * {@code ::1} and the host itself (an IP address for an IP literal, a DNS name otherwise). A wildcard address
         * adds this machine's host name.
         */
        public static SubjectAlternativeNames forListenHost(String host) throws UnknownHostException {
            var dnsNames = new LinkedHashSet<String>(List.of("localhost"));
            var ipAddresses = new LinkedHashSet<InetAddress>(List.of(InetAddress.getByName("127.0.0.1"),
                    InetAddress.getByName("::1")));
            if (isIpLiteral(host)) {
                // A literal is parsed, never looked up.
                InetAddress address = InetAddress.getByName(host);
                if (address.isAnyLocalAddress()) {
                    dnsNames.add(InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT));
                } else {
                    ipAddresses.add(address);
                }
            } else {
                dnsNames.add(host.toLowerCase(Locale.ROOT));
            }
            return new SubjectAlternativeNames(dnsNames, ipAddresses);
        }

        static boolean isIpLiteral(String host) {
            return host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        }

        /** Whether {@code certificate} names every one of these. */
        boolean coveredBy(X509Certificate certificate) throws CertificateParsingException {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return false;
            }
            var dns = new LinkedHashSet<String>();
            var ips = new LinkedHashSet<InetAddress>();
            for (List<?> name : names) {
                int type = (Integer) name.get(0);
                if (type == 2) {
                    dns.add(((String) name.get(1)).toLowerCase(Locale.ROOT));
                } else if (type == 7) {
                    try {
                        ips.add(InetAddress.getByName((String) name.get(1)));
                    } catch (UnknownHostException e) {
                        return false;
                    }
                }
            }
            return dns.containsAll(dnsNames) && ips.containsAll(ipAddresses);
        }
    }

    private SelfSignedCertificates() {
    }

    /**
     * Makes or reuses the CA and the server certificate in {@code directory}.
     *
     * @throws IOException if the directory or a file cannot be written, or an existing CA file cannot be read
     */
    public static Issued ensure(Path directory, SubjectAlternativeNames names, Clock clock) throws IOException {
        Files.createDirectories(directory);
        var files = new Issued(directory.resolve(CA_CERTIFICATE), directory.resolve(SERVER_CERTIFICATE),
                directory.resolve(SERVER_KEY));
        Path caKeyFile = directory.resolve(CA_KEY);
        var random = new SecureRandom();
        Instant now = clock.instant();
        try {
            X509Certificate ca;
            PrivateKey caKey;
            if (Files.exists(files.caCertificate()) && Files.exists(caKeyFile)) {
                ca = Pem.readCertificates(files.caCertificate()).get(0);
                caKey = Pem.readPrivateKey(caKeyFile);
            } else {
                KeyPair pair = newKeyPair(random);
                String commonName = "OpenSTS local CA " + HexFormat.of().formatHex(randomBytes(random, 4));
                ca = new CertificateTemplate(serialNumber(random), commonName, commonName, now.minus(BACKDATE),
                        now.plus(CA_VALIDITY), pair.getPublic(), pair.getPublic(), /* certificateAuthority= */ true,
                        List.of(), List.of()).sign(pair.getPrivate());
                writeFile(caKeyFile, Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()), /* secret= */ true);
                writeFile(files.caCertificate(), Pem.encode("CERTIFICATE", ca.getEncoded()), /* secret= */ false);
                caKey = pair.getPrivate();
                LOG.info("Created a CA for HTTPS in {}", files.caCertificate());
            }
            if (!serverCertificateUsable(files, ca, names, now)) {
                KeyPair pair = newKeyPair(random);
                String caName = ca.getSubjectX500Principal().getName().replaceFirst("^CN=", "");
                String subject = names.dnsNames().contains("localhost") ? "localhost" : "OpenSTS";
                X509Certificate server = new CertificateTemplate(serialNumber(random), subject, caName,
                        now.minus(BACKDATE), now.plus(SERVER_VALIDITY), pair.getPublic(), ca.getPublicKey(),
                        /* certificateAuthority= */ false, sorted(names.dnsNames()),
                        new ArrayList<>(names.ipAddresses())).sign(caKey);
                writeFile(files.serverPrivateKey(), Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()),
                        /* secret= */ true);
                writeFile(files.serverCertificateChain(), Pem.encode("CERTIFICATE", server.getEncoded())
                        + Pem.encode("CERTIFICATE", ca.getEncoded()), /* secret= */ false);
                LOG.info("Issued a server certificate for {} {} in {}", sorted(names.dnsNames()),
                        names.ipAddresses(), files.serverCertificateChain());
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot create the HTTPS certificates in " + directory + ": " + e.getMessage(), e);
        }
        return files;
    }

    private static boolean serverCertificateUsable(Issued files, X509Certificate ca, SubjectAlternativeNames names,
            Instant now) {
        if (!Files.exists(files.serverCertificateChain())
                || !Files.exists(files.serverPrivateKey())) {
            return false;
        }
        try {
            X509Certificate server = Pem.readCertificates(files.serverCertificateChain()).get(0);
            Pem.readPrivateKey(files.serverPrivateKey());
            server.verify(ca.getPublicKey());
            return names.coveredBy(server)
                    && server.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE))
                    && !server.getNotBefore().toInstant().isAfter(now);
        } catch (IOException | GeneralSecurityException e) {
            LOG.info("The server certificate in {} cannot be reused ({}); issuing a new one",
                    files.serverCertificateChain(), e.getMessage());
            return false;
        }
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    static KeyPair newKeyPair(SecureRandom random) throws GeneralSecurityException {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    /** 128 random bits, positive: unpredictable, as CAs' serial numbers should be. */
    private static BigInteger serialNumber(SecureRandom random) {
        return new BigInteger(1, randomBytes(random, 16)).setBit(0);
    }

    private static byte[] randomBytes(SecureRandom random, int count) {
        var bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Writes {@code content} whole (never seen half written by a reload); keys readable by their owner only. */
    private static void writeFile(Path file, String content, boolean secret) throws IOException {
        Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), ".opensts", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(secret ? "rw-------"
                        : "rw-r--r--")));
        try {
            Files.writeString(temporary, content, US_ASCII);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
