package org.opensts.token;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;

/** Sessions for tests: fixed typical ones, and an arbitrary of every shape a session can take. */
final class TestSessions {
    static final String ACCOUNT = "123456789012";
    static final Instant ISSUED_AT = Instant.parse("2026-03-01T12:00:00.123Z");
    static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::example-bucket/*\"}]}";
    static final List<SessionTag> TAGS = List.of(new SessionTag("Project", "Unicorn"),
            new SessionTag("Team", "Automation"), new SessionTag("Cost-Center", "12345"));

    private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=,.@-";
    private static final String TAG_CHARS = NAME_CHARS.replace(",", "") + " :/éßÆ中文ин١٢";

    private TestSessions() {
    }

    /** A role session builder without an access key id, as an AssumeRole operation would fill it. */
    static Session.Builder typicalRoleSessionDraft() {
        return Session.builder()
                .accountId(ACCOUNT)
                .type(SessionType.ASSUMED_ROLE)
                .principalArn("arn:aws:sts::" + ACCOUNT + ":assumed-role/deploy-role/ci-build-4711")
                .principalId("AROAY34FZKBOKMUTVV7AB:ci-build-4711")
                .sourceArn("arn:aws:iam::" + ACCOUNT + ":role/deploy-role")
                .sessionName("ci-build-4711")
                .issuedAt(ISSUED_AT)
                .expiration(ISSUED_AT.plus(Duration.ofHours(1)))
                .sessionPolicies(List.of(POLICY))
                .tags(TAGS);
    }

    /** The typical role session (one short policy, three tags) with an access key id from {@code seed}. */
    static Session typicalRoleSession(long seed) {
        return typicalRoleSessionDraft()
                .accessKeyId(AccessKeyIds.newTemporary(ACCOUNT, new SeededRandom(seed)))
                .build();
    }

    /** A federated user with a session policy, issued by the IAM user alice; its access key id is from {@code seed}. */
    static Session typicalFederatedUser(long seed) {
        return Session.builder()
                .accessKeyId(AccessKeyIds.newTemporary(ACCOUNT, new SeededRandom(seed)))
                .accountId(ACCOUNT)
                .type(SessionType.FEDERATED_USER)
                .principalArn("arn:aws:sts::" + ACCOUNT + ":federated-user/bob")
                .principalId(ACCOUNT + ":bob")
                .sourceArn("arn:aws:iam::" + ACCOUNT + ":user/alice")
                .sourceUniqueId("AIDAY34FZKBOKMUTVV7AB")
                .sessionName("bob")
                .issuedAt(ISSUED_AT)
                .expiration(ISSUED_AT.plus(Duration.ofHours(12)))
                .sessionPolicies(List.of(POLICY))
                .build();
    }

    /** Any valid session: every type, with and without each optional part, small and large collections. */
    static Arbitrary<Session> sessions() {
        return Builders.withBuilder(Draft::new)
                .use(Arbitraries.longs().between(0, 999_999_999_999L)).in(Draft::account)
                .use(Arbitraries.longs()).in(Draft::seed)
                .use(Arbitraries.of(SessionType.class)).in(Draft::type)
                .use(names(1, 64)).in(Draft::roleName)
                .use(names(2, 32)).in(Draft::sessionName)
                .use(Arbitraries.of("", "/", "/engineering/", "/a/b/c/")).in(Draft::path)
                .use(names(2, 64).injectNull(0.5)).in(Draft::sourceIdentity)
                .use(Arbitraries.longs().between(0, 253_402_000_000_000L)).in(Draft::issuedAtMillis)
                .use(Arbitraries.integers().between(0, 999_999_999)).in(Draft::nanos)
                .use(Arbitraries.longs().between(1, 129_600_000L)).in(Draft::lifetimeMillis)
                .use(Arbitraries.longs().between(0, 86_400_000L).injectNull(0.5)).in(Draft::mfaAgeMillis)
                .use(texts().list().ofMaxSize(2)).in(Draft::policies)
                .use(names(1, 40).map(n -> "arn:aws:iam::aws:policy/" + n).list().ofMaxSize(3)).in(Draft::policyArns)
                .use(tags()).in(Draft::tags)
                .use(Arbitraries.integers().between(0, 50)).in(Draft::transitiveCount)
                .use(Arbitraries.integers().between(0, 5)).in(Draft::chainDepth)
                .use(Arbitraries.of("accounts.google.com", "token.actions.githubusercontent.com",
                        "arn:aws:iam::123456789012:saml-provider/Corp").injectNull(0.5)).in(Draft::provider)
                .use(Arbitraries.maps(names(1, 30).map(n -> "idp.example.com:" + n), texts().list().ofMaxSize(3))
                        .ofMaxSize(3)).in(Draft::claims)
                .build(Draft::build);
    }

    /** Text of any well-formed Unicode, sometimes long and repetitive enough to be deflated in a token. */
    static Arbitrary<String> texts() {
        Arbitrary<String> any = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(300)
                .filter(TestSessions::isWellFormed);
        Arbitrary<String> repetitive = Arbitraries.strings().withChars("{}[]\":, abcdefgh*").ofMinLength(1)
                .ofMaxLength(40).flatMap(s -> Arbitraries.integers().between(1, 60).map(s::repeat));
        return Arbitraries.oneOf(any, repetitive, Arbitraries.just(POLICY));
    }

    private static Arbitrary<String> names(int min, int max) {
        return Arbitraries.strings().withChars(NAME_CHARS).ofMinLength(min).ofMaxLength(max);
    }

    private static Arbitrary<List<SessionTag>> tags() {
        var keys = Arbitraries.strings().withChars(TAG_CHARS).ofMinLength(1).ofMaxLength(SessionTag.MAX_KEY_LENGTH);
        var values = Arbitraries.strings().withChars(TAG_CHARS).ofMaxLength(SessionTag.MAX_VALUE_LENGTH);
        return keys.flatMap(k -> values.map(v -> new SessionTag(k, v))).list().ofMaxSize(8)
                .uniqueElements(tag -> tag.key().toLowerCase(Locale.ROOT));
    }

    private static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The parts of a session, put together consistently for its type by {@link #build()}. */
    private static final class Draft {
        private long account;
        private long seed;
        private SessionType type;
        private String roleName;
        private String sessionName;
        private String path;
        private String sourceIdentity;
        private long issuedAtMillis;
        private int nanos;
        private long lifetimeMillis;
        private Long mfaAgeMillis;
        private List<String> policies;
        private List<String> policyArns;
        private List<SessionTag> tags;
        private int transitiveCount;
        private int chainDepth;
        private String provider;
        private Map<String, List<String>> claims;

        Draft account(long value) {
            account = value;
            return this;
        }

        Draft seed(long value) {
            seed = value;
            return this;
        }

        Draft type(SessionType value) {
            type = value;
            return this;
        }

        Draft roleName(String value) {
            roleName = value;
            return this;
        }

        Draft sessionName(String value) {
            sessionName = value;
            return this;
        }

        Draft path(String value) {
            path = value;
            return this;
        }

        Draft sourceIdentity(String value) {
            sourceIdentity = value;
            return this;
        }

        Draft issuedAtMillis(long value) {
            issuedAtMillis = value;
            return this;
        }

        Draft nanos(int value) {
            nanos = value;
            return this;
        }

        Draft lifetimeMillis(long value) {
            lifetimeMillis = value;
            return this;
        }

        Draft mfaAgeMillis(Long value) {
            mfaAgeMillis = value;
            return this;
        }

        Draft policies(List<String> value) {
            policies = value;
            return this;
        }

        Draft policyArns(List<String> value) {
            policyArns = value;
            return this;
        }

        Draft tags(List<SessionTag> value) {
            tags = value;
            return this;
        }

        Draft transitiveCount(int value) {
            transitiveCount = value;
            return this;
        }

        Draft chainDepth(int value) {
            chainDepth = value;
            return this;
        }

        Draft provider(String value) {
            provider = value;
            return this;
        }

        Draft claims(Map<String, List<String>> value) {
            claims = value;
            return this;
        }

        Session build() {
            String accountId = String.format("%012d", account);
            Instant issuedAt = Instant.ofEpochMilli(issuedAtMillis).plusNanos(nanos % 1_000_000);
            var builder = Session.builder()
                    .accessKeyId(AccessKeyIds.newTemporary(accountId, new SeededRandom(seed)))
                    .accountId(accountId)
                    .type(type)
                    // Both region scopes, from a bit of the seed that nothing else reads.
                    .regionScope((seed & 0x100) == 0 ? RegionScope.ALL_REGIONS : RegionScope.DEFAULT_REGIONS)
                    .sourceIdentity(sourceIdentity)
                    .issuedAt(issuedAt)
                    .expiration(issuedAt.plusMillis(lifetimeMillis))
                    .mfaAuthenticatedAt(mfaAgeMillis == null ? null
                            : Instant.ofEpochMilli(Math.max(0, issuedAtMillis - mfaAgeMillis)));
            String userArn = "arn:aws:iam::" + accountId + ":user" + (path.isEmpty() ? "/" : path) + roleName;
            switch (type) {
                case ASSUMED_ROLE -> builder
                        .principalArn("arn:aws:sts::" + accountId + ":assumed-role/" + roleName + "/" + sessionName)
                        .principalId("AROA" + accountId + ":" + sessionName)
                        .sourceArn("arn:aws:iam::" + accountId + ":role" + (path.isEmpty() ? "/" : path) + roleName)
                        .sessionName(sessionName)
                        .sessionPolicies(policies)
                        .policyArns(policyArns)
                        .tags(tags)
                        .transitiveTagKeys(tags.stream().limit(transitiveCount).map(SessionTag::key)
                                .collect(Collectors.toList()))
                        .roleChainDepth(chainDepth)
                        .federatedProvider(provider)
                        .federationClaims(new LinkedHashMap<>(claims));
                case FEDERATED_USER -> builder
                        .principalArn("arn:aws:sts::" + accountId + ":federated-user/" + sessionName)
                        .principalId(accountId + ":" + sessionName)
                        .sourceArn(seed % 2 == 0 ? "arn:aws:iam::" + accountId + ":root" : userArn)
                        // Sometimes none, as in tokens sealed before they carried the issuer's id.
                        .sourceUniqueId(seed % 3 == 0 ? null : seed % 2 == 0 ? accountId : "AIDA" + accountId)
                        .sessionName(sessionName)
                        .sessionPolicies(policies)
                        .policyArns(policyArns)
                        .tags(new ArrayList<>(tags));
                case SESSION_USER -> {
                    boolean root = seed % 2 == 0;
                    String arn = root ? "arn:aws:iam::" + accountId + ":root" : userArn;
                    builder.principalArn(arn).sourceArn(arn).principalId(root ? accountId : "AIDA" + accountId);
                }
            }
            return builder.build();
        }
    }
}
