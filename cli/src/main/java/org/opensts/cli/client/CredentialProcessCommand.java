package org.opensts.cli.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.opensts.client.AssumeRoleRequest;
import org.opensts.client.AssumeRoleResult;
import org.opensts.client.AssumeRoleWithWebIdentityRequest;
import org.opensts.client.AssumeRoleWithWebIdentityResult;
import org.opensts.client.StsCredentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code opensts credential-process}: the program a profile's {@code credential_process} setting runs (AWS CLI User
 * Guide, "Sourcing credentials with an external process"). Assumes the role — with the credentials the source profile
 * or environment gives, or with a web identity token file — and prints the Version 1 JSON; caches it in a
 * {@link CredentialCache} and serves it from there until 15 minutes before it expires. On failure it prints to
 * standard error only, as the AWS SDKs read standard output as the credentials.
 *
 * <p>The cache key hashes the whole request (operation, role, session name, duration, policies, external id, MFA
 * device, tags, source identity, token file and its content), where it goes (endpoint, region) and whose credentials
 * sign it: the profile and the variables that select the source, digests of the secret variables and of the
 * environment's web identity token, and the content of both shared files. So a changed source key, secret, token,
 * role or profile never gets another's entry.
 */
@Command(name = "credential-process",
        description = "Print role credentials as the Version 1 JSON of the AWS config file's credential_process "
                + "setting, cached on disk (mode 600) until 15 minutes before they expire.")
public final class CredentialProcessCommand extends ClientCommand {
    /** The session name when none is given: stable, so that repeated runs share a cache entry. */
    static final String DEFAULT_SESSION_NAME = "opensts-credential-process";

    /** The variables that decide whose credentials sign the call, for the cache key. */
    private static final List<String> SOURCE_VARIABLES = List.of("AWS_ACCESS_KEY_ID", "AWS_PROFILE",
            "AWS_DEFAULT_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL");
    /** The secret variables that sign the call; their digests go into the cache key. */
    private static final List<String> SECRET_VARIABLES = List.of("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
            "AWS_SECURITY_TOKEN");

    @Mixin
    StsCommand.AssumeRoleOptions role = new StsCommand.AssumeRoleOptions();

    @Option(names = "--role-session-name", paramLabel = "NAME",
            description = "The session's name (default: " + DEFAULT_SESSION_NAME + ").")
    String roleSessionName;

    @Option(names = "--web-identity-token-file", paramLabel = "FILE",
            description = "Assume the role with the web identity token in FILE (read on every refresh) instead of "
                    + "the profile's credentials.")
    Path webIdentityTokenFile;

    @Option(names = "--no-cache", description = "Always call STS; neither read nor write the cache.")
    boolean noCache;

    CredentialProcessCommand(ClientEnvironment environment) {
        super(environment);
    }

    @Override
    String operation() {
        return webIdentityTokenFile != null ? "AssumeRoleWithWebIdentity" : "AssumeRole";
    }

    @Override
    String execute(CredentialChain chain) throws ClientConfigException, ParameterValidation.Failed {
        if (webIdentityTokenFile != null && (role.serialNumber != null || role.externalId != null
                || !role.tags.isEmpty() || role.sourceIdentity != null)) {
            throw new ParameterValidation.Failed("--web-identity-token-file cannot be combined with --serial-number, "
                    + "--external-id, --tags or --source-identity");
        }
        // Validate before the cache is consulted, so a bad value fails the same way every time.
        AssumeRoleRequest request = role.request(sessionName());
        if (noCache) {
            return fetch(chain, request);
        }
        var cache = new CredentialCache(CredentialCache.defaultDirectory(environment), environment.clock());
        var warnings = new StringBuilder();
        String json = cache.getOrFetch(cacheKey(chain), () -> fetch(chain, request), warnings);
        if (!warnings.isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.print(warnings);
            err.flush();
        }
        return json;
    }

    private String fetch(CredentialChain chain, AssumeRoleRequest request)
            throws ClientConfigException, ParameterValidation.Failed {
        StsCredentials credentials;
        String roleSessionArn;
        if (webIdentityTokenFile != null) {
            String token = CredentialChain.readWebIdentityToken(webIdentityTokenFile);
            new ParameterValidation().minLength("WebIdentityToken", token, 4).check();
            var webIdentity = AssumeRoleWithWebIdentityRequest.builder(request.roleArn(), request.roleSessionName(),
                    token);
            if (role.durationSeconds != null) {
                webIdentity.durationSeconds(role.durationSeconds);
            }
            if (role.policy != null) {
                webIdentity.policy(RequestParameters.policy("--policy", role.policy));
            }
            webIdentity.policyArns(RequestParameters.policyArns(role.policyArns));
            AssumeRoleWithWebIdentityResult result = chain.stsClient(common.clientOptions(), Optional.empty())
                    .assumeRoleWithWebIdentity(webIdentity.build());
            credentials = result.credentials();
            roleSessionArn = result.assumedRoleUser().arn();
        } else {
            AssumeRoleResult result = StsCommand.signedClient(chain, common, environment).assumeRole(request);
            credentials = result.credentials();
            roleSessionArn = result.assumedRoleUser().arn();
        }
        return CredentialsOutput.credentialProcess(credentials, Optional.of(roleSessionArn));
    }

    private String sessionName() {
        return roleSessionName != null ? roleSessionName : DEFAULT_SESSION_NAME;
    }

    /** A SHA-256 of everything that decides which credentials this invocation gets; see the class comment. */
    private String cacheKey(CredentialChain chain) throws ClientConfigException, ParameterValidation.Failed {
        ClientOptions options = common.clientOptions();
        String region = chain.region(options);
        var parts = new ArrayList<String>();
        parts.add("v1");
        parts.add(operation());
        parts.add(chain.endpoint(options, region).toString());
        parts.add(region);
        parts.add(role.roleArn);
        parts.add(sessionName());
        parts.add(String.valueOf(role.durationSeconds));
        parts.add(role.policy == null ? "" : RequestParameters.policy("--policy", role.policy));
        parts.add(String.join(",", RequestParameters.policyArns(role.policyArns)));
        parts.add(String.valueOf(role.externalId));
        parts.add(String.valueOf(role.serialNumber));
        parts.add(String.join("\u0001", role.tags));
        parts.add(String.valueOf(role.sourceIdentity));
        parts.add(webIdentityTokenFile == null ? "" : webIdentityTokenFile.toAbsolutePath().toString());
        // The token, not only its file's name: a new token may be another identity, or one STS would refuse.
        parts.add(webIdentityTokenFile == null ? "" : fileDigest(webIdentityTokenFile));
        parts.add(String.valueOf(common.profile));
        for (String variable : SOURCE_VARIABLES) {
            parts.add(variable + "=" + environment.variable(variable).orElse(""));
        }
        // The secrets themselves (only hashed, inside this hash): an access key id is no secret, and knowing one
        // must not be enough to be served what STS gave to the key's holder.
        for (String variable : SECRET_VARIABLES) {
            parts.add(variable + "=" + environment.variable(variable).map(CredentialProcessCommand::digest).orElse(""));
        }
        parts.add(environment.variable("AWS_WEB_IDENTITY_TOKEN_FILE").map(environment::expandPath)
                .map(CredentialProcessCommand::fileDigest).orElse(""));
        parts.add(fileDigest(chain.configFile()));
        parts.add(fileDigest(chain.credentialsFile()));
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                byte[] bytes = part.getBytes(UTF_8);
                sha256.update(HexFormat.of().formatHex(intBytes(bytes.length)).getBytes(UTF_8));
                sha256.update(bytes);
            }
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static byte[] intBytes(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static String fileDigest(Path file) {
        try {
            return digest(LocalFiles.readString(file));
        } catch (IOException e) {
            return "absent";
        }
    }

    private static String digest(String value) {
        return digest(value.getBytes(UTF_8));
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
