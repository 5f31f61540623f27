-- The console sign-in tokens redeemed at the federation endpoint (Action=login) and the sign-in handoffs redeemed at
-- /console/session, in the one table every node of a store shares, so that each is accepted once on all of them.
-- use_key is the hex SHA-256 of the token's random id: a key of fixed size that is not the token. A row may go once
-- expires_at (epoch milliseconds) has passed: by then the token itself is refused as expired.
CREATE TABLE console_token_uses (
    use_key    CHAR(64) PRIMARY KEY,
    expires_at BIGINT   NOT NULL
);
CREATE INDEX console_token_uses_expiry ON console_token_uses (expires_at);
