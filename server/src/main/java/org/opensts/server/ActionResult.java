package org.opensts.server;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What an operation answered: how to write the members of its {@code <{Action}Result>} element (absent for operations
 * without output, such as IAM's DeleteRole), and the audit event's {@code responseElements}, which never hold a secret
 * or a session token.
 */
record ActionResult(Optional<Consumer<ResultWriter>> resultMembers, Map<String, Object> auditResponseElements) {
    static ActionResult of(Consumer<ResultWriter> resultMembers, Map<String, Object> auditResponseElements) {
        return new ActionResult(Optional.of(resultMembers), Map.copyOf(auditResponseElements));
    }

    static ActionResult empty() {
        return new ActionResult(Optional.empty(), Map.of());
    }
}
