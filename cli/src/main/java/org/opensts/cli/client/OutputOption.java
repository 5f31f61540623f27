package org.opensts.cli.client;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --output json|env|credential-process}, for the commands that return credentials. */
final class OutputOption {
    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "json", converter = Converter.class,
            description = "json (the AWS CLI's shape, the default), env (export lines for eval) or "
                    + "credential-process (the Version 1 JSON of the credential_process setting).")
    CredentialsOutput output = CredentialsOutput.JSON;

    static final class Converter implements ITypeConverter<CredentialsOutput> {
        @Override
        public CredentialsOutput convert(String value) {
            try {
                return CredentialsOutput.fromOption(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * For a command that returns no credentials: {@code json} only. The credentials formats are read, so that the
     * command can say why it refuses them; anything else is refused here naming json alone.
     */
    static final class JsonOnlyConverter implements ITypeConverter<CredentialsOutput> {
        @Override
        public CredentialsOutput convert(String value) {
            try {
                return CredentialsOutput.fromOption(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected json, got '" + value + "'");
            }
        }
    }
}
