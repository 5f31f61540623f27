package org.opensts.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.core.util.FileSize;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.server.OpenStsNode;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;

/**
 * The audit log's rolling file, set up as {@code opensts serve} sets it up, under a real node driven over HTTP: a tiny
 * maximum size makes it roll over many times, and every event must still be there exactly once, with no secret in any
 * file; the retention deletes the files of days past it.
 */
class AuditLogFileTest {
    private static final String ACCOUNT = "123456789012";
    private static final Pattern SECRET_ACCESS_KEY = Pattern.compile("<SecretAccessKey>([^<]+)</SecretAccessKey>");
    private static final Pattern SESSION_TOKEN = Pattern.compile("<SessionToken>([^<]+)</SessionToken>");
    /** A well-formed JWT that no provider issued: AssumeRoleWithWebIdentity refuses it, the log must not keep it. */
    private static final String JWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImF1ZGl0In0.eyJzdWIiOiJhdWRpdC10ZXN0LXN1YmplY3QiLCJ"
            + "pc3MiOiJodHRwczovL2lkcC5leGFtcGxlLmNvbSJ9.c2lnbmF0dXJlLXRoYXQtZG9lcy1ub3QtdmVyaWZ5LWF1ZGl0";
    /** A SAML response in base64: refused, and kept out of the log. */
    private static final String SAML_ASSERTION = java.util.Base64.getEncoder().encodeToString(
            "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">audit-test-assertion</samlp:Response>"
                    .getBytes(UTF_8));
    private static final String MFA_CODE = "493817";

    @TempDir
    Path dataDir;

    private final Clock clock = Clock.systemUTC();
    private final HttpClient http = HttpClient.newHttpClient();
    private OpenStsNode node;
    private AuditLogFile auditLog;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (auditLog != null) {
            auditLog.close();
        }
    }

    @Test
    void manyCallsWithATinyMaxSize_rollOver_andKeepEveryEventOnceWithoutSecrets() throws Exception {
        auditLog = AuditLogFile.install(dataDir, FileSize.valueOf("2KB"), 90, AuditFsync.BATCH);
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir, new InetSocketAddress("127.0.0.1", 0), ACCOUNT)
                .withClock(clock));
        AccessKeyCredentials admin = node.initialAdmin().orElseThrow();
        var credentials = SigningCredentials.of(admin.accessKey().accessKeyId(), admin.secretAccessKey().revealBytes());
        var requestIds = new ArrayList<String>();
        var secrets = new ArrayList<String>(List.of(admin.secretAccessKey().revealUtf8(), JWT, SAML_ASSERTION));

        for (int i = 0; i < 12; i++) {
            HttpResponse<String> session = send(signed("Action=GetSessionToken&Version=2011-06-15", credentials));
            assertThat(session.statusCode()).isEqualTo(200);
            secrets.add(first(SECRET_ACCESS_KEY, session.body()));
            secrets.add(first(SESSION_TOKEN, session.body()));
            requestIds.add(requestId(session));
            requestIds.add(requestId(send(unsigned("Action=AssumeRoleWithWebIdentity&Version=2011-06-15"
                    + "&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fweb&RoleSessionName=audit"
                    + "&WebIdentityToken=" + JWT))));
            requestIds.add(requestId(send(unsigned("Action=AssumeRoleWithSAML&Version=2011-06-15"
                    + "&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fsaml"
                    + "&PrincipalArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Asaml-provider%2Fidp"
                    + "&SAMLAssertion=" + URLEncoder.encode(SAML_ASSERTION, UTF_8)))));
            requestIds.add(requestId(send(signed("Action=GetSessionToken&Version=2011-06-15"
                    + "&SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Fnone&TokenCode=" + MFA_CODE,
                    credentials))));
        }
        node.close();
        node = null;
        auditLog.close();
        auditLog = null;

        Map<Path, String> files = auditFiles();
        assertThat(files.keySet()).extracting(path -> path.getFileName().toString())
                .contains(AuditLogFile.ACTIVE_FILE_NAME)
                .anyMatch(name -> name.matches("audit\\.\\d{4}-\\d{2}-\\d{2}\\.\\d+\\.log\\.gz"))
                .hasSizeGreaterThan(5);
        var seen = new HashMap<String, Integer>();
        var json = new ObjectMapper();
        for (String content : files.values()) {
            for (String line : content.split("\n")) {
                if (!line.isEmpty()) {
                    JsonNode event = json.readTree(line);
                    seen.merge(event.get("requestID").asText(), 1, Integer::sum);
                }
            }
        }
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(requestIds);
        assertThat(seen.values()).containsOnly(1);
        files.forEach((path, content) -> {
            for (String secret : secrets) {
                assertThat(content).as("%s holds no secret", path.getFileName()).doesNotContain(secret);
            }
            // Quoted, as a JSON value would be: six digits alone may occur inside an id.
            assertThat(content).as("%s holds no MFA code", path.getFileName()).doesNotContain("\"" + MFA_CODE + "\"");
        });
    }

    @Test
    void retention_deletesTheFilesOfDaysPastIt_asDaysPass() throws IOException {
        auditLog = AuditLogFile.install(dataDir, FileSize.valueOf("1KB"), 3, AuditFsync.NONE);
        // Days far ahead of the real clock, which the clean-up that runs in the background at start-up never reaches.
        LocalDate today = LocalDate.of(2099, 11, 25);
        for (int daysAgo = 1; daysAgo <= 10; daysAgo++) {
            Files.writeString(dataDir.resolve("audit." + today.minusDays(daysAgo) + ".0.log.gz"), "x");
        }
        Files.writeString(dataDir.resolve("audit." + today.minusDays(4) + ".1.log.gz"), "x");

        auditLog.file().deleteExpired(today);

        assertThat(rolledFileNames()).containsExactlyInAnyOrder("audit.2099-11-24.0.log.gz",
                "audit.2099-11-23.0.log.gz", "audit.2099-11-22.0.log.gz");

        auditLog.file().deleteExpired(today.plusDays(1));

        assertThat(rolledFileNames()).containsExactlyInAnyOrder("audit.2099-11-24.0.log.gz",
                "audit.2099-11-23.0.log.gz");
    }

    @Test
    void install_sizeBelowOneKilobyteOrRetentionBelowOneDay_isRefused() {
        assertThatThrownBy(() -> AuditLogFile.install(dataDir, FileSize.valueOf("512"), 90, AuditFsync.BATCH))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditLogFile.install(dataDir, FileSize.valueOf("100MB"), 0, AuditFsync.BATCH))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private List<String> rolledFileNames() throws IOException {
        try (Stream<Path> listing = Files.list(dataDir)) {
            return listing.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".log.gz"))
                    .toList();
        }
    }

    /** Every audit file, the rolled-over ones uncompressed. */
    private Map<Path, String> auditFiles() throws IOException {
        var files = new HashMap<Path, String>();
        try (Stream<Path> listing = Files.list(dataDir)) {
            for (Path path : listing.filter(p -> p.getFileName().toString().startsWith("audit")).toList()) {
                if (path.toString().endsWith(".gz")) {
                    try (InputStream in = new GZIPInputStream(Files.newInputStream(path))) {
                        files.put(path, new String(in.readAllBytes(), UTF_8));
                    }
                } else {
                    files.put(path, Files.readString(path, UTF_8));
                }
            }
        }
        return files;
    }

    private static String first(Pattern pattern, String body) {
        Matcher matcher = pattern.matcher(body);
        assertThat(matcher.find()).as("%s in %s", pattern, body).isTrue();
        return matcher.group(1);
    }

    private static String requestId(HttpResponse<String> response) {
        return response.headers().firstValue("x-amzn-RequestId").orElseThrow();
    }

    private SignableRequest unsigned(String body) {
        return SignableRequest.builder()
                .method("POST").path("/").query("")
                .addHeader("Host", "127.0.0.1:" + node.address().getPort())
                .addHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .body(body.getBytes(UTF_8))
                .build();
    }

    private SignableRequest signed(String body, SigningCredentials credentials) {
        return SigV4Signer.create().sign(unsigned(body), credentials, "us-east-1", "sts", clock.instant());
    }

    private HttpResponse<String> send(SignableRequest request) throws IOException, InterruptedException {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.address().getPort() + "/"));
        for (int i = 0; i < request.headerCount(); i++) {
            String name = request.headerName(i);
            if (!name.equalsIgnoreCase("Host")) {
                builder.header(name, request.headerValue(i));
            }
        }
        byte[] body = new byte[request.bodyLength()];
        request.body().get(body);
        return http.send(builder.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
