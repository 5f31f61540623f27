package org.opensts.client;

import static java.util.Objects.requireNonNull;

/** AssumeRole's {@code ProvidedContexts} member: a context provider's ARN and its signed assertion. */
public record ProvidedContext(String providerArn, String contextAssertion) {
    public ProvidedContext {
        requireNonNull(providerArn, "providerArn");
        requireNonNull(contextAssertion, "contextAssertion");
    }
}
