package org.opensts.cli.client;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.opensts.client.AssumeRoleRequest;
import org.opensts.client.AssumeRoleResult;
import org.opensts.client.AssumeRoleWithWebIdentityRequest;
import org.opensts.client.AssumeRoleWithWebIdentityResult;
import org.opensts.client.GetCallerIdentityResult;
import org.opensts.client.GetFederationTokenRequest;
import org.opensts.client.GetFederationTokenResult;
import org.opensts.client.GetSessionTokenRequest;
import org.opensts.client.StsCredentials;
import org.opensts.client.StsWireClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code opensts sts …}: the STS calls of the AWS CLI's {@code aws sts}, with its discovery of credentials and
 * endpoint ({@link CredentialChain}), its JSON, and two more ways to print credentials ({@link CredentialsOutput}).
 */
@Command(name = "sts", description = "Call STS as the AWS CLI does, and print the credentials for eval or a "
        + "credential_process.",
        subcommands = {StsCommand.AssumeRole.class, StsCommand.GetSessionToken.class,
                StsCommand.GetFederationToken.class, StsCommand.AssumeRoleWithWebIdentity.class,
                StsCommand.GetCallerIdentity.class})
public final class StsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A client signing with the credentials the chain finds for the command's options. */
    static StsWireClient signedClient(CredentialChain chain, ClientCommandOptions common, ClientEnvironment environment)
            throws ClientConfigException {
        ClientOptions options = common.clientOptions();
        return chain.stsClient(options, Optional.of(chain.credentials(options)));
    }

    /** Prints a call's result: its JSON, or its credentials in the chosen format. */
    static String print(CredentialsOutput output, StsCredentials credentials, Optional<String> principalArn,
            Function<Map<String, Object>, Map<String, Object>> restOfJson) {
        return switch (output) {
            case JSON -> {
                var json = new LinkedHashMap<String, Object>();
                json.put("Credentials", CredentialsOutput.credentialsMember(credentials));
                yield CliJson.write(restOfJson.apply(json));
            }
            case ENV -> CredentialsOutput.env(credentials);
            case CREDENTIAL_PROCESS -> CredentialsOutput.credentialProcess(credentials, principalArn);
        };
    }

    private static Map<String, Object> assumedRoleUser(String assumedRoleId, String arn) {
        var user = new LinkedHashMap<String, Object>();
        user.put("AssumedRoleId", assumedRoleId);
        user.put("Arn", arn);
        return user;
    }

    /**
     * The options that select what AssumeRole asks for; {@code credential-process} takes the same. Each command
     * declares {@code --role-session-name} itself: {@code assume-role} requires it, as the AWS CLI does, where
     * {@code credential-process} has a default.
     */
    static final class AssumeRoleOptions {
        @Option(names = "--role-arn", paramLabel = "ARN", required = true, description = "The role to assume.")
        String roleArn;

        @Option(names = "--duration-seconds", paramLabel = "N", description = "How long the session lasts.")
        Integer durationSeconds;

        @Option(names = "--policy", paramLabel = "FILE|JSON",
                description = "A session policy: a file, file://FILE, or the JSON itself.")
        String policy;

        @Option(names = "--policy-arns", paramLabel = "ARN", split = ",", arity = "1..*",
                description = "Managed policies to use as session policies.")
        List<String> policyArns = new ArrayList<>();

        @Option(names = "--serial-number", paramLabel = "SN", description = "The MFA device, with --token-code.")
        String serialNumber;

        @Option(names = "--token-code", paramLabel = "CODE", description = "The current code of the MFA device.")
        String tokenCode;

        @Option(names = "--external-id", paramLabel = "ID", description = "The external id the role's trust "
                + "policy asks for.")
        String externalId;

        @Option(names = "--tags", paramLabel = "KEY=VALUE", arity = "1..*", description = "Session tags.")
        List<String> tags = new ArrayList<>();

        @Option(names = "--source-identity", paramLabel = "NAME", description = "The source identity to set.")
        String sourceIdentity;

        /** Validates the values the AWS CLI validates and builds the request for the session {@code sessionName}. */
        AssumeRoleRequest request(String sessionName) throws ParameterValidation.Failed {
            var builder = AssumeRoleRequest.builder(roleArn, sessionName);
            var validation = new ParameterValidation()
                    .minLength("RoleArn", roleArn, 20)
                    .minLength("RoleSessionName", sessionName, 2)
                    .minValue("DurationSeconds", durationSeconds, 900)
                    .minLength("ExternalId", externalId, 2)
                    .minLength("SerialNumber", serialNumber, 9)
                    .minLength("TokenCode", tokenCode, 6)
                    .minLength("SourceIdentity", sourceIdentity, 2);
            if (policy != null) {
                String document = RequestParameters.policy("--policy", policy);
                validation.minLength("Policy", document, 1);
                builder.policy(document);
            }
            var sessionTags = RequestParameters.tags(tags);
            RequestParameters.checkTags(validation, sessionTags);
            List<String> arns = RequestParameters.policyArns(policyArns);
            for (int i = 0; i < arns.size(); i++) {
                validation.minLength("PolicyArns[" + i + "].arn", arns.get(i), 20);
            }
            validation.check();
            builder.policyArns(arns).tags(sessionTags);
            if (durationSeconds != null) {
                builder.durationSeconds(durationSeconds);
            }
            if (externalId != null) {
                builder.externalId(externalId);
            }
            if (sourceIdentity != null) {
                builder.sourceIdentity(sourceIdentity);
            }
            if (serialNumber != null || tokenCode != null) {
                if (serialNumber == null || tokenCode == null) {
                    throw new ParameterValidation.Failed("--serial-number and --token-code go together");
                }
                builder.mfa(serialNumber, tokenCode);
            }
            return builder.build();
        }
    }

    @Command(name = "assume-role",
            description = "Assume a role with the credentials found as the AWS CLI finds them.")
    static final class AssumeRole extends ClientCommand {
        @Mixin
        AssumeRoleOptions role = new AssumeRoleOptions();

        @Option(names = "--role-session-name", paramLabel = "NAME", required = true,
                description = "The session's name.")
        String roleSessionName;

        @Mixin
        OutputOption output = new OutputOption();

        AssumeRole(ClientEnvironment environment) {
            super(environment);
        }

        @Override
        String operation() {
            return "AssumeRole";
        }

        @Override
        String execute(CredentialChain chain) throws ClientConfigException, ParameterValidation.Failed {
            AssumeRoleRequest request = role.request(roleSessionName);
            AssumeRoleResult result = signedClient(chain, common, environment).assumeRole(request);
            return print(output.output, result.credentials(), Optional.of(result.assumedRoleUser().arn()), json -> {
                json.put("AssumedRoleUser", assumedRoleUser(result.assumedRoleUser().assumedRoleId(),
                        result.assumedRoleUser().arn()));
                result.packedPolicySize().ifPresent(size -> json.put("PackedPolicySize", size));
                result.sourceIdentity().ifPresent(identity -> json.put("SourceIdentity", identity));
                return json;
            });
        }
    }

    @Command(name = "get-session-token",
            description = "Get session credentials for the credentials found as the AWS CLI finds them.")
    static final class GetSessionToken extends ClientCommand {
        @Option(names = "--duration-seconds", paramLabel = "N", description = "How long the session lasts.")
        Integer durationSeconds;

        @Option(names = "--serial-number", paramLabel = "SN", description = "The MFA device, with --token-code.")
        String serialNumber;

        @Option(names = "--token-code", paramLabel = "CODE", description = "The current code of the MFA device.")
        String tokenCode;

        @Mixin
        OutputOption output = new OutputOption();

        GetSessionToken(ClientEnvironment environment) {
            super(environment);
        }

        @Override
        String operation() {
            return "GetSessionToken";
        }

        @Override
        String execute(CredentialChain chain) throws ClientConfigException, ParameterValidation.Failed {
            new ParameterValidation()
                    .minValue("DurationSeconds", durationSeconds, 900)
                    .minLength("SerialNumber", serialNumber, 9)
                    .minLength("TokenCode", tokenCode, 6)
                    .check();
            var request = GetSessionTokenRequest.builder();
            if (durationSeconds != null) {
                request.durationSeconds(durationSeconds);
            }
            if (serialNumber != null || tokenCode != null) {
                if (serialNumber == null || tokenCode == null) {
                    throw new ParameterValidation.Failed("--serial-number and --token-code go together");
                }
                request.mfa(serialNumber, tokenCode);
            }
            var result = signedClient(chain, common, environment).getSessionToken(request.build());
            return print(output.output, result.credentials(), Optional.empty(), json -> json);
        }
    }

    @Command(name = "get-federation-token",
            description = "Get credentials for a federated user of the credentials found as the AWS CLI finds them.")
    static final class GetFederationToken extends ClientCommand {
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "The federated user's name.")
        String name;

        @Option(names = "--policy", paramLabel = "FILE|JSON",
                description = "A session policy: a file, file://FILE, or the JSON itself.")
        String policy;

        @Option(names = "--policy-arns", paramLabel = "ARN", split = ",", arity = "1..*",
                description = "Managed policies to use as session policies.")
        List<String> policyArns = new ArrayList<>();

        @Option(names = "--duration-seconds", paramLabel = "N", description = "How long the session lasts.")
        Integer durationSeconds;

        @Option(names = "--tags", paramLabel = "KEY=VALUE", arity = "1..*", description = "Session tags.")
        List<String> tags = new ArrayList<>();

        @Mixin
        OutputOption output = new OutputOption();

        GetFederationToken(ClientEnvironment environment) {
            super(environment);
        }

        @Override
        String operation() {
            return "GetFederationToken";
        }

        @Override
        String execute(CredentialChain chain) throws ClientConfigException, ParameterValidation.Failed {
            var validation = new ParameterValidation()
                    .minLength("Name", name, 2)
                    .minValue("DurationSeconds", durationSeconds, 900);
            var request = GetFederationTokenRequest.builder(name);
            if (policy != null) {
                String document = RequestParameters.policy("--policy", policy);
                validation.minLength("Policy", document, 1);
                request.policy(document);
            }
            var sessionTags = RequestParameters.tags(tags);
            RequestParameters.checkTags(validation, sessionTags);
            validation.check();
            request.policyArns(RequestParameters.policyArns(policyArns)).tags(sessionTags);
            if (durationSeconds != null) {
                request.durationSeconds(durationSeconds);
            }
            GetFederationTokenResult result = signedClient(chain, common, environment)
                    .getFederationToken(request.build());
            return print(output.output, result.credentials(), Optional.of(result.federatedUser().arn()), json -> {
                var user = new LinkedHashMap<String, Object>();
                user.put("FederatedUserId", result.federatedUser().federatedUserId());
                user.put("Arn", result.federatedUser().arn());
                json.put("FederatedUser", user);
                result.packedPolicySize().ifPresent(size -> json.put("PackedPolicySize", size));
                return json;
            });
        }
    }

    @Command(name = "assume-role-with-web-identity",
            description = "Assume a role with a web identity token read from a file (the call is not signed).")
    static final class AssumeRoleWithWebIdentity extends ClientCommand {
        @Option(names = "--web-identity-token-file", paramLabel = "FILE", required = true,
                description = "The file holding the token (an OIDC ID token); read, never taken from a flag.")
        Path tokenFile;

        @Option(names = "--role-arn", paramLabel = "ARN", required = true, description = "The role to assume.")
        String roleArn;

        @Option(names = "--role-session-name", paramLabel = "NAME",
                description = "The session's name (default: opensts-session- and the time).")
        String roleSessionName;

        @Option(names = "--duration-seconds", paramLabel = "N", description = "How long the session lasts.")
        Integer durationSeconds;

        @Option(names = "--policy", paramLabel = "FILE|JSON",
                description = "A session policy: a file, file://FILE, or the JSON itself.")
        String policy;

        @Mixin
        OutputOption output = new OutputOption();

        AssumeRoleWithWebIdentity(ClientEnvironment environment) {
            super(environment);
        }

        @Override
        String operation() {
            return "AssumeRoleWithWebIdentity";
        }

        @Override
        String execute(CredentialChain chain) throws ClientConfigException, ParameterValidation.Failed {
            String sessionName = roleSessionName != null ? roleSessionName
                    : "opensts-session-" + environment.clock().instant().getEpochSecond();
            String token = CredentialChain.readWebIdentityToken(tokenFile);
            var validation = new ParameterValidation()
                    .minLength("RoleArn", roleArn, 20)
                    .minLength("RoleSessionName", sessionName, 2)
                    .minLength("WebIdentityToken", token, 4)
                    .minValue("DurationSeconds", durationSeconds, 900);
            var request = AssumeRoleWithWebIdentityRequest.builder(roleArn, sessionName, token);
            if (policy != null) {
                String document = RequestParameters.policy("--policy", policy);
                validation.minLength("Policy", document, 1);
                request.policy(document);
            }
            validation.check();
            if (durationSeconds != null) {
                request.durationSeconds(durationSeconds);
            }
            AssumeRoleWithWebIdentityResult result = chain.stsClient(common.clientOptions(), Optional.empty())
                    .assumeRoleWithWebIdentity(request.build());
            return print(output.output, result.credentials(), Optional.of(result.assumedRoleUser().arn()), json -> {
                json.put("SubjectFromWebIdentityToken", result.subjectFromWebIdentityToken());
                json.put("AssumedRoleUser", assumedRoleUser(result.assumedRoleUser().assumedRoleId(),
                        result.assumedRoleUser().arn()));
                result.packedPolicySize().ifPresent(size -> json.put("PackedPolicySize", size));
                result.provider().ifPresent(provider -> json.put("Provider", provider));
                result.audience().ifPresent(audience -> json.put("Audience", audience));
                result.sourceIdentity().ifPresent(identity -> json.put("SourceIdentity", identity));
                return json;
            });
        }
    }

    @Command(name = "get-caller-identity",
            description = "Show who the credentials found as the AWS CLI finds them belong to.")
    static final class GetCallerIdentity extends ClientCommand {
        /** Read as for the other calls, so that env and credential-process get the refusal that says why. */
        @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "json",
                converter = OutputOption.JsonOnlyConverter.class, description = "json, the AWS CLI's shape (the "
                        + "default and the only format: GetCallerIdentity returns no credentials).")
        CredentialsOutput output = CredentialsOutput.JSON;

        GetCallerIdentity(ClientEnvironment environment) {
            super(environment);
        }

        @Override
        String operation() {
            return "GetCallerIdentity";
        }

        @Override
        String execute(CredentialChain chain) throws ClientConfigException, ParameterValidation.Failed {
            if (output != CredentialsOutput.JSON) {
                throw new ParameterValidation.Failed("--output " + output.optionValue()
                        + " prints credentials, and GetCallerIdentity returns none");
            }
            GetCallerIdentityResult result = signedClient(chain, common, environment).getCallerIdentity();
            var json = new LinkedHashMap<String, Object>();
            json.put("UserId", result.userId());
            json.put("Account", result.account());
            json.put("Arn", result.arn());
            return CliJson.write(json);
        }
    }
}
