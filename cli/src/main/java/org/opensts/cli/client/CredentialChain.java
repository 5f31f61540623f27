package org.opensts.cli.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.opensts.client.AssumeRoleRequest;
import org.opensts.client.AssumeRoleWithWebIdentityRequest;
import org.opensts.client.LocalFile;
import org.opensts.client.StsCredentials;
import org.opensts.client.StsWireClient;
import org.opensts.server.tls.Pem;

/**
 * Finds credentials, the STS endpoint and the region the way the AWS CLI v2 does, from a {@link ClientEnvironment}
 * (environment variables and home directory) and the {@link ClientOptions} of the command line. Sources, AWS CLI User
 * Guide: "Configuration and credential file settings", "Environment variables to configure the AWS CLI", "Using an IAM
 * role in the AWS CLI"; AWS SDKs and Tools Reference Guide: "Service-specific endpoints".
 *
 * <p>Profile: {@code --profile}, else {@code AWS_PROFILE}, else {@code AWS_DEFAULT_PROFILE}, else {@code default}. A
 * profile that is named (any way but the last) must exist in one of the two files.
 *
 * <p>Credentials, the first source that has them:
 * <ol>
 * <li>{@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN} — skipped when
 *     {@code --profile} is given (the AWS CLI lets a profile named on the command line win over the variables, and
 *     the variables win over {@code AWS_PROFILE});</li>
 * <li>the profile's {@code role_arn} with {@code source_profile} or {@code credential_source}: AssumeRole with the
 *     source's credentials, recursively along {@code source_profile}, with {@code role_session_name},
 *     {@code external_id}, {@code duration_seconds} and {@code mfa_serial} (the code asked for);</li>
 * <li>a web identity token file and role: {@code AWS_WEB_IDENTITY_TOKEN_FILE}, {@code AWS_ROLE_ARN},
 *     {@code AWS_ROLE_SESSION_NAME} (not with {@code --profile}), or the profile's {@code web_identity_token_file},
 *     {@code role_arn}, {@code role_session_name};</li>
 * <li>the profile's keys in the credentials file;</li>
 * <li>the profile's {@code credential_process};</li>
 * <li>the profile's keys in the config file.</li>
 * </ol>
 * The AWS CLI goes on to the container and instance metadata endpoints; these commands do not.
 *
 * <p>Endpoint: {@code --endpoint-url}, else (unless {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS} or the profile's
 * {@code ignore_configured_endpoint_urls} is true) {@code AWS_ENDPOINT_URL_STS}, {@code AWS_ENDPOINT_URL}, the
 * {@code sts} sub-section's {@code endpoint_url} in the {@code [services …]} section the profile names, the profile's
 * {@code endpoint_url}; else AWS's regional endpoint {@code https://sts.REGION.amazonaws.com}.
 *
 * <p>Region: {@code --region}, {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, the profile's {@code region}.
 *
 * <p>TLS trust: the JDK's CAs, or only those of {@code AWS_CA_BUNDLE} (else the profile's {@code ca_bundle}).
 *
 * <p>Every STS call of a role chain goes to the endpoint and region resolved for the command. Not thread-safe; cheap
 * to make one per command.
 */
public final class CredentialChain {
    /** AWS's rule for a region name (a host label); the AWS CLI refuses anything else before calling. */
    private static final Pattern REGION = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The largest STS response read; STS's answers are a few kilobytes. */
    private static final int MAX_RESPONSE_BYTES = 1 << 20;

    private final ClientEnvironment environment;
    private SharedConfig sharedConfig;

    public CredentialChain(ClientEnvironment environment) {
        this.environment = environment;
    }

    /** What {@link #resolve} found: the credentials to sign with, the endpoint and the region. */
    public record Resolved(ClientCredentials credentials, URI endpoint, String region) {
    }

    /** Resolves all three, in the order the AWS CLI needs them: region, endpoint, credentials. */
    public Resolved resolve(ClientOptions options) throws ClientConfigException {
        String region = region(options);
        URI endpoint = endpoint(options, region);
        return new Resolved(credentials(options), endpoint, region);
    }

    /** The shared config file: {@code AWS_CONFIG_FILE}, else {@code ~/.aws/config}. */
    public Path configFile() {
        return environment.variable("AWS_CONFIG_FILE").map(environment::expandPath)
                .orElse(environment.home().resolve(".aws").resolve("config"));
    }

    /** The shared credentials file: {@code AWS_SHARED_CREDENTIALS_FILE}, else {@code ~/.aws/credentials}. */
    public Path credentialsFile() {
        return environment.variable("AWS_SHARED_CREDENTIALS_FILE").map(environment::expandPath)
                .orElse(environment.home().resolve(".aws").resolve("credentials"));
    }

    /** The profile in effect, whether or not it exists. */
    public String profileName(ClientOptions options) {
        return options.profile()
                .or(() -> environment.variable("AWS_PROFILE"))
                .or(() -> environment.variable("AWS_DEFAULT_PROFILE"))
                .orElse("default");
    }

    public String region(ClientOptions options) throws ClientConfigException {
        Optional<String> region = options.region()
                .or(() -> environment.variable("AWS_REGION"))
                .or(() -> environment.variable("AWS_DEFAULT_REGION"));
        if (region.isEmpty()) {
            region = selectedProfile(options).flatMap(profile -> profile.get("region"));
        }
        String name = region.orElseThrow(ClientConfigException::noRegion);
        if (!REGION.matcher(name).matches()) {
            throw ClientConfigException.general("Provided region_name '" + name
                    + "' doesn't match a supported format.");
        }
        return name;
    }

    public URI endpoint(ClientOptions options, String region) throws ClientConfigException {
        Optional<String> configured = options.endpointUrl();
        if (configured.isEmpty() && !ignoreConfiguredEndpoints(options)) {
            configured = environment.variable("AWS_ENDPOINT_URL_STS")
                    .or(() -> environment.variable("AWS_ENDPOINT_URL"));
            if (configured.isEmpty()) {
                Optional<SharedConfig.Profile> profile = selectedProfile(options);
                SharedConfig files = config();
                configured = profile.flatMap(p -> p.get("services"))
                        .flatMap(section -> files.serviceSetting(section, "sts", "endpoint_url"))
                        .or(() -> profile.flatMap(p -> p.get("endpoint_url")));
            }
        }
        String url = configured.orElse("https://sts." + region + ".amazonaws.com");
        try {
            URI endpoint = new URI(url);
            String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && endpoint.getHost() != null
                    && endpoint.getRawQuery() == null && endpoint.getRawFragment() == null) {
                return endpoint;
            }
        } catch (URISyntaxException e) {
            // reported below, in the AWS CLI's words
        }
        throw ClientConfigException.general("Invalid endpoint: " + url);
    }

    private boolean ignoreConfiguredEndpoints(ClientOptions options) throws ClientConfigException {
        Optional<String> flag = environment.variable("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
        if (flag.isEmpty()) {
            flag = selectedProfile(options).flatMap(profile -> profile.get("ignore_configured_endpoint_urls"));
        }
        return flag.map(value -> value.equalsIgnoreCase("true")).orElse(false);
    }

    /**
     * Finds credentials, calling STS for role profiles.
     *
     * @throws ClientConfigException when none are found or the configuration is wrong
     * @throws org.opensts.client.StsException when STS refused a role chain's call
     * @throws org.opensts.client.StsTransportException when STS could not be reached for one
     */
    public ClientCredentials credentials(ClientOptions options) throws ClientConfigException {
        boolean explicitProfile = options.profile().isPresent();
        Optional<SharedConfig.Profile> profile = selectedProfile(options);
        if (!explicitProfile) {
            Optional<ClientCredentials> fromEnvironment = environmentCredentials();
            if (fromEnvironment.isPresent()) {
                return fromEnvironment.get();
            }
        }
        String profileName = profileName(options);
        if (profile.isPresent() && isAssumeRoleProfile(profile.get())) {
            return assumeRoleProfile(profileName, options, new LinkedHashSet<>());
        }
        Optional<ClientCredentials> webIdentity = webIdentity(profile, /* useEnvironment= */ !explicitProfile,
                options);
        if (webIdentity.isPresent()) {
            return webIdentity.get();
        }
        if (profile.isPresent()) {
            Optional<ClientCredentials> fromProfile = profileProviders(profile.get());
            if (fromProfile.isPresent()) {
                return fromProfile.get();
            }
        }
        throw ClientConfigException.noCredentials();
    }

    private Optional<SharedConfig.Profile> selectedProfile(ClientOptions options) throws ClientConfigException {
        String name = profileName(options);
        Optional<SharedConfig.Profile> profile = config().profile(name);
        boolean named = options.profile().isPresent() || environment.variable("AWS_PROFILE").isPresent()
                || environment.variable("AWS_DEFAULT_PROFILE").isPresent();
        if (profile.isEmpty() && named) {
            throw ClientConfigException.profileNotFound(name);
        }
        return profile;
    }

    private SharedConfig config() throws ClientConfigException {
        if (sharedConfig == null) {
            sharedConfig = SharedConfig.of(IniFile.read(configFile()), IniFile.read(credentialsFile()));
        }
        return sharedConfig;
    }

    // ---- the sources

    private Optional<ClientCredentials> environmentCredentials() throws ClientConfigException {
        Optional<String> accessKeyId = environment.variable("AWS_ACCESS_KEY_ID");
        if (accessKeyId.isEmpty()) {
            return Optional.empty();
        }
        String secret = environment.variable("AWS_SECRET_ACCESS_KEY").orElseThrow(() ->
                ClientConfigException.general("Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY"));
        Optional<String> token = environment.variable("AWS_SESSION_TOKEN")
                .or(() -> environment.variable("AWS_SECURITY_TOKEN"));
        Optional<Instant> expiration = Optional.empty();
        Optional<String> expires = environment.variable("AWS_CREDENTIAL_EXPIRATION");
        if (expires.isPresent()) {
            expiration = Optional.of(parseTimestamp(expires.get(), "AWS_CREDENTIAL_EXPIRATION"));
        }
        return Optional.of(ClientCredentials.of(accessKeyId.get(), secret, token, expiration, "env"));
    }

    private static boolean isAssumeRoleProfile(SharedConfig.Profile profile) {
        return profile.has("role_arn") && !profile.has("web_identity_token_file");
    }

    private static boolean hasStaticCredentials(SharedConfig.Profile profile) {
        return profile.has("aws_access_key_id");
    }

    /** The providers the AWS CLI asks about one profile, without the environment: web identity, keys, process. */
    private Optional<ClientCredentials> profileProviders(SharedConfig.Profile profile) throws ClientConfigException {
        Optional<ClientCredentials> webIdentity = webIdentity(Optional.of(profile), false, ClientOptions.none());
        if (webIdentity.isPresent()) {
            return webIdentity;
        }
        Optional<ClientCredentials> shared = staticKeys(profile.fromCredentials(), "shared-credentials-file");
        if (shared.isPresent()) {
            return shared;
        }
        Optional<String> process = profile.get("credential_process");
        if (process.isPresent()) {
            return Optional.of(runCredentialProcess(process.get()));
        }
        return staticKeys(profile.fromConfig(), "config-file");
    }

    private static Optional<ClientCredentials> staticKeys(Map<String, String> values, String source)
            throws ClientConfigException {
        String accessKeyId = values.get("aws_access_key_id");
        if (accessKeyId == null || accessKeyId.isEmpty()) {
            return Optional.empty();
        }
        String secret = values.get("aws_secret_access_key");
        if (secret == null || secret.isEmpty()) {
            throw ClientConfigException.general("Partial credentials found in " + source
                    + ", missing: aws_secret_access_key");
        }
        Optional<String> token = Optional.ofNullable(values.get("aws_session_token"))
                .or(() -> Optional.ofNullable(values.get("aws_security_token")))
                .filter(value -> !value.isEmpty());
        return Optional.of(ClientCredentials.of(accessKeyId, secret, token, Optional.empty(), source));
    }

    private ClientCredentials assumeRoleProfile(String profileName, ClientOptions options, Set<String> visited)
            throws ClientConfigException {
        visited.add(profileName);
        SharedConfig.Profile profile = config().profile(profileName).orElseThrow();
        Optional<String> sourceProfile = profile.get("source_profile");
        Optional<String> credentialSource = profile.get("credential_source");
        if (sourceProfile.isPresent() && credentialSource.isPresent()) {
            throw ClientConfigException.general("The profile \"" + profileName
                    + "\" contains both source_profile and credential_source.");
        }
        ClientCredentials source;
        if (credentialSource.isPresent()) {
            source = credentialSource(profileName, credentialSource.get());
        } else if (sourceProfile.isPresent()) {
            validateSourceProfile(profileName, sourceProfile.get(), visited);
            source = sourceProfileCredentials(sourceProfile.get(), options, visited);
        } else {
            throw ClientConfigException.general("Partial credentials found in assume-role, missing: source_profile "
                    + "or credential_source");
        }
        String roleArn = profile.get("role_arn").orElseThrow();
        var request = AssumeRoleRequest.builder(roleArn,
                profile.get("role_session_name").orElseGet(this::defaultSessionName));
        Optional<String> duration = profile.get("duration_seconds");
        if (duration.isPresent()) {
            request.durationSeconds(integerSetting(profileName, "duration_seconds", duration.get()));
        }
        profile.get("external_id").ifPresent(request::externalId);
        Optional<String> mfaSerial = profile.get("mfa_serial");
        if (mfaSerial.isPresent()) {
            request.mfa(mfaSerial.get(), environment.mfaPrompt().codeFor(mfaSerial.get()));
        }
        StsCredentials assumed = stsClient(options, source).assumeRole(request.build()).credentials();
        return temporary(assumed, "assume-role");
    }

    private void validateSourceProfile(String parent, String sourceName, Set<String> visited)
            throws ClientConfigException {
        Optional<SharedConfig.Profile> source = config().profile(sourceName);
        if (source.isEmpty()) {
            throw ClientConfigException.general("The source_profile \"" + sourceName
                    + "\" referenced in the profile \"" + parent + "\" does not exist.");
        }
        if (!visited.contains(sourceName)) {
            return;
        }
        // A profile may name itself as its source to keep its keys and its role together; any other repeat loops.
        if (!sourceName.equals(parent) || !hasStaticCredentials(source.get())) {
            throw ClientConfigException.general("Infinite loop in credential configuration detected. Attempting to "
                    + "load from profile " + sourceName + " which has already been visited. Visited profiles: "
                    + visited.stream().map(name -> "'" + name + "'").collect(Collectors.joining(", ", "[", "]")));
        }
    }

    private ClientCredentials sourceProfileCredentials(String name, ClientOptions options, Set<String> visited)
            throws ClientConfigException {
        SharedConfig.Profile profile = config().profile(name).orElseThrow();
        if (hasStaticCredentials(profile) || !isAssumeRoleProfile(profile)) {
            return profileProviders(profile).orElseThrow(() -> ClientConfigException.general(
                    "The source profile \"" + name + "\" must have credentials."));
        }
        return assumeRoleProfile(name, options, visited);
    }

    private ClientCredentials credentialSource(String profileName, String source) throws ClientConfigException {
        return switch (source) {
            case "Environment" -> environmentCredentials().orElseThrow(() -> ClientConfigException.general(
                    "Error when retrieving credentials from Environment: No credentials found in credential_source "
                            + "referenced in profile " + profileName));
            case "Ec2InstanceMetadata", "EcsContainer" -> throw ClientConfigException.general("The credential_source "
                    + source + " of profile " + profileName + " is not supported by opensts; use Environment, or "
                    + "source_profile");
            default -> throw ClientConfigException.general("The credential_source \"" + source
                    + "\" provided in the profile \"" + profileName + "\" is not supported. Supported values are "
                    + "Environment, Ec2InstanceMetadata and EcsContainer.");
        };
    }

    private Optional<ClientCredentials> webIdentity(Optional<SharedConfig.Profile> profile, boolean useEnvironment,
            ClientOptions options) throws ClientConfigException {
        Optional<String> tokenFile = useEnvironment ? environment.variable("AWS_WEB_IDENTITY_TOKEN_FILE")
                : Optional.empty();
        if (tokenFile.isEmpty()) {
            tokenFile = profile.flatMap(p -> p.get("web_identity_token_file"));
        }
        if (tokenFile.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> roleArn = (useEnvironment ? environment.variable("AWS_ROLE_ARN") : Optional.<String>empty())
                .or(() -> profile.flatMap(p -> p.get("role_arn")));
        if (roleArn.isEmpty()) {
            throw ClientConfigException.general("The provided profile or the current environment is configured to "
                    + "assume role with web identity but has no role ARN configured. Ensure that the profile has the "
                    + "role_arn configuration set or the AWS_ROLE_ARN env var is set.");
        }
        String sessionName = (useEnvironment ? environment.variable("AWS_ROLE_SESSION_NAME")
                : Optional.<String>empty())
                .or(() -> profile.flatMap(p -> p.get("role_session_name")))
                .orElseGet(this::defaultSessionName);
        String token = readWebIdentityToken(environment.expandPath(tokenFile.get()));
        var request = AssumeRoleWithWebIdentityRequest.builder(roleArn.get(), sessionName, token);
        StsCredentials assumed = unsignedStsClient(options).assumeRoleWithWebIdentity(request.build()).credentials();
        return Optional.of(temporary(assumed, "assume-role-with-web-identity"));
    }

    /** Reads a web identity token file; the token is the file's content without surrounding blanks. */
    static String readWebIdentityToken(Path file) throws ClientConfigException {
        try {
            return LocalFiles.readString(file).strip();
        } catch (IOException e) {
            throw ClientConfigException.general("Unable to read the web identity token file " + file + ": "
                    + e.getMessage());
        }
    }

    // ---- credential_process

    /**
     * Runs a {@code credential_process} command (split into words, no shell) with this environment's variables and
     * reads the Version 1 JSON on its standard output. Its standard error is kept for the failure message.
     */
    ClientCredentials runCredentialProcess(String commandLine) throws ClientConfigException {
        List<String> command = ShellWords.split(commandLine);
        if (command.isEmpty()) {
            throw processError("the credential_process setting is empty");
        }
        var builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(environment.variables());
        builder.redirectInput(ProcessBuilder.Redirect.INHERIT);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw processError(e.getMessage());
        }
        CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        byte[] stdout;
        try (InputStream out = process.getInputStream()) {
            stdout = LocalFiles.readAtMost(out);
        } catch (IOException e) {
            process.destroyForcibly();
            throw processError("its output could not be read: " + e.getMessage());
        }
        int exitCode;
        try {
            exitCode = process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw processError("interrupted");
        }
        if (exitCode != 0) {
            String said = new String(stderr.join(), UTF_8).strip();
            // One stopped by a signal (Ctrl-C reaches the whole process group) or silent still gets a reason.
            throw processError(!said.isEmpty() ? said : "it exited with code " + exitCode + " and said nothing");
        }
        return parseProcessOutput(stdout);
    }

    /** The first {@link LocalFiles#MAX_BYTES} bytes of {@code in}, read to its end so that its writer is not held. */
    private static byte[] readAll(InputStream in) {
        try (in) {
            byte[] kept = in.readNBytes(LocalFiles.MAX_BYTES);
            in.transferTo(OutputStream.nullOutputStream());
            return kept;
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** Reads the credential process JSON: {@code Version} 1, keys required, token and expiration optional. */
    static ClientCredentials parseProcessOutput(byte[] stdout) throws ClientConfigException {
        JsonNode json;
        try {
            json = JSON.readTree(stdout);
        } catch (IOException e) {
            throw processError("its output is not JSON");
        }
        if (json == null || !json.isObject()) {
            throw processError("its output is not a JSON object");
        }
        JsonNode version = json.get("Version");
        if (version == null || !version.isInt() || version.intValue() != 1) {
            throw processError("Unsupported version '" + (version == null ? "None" : version.asText())
                    + "' for credential process provider, supported versions: 1");
        }
        String accessKeyId = text(json, "AccessKeyId").orElseThrow(() -> processError("Missing required key in "
                + "response: AccessKeyId"));
        String secret = text(json, "SecretAccessKey").orElseThrow(() -> processError("Missing required key in "
                + "response: SecretAccessKey"));
        Optional<Instant> expiration = Optional.empty();
        Optional<String> expires = text(json, "Expiration");
        if (expires.isPresent()) {
            expiration = Optional.of(parseTimestamp(expires.get(), "Expiration"));
        }
        return ClientCredentials.of(accessKeyId, secret, text(json, "SessionToken"), expiration, "custom-process");
    }

    private static Optional<String> text(JsonNode json, String name) {
        JsonNode node = json.get(name);
        return node != null && node.isTextual() && !node.asText().isEmpty() ? Optional.of(node.asText())
                : Optional.empty();
    }

    private static ClientConfigException processError(String detail) {
        return ClientConfigException.general("Error when retrieving credentials from custom-process: " + detail);
    }

    private static Instant parseTimestamp(String value, String what) throws ClientConfigException {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ClientConfigException.general(what + " is not an ISO 8601 timestamp: " + value);
        }
    }

    // ---- STS

    /**
     * A wire client for the STS the options point at, in their region, on this environment's clock, trusting only
     * the certificates of {@code AWS_CA_BUNDLE} (else the profile's {@code ca_bundle}) when one is set, as the AWS CLI
     * does; it signs with {@code signer}, or sends unsigned calls only when that is empty.
     */
    public StsWireClient stsClient(ClientOptions options, Optional<ClientCredentials> signer)
            throws ClientConfigException {
        String region = region(options);
        var builder = StsWireClient.builder(endpoint(options, region)).region(region).clock(environment.clock());
        signer.ifPresent(credentials -> builder.credentials(credentials.signingCredentials()));
        Optional<String> caBundle = environment.variable("AWS_CA_BUNDLE");
        if (caBundle.isEmpty()) {
            caBundle = selectedProfile(options).flatMap(profile -> profile.get("ca_bundle"));
        }
        if (caBundle.isPresent()) {
            builder.transport(StsWireClient.Transport.http(HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .sslContext(trusting(environment.expandPath(caBundle.get())))
                    .build(), MAX_RESPONSE_BYTES));
        }
        return builder.build();
    }

    /** A TLS context that trusts the CA certificates of a PEM bundle and nothing else. */
    private static SSLContext trusting(Path bundle) throws ClientConfigException {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (X509Certificate certificate : Pem.readCertificates(bundle)) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
            if (index == 0) {
                throw ClientConfigException.general("The CA bundle " + bundle + " holds no PEM certificate");
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            // The system's reason ("No such file or directory"), not the bare path a FileSystemException's message is.
            throw ClientConfigException.general("Unable to use the CA bundle " + bundle + ": " + LocalFile.reason(e));
        } catch (GeneralSecurityException e) {
            throw ClientConfigException.general("Unable to use the CA bundle " + bundle + ": " + e.getMessage());
        }
    }

    private StsWireClient stsClient(ClientOptions options, ClientCredentials signer) throws ClientConfigException {
        return stsClient(options, Optional.of(signer));
    }

    private StsWireClient unsignedStsClient(ClientOptions options) throws ClientConfigException {
        return stsClient(options, Optional.empty());
    }

    private static ClientCredentials temporary(StsCredentials credentials, String source) {
        return ClientCredentials.of(credentials.accessKeyId(), credentials.secretAccessKey(),
                Optional.of(credentials.sessionToken()), Optional.of(credentials.expiration()), source);
    }

    /** The session name of a role profile without {@code role_session_name}: a fixed prefix and the time. */
    private String defaultSessionName() {
        return "opensts-session-" + environment.clock().instant().getEpochSecond();
    }

    private static int integerSetting(String profile, String key, String value) throws ClientConfigException {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ClientConfigException.general("The " + key + " of profile " + profile + " must be a number of "
                    + "seconds, not " + value);
        }
    }
}
