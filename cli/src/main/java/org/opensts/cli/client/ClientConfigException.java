package org.opensts.cli.client;

/**
 * The command could not get as far as calling STS: no credentials, no region, a profile that is missing or loops, a
 * config file that cannot be parsed, a credential process that failed. Carries the AWS CLI's words for each case and
 * its return code (AWS CLI User Guide, "Command line return codes in the AWS CLI"): 253 when the environment or
 * configuration lacks something the command needs (credentials, a region), 255 for the rest.
 */
public final class ClientConfigException extends Exception {
    /** The system environment or configuration was invalid: missing credentials or region. */
    public static final int CONFIGURATION_ERROR = 253;
    /** Any other failure before or outside an answer from the service. */
    public static final int GENERAL_ERROR = 255;

    private final int exitCode;

    private ClientConfigException(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    static ClientConfigException configuration(String message) {
        return new ClientConfigException(message, CONFIGURATION_ERROR);
    }

    static ClientConfigException general(String message) {
        return new ClientConfigException(message, GENERAL_ERROR);
    }

    static ClientConfigException noCredentials() {
        return configuration("Unable to locate credentials. You can configure credentials by running "
                + "\"aws configure\".");
    }

    static ClientConfigException noRegion() {
        return configuration("You must specify a region. You can also configure your region by running "
                + "\"aws configure\".");
    }

    static ClientConfigException profileNotFound(String profile) {
        return general("The config profile (" + profile + ") could not be found");
    }

    /** The AWS CLI's return code for this failure. */
    public int exitCode() {
        return exitCode;
    }
}
