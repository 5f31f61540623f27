package org.opensts.cli.client;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What the command line says about where to call and as whom: {@code --profile}, {@code --region} and
 * {@code --endpoint-url}. Each one, when given, beats every environment variable and file setting.
 */
public record ClientOptions(Optional<String> profile, Optional<String> region, Optional<String> endpointUrl) {
    public ClientOptions {
        requireNonNull(profile, "profile");
        requireNonNull(region, "region");
        requireNonNull(endpointUrl, "endpointUrl");
    }

    /** No options: everything from the environment and the shared files. */
    public static ClientOptions none() {
        return new ClientOptions(Optional.empty(), Optional.empty(), Optional.empty());
    }

    public ClientOptions withProfile(String name) {
        return new ClientOptions(Optional.of(name), region, endpointUrl);
    }
}
