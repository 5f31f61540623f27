-- An account's alias and its password policy (IAM CreateAccountAlias, UpdateAccountPasswordPolicy).
-- An account has at most one alias, and an alias names one account in the deployment: "Your AWS account can have only
-- one alias" and it "must be unique across all Amazon Web Services products within a given network partition" (IAM
-- User Guide, "Using an alias for your AWS account ID"). The primary key keeps the first, the unique key the second.
CREATE TABLE account_aliases (
    account_id    VARCHAR(12) PRIMARY KEY REFERENCES accounts (account_id),
    account_alias VARCHAR(63) NOT NULL,
    CONSTRAINT account_aliases_alias_unique UNIQUE (account_alias)
);

-- The password policy as UpdateAccountPasswordPolicy set it, one per account. The members IAM reports only when they
-- were given (MaxPasswordAge, PasswordReusePrevention, HardExpiry) are NULL when they were not.
CREATE TABLE account_password_policies (
    account_id                     VARCHAR(12) PRIMARY KEY REFERENCES accounts (account_id),
    minimum_password_length        INTEGER     NOT NULL,
    require_symbols                BOOLEAN     NOT NULL,
    require_numbers                BOOLEAN     NOT NULL,
    require_uppercase_characters   BOOLEAN     NOT NULL,
    require_lowercase_characters   BOOLEAN     NOT NULL,
    allow_users_to_change_password BOOLEAN     NOT NULL,
    max_password_age               INTEGER,
    password_reuse_prevention      INTEGER,
    hard_expiry                    BOOLEAN
);
