package org.opensts.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opensts.gateway.s3.DeleteObjectsBody;
import org.opensts.gateway.s3.S3ErrorCode;
import org.opensts.gateway.s3.S3Exception;
import org.opensts.gateway.s3.S3ObjectRef;
import org.opensts.gateway.s3.S3RequestClassifier;
import org.opensts.policy.LabeledPolicy;
import org.opensts.policy.MalformedPolicyException;
import org.opensts.policy.Policy;
import org.opensts.policy.PolicyEvaluator;
import org.opensts.policy.PolicyType;
import org.opensts.policy.SourcePolicyType;
import org.opensts.sigv4.SigV2;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SigningCredentials;
import org.opensts.token.AuthorizationMessageCodec;
import org.opensts.token.KeyRing;
import org.opensts.token.Secret;
import org.opensts.token.SessionTokenCodec;
import org.opensts.verifier.AuthorizationMessageEncoder;
import org.opensts.verifier.LongTermKeys;
import org.opensts.verifier.PrincipalDirectory;
import org.opensts.verifier.ReceivedRequest;
import org.opensts.verifier.RequestVerifier;
import org.opensts.verifier.SessionAuthorizer;
import org.opensts.verifier.SessionKeys;

/**
 * How the gateway decides with an object's current tags: it asks the store for them only when a statement that applied
 * tested {@code s3:ExistingObjectTag/<key>}, and then decides with them. The verifier and authorizer are the real
 * ones; the user's policies come from an in-memory directory, as an embedding service's cache gives them, and the
 * store's tags from a map (the S3 server of the end-to-end tests has no object tagging).
 */
final class AccessGateTest {
    private static final String ACCOUNT = "111122223333";
    private static final String USER_ID = "AIDAEXAMPLEUSERID0001";
    private static final String KEY_ID = "AKIAEXAMPLEKEY000001";
    private static final byte[] SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".getBytes(UTF_8);
    private static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");
    private static final String READ_PHOTOS = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",
             "Resource":"arn:aws:s3:::photos/*"}]}""";
    private static final String DENY_SECRET_TAG = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:GetObject","Resource":"*",
             "Condition":{"StringEquals":{"s3:ExistingObjectTag/class":"secret"}}}]}""";

    private final List<S3ObjectRef> tagLookups = new ArrayList<>();

    @Test
    void getObject_noPolicyTestsTags_isDecidedWithoutAskingTheStore() throws Exception {
        AccessGate gate = gate(List.of(READ_PHOTOS), Map.of("class", "secret"));

        gate.admit(signedGet("/photos/a.jpg"));

        assertThat(tagLookups).isEmpty();
    }

    @Test
    void getObject_denyOnATagTheObjectCarries_isAccessDenied() throws Exception {
        AccessGate gate = gate(List.of(READ_PHOTOS, DENY_SECRET_TAG), Map.of("class", "secret"));

        assertThatThrownBy(() -> gate.admit(signedGet("/photos/a.jpg")))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.error().code()).isEqualTo(S3ErrorCode.ACCESS_DENIED));
        assertThat(tagLookups).containsExactly(new S3ObjectRef("photos", "a.jpg", Optional.empty()));
    }

    @Test
    void getObject_denyOnATagTheObjectLacks_isAllowedAfterOneLookup() throws Exception {
        AccessGate gate = gate(List.of(READ_PHOTOS, DENY_SECRET_TAG), Map.of("class", "public"));

        gate.admit(signedGet("/photos/a.jpg"));

        assertThat(tagLookups).hasSize(1);
    }

    /**
     * A listing whose prefix is compared with hundreds of long wildcard patterns holding {@code ?}: about a second of
     * a core to decide, which the gateway does not spend. S3 has no such limit; {@code InvalidRequest} is its answer
     * to a request it will not carry out as sent.
     */
    @Test
    void listing_tooCostlyToAuthorize_isInvalidRequest() throws Exception {
        var patterns = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            patterns.append(i == 0 ? "" : ",").append('"').append("a?".repeat(20)).append(i).append('"');
        }
        AccessGate gate = gate(List.of("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"s3:ListBucket\",\"Resource\":\"*\",\"Condition\":{\"StringLike\":{\"s3:prefix\":["
                + patterns + "]}}}]}"), Map.of());

        assertThatThrownBy(() -> gate.admit(signedGet("/photos", "list-type=2&prefix=" + "a".repeat(2_000))))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.error().code()).isEqualTo(S3ErrorCode.INVALID_REQUEST);
                    assertThat(e.error().message()).startsWith("The request is too costly to evaluate");
                });
        assertThatThrownBy(() -> gate.admit(signedGet("/photos", "list-type=2&prefix=" + "a".repeat(20))))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.error().code()).isEqualTo(S3ErrorCode.ACCESS_DENIED));
    }

    /**
     * A DeleteObjects is authorized as a delete of each key, and priced as a whole: under a policy whose decisions are
     * each cheap enough alone (wildcard conditions on a long User-Agent), S3's 1,000 keys in one request cost more
     * than a request may, and no key is decided past that. A few keys pass.
     */
    @Test
    void deleteObjects_manyKeysTogetherTooCostlyToAuthorize_isInvalidRequest() throws Exception {
        var agents = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            agents.append(i == 0 ? "" : ",").append("\"*agent-").append(i).append("*\"");
        }
        AccessGate gate = gate(List.of("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"s3:DeleteObject\",\"Resource\":\"arn:aws:s3:::photos/*\",\"Condition\":"
                + "{\"StringLike\":{\"aws:UserAgent\":[" + agents + "]}}}]}"), Map.of());
        String userAgent = "agent-7 " + "u".repeat(2_000);

        assertThatThrownBy(() -> deleteObjects(gate, DeleteObjectsBody.MAX_OBJECTS, userAgent))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.error().code()).isEqualTo(S3ErrorCode.INVALID_REQUEST);
                    assertThat(e.error().message()).startsWith("The request is too costly to evaluate");
                });
        deleteObjects(gate, 10, userAgent);
    }

    /**
     * What an ordinary bulk delete looks like: a bucket-wide policy of 600 IP ranges, S3's 1,000 keys. The ranges are
     * weighed against the request's address alone, and the request passes.
     */
    @Test
    void deleteObjects_thousandKeysUnderAPolicyOfManyIpRanges_isAuthorized() throws Exception {
        var ranges = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            ranges.append(i == 0 ? "" : ",").append("\"10.").append(i / 256).append('.').append(i % 256)
                    .append(".0/24\"");
        }
        AccessGate gate = gate(List.of("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"s3:DeleteObject\",\"Resource\":\"arn:aws:s3:::photos/*\",\"Condition\":"
                + "{\"NotIpAddress\":{\"aws:SourceIp\":[" + ranges + "]}}}]}"), Map.of());

        deleteObjects(gate, DeleteObjectsBody.MAX_OBJECTS, "aws-cli/2.17.0 Python/3.12.4 Linux/6.1");
    }

    private static void deleteObjects(AccessGate gate, int keys, String userAgent) throws S3Exception {
        var body = new StringBuilder("<Delete>");
        for (int i = 0; i < keys; i++) {
            body.append("<Object><Key>").append("k".repeat(1_000)).append(i).append("</Key></Object>");
        }
        byte[] bytes = body.append("</Delete>").toString().getBytes(UTF_8);
        ReceivedRequest request = signed("POST", "/photos", "delete=", Map.of("User-Agent", userAgent));
        gate.authorizeBody(gate.recognize(request), request, bytes);
    }

    /**
     * Signature Version 2 names no region: a request is served in the gateway's, which is its
     * {@code aws:RequestedRegion}, and refused as S3 refuses it where S3 accepts only Signature Version 4.
     */
    @Test
    void sigV2Request_isServedInTheGatewaysRegion_andRefusedWhereS3TakesOnlySigV4() throws Exception {
        String readPhotosInIreland = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",
                 "Resource":"arn:aws:s3:::photos/*",
                 "Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}]}""";
        AccessGate ireland = gate(List.of(readPhotosInIreland), Map.of(), "eu-west-1");
        AccessGate virginia = gate(List.of(readPhotosInIreland), Map.of(), "us-east-1");
        AccessGate frankfurt = gate(List.of(READ_PHOTOS), Map.of(), "eu-central-1");

        assertThat(ireland.admit(sigV2Get("/photos/a.jpg")).verification().region()).isEqualTo("eu-west-1");
        assertThatThrownBy(() -> virginia.admit(sigV2Get("/photos/a.jpg")))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.error().code()).isEqualTo(S3ErrorCode.ACCESS_DENIED));
        assertThatThrownBy(() -> frankfurt.admit(sigV2Get("/photos/a.jpg")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.error().code()).isEqualTo(S3ErrorCode.INVALID_REQUEST);
                    assertThat(e.error().message()).isEqualTo("The authorization mechanism you have provided is not"
                            + " supported. Please use AWS4-HMAC-SHA256.");
                });
    }

    private AccessGate gate(List<String> userPolicies, Map<String, String> objectTags) throws Exception {
        return gate(userPolicies, objectTags, "us-east-1");
    }

    private AccessGate gate(List<String> userPolicies, Map<String, String> objectTags, String region)
            throws Exception {
        var random = new SecureRandom();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        var sessionCodec = new SessionTokenCodec(KeyRing.generate(NOW, random), "aws");
        RequestVerifier verifier = RequestVerifier.builder()
                .sessionKeys(new SessionKeys() {
                    @Override
                    public SessionTokenCodec codec() {
                        return sessionCodec;
                    }

                    @Override
                    public boolean reloadFor(int keyId) {
                        return false;
                    }
                })
                .longTermKeys(accessKeyId -> accessKeyId.equals(KEY_ID)
                        ? Optional.of(new LongTermKeys.LongTermKey(KEY_ID, ACCOUNT,
                                "arn:aws:iam::" + ACCOUNT + ":user/alice", USER_ID, Secret.copyOf(SECRET)))
                        : Optional.empty())
                .clock(clock)
                .build();
        var messages = new AuthorizationMessageCodec(KeyRing.generate(NOW, random), "aws");
        var authorizer = new SessionAuthorizer(new OneUser(userPolicies), new PolicyEvaluator(),
                new AuthorizationMessageEncoder(() -> messages, clock), 100);
        BucketPolicyStore noBucketPolicies = new BucketPolicyStore() {
            @Override
            public Optional<String> find(String bucket) {
                return Optional.empty();
            }

            @Override
            public void put(String bucket, String accountId, String document) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean delete(String bucket) {
                throw new UnsupportedOperationException();
            }
        };
        ObjectTags store = object -> {
            tagLookups.add(object);
            return objectTags;
        };
        return new AccessGate(verifier, authorizer, new S3RequestClassifier(List.of()), noBucketPolicies, store,
                ACCOUNT, region, clock);
    }

    private static ReceivedRequest signedGet(String path) {
        return signedGet(path, "");
    }

    private static ReceivedRequest signedGet(String path, String query) {
        return signed("GET", path, query, Map.of());
    }

    private static ReceivedRequest signed(String method, String path, String query, Map<String, String> headers) {
        SignableRequest.Builder unsigned = SignableRequest.builder().method(method).path(path).query(query)
                .addHeader("Host", "127.0.0.1:8791");
        headers.forEach(unsigned::addHeader);
        SignableRequest signed = SigV4Signer.create(SigV4Signer.Options.defaults().withNormalizePath(false)
                        .withDoubleEncodePath(false).withAddContentSha256(true).withUnsignedPayload(true))
                .sign(unsigned.build(), SigningCredentials.of(KEY_ID, SECRET), "us-east-1", "s3", NOW);
        ReceivedRequest.Builder received = ReceivedRequest.builder().method(method).rawPath(signed.path())
                .rawQuery(signed.query());
        for (int i = 0; i < signed.headerCount(); i++) {
            received.addHeader(signed.headerName(i), signed.headerValue(i));
        }
        return received.build();
    }

    /** A GET signed with S3's Signature Version 2 in the {@code Authorization} header, path style. */
    private static ReceivedRequest sigV2Get(String path) {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.atOffset(ZoneOffset.UTC));
        String signature = SigV2.sign("HmacSHA1", SECRET,
                SigV2.s3StringToSign("GET", "", "", date, Map.of(), null, path, ""));
        return ReceivedRequest.builder().method("GET").rawPath(path).rawQuery("")
                .addHeader("Host", "127.0.0.1:8791").addHeader("Date", date)
                .addHeader("Authorization", "AWS " + KEY_ID + ":" + signature).build();
    }

    /** The directory of an embedding service with one IAM user, alice, and her inline policies. */
    private record OneUser(List<String> policies) implements PrincipalDirectory {
        @Override
        public Optional<Principal> role(String roleId) {
            return Optional.empty();
        }

        @Override
        public Optional<Principal> user(String userId) {
            return userId.equals(USER_ID)
                    ? Optional.of(new Principal(Kind.USER, ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":user/alice",
                            USER_ID, Optional.empty(), Map.of()))
                    : Optional.empty();
        }

        @Override
        public List<LabeledPolicy> identityPolicies(Principal principal) {
            var labeled = new ArrayList<LabeledPolicy>();
            for (int i = 0; i < policies.size(); i++) {
                labeled.add(LabeledPolicy.of("alice-" + i, SourcePolicyType.USER, compile(policies.get(i),
                        PolicyType.IDENTITY)));
            }
            return labeled;
        }

        @Override
        public Optional<ManagedPolicy> managedPolicy(String policyArn) {
            return Optional.empty();
        }

        @Override
        public Policy compile(String document, PolicyType type) {
            try {
                return Policy.parse(document, type);
            } catch (MalformedPolicyException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }
}
