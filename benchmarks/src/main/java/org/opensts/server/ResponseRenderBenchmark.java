package org.opensts.server;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.opensts.token.CredentialMinter;
import org.opensts.token.KeyRing;
import org.opensts.token.Session;
import org.opensts.token.SessionTag;
import org.opensts.token.SessionTokenCodec;
import org.opensts.token.SessionType;
import org.opensts.token.TemporaryCredentials;

/**
 * Rendering the Query responses of the two calls the live node answers most: AssumeRole (with a typical role
 * session's 588-character token) and GetCallerIdentity, from the operation's result to the XML text, with the members
 * written as the server's STS actions write them. In the server's package because the writer is package-private.
 *
 * <pre>
 * mvn -B -q -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar ResponseRenderBenchmark -f 1 -wi 3 -i 5 -w 2 -r 2 -prof gc
 * </pre>
 *
 * <p>Not final: JMH generates a subclass of each {@code @State} class.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ResponseRenderBenchmark {
    private static final String ACCOUNT = "123456789012";
    private static final String REQUEST_ID = "4f7ac0a6-38a5-4c0e-9d65-0a8b3f6f2d11";
    private static final String ROLE_ID = "AROAY34FZKBOKMUTVV7AB";
    private static final String SESSION_ARN = "arn:aws:sts::" + ACCOUNT + ":assumed-role/deploy-role/ci-build-4711";

    private ActionResult assumeRole;
    private ActionResult getCallerIdentity;

    @Setup
    public void setUp() {
        var random = new SecureRandom();
        var now = Instant.parse("2026-03-01T12:00:00.123Z");
        var codec = new SessionTokenCodec(KeyRing.generate(now, random), "aws");
        TemporaryCredentials credentials = new CredentialMinter(codec, random).mint(Session.builder()
                .accountId(ACCOUNT)
                .type(SessionType.ASSUMED_ROLE)
                .principalArn(SESSION_ARN)
                .principalId(ROLE_ID + ":ci-build-4711")
                .sourceArn("arn:aws:iam::" + ACCOUNT + ":role/deploy-role")
                .sessionName("ci-build-4711")
                .issuedAt(now)
                .expiration(now.plus(Duration.ofHours(1)))
                .sessionPolicies(List.of("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::example-bucket/*\"}]}"))
                .tags(List.of(new SessionTag("Project", "Unicorn"), new SessionTag("Team", "Automation"),
                        new SessionTag("Cost-Center", "12345"))));
        // As StsActions writes AssumeRoleResult and GetCallerIdentityResult.
        assumeRole = ActionResult.of(xml -> {
            xml.start("AssumedRoleUser")
                    .element("AssumedRoleId", ROLE_ID + ":ci-build-4711")
                    .element("Arn", SESSION_ARN)
                    .end();
            StsActions.writeCredentials(xml, credentials);
            xml.element("PackedPolicySize", 9);
        }, Map.of());
        getCallerIdentity = ActionResult.of(xml -> xml
                .element("UserId", ROLE_ID + ":ci-build-4711")
                .element("Account", ACCOUNT)
                .element("Arn", SESSION_ARN), Map.of());
    }

    @Benchmark
    public QueryResponse assumeRole() {
        return ResponseRenderer.success(ApiVersion.STS, "AssumeRole", assumeRole, REQUEST_ID);
    }

    @Benchmark
    public QueryResponse getCallerIdentity() {
        return ResponseRenderer.success(ApiVersion.STS, "GetCallerIdentity", getCallerIdentity, REQUEST_ID);
    }
}
