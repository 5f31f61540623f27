package org.opensts.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.opensts.policy.EvalDecision;
import org.opensts.policy.LabeledPolicy;
import org.opensts.policy.MalformedPolicyException;
import org.opensts.policy.Policy;
import org.opensts.policy.PolicyEvaluator;
import org.opensts.policy.PolicyType;
import org.opensts.policy.SourcePolicyType;
import org.opensts.sigv4.CanonicalRequest;
import org.opensts.sigv4.SigV4;
import org.opensts.sigv4.SigV4Exception;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SigV4Verifier;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SignedRequest;
import org.opensts.sigv4.SigningCredentials;
import org.opensts.token.AuthorizationMessageCodec;
import org.opensts.token.CredentialMinter;
import org.opensts.token.KeyRing;
import org.opensts.token.Session;
import org.opensts.token.SessionTag;
import org.opensts.token.SessionTokenCodec;
import org.opensts.token.SessionType;
import org.opensts.token.TemporaryCredentials;
import org.opensts.verifier.AccessDecision;
import org.opensts.verifier.AccessRequest;
import org.opensts.verifier.AccessRequest.RequestFacts;
import org.opensts.verifier.AuthorizationMessageEncoder;
import org.opensts.verifier.LongTermKeys;
import org.opensts.verifier.PrincipalDirectory;
import org.opensts.verifier.ReceivedRequest;
import org.opensts.verifier.RequestVerifier;
import org.opensts.verifier.SessionAuthorizer;
import org.opensts.verifier.SessionKeys;
import org.opensts.verifier.Verification;
import org.opensts.verifier.VerificationException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a resource service embedding the verifier pays per request: an S3 {@code GetObject} signed with a role
 * session's temporary credentials, as the AWS SDK for Java v2 sends it over HTTPS (SigV4 in the
 * {@code Authorization} header, {@code x-amz-content-sha256: UNSIGNED-PAYLOAD}, the session token in
 * {@code X-Amz-Security-Token}, the SDK's invocation-id, retry and user-agent headers), authenticated by
 * {@link RequestVerifier} and authorized by {@link SessionAuthorizer}.
 *
 * <p>The role is that of {@link PolicyEvaluationBenchmark}: four identity policies, a permissions boundary, and a
 * session policy sealed in the token; the bucket has a policy of its own, evaluated as the resource policy. The SPIs
 * are answered from memory, as an embedding service's caches answer them: the session key ring, the role by unique id,
 * its compiled policies, and documents compiled once. Each verification opens the session token anew (there is no
 * token cache) and checks the signature with the signing key derived from the session's secret (cached by the
 * verifier's signing-key cache, as on a live node).
 *
 * <ul>
 *   <li>{@code hmacOfStringToSign}: baseline, one bare HMAC-SHA256 of this request's string to sign with a ready
 *       {@link Mac}, as in {@link SigV4VerifyBenchmark};</li>
 *   <li>{@code verify}: authentication alone (the caller, and the payload check a GET owes nothing to);</li>
 *   <li>{@code verifyQueryCall}: an STS {@code GetCallerIdentity} POST signed with the same session's credentials,
 *       its body read whole and hashed, as the node authenticates every call;</li>
 *   <li>{@code verifyPresigned}: the same GET as a presigned URL, the session token and signature in its query;</li>
 *   <li>{@code verifyAndAuthorize}: authentication, then the decision for {@code s3:GetObject} on the object;</li>
 *   <li>{@code verifyAndRefuse}: the same for another user's object, which no statement allows, so the refusal's
 *       reasons and encoded authorization message are built too.</li>
 * </ul>
 *
 * <pre>
 * mvn -B -q -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar ResourceRequestBenchmark -f 1 -wi 3 -i 5 -w 2 -r 3
 * </pre>
 *
 * <p>Thread-scoped, because a {@link Mac} is not thread-safe. Not final: JMH generates a subclass of each
 * {@code @State} class.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ResourceRequestBenchmark {
    private static final String ACCOUNT = "111122223333";
    private static final String ROLE_ID = "AROAY34FZKBOKMUTVV7AB";
    private static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/DataEngineer";
    private static final String BOUNDARY_ARN = "arn:aws:iam::" + ACCOUNT + ":policy/Boundary";
    private static final String BUCKET = "data-lake";
    private static final String HOST = BUCKET + ".s3.eu-west-1.amazonaws.com";
    private static final String KEY = "home/alice/2025/06/report.parquet";
    private static final String OTHER_KEY = "home/bob/2025/06/report.parquet";
    private static final Instant ISSUED_AT = Instant.parse("2025-06-01T08:00:00Z");
    private static final Instant SIGNED_AT = ISSUED_AT.plus(Duration.ofMinutes(90));
    private static final Instant NOW = SIGNED_AT.plusSeconds(1);

    /** A common bucket policy: TLS only, encrypted uploads only, the data engineers may read everyone's home. */
    private static final String BUCKET_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
               "Resource": ["arn:aws:s3:::data-lake", "arn:aws:s3:::data-lake/*"],
               "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
              {"Sid": "EncryptedUploadsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
               "Resource": "arn:aws:s3:::data-lake/*",
               "Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}}},
              {"Sid": "AuditorsRead", "Effect": "Allow",
               "Principal": {"AWS": "arn:aws:iam::111122223333:role/Auditor"},
               "Action": ["s3:GetObject", "s3:ListBucket"],
               "Resource": ["arn:aws:s3:::data-lake", "arn:aws:s3:::data-lake/*"]}
            ]}""";
    private static final String SESSION_POLICY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",\
            "Action":["s3:*","athena:*","glue:*","ec2:Describe*","iam:*"],"Resource":"*"}]}""";

    private RequestVerifier verifier;
    private SessionAuthorizer authorizer;
    private ReceivedRequest allowed;
    private ReceivedRequest refused;
    private ReceivedRequest presigned;
    private SignableRequest queryCall;
    private Mac mac;
    private byte[] stringToSign;

    @Setup
    public void setUp() throws GeneralSecurityException, MalformedPolicyException, SigV4Exception,
            VerificationException {
        var random = new SecureRandom();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        var keys = new InMemoryKeys(new SessionTokenCodec(KeyRing.generate(ISSUED_AT.minus(Duration.ofDays(1)),
                random), "aws"));
        TemporaryCredentials credentials = new CredentialMinter(keys.codec(), random).mint(Session.builder()
                .accountId(ACCOUNT)
                .type(SessionType.ASSUMED_ROLE)
                .principalArn("arn:aws:sts::" + ACCOUNT + ":assumed-role/DataEngineer/alice")
                .principalId(ROLE_ID + ":alice")
                .sourceArn(ROLE)
                .sourceUniqueId(ROLE_ID)
                .sessionName("alice")
                .issuedAt(ISSUED_AT)
                .expiration(ISSUED_AT.plus(Duration.ofHours(12)))
                .mfaAuthenticatedAt(ISSUED_AT)
                .sessionPolicies(List.of(SESSION_POLICY))
                .tags(List.of(new SessionTag("user", "alice"), new SessionTag("team", "analytics"))));
        SigningCredentials signing = SigningCredentials.of(credentials.accessKeyId(),
                credentials.secretAccessKey().revealBytes(), credentials.sessionToken().revealUtf8());
        verifier = RequestVerifier.builder().sessionKeys(keys).longTermKeys(keys).clock(clock).build();

        var messages = new AuthorizationMessageCodec(KeyRing.generate(ISSUED_AT, random), "aws");
        authorizer = new SessionAuthorizer(new InMemoryDirectory(), new PolicyEvaluator(),
                new AuthorizationMessageEncoder(() -> messages, clock), 1_000);

        // The SDK signs every header but User-Agent; over HTTPS it leaves an S3 payload unsigned.
        SigV4Signer signer = SigV4Signer.create(SigV4Signer.Options.defaults().withNormalizePath(false)
                .withDoubleEncodePath(false).withAddContentSha256(true).withUnsignedPayload(true));
        SignableRequest signedAllowed = signer.sign(get(KEY), signing, "eu-west-1", "s3", SIGNED_AT);
        allowed = received(signedAllowed);
        refused = received(signer.sign(get(OTHER_KEY), signing, "eu-west-1", "s3", SIGNED_AT));
        // A presigned URL signs only the Host header; its browser or HTTP client sends its own few headers.
        presigned = received(SigV4Signer.create(SigV4Signer.Options.defaults().withNormalizePath(false)
                .withDoubleEncodePath(false).withUnsignedPayload(true))
                .presign(SignableRequest.builder().method("GET").path("/" + KEY).addHeader("Host", HOST).build(),
                        signing, "eu-west-1", "s3", SIGNED_AT, Duration.ofMinutes(15)).toBuilder()
                .addHeader("User-Agent", "curl/7.88.1").addHeader("Accept", "*/*").build());

        // The live node's first step on every call: a Query API POST, read whole, signed with the session's
        // credentials as the AWS SDK for Java v2 signs it (no x-amz-content-sha256: the body's hash is computed).
        byte[] form = "Action=GetCallerIdentity&Version=2011-06-15".getBytes(UTF_8);
        queryCall = SigV4Signer.create().sign(SignableRequest.builder().method("POST").path("/")
                .addHeader("Host", "sts.eu-west-1.amazonaws.com")
                .addHeader("amz-sdk-invocation-id", "0f4a2b8c-7d9e-4c1a-9b3f-2e6d8a0c5f71")
                .addHeader("amz-sdk-request", "attempt=1; max=4")
                .addHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .addHeader("Content-Length", Integer.toString(form.length))
                .body(form).build(), signing, "eu-west-1", "sts", SIGNED_AT);
        verifier.verifyBuffered(queryCall, "sts");

        check(allowed, KEY, EvalDecision.ALLOWED);
        check(refused, OTHER_KEY, EvalDecision.IMPLICIT_DENY);
        check(presigned, KEY, EvalDecision.ALLOWED);

        SigV4Verifier s3 = SigV4Verifier.create(SigV4Verifier.Options.defaults().withNormalizePath(false)
                .withDoubleEncodePath(false).withAllowUnsignedPayload(true));
        SignedRequest parsed = s3.parse(signedAllowed);
        CanonicalRequest canonicalRequest = s3.canonicalRequest(parsed, signedAllowed);
        stringToSign = s3.stringToSign(parsed, canonicalRequest).getBytes(UTF_8);
        mac = Mac.getInstance("HmacSHA256");
        byte[] signingKey = SigV4.deriveSigningKey(credentials.secretAccessKey().revealBytes(),
                parsed.credentialScope());
        mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
        System.out.println("typical S3 GET: " + allowed.headers().size() + " headers, session token "
                + credentials.sessionToken().revealUtf8().length() + " characters");
    }

    private static SignableRequest get(String key) {
        return SignableRequest.builder()
                .method("GET")
                .path("/" + key)
                .addHeader("Host", HOST)
                .addHeader("amz-sdk-invocation-id", "0f4a2b8c-7d9e-4c1a-9b3f-2e6d8a0c5f71")
                .addHeader("amz-sdk-request", "attempt=1; max=4")
                .addHeader("User-Agent", "aws-sdk-java/2.56.0 Linux/6.1.0 OpenJDK_64-Bit_Server_VM/17.0.15+6"
                        + " Java/17.0.15 vendor/Debian md/io#sync md/http#Apache ua/2.1 api/S3#2.56.0")
                .build();
    }

    /** The request as a service receives it from the network: raw path and query, every header in order. */
    private static ReceivedRequest received(SignableRequest signed) {
        ReceivedRequest.Builder builder = ReceivedRequest.builder()
                .method(signed.method())
                .rawPath(signed.path())
                .rawQuery(signed.query())
                .secureTransport(true)
                .sourceIp("203.0.113.42");
        for (int i = 0; i < signed.headerCount(); i++) {
            builder.addHeader(signed.headerName(i), signed.headerValue(i));
        }
        return builder.build();
    }

    private void check(ReceivedRequest request, String key, EvalDecision expected) throws VerificationException {
        AccessDecision decision = verifyAndAuthorize(request, key);
        if (decision.decision().decision() != expected || decision.encodedMessage().isPresent() == decision.allowed()) {
            throw new IllegalStateException(key + " should be " + expected + " but is " + decision);
        }
    }

    /**
     * What a service does per request: authenticate, then ask about the action and object the request names, with the
     * request's facts and S3's keys for a header-signed request.
     */
    private AccessDecision verifyAndAuthorize(ReceivedRequest request, String key) throws VerificationException {
        Verification verification = verifier.verify(request, "s3");
        verification.payload().finish();
        return authorizer.authorize(new AccessRequest(verification.caller(), "s3:GetObject",
                "arn:aws:s3:::" + BUCKET + "/" + key, Optional.of(ACCOUNT),
                Map.of("s3:authType", List.of("REST-HEADER"),
                        "s3:signatureversion", List.of("AWS4-HMAC-SHA256"),
                        "s3:x-amz-content-sha256", List.of(SigV4.UNSIGNED_PAYLOAD)),
                Optional.of(BUCKET_POLICY),
                new RequestFacts(NOW, request.sourceIp(), request.secureTransport(), Optional.of(verification.region()),
                        request.firstHeader("User-Agent"))));
    }

    @Benchmark
    public byte[] hmacOfStringToSign() {
        return mac.doFinal(stringToSign);
    }

    @Benchmark
    public Verification verify() throws VerificationException {
        return verifier.verify(allowed, "s3");
    }

    @Benchmark
    public Verification verifyQueryCall() throws VerificationException {
        return verifier.verifyBuffered(queryCall, "sts");
    }

    @Benchmark
    public Verification verifyPresigned() throws VerificationException {
        return verifier.verify(presigned, "s3");
    }

    @Benchmark
    public AccessDecision verifyAndAuthorize() throws VerificationException {
        return verifyAndAuthorize(allowed, KEY);
    }

    @Benchmark
    public AccessDecision verifyAndRefuse() throws VerificationException {
        return verifyAndAuthorize(refused, OTHER_KEY);
    }

    /** The session key ring, held in memory as a node holds it; this benchmark signs with no long-term key. */
    private record InMemoryKeys(SessionTokenCodec codec) implements SessionKeys, LongTermKeys {
        @Override
        public boolean reloadFor(int keyId) {
            return false;
        }

        @Override
        public Optional<LongTermKey> find(String accessKeyId) {
            return Optional.empty();
        }
    }

    /**
     * The role, its policies and the managed policies, as an embedding service's identity cache holds them: the role's
     * policies compiled when loaded, documents from tokens compiled once and then found by their text.
     */
    private static final class InMemoryDirectory implements PrincipalDirectory {
        private record Document(String text, PolicyType type) {
        }

        private final Principal role = new Principal(Kind.ROLE, ACCOUNT, ROLE, ROLE_ID, Optional.of(BOUNDARY_ARN),
                Map.of("department", "research"));
        private final List<LabeledPolicy> identity;
        private final Map<String, ManagedPolicy> managed;
        private final Map<Document, Policy> compiled = new ConcurrentHashMap<>();

        InMemoryDirectory() throws MalformedPolicyException {
            identity = List.of(
                    labeled("S3Home", SourcePolicyType.ROLE, PolicyEvaluationBenchmark.S3_HOME),
                    labeled("arn:aws:iam::111122223333:policy/Compute", SourcePolicyType.USER_MANAGED,
                            PolicyEvaluationBenchmark.COMPUTE),
                    labeled("arn:aws:iam::111122223333:policy/Guardrails", SourcePolicyType.USER_MANAGED,
                            PolicyEvaluationBenchmark.GUARDRAILS),
                    labeled("arn:aws:iam::111122223333:policy/Analytics", SourcePolicyType.USER_MANAGED,
                            PolicyEvaluationBenchmark.ANALYTICS));
            managed = Map.of(BOUNDARY_ARN, new ManagedPolicy(BOUNDARY_ARN, "Boundary",
                    PolicyEvaluationBenchmark.BOUNDARY));
        }

        private static LabeledPolicy labeled(String id, SourcePolicyType source, String json)
                throws MalformedPolicyException {
            return LabeledPolicy.of(id, source, Policy.parse(json, PolicyType.IDENTITY));
        }

        @Override
        public Optional<Principal> role(String roleId) {
            return roleId.equals(ROLE_ID) ? Optional.of(role) : Optional.empty();
        }

        @Override
        public Optional<Principal> user(String userId) {
            return Optional.empty();
        }

        @Override
        public List<LabeledPolicy> identityPolicies(Principal principal) {
            return principal.uniqueId().equals(ROLE_ID) ? identity : List.of();
        }

        @Override
        public Optional<ManagedPolicy> managedPolicy(String policyArn) {
            return Optional.ofNullable(managed.get(policyArn));
        }

        @Override
        public Policy compile(String document, PolicyType type) {
            return compiled.computeIfAbsent(new Document(document, type), key -> {
                try {
                    return Policy.parse(key.text(), key.type());
                } catch (MalformedPolicyException e) {
                    throw new IllegalStateException("A stored policy no longer parses", e);
                }
            });
        }
    }
}
