package org.opensts.sts;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.h2.store.fs.FileUtils;
import org.opensts.federation.oidc.IdpHttpsClient;
import org.opensts.federation.oidc.WebIdentityTokenVerifier;
import org.opensts.federation.saml.SamlResponseVerifier;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.CreateRoleRequest;
import org.opensts.iam.CreateUserRequest;
import org.opensts.iam.IamService;
import org.opensts.iam.Role;
import org.opensts.iam.Tag;
import org.opensts.iam.jdbc.JdbcAssertionReplayGuard;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.iam.jdbc.StoreSettings;
import org.opensts.policy.PolicyEvaluator;
import org.opensts.protocol.testing.MutableClock;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SigV4Verifier;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;
import org.opensts.token.MasterKey;
import org.opensts.token.TemporaryCredentials;

/**
 * A real STS stack on an in-memory H2 store, with a clock the test moves: store, IAM service, key ring, operations.
 */
final class StsFixture implements AutoCloseable {
    static final String ACCOUNT = "123456789012";
    static final String OTHER_ACCOUNT = "210987654321";
    static final String HOST = "sts.example.test";
    static final String ALLOW_ALL = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
    final SecureRandom random = new SecureRandom();
    final MasterKey masterKey;
    final JdbcIdentityStore store;
    final IamService iam;
    final SharedKeyRing keyRing;
    final JdbcAssertionReplayGuard replayGuard;
    final StsService sts;
    final SigV4Signer signer = SigV4Signer.create();

    StsFixture() {
        this(Optional.empty());
    }

    /** A fixture whose web identity verifier also trusts the CAs of {@code trustedCaFile} (a PEM bundle). */
    StsFixture(Optional<Path> trustedCaFile) {
        try {
            masterKey = MasterKey.fromKeysetJson(MasterKey.generateKeysetJson());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        store = JdbcIdentityStore.open(Template.copy(), masterKey, clock);
        iam = new IamService(store, clock, random);
        iam.accounts().createAccount(ACCOUNT);
        iam.accounts().createAccount(OTHER_ACCOUNT);
        keyRing = SharedKeyRing.open(store, masterKey, clock, random);
        replayGuard = JdbcAssertionReplayGuard.of(store, clock);
        var federation = new Federation(new WebIdentityTokenVerifier(IdpHttpsClient.create(trustedCaFile), clock),
                new SamlResponseVerifier(clock), replayGuard::firstUse);
        sts = new StsService(store, keyRing, SigV4Verifier.create(), new PolicyEvaluator(), federation, clock,
                random);
    }

    /**
     * A migrated database to copy. Migrating copies every AWS managed policy into the new store, a few hundred
     * milliseconds each fixture would pay; so the first fixture migrates a template in H2's in-memory file system, and
     * each fixture opens a copy of its file, which Flyway finds up to date.
     */
    private static final class Template {
        private static final String OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        static final byte[] FILE = migrate();

        private static byte[] migrate() {
            String database = "memFS:/sts-template";
            try {
                // Closing the store closes its last connection, and with it the database, which writes its file out.
                JdbcIdentityStore.open(settings(database), MasterKey.fromKeysetJson(MasterKey.generateKeysetJson()),
                        Clock.systemUTC()).close();
                try (InputStream in = FileUtils.newInputStream(database + ".mv.db")) {
                    return in.readAllBytes();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            } finally {
                FileUtils.delete(database + ".mv.db");
            }
        }

        static StoreSettings copy() {
            String database = "memFS:/sts-" + UUID.randomUUID();
            try (OutputStream out = FileUtils.newOutputStream(database + ".mv.db", /* append= */ false)) {
                out.write(FILE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return settings(database);
        }

        private static StoreSettings settings(String database) {
            return new StoreSettings("jdbc:h2:" + database + OPTIONS, Optional.empty(), Optional.empty(), 2);
        }
    }

    /** Creates a user in {@link #ACCOUNT} with the given inline policies and one access key. */
    AccessKeyCredentials user(String name, String... policies) {
        return user(ACCOUNT, name, List.of(), policies);
    }

    AccessKeyCredentials user(String account, String name, List<Tag> tags, String... policies) {
        iam.users().createUser(account, new CreateUserRequest(name, Optional.empty(), Optional.empty(), tags));
        for (int i = 0; i < policies.length; i++) {
            iam.users().putUserPolicy(account, name, "policy" + i, policies[i]);
        }
        return iam.users().createAccessKey(account, name);
    }

    Role role(String name, String trustPolicy, String... policies) {
        return role(ACCOUNT, name, trustPolicy, 3600, List.of(), policies);
    }

    Role role(String account, String name, String trustPolicy, int maxSessionDuration, List<Tag> tags,
            String... policies) {
        Role role = iam.roles().createRole(account, new CreateRoleRequest(name, Optional.empty(), trustPolicy,
                Optional.empty(), Optional.of(maxSessionDuration), Optional.empty(), tags));
        for (int i = 0; i < policies.length; i++) {
            iam.roles().putRolePolicy(account, name, "policy" + i, policies[i]);
        }
        return role;
    }

    /** Deletes a user of {@link #ACCOUNT} as IAM lets one go: its access keys and inline policies first. */
    void deleteUser(String name) {
        String userId = iam.users().getUser(ACCOUNT, name).userId();
        for (var key : store.listAccessKeys(userId)) {
            iam.users().deleteAccessKey(ACCOUNT, name, key.accessKeyId());
        }
        for (var policy : iam.users().listUserPolicies(ACCOUNT, name, Optional.empty(), Optional.empty()).items()) {
            iam.users().deleteUserPolicy(ACCOUNT, name, policy);
        }
        iam.users().deleteUser(ACCOUNT, name);
    }

    /** Deletes a role of {@link #ACCOUNT} and its inline policies. */
    void deleteRole(String name) {
        for (var policy : iam.roles().listRolePolicies(ACCOUNT, name, Optional.empty(), Optional.empty()).items()) {
            iam.roles().deleteRolePolicy(ACCOUNT, name, policy);
        }
        iam.roles().deleteRole(ACCOUNT, name);
    }

    /** A trust policy that lets {@code principalArn} (or {@code *}) perform {@code actions}. */
    static String trusting(String principalArn, String... actions) {
        String principal = principalArn.equals("*") ? "\"*\"" : "{\"AWS\":\"" + principalArn + "\"}";
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":" + principal
                + ",\"Action\":" + jsonArray(actions.length == 0 ? new String[] {"sts:AssumeRole"} : actions) + "}]}";
    }

    static String jsonArray(String... values) {
        var json = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            json.append(i == 0 ? "" : ",").append('"').append(values[i]).append('"');
        }
        return json.append(']').toString();
    }

    static String userArn(String name) {
        return "arn:aws:iam::" + ACCOUNT + ":user/" + name;
    }

    static String roleArn(String name) {
        return "arn:aws:iam::" + ACCOUNT + ":role/" + name;
    }

    /** An STS form POST, signed now with a long-term key. */
    SignableRequest signed(AccessKeyCredentials key, String body) {
        return signer.sign(request(body), SigningCredentials.of(key.accessKey().accessKeyId(),
                key.secretAccessKey().revealBytes()), "us-east-1", "sts", clock.instant());
    }

    /** An STS form POST, signed now with temporary credentials. */
    SignableRequest signed(TemporaryCredentials credentials, String body) {
        return signer.sign(request(body), SigningCredentials.of(credentials.accessKeyId(),
                credentials.secretAccessKey().revealBytes(), credentials.sessionToken().revealUtf8()), "us-east-1",
                "sts", clock.instant());
    }

    static SignableRequest request(String body) {
        return SignableRequest.builder()
                .method("POST")
                .path("/")
                .query("")
                .addHeader("Host", HOST)
                .addHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .body(body.getBytes(UTF_8))
                .build();
    }

    CallerIdentity callerOf(AccessKeyCredentials key) {
        return sts.authenticator().authenticate(signed(key, "Action=GetCallerIdentity&Version=2011-06-15"), "sts")
                .caller();
    }

    CallerIdentity callerOf(TemporaryCredentials credentials) {
        return sts.authenticator().authenticate(signed(credentials, "Action=GetCallerIdentity&Version=2011-06-15"),
                "sts").caller();
    }

    RequestMetadata metadata() {
        return new RequestMetadata(UUID.randomUUID().toString(), clock.instant(), "192.0.2.10", false,
                Optional.of("test"), "us-east-1");
    }

    AssumeRoleResponse assumeRole(CallerIdentity caller, AssumeRoleRequest request) {
        return sts.assumeRole(caller, metadata(), request);
    }

    @Override
    public void close() {
        store.close();
    }
}
