package org.opensts.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.protocol.testing.MutableClock;
import org.opensts.server.tls.SelfSignedCertificates.SubjectAlternativeNames;

/** The CA and server certificate of {@code --tls-self-signed}: made once, reused, reissued when they no longer fit. */
class SelfSignedCertificatesTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));

    private SelfSignedCertificates.Issued ensure(String listenHost) throws Exception {
        return SelfSignedCertificates.ensure(dir.resolve("tls"), SubjectAlternativeNames.forListenHost(listenHost),
                clock);
    }

    @Test
    void firstStart_makesACaAndAServerCertificateThatChainsToIt() throws Exception {
        SelfSignedCertificates.Issued issued = ensure("127.0.0.1");

        X509Certificate ca = Pem.readCertificates(issued.caCertificate()).get(0);
        List<X509Certificate> chain = Pem.readCertificates(issued.serverCertificateChain());
        assertThat(chain).hasSize(2);
        assertThat(chain.get(1)).isEqualTo(ca);
        var parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(clock.instant()));
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(chain.subList(0, 1)), parameters);
        assertThat(chain.get(0).getSubjectAlternativeNames()).contains(List.of(2, "localhost"),
                List.of(7, "127.0.0.1"));
        assertThat(ServerTlsContext.load(issued.serverCertificateChain(), issued.serverPrivateKey())).isNotNull();
    }

    @Test
    void keys_areReadableByTheOwnerOnly() throws Exception {
        SelfSignedCertificates.Issued issued = ensure("127.0.0.1");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(issued.serverPrivateKey())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve("tls").resolve(SelfSignedCertificates.CA_KEY)))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(issued.caCertificate())))
                .isEqualTo("rw-r--r--");
    }

    @Test
    void secondStart_onTheSameHost_reusesBothCertificates() throws Exception {
        SelfSignedCertificates.Issued first = ensure("127.0.0.1");
        String ca = Files.readString(first.caCertificate());
        String server = Files.readString(first.serverCertificateChain());
        String key = Files.readString(first.serverPrivateKey());

        SelfSignedCertificates.Issued second = ensure("127.0.0.1");

        assertThat(Files.readString(second.caCertificate())).isEqualTo(ca);
        assertThat(Files.readString(second.serverCertificateChain())).isEqualTo(server);
        assertThat(Files.readString(second.serverPrivateKey())).isEqualTo(key);
    }

    record Reissue(String name, String secondHost, Duration later) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Reissue> reissues() {
        return Stream.of(
                new Reissue("a listen address the certificate does not name", "10.1.2.3", Duration.ZERO),
                new Reissue("a listen host name the certificate does not name", "sts.example.internal",
                        Duration.ZERO),
                new Reissue("a certificate within 30 days of expiring", "127.0.0.1",
                        SelfSignedCertificates.SERVER_VALIDITY.minus(Duration.ofDays(29))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reissues")
    void serverCertificate_isReissuedFromTheSameCaFor(Reissue reissue) throws Exception {
        SelfSignedCertificates.Issued first = ensure("127.0.0.1");
        String ca = Files.readString(first.caCertificate());
        X509Certificate before = Pem.readCertificates(first.serverCertificateChain()).get(0);
        clock.advance(reissue.later());

        SelfSignedCertificates.Issued second = ensure(reissue.secondHost());

        assertThat(Files.readString(second.caCertificate())).isEqualTo(ca);
        X509Certificate after = Pem.readCertificates(second.serverCertificateChain()).get(0);
        assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
        after.verify(Pem.readCertificates(second.caCertificate()).get(0).getPublicKey());
        assertThat(SubjectAlternativeNames.forListenHost(reissue.secondHost()).coveredBy(after)).isTrue();
    }

    @Test
    void serverCertificate_whoseKeyFileIsDamaged_isReissued() throws Exception {
        SelfSignedCertificates.Issued first = ensure("127.0.0.1");
        X509Certificate before = Pem.readCertificates(first.serverCertificateChain()).get(0);
        Files.writeString(first.serverPrivateKey(), "damaged");

        SelfSignedCertificates.Issued second = ensure("127.0.0.1");

        assertThat(Pem.readCertificates(second.serverCertificateChain()).get(0).getSerialNumber())
                .isNotEqualTo(before.getSerialNumber());
        assertThat(ServerTlsContext.load(second.serverCertificateChain(), second.serverPrivateKey())).isNotNull();
    }

    record NamesCase(String name, String host, Set<String> dnsNames, Set<String> ipAddresses) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<NamesCase> listenHosts() {
        return Stream.of(
                new NamesCase("an IPv4 address is an IP name", "192.0.2.10", Set.of("localhost"),
                        Set.of("127.0.0.1", "::1", "192.0.2.10")),
                new NamesCase("an IPv6 address is an IP name", "2001:db8::1", Set.of("localhost"),
                        Set.of("127.0.0.1", "::1", "2001:db8::1")),
                new NamesCase("a host name is a DNS name, lower-cased", "STS.Example.Internal",
                        Set.of("localhost", "sts.example.internal"), Set.of("127.0.0.1", "::1")),
                new NamesCase("loopback adds nothing new", "127.0.0.1", Set.of("localhost"),
                        Set.of("127.0.0.1", "::1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("listenHosts")
    void subjectAlternativeNames_forListenHost(NamesCase names) throws Exception {
        SubjectAlternativeNames san = SubjectAlternativeNames.forListenHost(names.host());

        assertThat(san.dnsNames()).isEqualTo(names.dnsNames());
        var expected = new java.util.HashSet<InetAddress>();
        for (String address : names.ipAddresses()) {
            expected.add(InetAddress.getByName(address));
        }
        assertThat(san.ipAddresses()).isEqualTo(expected);
    }
}
