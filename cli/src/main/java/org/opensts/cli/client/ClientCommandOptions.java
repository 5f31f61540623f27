package org.opensts.cli.client;

import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every client command shares with the AWS CLI: where to call, as whom, and how to print. */
final class ClientCommandOptions {
    @Option(names = "--profile", paramLabel = "NAME",
            description = "Use this profile of ~/.aws/config and ~/.aws/credentials (beats AWS_PROFILE and "
                    + "AWS_ACCESS_KEY_ID).")
    String profile;

    @Option(names = "--region", paramLabel = "REGION",
            description = "The region to sign for (beats AWS_REGION, AWS_DEFAULT_REGION and the profile's region).")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "The STS endpoint, e.g. http://127.0.0.1:8790 (beats AWS_ENDPOINT_URL_STS, "
                    + "AWS_ENDPOINT_URL and the profile's endpoint_url).")
    String endpointUrl;

    ClientOptions clientOptions() {
        return new ClientOptions(Optional.ofNullable(profile), Optional.ofNullable(region),
                Optional.ofNullable(endpointUrl));
    }
}
