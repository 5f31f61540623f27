package org.opensts.server;

import java.util.Optional;

/** The two Query APIs served on one port, told apart by their {@code Version} parameter (docs/ARCHITECTURE.md). */
enum ApiVersion {
    STS("2011-06-15", "sts", "https://sts.amazonaws.com/doc/2011-06-15/", "sts.amazonaws.com"),
    IAM("2010-05-08", "iam", "https://iam.amazonaws.com/doc/2010-05-08/", "iam.amazonaws.com");

    private final String version;
    private final String signingName;
    private final String xmlNamespace;
    private final String eventSource;

    ApiVersion(String version, String signingName, String xmlNamespace, String eventSource) {
        this.version = version;
        this.signingName = signingName;
        this.xmlNamespace = xmlNamespace;
        this.eventSource = eventSource;
    }

    static Optional<ApiVersion> fromVersion(String version) {
        for (ApiVersion api : values()) {
            if (api.version.equals(version)) {
                return Optional.of(api);
            }
        }
        return Optional.empty();
    }

    /** The {@code Version} parameter, e.g. {@code 2011-06-15}. */
    String version() {
        return version;
    }

    /** The service name a request must be signed for: the credential scope's service. */
    String signingName() {
        return signingName;
    }

    String xmlNamespace() {
        return xmlNamespace;
    }

    /** The audit event's {@code eventSource}. */
    String eventSource() {
        return eventSource;
    }
}
