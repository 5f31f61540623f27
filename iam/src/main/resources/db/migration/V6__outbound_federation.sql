-- Outbound identity federation (GetWebIdentityToken). One row per account that has ever enabled it: issuer_id is the
-- random, account-unique last segment of the account's issuer URL, kept when the feature is disabled so that the URL
-- stays the same if it is enabled again. updated_at is in epoch milliseconds.
CREATE TABLE outbound_federation (
    account_id VARCHAR(12) PRIMARY KEY,
    issuer_id  VARCHAR(64) NOT NULL UNIQUE,
    enabled    BOOLEAN     NOT NULL,
    updated_at BIGINT      NOT NULL
);

-- The keys that sign web identity tokens, shared by every node, as one set wrapped by the master key (set_id is
-- always 1), replaced by compare-and-set on version like key_ring.
CREATE TABLE jwt_signing_keys (
    set_id     INTEGER PRIMARY KEY,
    wrapped    BYTEA   NOT NULL,
    version    BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL
);
