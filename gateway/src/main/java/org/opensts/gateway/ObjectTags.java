package org.opensts.gateway;

import java.util.Map;
import org.opensts.gateway.s3.S3Exception;
import org.opensts.gateway.s3.S3ObjectRef;

/** An object's current tags, for {@code s3:ExistingObjectTag/<key>}. */
interface ObjectTags {

    /** The object's tags; empty if it has none or does not exist. */
    Map<String, String> tags(S3ObjectRef object) throws S3Exception;
}
