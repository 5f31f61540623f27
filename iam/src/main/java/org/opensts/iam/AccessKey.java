package org.opensts.iam;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Arrays;
import org.opensts.token.MasterKey;
import org.opensts.token.Secret;

/** A long-term access key's metadata ({@code AKIA…}); the secret is kept apart, see {@link AccessKeyCredentials}. */
public record AccessKey(String accessKeyId, String accountId, String userId, String userName, AccessKeyStatus status,
        Instant createDate) {
    public AccessKey {
        requireNonNull(accessKeyId, "accessKeyId");
        requireNonNull(accountId, "accountId");
        requireNonNull(userId, "userId");
        requireNonNull(userName, "userName");
        requireNonNull(status, "status");
        requireNonNull(createDate, "createDate");
    }

    /**
     * This key's secret sealed for storage with {@code masterKey}, bound to the key id: a ciphertext moved to another
     * key's row does not open there.
     */
    public byte[] sealSecret(Secret secret, MasterKey masterKey) throws GeneralSecurityException {
        byte[] plain = secret.revealBytes();
        try {
            return masterKey.encrypt(plain, secretContext());
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** The secret that {@link #sealSecret} sealed for this key id with the same master key. */
    public Secret openSecret(byte[] sealed, MasterKey masterKey) throws GeneralSecurityException {
        byte[] plain = masterKey.decrypt(sealed, secretContext());
        try {
            return Secret.copyOf(plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private byte[] secretContext() {
        return ("opensts access key secret " + accessKeyId).getBytes(UTF_8);
    }
}
