-- Instance profiles (IAM API Reference, "InstanceProfile"), unique per account case-insensitively through their
-- lower-cased name_key, and the role each holds. An instance profile holds at most one role ("this quota cannot be
-- increased", IAM API Reference, AddRoleToInstanceProfile), so the profile's id alone keys its role: two concurrent
-- adds cannot both commit. A role in a profile cannot be deleted (the foreign key), as IAM refuses it.
-- Lists of instance profiles are sorted in Java (an account holds at most 1,000), so name_key needs no collation of
-- its own.

CREATE TABLE instance_profiles (
    instance_profile_id   VARCHAR(32)  PRIMARY KEY,
    account_id            VARCHAR(12)  NOT NULL REFERENCES accounts (account_id),
    instance_profile_name VARCHAR(128) NOT NULL,
    name_key              VARCHAR(128) NOT NULL,
    path                  VARCHAR(512) NOT NULL,
    create_date           BIGINT       NOT NULL,
    CONSTRAINT instance_profiles_name_unique UNIQUE (account_id, name_key)
);

CREATE TABLE instance_profile_roles (
    instance_profile_id VARCHAR(32) PRIMARY KEY REFERENCES instance_profiles (instance_profile_id),
    role_id             VARCHAR(32) NOT NULL REFERENCES roles (role_id)
);
CREATE INDEX instance_profile_roles_role ON instance_profile_roles (role_id);
