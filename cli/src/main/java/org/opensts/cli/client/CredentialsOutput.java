package org.opensts.cli.client;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.opensts.client.StsCredentials;

/**
 * The three ways the client commands print credentials: the AWS CLI's JSON, {@code export} lines for a POSIX shell's
 * {@code eval}, and the Version 1 JSON of the config file's {@code credential_process} setting (AWS CLI User Guide,
 * "Sourcing credentials with an external process").
 */
public enum CredentialsOutput {
    JSON("json"),
    ENV("env"),
    CREDENTIAL_PROCESS("credential-process");

    /** Words a POSIX shell reads as one literal word without quotes. */
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private final String optionValue;

    CredentialsOutput(String optionValue) {
        this.optionValue = optionValue;
    }

    /** The value of {@code --output} that selects this format. */
    public String optionValue() {
        return optionValue;
    }

    static CredentialsOutput fromOption(String value) {
        for (CredentialsOutput output : values()) {
            if (output.optionValue.equals(value)) {
                return output;
            }
        }
        throw new IllegalArgumentException("expected json, env or credential-process, got '" + value + "'");
    }

    /**
     * A timestamp as the AWS CLI v2 prints one in JSON output: ISO 8601 in UTC with a {@code +00:00} offset, and
     * microseconds only when there are fractions of a second (Python's {@code isoformat}).
     */
    static String cliTimestamp(Instant instant) {
        String seconds = SECONDS.format(instant);
        int micros = instant.getNano() / 1000;
        return (micros == 0 ? seconds : seconds + String.format(".%06d", micros)) + "+00:00";
    }

    /** The {@code Credentials} member of a response, in the model's order. */
    static Map<String, Object> credentialsMember(StsCredentials credentials) {
        var member = new LinkedHashMap<String, Object>();
        member.put("AccessKeyId", credentials.accessKeyId());
        member.put("SecretAccessKey", credentials.secretAccessKey());
        member.put("SessionToken", credentials.sessionToken());
        member.put("Expiration", cliTimestamp(credentials.expiration()));
        return member;
    }

    /** {@code export} lines for {@code eval}, each value quoted when a shell would otherwise read it differently. */
    static String env(StsCredentials credentials) {
        return "export AWS_ACCESS_KEY_ID=" + shellQuote(credentials.accessKeyId()) + '\n'
                + "export AWS_SECRET_ACCESS_KEY=" + shellQuote(credentials.secretAccessKey()) + '\n'
                + "export AWS_SESSION_TOKEN=" + shellQuote(credentials.sessionToken()) + '\n'
                + "export AWS_CREDENTIAL_EXPIRATION=" + shellQuote(cliTimestamp(credentials.expiration())) + '\n';
    }

    /**
     * The Version 1 JSON; its {@code Expiration} is RFC 3339 in UTC, which every AWS SDK parses, and its
     * {@code AccountId} the account of {@code principalArn} (the assumed role's or federated user's), which the SDKs
     * read for account-based endpoints; left out when the call names no principal (GetSessionToken).
     */
    static String credentialProcess(StsCredentials credentials, Optional<String> principalArn) {
        var json = new LinkedHashMap<String, Object>();
        json.put("Version", 1);
        json.put("AccessKeyId", credentials.accessKeyId());
        json.put("SecretAccessKey", credentials.secretAccessKey());
        json.put("SessionToken", credentials.sessionToken());
        json.put("Expiration", credentials.expiration().truncatedTo(ChronoUnit.SECONDS).toString());
        principalArn.flatMap(CredentialsOutput::accountOf).ifPresent(account -> json.put("AccountId", account));
        return CliJson.write(json);
    }

    /** The account field of an ARN ({@code arn:aws:sts::123456789012:assumed-role/…}), if it has twelve digits. */
    static Optional<String> accountOf(String arn) {
        String[] parts = arn.split(":", 6);
        return parts.length == 6 && parts[4].matches("[0-9]{12}") ? Optional.of(parts[4]) : Optional.empty();
    }

    /** Single-quotes {@code value} unless it is safe bare; a quote inside becomes {@code '\''}. */
    static String shellQuote(String value) {
        if (SHELL_SAFE.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
