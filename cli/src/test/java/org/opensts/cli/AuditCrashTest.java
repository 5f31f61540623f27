package org.opensts.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;

/**
 * A real {@code opensts serve} in a JVM of its own, under load from several clients, stopped by a signal while calls
 * are under way: every call a client got an answer for has its event, whole, in {@code DATA/audit.log}. With SIGKILL
 * (what {@link Process#destroyForcibly} sends on Linux) nothing runs in the node after the signal, so this is the
 * bound of a process crash in either {@code --audit-fsync} mode; a power loss, which the test cannot cause, is what
 * the modes differ on (README, "Audit log"). The node's real disk is fast next to its calls, so this run alone would
 * rarely catch a writer that answered before writing; {@link AuditWriterKillTest} slows the disk down to make sure.
 */
class AuditCrashTest {
    private static final Pattern READY = Pattern.compile("OpenSTS is ready at (http\\S+?)\\.(?: |$)");
    private static final Pattern KEY_ID = Pattern.compile("aws_access_key_id = (\\S+)");
    private static final Pattern SECRET = Pattern.compile("aws_secret_access_key = (\\S+)");
    private static final int CLIENTS = 4;
    private static final int ANSWERED_BEFORE_THE_SIGNAL = 300;

    @TempDir
    Path dataDir;

    private final ExecutorService clients = Executors.newCachedThreadPool();
    private Process node;

    record Case(String name, AuditFsync fsync, boolean kill) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("SIGKILL, --audit-fsync batch", AuditFsync.BATCH, true),
                new Case("SIGKILL, --audit-fsync none", AuditFsync.NONE, true),
                new Case("SIGTERM (clean shutdown), --audit-fsync none", AuditFsync.NONE, false));
    }

    @AfterEach
    void stop() throws InterruptedException {
        clients.shutdownNow();
        if (node != null && node.isAlive()) {
            node.destroyForcibly();
            node.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void signalUnderLoad_leavesTheEventOfEveryAnsweredCallWholeInTheFile(Case c) throws Exception {
        URI endpoint = startNode(c.fsync());
        String credentials = Files.readString(dataDir.resolve("admin-credentials"), UTF_8);
        var signing = SigningCredentials.of(first(KEY_ID, credentials), first(SECRET, credentials).getBytes(UTF_8));
        Set<String> answered = ConcurrentHashMap.newKeySet();
        var enough = new CountDownLatch(ANSWERED_BEFORE_THE_SIGNAL);
        var signalled = new AtomicBoolean();
        var http = HttpClient.newHttpClient();
        var load = new ArrayList<Future<?>>();
        for (int i = 0; i < CLIENTS; i++) {
            load.add(clients.submit(() -> {
                while (true) {
                    HttpResponse<String> response;
                    try {
                        response = http.send(request(endpoint, signing), HttpResponse.BodyHandlers.ofString());
                    } catch (IOException e) {
                        return null; // the node is gone
                    }
                    if (signalled.get() && response.statusCode() == 503) {
                        // A stopping node refuses the calls still arriving on open connections without running
                        // them: not answered calls.
                        assertThat(response.body()).contains("<Code>ServiceUnavailable</Code>");
                        continue;
                    }
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                    answered.add(response.headers().firstValue("x-amzn-RequestId").orElseThrow());
                    enough.countDown();
                }
            }));
        }
        assertThat(enough.await(120, TimeUnit.SECONDS)).as("answers before the signal").isTrue();

        signalled.set(true);
        if (c.kill()) {
            node.destroyForcibly();
        } else {
            node.destroy();
        }
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        for (Future<?> client : load) {
            client.get(60, TimeUnit.SECONDS);
        }

        String log = Files.readString(dataDir.resolve(AuditLogFile.ACTIVE_FILE_NAME), UTF_8);
        assertThat(log).endsWith("\n");
        var json = new ObjectMapper();
        Set<String> recorded = new HashSet<>();
        for (String line : log.split("\n")) {
            recorded.add(json.readTree(line).get("requestID").asText());
        }
        assertThat(answered).hasSizeGreaterThanOrEqualTo(ANSWERED_BEFORE_THE_SIGNAL);
        assertThat(recorded).containsAll(answered);
    }

    /** Starts {@code opensts serve} on a free port and returns its endpoint once it says it is ready. */
    private URI startNode(AuditFsync fsync) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OpenSts.class.getName(), "serve",
                "--data-dir", dataDir.toString(), "--listen", "127.0.0.1:0", "--rate-limit", "0",
                "--audit-fsync", fsync.toString());
        node = new ProcessBuilder(command).redirectErrorStream(true).start();
        Future<URI> ready = clients.submit(() -> {
            var out = new BufferedReader(new InputStreamReader(node.getInputStream(), UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                Matcher matcher = READY.matcher(line);
                if (matcher.find()) {
                    // Keep reading, so that the node never blocks on a full pipe.
                    clients.submit(() -> out.transferTo(java.io.Writer.nullWriter()));
                    return URI.create(matcher.group(1));
                }
            }
            throw new IllegalStateException("the node exited before it was ready");
        });
        return ready.get(120, TimeUnit.SECONDS);
    }

    private static HttpRequest request(URI endpoint, SigningCredentials credentials) {
        SignableRequest signed = SigV4Signer.create().sign(SignableRequest.builder()
                .method("POST").path("/").query("")
                .addHeader("Host", endpoint.getHost() + ":" + endpoint.getPort())
                .addHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .body("Action=GetCallerIdentity&Version=2011-06-15".getBytes(UTF_8))
                .build(), credentials, "us-east-1", "sts", Clock.systemUTC().instant());
        var builder = HttpRequest.newBuilder(endpoint.resolve("/"));
        for (int i = 0; i < signed.headerCount(); i++) {
            String name = signed.headerName(i);
            if (!name.equalsIgnoreCase("Host")) {
                builder.header(name, signed.headerValue(i));
            }
        }
        byte[] body = new byte[signed.bodyLength()];
        signed.body().get(body);
        return builder.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("%s", pattern).isTrue();
        return matcher.group(1);
    }
}
