-- IAM SetSecurityTokenServicePreferences: the version of the session tokens an account's calls to the global STS
-- endpoint get, 1 (AWS's default: valid only in the regions enabled by default) or 2 (valid in every region).
-- Numbered 7, not 6, so that it never collides with another branch's migration 6.
ALTER TABLE accounts ADD COLUMN global_endpoint_token_version SMALLINT DEFAULT 1 NOT NULL;
