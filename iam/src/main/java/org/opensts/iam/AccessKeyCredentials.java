package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import org.opensts.token.Secret;

/** A long-term access key with its secret, as authentication needs it. Not a record: it holds a secret. */
public final class AccessKeyCredentials {
    private final AccessKey accessKey;
    private final Secret secretAccessKey;

    public AccessKeyCredentials(AccessKey accessKey, Secret secretAccessKey) {
        this.accessKey = requireNonNull(accessKey, "accessKey");
        this.secretAccessKey = requireNonNull(secretAccessKey, "secretAccessKey");
    }

    public AccessKey accessKey() {
        return accessKey;
    }

    public Secret secretAccessKey() {
        return secretAccessKey;
    }

    @Override
    public String toString() {
        return "AccessKeyCredentials[" + accessKey.accessKeyId() + "]";
    }
}
