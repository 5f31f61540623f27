-- The SAML assertions redeemed through AssumeRoleWithSAML, in the one table every node of a store shares, so that an
-- assertion is accepted once per role on all of them. use_key is the hex SHA-256 of the assertion id and the role ARN:
-- a key of fixed size, that stores neither. A row may go once expires_at (epoch milliseconds) has passed: by then the
-- assertion itself is refused as expired.
CREATE TABLE saml_assertion_uses (
    use_key    CHAR(64) PRIMARY KEY,
    expires_at BIGINT   NOT NULL
);
CREATE INDEX saml_assertion_uses_expiry ON saml_assertion_uses (expires_at);
