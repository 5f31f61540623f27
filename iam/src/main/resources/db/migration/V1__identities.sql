-- The identity store, one schema for H2 (PostgreSQL mode) and PostgreSQL.
-- Times are epoch milliseconds; names are unique per account case-insensitively through their lower-cased name_key.

CREATE TABLE accounts (
    account_id   VARCHAR(12) PRIMARY KEY,
    create_date  BIGINT      NOT NULL
);

CREATE TABLE users (
    user_id                  VARCHAR(32)   PRIMARY KEY,
    account_id               VARCHAR(12)   NOT NULL REFERENCES accounts (account_id),
    user_name                VARCHAR(64)   NOT NULL,
    name_key                 VARCHAR(64)   NOT NULL,
    path                     VARCHAR(512)  NOT NULL,
    permissions_boundary_arn VARCHAR(2048),
    create_date              BIGINT        NOT NULL,
    CONSTRAINT users_name_unique UNIQUE (account_id, name_key)
);

-- Secrets are sealed with the master key (AES-256-GCM), bound to their access key id.
CREATE TABLE access_keys (
    access_key_id     VARCHAR(128) PRIMARY KEY,
    account_id        VARCHAR(12)  NOT NULL REFERENCES accounts (account_id),
    user_id           VARCHAR(32)  NOT NULL REFERENCES users (user_id),
    status            VARCHAR(16)  NOT NULL,
    secret_ciphertext BYTEA        NOT NULL,
    create_date       BIGINT       NOT NULL
);
CREATE INDEX access_keys_user ON access_keys (user_id);

CREATE TABLE roles (
    role_id                  VARCHAR(32)   PRIMARY KEY,
    account_id               VARCHAR(12)   NOT NULL REFERENCES accounts (account_id),
    role_name                VARCHAR(64)   NOT NULL,
    name_key                 VARCHAR(64)   NOT NULL,
    path                     VARCHAR(512)  NOT NULL,
    assume_role_policy       TEXT          NOT NULL,
    description              VARCHAR(1000),
    max_session_duration     INTEGER       NOT NULL,
    permissions_boundary_arn VARCHAR(2048),
    create_date              BIGINT        NOT NULL,
    CONSTRAINT roles_name_unique UNIQUE (account_id, name_key)
);

-- Policies embedded in a user, group or role; owner_id is the owner's unique id (AIDA…, AGPA…, AROA…).
CREATE TABLE inline_policies (
    owner_kind      VARCHAR(8)   NOT NULL,
    owner_id        VARCHAR(32)  NOT NULL,
    policy_name     VARCHAR(128) NOT NULL,
    policy_document TEXT         NOT NULL,
    PRIMARY KEY (owner_kind, owner_id, policy_name)
);

-- Tags of any entity, in the order they were given.
CREATE TABLE entity_tags (
    owner_kind VARCHAR(16)  NOT NULL,
    owner_id   VARCHAR(256) NOT NULL,
    key_lower  VARCHAR(128) NOT NULL,
    tag_key    VARCHAR(128) NOT NULL,
    tag_value  VARCHAR(256) NOT NULL,
    position   INTEGER      NOT NULL,
    PRIMARY KEY (owner_kind, owner_id, key_lower)
);

-- The session-token key ring, wrapped by the master key; version makes replacement a compare-and-set.
CREATE TABLE key_ring (
    ring_id    INTEGER PRIMARY KEY,
    wrapped    BYTEA   NOT NULL,
    version    BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL
);
