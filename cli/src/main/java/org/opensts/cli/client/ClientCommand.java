package org.opensts.cli.client;

import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLException;
import org.opensts.client.StsException;
import org.opensts.client.StsTransportException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every client command shares: the common options, and failures printed to standard error as the AWS CLI prints
 * them with its return codes (AWS CLI User Guide, "Command line return codes in the AWS CLI"): 252 for a parameter
 * value the command cannot use, 253 for missing credentials or region, 254 when the service answered with an error,
 * 255 for anything else (an endpoint that cannot be reached, a profile that is not there). Nothing is printed on
 * standard output when the command fails.
 */
abstract class ClientCommand implements Callable<Integer> {
    static final int PARAMETER_ERROR = 252;
    static final int SERVICE_ERROR = 254;
    static final int GENERAL_ERROR = ClientConfigException.GENERAL_ERROR;

    @Spec
    CommandSpec spec;

    @Mixin
    ClientCommandOptions common = new ClientCommandOptions();

    final ClientEnvironment environment;

    ClientCommand(ClientEnvironment environment) {
        this.environment = environment;
    }

    /** The STS operation the command calls, for error messages: {@code AssumeRole}. */
    abstract String operation();

    /** Calls STS and returns what to print on standard output. */
    abstract String execute(CredentialChain chain) throws ClientConfigException, ParameterValidation.Failed;

    @Override
    public final Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        CredentialChain chain = new CredentialChain(environment);
        URI endpoint = null;
        try {
            String region = chain.region(common.clientOptions());
            endpoint = chain.endpoint(common.clientOptions(), region);
            String output = execute(chain);
            PrintWriter out = spec.commandLine().getOut();
            out.print(output);
            out.flush();
            return 0;
        } catch (ParameterValidation.Failed e) {
            return fail(err, e.getMessage(), PARAMETER_ERROR);
        } catch (ClientConfigException e) {
            return fail(err, e.getMessage(), e.exitCode());
        } catch (StsException e) {
            return fail(err, "An error occurred (" + e.errorCode() + ") when calling the " + operation()
                    + " operation: " + e.errorMessage(), SERVICE_ERROR);
        } catch (StsTransportException e) {
            return fail(err, transportMessage(e, endpoint), GENERAL_ERROR);
        }
    }

    private static int fail(PrintWriter err, String message, int exitCode) {
        err.print('\n' + message + '\n');
        err.flush();
        return exitCode;
    }

    /** The AWS CLI's words for a call that got no answer; the endpoint is printed with its path, as it does. */
    private static String transportMessage(StsTransportException e, URI endpoint) {
        String url = endpoint == null ? "" : endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty()
                ? endpoint + "/" : endpoint.toString();
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return "Could not connect to the endpoint URL: \"" + url + "\"";
            }
            if (cause instanceof SSLException) {
                return "SSL validation failed for " + url + " " + cause.getMessage();
            }
            if (cause instanceof HttpTimeoutException) {
                return "Read timeout on endpoint URL: \"" + url + "\"";
            }
        }
        return e.getMessage();
    }
}
