package org.opensts.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.server.tls.Pem;
import org.opensts.server.tls.SelfSignedCertificates;
import org.opensts.server.tls.TlsSource;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Nodes serving HTTPS, driven by the AWS SDK for Java v2 that trusts the node's CA, and by raw TLS sockets: the quick
 * start over {@code --tls-self-signed}, {@code aws:SecureTransport}, old protocol versions refused, and new
 * certificates picked up without a restart or a dropped connection.
 */
class TlsEndToEndTest {
    private static final Path QUICKSTART = Path.of("..", "examples", "quickstart.yaml");
    /** A role only callers on HTTPS may assume. */
    private static final String HTTPS_ONLY_ROLE = """
            accounts:
              - id: "123456789012"
                roles:
                  - name: https-only
                    trustPolicy:
                      Version: "2012-10-17"
                      Statement:
                        - Effect: Allow
                          Principal:
                            AWS: arn:aws:iam::123456789012:user/admin
                          Action: sts:AssumeRole
                          Condition:
                            Bool:
                              aws:SecureTransport: "true"
            """;

    @TempDir
    Path dir;

    private OpenStsNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private OpenStsNode start(Path bootstrap, Optional<TlsSource> tls) throws Exception {
        return OpenStsNode.start(OpenStsNode.Config.embedded(dir.resolve("node"),
                new InetSocketAddress("127.0.0.1", 0), TestNodes.ACCOUNT).withBootstrapFile(bootstrap), tls);
    }

    private AwsCredentials admin() {
        return SdkClients.credentials(node.initialAdmin().orElseThrow());
    }

    @Test
    void selfSigned_sdkTrustingTheCa_runsTheQuickStart() throws Exception {
        node = start(QUICKSTART, Optional.of(new TlsSource.SelfSigned()));
        Path ca = node.caBundle().orElseThrow();
        assertThat(ca).isAbsolute().isEqualTo(dir.resolve("node/tls/ca.pem").toAbsolutePath());
        assertThat(node.endpoint().toString()).isEqualTo("https://127.0.0.1:" + node.address().getPort());

        Credentials session;
        try (StsClient sts = SdkClients.sts(node, admin(), ca)) {
            session = sts.assumeRole(request -> request.roleArn("arn:aws:iam::123456789012:role/demo")
                    .roleSessionName("tls")).credentials();
        }
        try (StsClient sts = SdkClients.sts(node, AwsSessionCredentials.create(session.accessKeyId(),
                session.secretAccessKey(), session.sessionToken()), ca)) {
            assertThat(sts.getCallerIdentity().arn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/demo/tls");
        }
    }

    @Test
    void selfSigned_clientThatDoesNotTrustTheCa_refusesTheServer() throws Exception {
        node = start(QUICKSTART, Optional.of(new TlsSource.SelfSigned()));

        try (StsClient sts = SdkClients.sts(node, admin())) {
            assertThatThrownBy(sts::getCallerIdentity).isInstanceOf(SdkClientException.class)
                    .hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class);
        }
    }

    @Test
    void secureTransport_isTrueOverHttps() throws Exception {
        Path bootstrap = Files.writeString(dir.resolve("bootstrap.yaml"), HTTPS_ONLY_ROLE);
        node = start(bootstrap, Optional.of(new TlsSource.SelfSigned()));

        try (StsClient sts = SdkClients.sts(node, admin(), node.caBundle().orElseThrow())) {
            assertThat(sts.assumeRole(request -> request.roleArn("arn:aws:iam::123456789012:role/https-only")
                    .roleSessionName("secure")).assumedRoleUser().arn()).endsWith("/https-only/secure");
        }
    }

    @Test
    void secureTransport_isFalseOverPlainHttp() throws Exception {
        Path bootstrap = Files.writeString(dir.resolve("bootstrap.yaml"), HTTPS_ONLY_ROLE);
        node = start(bootstrap, Optional.empty());
        assertThat(node.endpoint().getScheme()).isEqualTo("http");
        assertThat(node.caBundle()).isEmpty();

        try (StsClient sts = SdkClients.sts(node, admin())) {
            assertThatThrownBy(() -> sts.assumeRole(request -> request
                    .roleArn("arn:aws:iam::123456789012:role/https-only").roleSessionName("plain")))
                    .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                            .isEqualTo("AccessDenied"));
        }
    }

    @Test
    void tls12ClientHello_isAnsweredWithServerHello() throws Exception {
        node = start(QUICKSTART, Optional.of(new TlsSource.SelfSigned()));

        byte[] answer = sendClientHello(0x0303);

        assertThat(answer[0]).as("record type: handshake").isEqualTo((byte) 0x16);
        assertThat(answer[5]).as("handshake type: ServerHello").isEqualTo((byte) 0x02);
    }

    @Test
    void tls11ClientHello_isRefusedWithProtocolVersionAlert() throws Exception {
        node = start(QUICKSTART, Optional.of(new TlsSource.SelfSigned()));

        byte[] answer = sendClientHello(0x0302);

        assertThat(answer[0]).as("record type: alert").isEqualTo((byte) 0x15);
        assertThat(answer[5]).as("alert level: fatal").isEqualTo((byte) 2);
        assertThat(answer[6]).as("alert: protocol_version").isEqualTo((byte) 70);
    }

    @Test
    void reload_newCertificate_servesNewConnections_whileAnOpenConnectionKeepsWorking() throws Exception {
        SelfSignedCertificates.Issued first = issue("first");
        SelfSignedCertificates.Issued second = issue("second");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        serve(first, cert, key);
        node = start(QUICKSTART, Optional.of(new TlsSource.CertificateFiles(cert, key)));
        SSLContext client = trusting(first, second);

        try (SSLSocket open = connect(client)) {
            assertThat(healthz(open)).isEqualTo("ok\n");
            assertThat(open.getSession().getProtocol()).isEqualTo("TLSv1.3");
            serve(second, cert, key);

            assertThat(node.reloadTlsIfChanged()).isTrue();

            assertThat(healthz(open)).as("the open connection still answers").isEqualTo("ok\n");
            assertThat(serial(open)).isEqualTo(serverSerial(first));
            try (SSLSocket fresh = connect(client)) {
                assertThat(healthz(fresh)).isEqualTo("ok\n");
                assertThat(serial(fresh)).isEqualTo(serverSerial(second));
            }
        }
    }

    @Test
    void reload_brokenPair_isIgnoredAndTheOldCertificateServed() throws Exception {
        SelfSignedCertificates.Issued first = issue("first");
        SelfSignedCertificates.Issued second = issue("second");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        serve(first, cert, key);
        node = start(QUICKSTART, Optional.of(new TlsSource.CertificateFiles(cert, key)));
        // The second certificate with the first one's key.
        Files.copy(second.serverCertificateChain(), cert, StandardCopyOption.REPLACE_EXISTING);

        assertThat(node.reloadTlsIfChanged()).isFalse();

        try (SSLSocket fresh = connect(trusting(first, second))) {
            assertThat(healthz(fresh)).isEqualTo("ok\n");
            assertThat(serial(fresh)).isEqualTo(serverSerial(first));
        }
        try (StsClient sts = SdkClients.sts(node, admin(), first.caCertificate())) {
            assertThat(sts.getCallerIdentity().arn()).isEqualTo("arn:aws:iam::123456789012:user/admin");
        }
    }

    @Test
    void start_withKeyOfAnotherCertificate_fails() throws Exception {
        SelfSignedCertificates.Issued first = issue("first");
        SelfSignedCertificates.Issued second = issue("second");

        assertThatThrownBy(() -> start(QUICKSTART, Optional.of(new TlsSource.CertificateFiles(
                first.serverCertificateChain(), second.serverPrivateKey()))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("does not belong to the first certificate");
    }

    private SelfSignedCertificates.Issued issue(String name) throws Exception {
        return SelfSignedCertificates.ensure(dir.resolve(name),
                SelfSignedCertificates.SubjectAlternativeNames.forListenHost("127.0.0.1"), Clock.systemUTC());
    }

    private static void serve(SelfSignedCertificates.Issued issued, Path cert, Path key) throws IOException {
        Files.copy(issued.serverCertificateChain(), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(issued.serverPrivateKey(), key, StandardCopyOption.REPLACE_EXISTING);
    }

    private static BigInteger serverSerial(SelfSignedCertificates.Issued issued) throws IOException {
        return Pem.readCertificates(issued.serverCertificateChain()).get(0).getSerialNumber();
    }

    private static BigInteger serial(SSLSocket socket) throws IOException {
        return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }

    /** A client context that trusts both CAs, so that whichever certificate is served, the handshake succeeds. */
    private SSLContext trusting(SelfSignedCertificates.Issued... issued) throws Exception {
        var bundle = new StringBuilder();
        for (SelfSignedCertificates.Issued one : issued) {
            bundle.append(Files.readString(one.caCertificate()));
        }
        Path file = Files.writeString(Files.createTempFile(dir, "bundle", ".pem"), bundle);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, SdkClients.trustManagers(file), new SecureRandom());
        return context;
    }

    private SSLSocket connect(SSLContext client) throws IOException {
        var socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", node.address().getPort());
        socket.setSoTimeout(30_000);
        var parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    /** GET /healthz on a kept-alive connection; returns the body. */
    private static String healthz(SSLSocket socket) throws IOException {
        socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(US_ASCII));
        socket.getOutputStream().flush();
        String answer = RawHttpAnswers.readOne(socket.getInputStream());
        assertThat(answer).startsWith("HTTP/1.1 200 ");
        return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }

    /**
     * Sends a ClientHello of {@code version} (0x0302 TLS 1.1, 0x0303 TLS 1.2; no supported_versions extension) by
     * hand, so that what is tested is the server's choice, not the JDK client's own refusal of old versions, and
     * returns the first bytes of the server's answer.
     */
    private byte[] sendClientHello(int version) throws IOException {
        var body = new ByteArrayOutputStream();
        body.write(version >> 8);
        body.write(version);
        var random = new byte[32];
        new SecureRandom().nextBytes(random);
        body.writeBytes(random);
        body.write(0); // no session id
        // ECDHE-ECDSA with AES-128-GCM-SHA256 (TLS 1.2) and AES-128-CBC-SHA (TLS 1.0 and 1.1).
        body.writeBytes(new byte[] {0x00, 0x04, (byte) 0xc0, 0x2b, (byte) 0xc0, 0x09});
        body.writeBytes(new byte[] {0x01, 0x00}); // compression: null
        byte[] extensions = {
            0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17, // supported_groups: secp256r1
            0x00, 0x0b, 0x00, 0x02, 0x01, 0x00, // ec_point_formats: uncompressed
            0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03, // signature_algorithms: ecdsa_secp256r1_sha256
        };
        body.write(extensions.length >> 8);
        body.write(extensions.length);
        body.writeBytes(extensions);
        byte[] hello = body.toByteArray();
        var record = new ByteArrayOutputStream();
        record.writeBytes(new byte[] {0x16, 0x03, 0x01});
        record.write((hello.length + 4) >> 8);
        record.write(hello.length + 4);
        record.writeBytes(new byte[] {0x01, 0x00, (byte) (hello.length >> 8), (byte) hello.length});
        record.writeBytes(hello);
        try (var socket = new Socket("127.0.0.1", node.address().getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(record.toByteArray());
            socket.getOutputStream().flush();
            var answer = new byte[7];
            new DataInputStream(socket.getInputStream()).readFully(answer);
            return answer;
        }
    }
}
