package org.opensts.server;

import java.util.Optional;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.shape.Struct;
import org.opensts.sts.CallerIdentity;
import org.opensts.sts.RequestMetadata;

/**
 * One operation of a Query API as the transport sees it: its input shape, whether it needs a signature, and how to
 * run it once the input is bound and the caller known.
 */
interface QueryAction {
    /** The {@code Action} parameter, e.g. {@code AssumeRole}. */
    String name();

    StructureShape input();

    /** False only for the operations the model marks {@code smithy.api#noAuth}. */
    default boolean signed() {
        return true;
    }

    /**
     * Runs the operation.
     *
     * @param caller present exactly when {@link #signed()}
     * @throws org.opensts.protocol.ApiException to answer with an AWS error
     */
    ActionResult invoke(Optional<CallerIdentity> caller, RequestMetadata metadata, Struct input);
}
