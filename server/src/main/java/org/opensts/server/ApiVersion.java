package org.opensts.server;

import java.util.Optional;
import org.opensts.protocol.shape.ViolationWording;

/** The two Query APIs served on one port, told apart by their {@code Version} parameter (docs/ARCHITECTURE.md). */
enum ApiVersion {
    STS("2011-06-15", "sts", "https://sts.amazonaws.com/doc/2011-06-15/", "sts.amazonaws.com",
            ViolationWording.QUOTE_VALUE),
    IAM("2010-05-08", "iam", "https://iam.amazonaws.com/doc/2010-05-08/", "iam.amazonaws.com",
            ViolationWording.OMIT_VALUE);

    private final String version;
    private final String signingName;
    private final String xmlNamespace;
    private final String eventSource;
    private final ViolationWording violationWording;

    ApiVersion(String version, String signingName, String xmlNamespace, String eventSource,
            ViolationWording violationWording) {
        this.version = version;
        this.signingName = signingName;
        this.xmlNamespace = xmlNamespace;
        this.eventSource = eventSource;
        this.violationWording = violationWording;
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

    /** How this API's {@code ValidationError}s name an offending value: STS quotes it, IAM leaves it out. */
    ViolationWording violationWording() {
        return violationWording;
    }
}
