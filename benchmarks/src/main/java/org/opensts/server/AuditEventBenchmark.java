package org.opensts.server;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.opensts.iam.User;
import org.opensts.protocol.shape.Struct;
import org.opensts.sts.CallerIdentity;
import org.opensts.sts.RequestMetadata;
import org.opensts.sts.StsShapes;
import org.opensts.token.AccessKeyIds;
import org.opensts.token.Session;
import org.opensts.token.SessionType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a node pays to build the audit event of one AssumeRole, on the request thread, before its sink copies it: an
 * IAM user's call with a {@code RoleArn} and {@code RoleSessionName}, the SDK's user agent, and the response elements
 * AssumeRole records (the issued key id and expiry, the assumed role user). The sink keeps the line and does nothing
 * else, so the figure is the event's serialization alone.
 *
 * <p>In the server's package because the call record and {@link AuditLog#write(AuditLog.Call)} are the server's own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AuditEventBenchmark {
    private AuditLog.Call call;
    private AuditLog.Call roleSessionCall;
    private String line;

    @Setup
    public void setUp() {
        var user = new User("123456789012", "AIDAJQABLZS4A3QDU576Q", "alice", "/",
                Instant.parse("2024-01-01T00:00:00Z"), Optional.empty(), List.of());
        var caller = CallerIdentity.ofUser(user, "AKIAIOSFODNN7EXAMPLE");
        var metadata = new RequestMetadata("c6104cbe-af31-11e0-8154-cbc7ccf896c7",
                Instant.parse("2026-12-06T15:24:56.123Z"), "192.0.2.10", true,
                Optional.of("aws-sdk-java/2.29.0 Linux/6.8.0 OpenJDK_64-Bit_Server_VM/21.0.5+11 Java/21.0.5"
                        + " vendor/Eclipse_Adoptium io/sync http/Apache cfg/retry-mode/legacy"), "us-east-1");
        Struct input = Struct.builder(StsShapes.ASSUME_ROLE_REQUEST)
                .put("RoleArn", "arn:aws:iam::123456789012:role/deploy")
                .put("RoleSessionName", "build-4711")
                .build();
        // As StsActions records an AssumeRole: the key id and expiry, never the secret or the session token.
        var elements = new LinkedHashMap<String, Object>();
        elements.put("credentials", Map.of("accessKeyId", "ASIAJEXAMPLEXEG2JICEA",
                "expiration", "2026-12-06T16:24:56Z"));
        elements.put("assumedRoleUser", Map.of("assumedRoleId", "AROA3XFRBF535PLBIFPI4:build-4711",
                "arn", "arn:aws:sts::123456789012:assumed-role/deploy/build-4711"));
        call = new AuditLog.Call(ApiVersion.STS, "AssumeRole", metadata, Optional.of(caller),
                Optional.of(StsShapes.ASSUME_ROLE_REQUEST), Optional.of(input), elements, Optional.empty());
        // A role session's call: its userIdentity carries the sessionContext (issuer, creation date, MFA).
        Session session = Session.builder()
                .accessKeyId(AccessKeyIds.newTemporary("123456789012", new SecureRandom()))
                .accountId("123456789012")
                .type(SessionType.ASSUMED_ROLE)
                .principalArn("arn:aws:sts::123456789012:assumed-role/deploy/build-4711")
                .principalId("AROA3XFRBF535PLBIFPI4:build-4711")
                .sourceArn("arn:aws:iam::123456789012:role/deploy")
                .sessionName("build-4711")
                .issuedAt(Instant.parse("2026-12-06T15:20:03.456Z"))
                .expiration(Instant.parse("2026-12-06T16:20:03.456Z"))
                .build();
        roleSessionCall = new AuditLog.Call(ApiVersion.STS, "GetCallerIdentity", metadata,
                Optional.of(CallerIdentity.ofSession(session, Optional.empty())), Optional.empty(), Optional.empty(),
                Map.of("account", "123456789012", "userId", "AROA3XFRBF535PLBIFPI4:build-4711",
                        "arn", "arn:aws:sts::123456789012:assumed-role/deploy/build-4711"), Optional.empty());
        AuditLog.sendTo(event -> line = event);
    }

    @TearDown
    public void tearDown() {
        AuditLog.sendToLogger();
    }

    /** The event of one successful AssumeRole, serialized to its line. */
    @Benchmark
    public String assumeRoleEvent() {
        AuditLog.write(call);
        return line;
    }

    /** The event of one GetCallerIdentity by a role session, serialized to its line. */
    @Benchmark
    public String roleSessionEvent() {
        AuditLog.write(roleSessionCall);
        return line;
    }
}
