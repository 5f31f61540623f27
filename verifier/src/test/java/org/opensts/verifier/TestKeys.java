package org.opensts.verifier;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;
import org.opensts.token.CredentialMinter;
import org.opensts.token.KeyRing;
import org.opensts.token.Secret;
import org.opensts.token.Session;
import org.opensts.token.SessionTokenCodec;
import org.opensts.token.SessionType;
import org.opensts.token.TemporaryCredentials;

/**
 * Real keys for the verifier's tests: a session key ring minting real temporary credentials, and an in-memory
 * directory of long-term keys, at a fixed time.
 */
final class TestKeys implements SessionKeys, LongTermKeys {
    static final String ACCOUNT = "123456789012";
    static final Instant NOW = Instant.parse("2026-03-14T09:26:53Z");
    static final String USER_ARN = "arn:aws:iam::" + ACCOUNT + ":user/alice";
    static final String USER_ID = "AIDAY34FZKBOKMUTVV7AB";
    static final String LONG_TERM_KEY_ID = "AKIAY34FZKBOKMUTVV7A";
    static final String LONG_TERM_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    final SecureRandom random = new SecureRandom();
    final Instant now;
    final Clock clock;
    final SessionTokenCodec codec;
    final Map<String, LongTermKey> longTerm = new HashMap<>();
    final List<String> uses = new ArrayList<>();

    TestKeys() {
        this(NOW);
    }

    /** Keys whose clock stands at {@code now}: a real client signs with the time it reads. */
    TestKeys(Instant now) {
        this(now, new SecureRandom());
    }

    /** Keys whose session key ring comes from {@code ringRandom}: seeded, it opens tokens minted earlier. */
    TestKeys(Instant now, SecureRandom ringRandom) {
        this(now, now.minus(Duration.ofHours(1)), ringRandom);
    }

    TestKeys(Instant now, Instant ringCreated, SecureRandom ringRandom) {
        this.now = now;
        this.clock = Clock.fixed(now, ZoneOffset.UTC);
        this.codec = new SessionTokenCodec(KeyRing.generate(ringCreated, ringRandom), "aws");
        longTerm.put(LONG_TERM_KEY_ID, new LongTermKey(LONG_TERM_KEY_ID, ACCOUNT, USER_ARN, USER_ID,
                Secret.ofUtf8(LONG_TERM_SECRET)));
    }

    RequestVerifier verifier() {
        return RequestVerifier.builder().sessionKeys(this).longTermKeys(this).clock(clock).build();
    }

    @Override
    public SessionTokenCodec codec() {
        return codec;
    }

    @Override
    public boolean reloadFor(int keyId) {
        return false;
    }

    @Override
    public Optional<LongTermKey> find(String accessKeyId) {
        return Optional.ofNullable(longTerm.get(accessKeyId));
    }

    @Override
    public void used(String accessKeyId, Instant at, String region, String service) {
        uses.add(accessKeyId + " " + at + " " + region + " " + service);
    }

    /** A role session issued an hour ago that lasts {@code lifetime} from then. */
    TemporaryCredentials roleSession(Duration lifetime) {
        return new CredentialMinter(codec, random).mint(Session.builder()
                .accountId(ACCOUNT)
                .type(SessionType.ASSUMED_ROLE)
                .principalArn("arn:aws:sts::" + ACCOUNT + ":assumed-role/reader/s1")
                .principalId("AROAY34FZKBOKMUTVV7AB:s1")
                .sourceArn("arn:aws:iam::" + ACCOUNT + ":role/reader")
                .sessionName("s1")
                .issuedAt(now.minus(Duration.ofHours(1)))
                .expiration(now.minus(Duration.ofHours(1)).plus(lifetime)));
    }

    TemporaryCredentials roleSession() {
        return roleSession(Duration.ofHours(2));
    }

    static SigningCredentials credentials(TemporaryCredentials session) {
        return SigningCredentials.of(session.accessKeyId(), session.secretAccessKey().revealBytes(),
                session.sessionToken().revealUtf8());
    }

    static SigningCredentials longTermCredentials() {
        return SigningCredentials.of(LONG_TERM_KEY_ID, LONG_TERM_SECRET.getBytes(StandardCharsets.UTF_8));
    }

    /** The request as a service receives it: every header, the raw path and query; the body stays apart. */
    static ReceivedRequest received(SignableRequest signed) {
        ReceivedRequest.Builder builder = ReceivedRequest.builder()
                .method(signed.method())
                .rawPath(signed.path())
                .rawQuery(signed.query());
        for (int i = 0; i < signed.headerCount(); i++) {
            builder.addHeader(signed.headerName(i), signed.headerValue(i));
        }
        return builder.build();
    }
}
