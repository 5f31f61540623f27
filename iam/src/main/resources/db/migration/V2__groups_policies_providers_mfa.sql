-- Groups, managed policies with versions and attachments, identity providers, virtual MFA devices,
-- and when access keys and roles were last used.

ALTER TABLE access_keys ADD COLUMN last_used_date BIGINT;
ALTER TABLE access_keys ADD COLUMN last_used_region VARCHAR(64);
ALTER TABLE access_keys ADD COLUMN last_used_service VARCHAR(64);

ALTER TABLE roles ADD COLUMN last_used_date BIGINT;
ALTER TABLE roles ADD COLUMN last_used_region VARCHAR(64);

-- Providers are tagged by ARN, which may be long.
ALTER TABLE entity_tags ALTER COLUMN owner_id SET DATA TYPE VARCHAR(2048);

CREATE TABLE iam_groups (
    group_id    VARCHAR(32)  PRIMARY KEY,
    account_id  VARCHAR(12)  NOT NULL REFERENCES accounts (account_id),
    group_name  VARCHAR(128) NOT NULL,
    name_key    VARCHAR(128) NOT NULL,
    path        VARCHAR(512) NOT NULL,
    create_date BIGINT       NOT NULL,
    CONSTRAINT iam_groups_name_unique UNIQUE (account_id, name_key)
);

CREATE TABLE group_members (
    group_id VARCHAR(32) NOT NULL REFERENCES iam_groups (group_id),
    user_id  VARCHAR(32) NOT NULL REFERENCES users (user_id),
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);

-- Customer managed policies (account_id is the owner's) and the AWS managed policies OpenSTS ships (account_id 'aws').
CREATE TABLE managed_policies (
    policy_id          VARCHAR(32)   PRIMARY KEY,
    account_id         VARCHAR(12)   NOT NULL,
    policy_name        VARCHAR(128)  NOT NULL,
    name_key           VARCHAR(128)  NOT NULL,
    path               VARCHAR(512)  NOT NULL,
    default_version_id VARCHAR(32)   NOT NULL,
    next_version       INTEGER       NOT NULL,
    description        VARCHAR(1000),
    create_date        BIGINT        NOT NULL,
    update_date        BIGINT        NOT NULL,
    CONSTRAINT managed_policies_name_unique UNIQUE (account_id, name_key)
);

CREATE TABLE policy_versions (
    policy_id   VARCHAR(32) NOT NULL REFERENCES managed_policies (policy_id),
    version_id  VARCHAR(32) NOT NULL,
    document    TEXT        NOT NULL,
    create_date BIGINT      NOT NULL,
    PRIMARY KEY (policy_id, version_id)
);

-- Managed policies attached to a user, group or role (owner_id is the owner's unique id).
CREATE TABLE policy_attachments (
    owner_kind VARCHAR(8)  NOT NULL,
    owner_id   VARCHAR(32) NOT NULL,
    policy_id  VARCHAR(32) NOT NULL REFERENCES managed_policies (policy_id),
    PRIMARY KEY (owner_kind, owner_id, policy_id)
);
CREATE INDEX policy_attachments_policy ON policy_attachments (policy_id);

CREATE TABLE oidc_providers (
    arn          VARCHAR(2048) PRIMARY KEY,
    account_id   VARCHAR(12)   NOT NULL REFERENCES accounts (account_id),
    url          VARCHAR(255)  NOT NULL,
    client_ids   TEXT          NOT NULL,
    thumbprints  TEXT          NOT NULL,
    create_date  BIGINT        NOT NULL
);

CREATE TABLE saml_providers (
    arn                       VARCHAR(2048) PRIMARY KEY,
    account_id                VARCHAR(12)   NOT NULL REFERENCES accounts (account_id),
    name                      VARCHAR(128)  NOT NULL,
    provider_uuid             VARCHAR(64)   NOT NULL,
    metadata_document         TEXT          NOT NULL,
    valid_until               BIGINT,
    assertion_encryption_mode VARCHAR(16),
    create_date               BIGINT        NOT NULL
);

-- Virtual MFA devices; the TOTP seed is sealed with the master key, bound to the serial number.
-- last_time_step is the newest TOTP time step accepted, so that no code is accepted twice.
CREATE TABLE mfa_devices (
    serial_number  VARCHAR(256) PRIMARY KEY,
    account_id     VARCHAR(12)  NOT NULL REFERENCES accounts (account_id),
    device_name    VARCHAR(256) NOT NULL,
    path           VARCHAR(512) NOT NULL,
    seed_ciphertext BYTEA       NOT NULL,
    user_id        VARCHAR(32)  REFERENCES users (user_id),
    enable_date    BIGINT,
    last_time_step BIGINT       NOT NULL,
    create_date    BIGINT       NOT NULL
);
CREATE INDEX mfa_devices_user ON mfa_devices (user_id);

-- The AWS managed policies OpenSTS ships, under their AWS ids, ARNs (arn:aws:iam::aws:policy/NAME) and documents.
INSERT INTO managed_policies (policy_id, account_id, policy_name, name_key, path, default_version_id, next_version,
        description, create_date, update_date) VALUES
    ('ANPAIWMBCKSKIEE64ZLYK', 'aws', 'AdministratorAccess', 'administratoraccess', '/', 'v1', 2,
        'Provides full access to AWS services and resources.', 1423247986000, 1423247986000),
    ('ANPAJYRXTHIB4FOVS3ZXS', 'aws', 'PowerUserAccess', 'poweruseraccess', '/', 'v1', 2,
        'Provides full access to AWS services and resources, but does not allow management of Users and groups.',
        1423247986000, 1423247986000),
    ('ANPAI7XKCFMBPM3QQRRVQ', 'aws', 'IAMFullAccess', 'iamfullaccess', '/', 'v1', 2,
        'Provides full access to IAM via the AWS Management Console.', 1423247986000, 1423247986000),
    ('ANPAJKSO7NDY4T57MWDSQ', 'aws', 'IAMReadOnlyAccess', 'iamreadonlyaccess', '/', 'v1', 2,
        'Provides read only access to IAM via the AWS Management Console.', 1423247986000, 1423247986000);

INSERT INTO policy_versions (policy_id, version_id, document, create_date) VALUES
    ('ANPAIWMBCKSKIEE64ZLYK', 'v1',
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', 1423247986000),
    ('ANPAJYRXTHIB4FOVS3ZXS', 'v1',
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"},{"Effect":"Allow","Action":["account:GetAccountInformation","account:ListRegions","iam:CreateServiceLinkedRole","iam:DeleteServiceLinkedRole","iam:ListRoles","organizations:DescribeOrganization"],"Resource":"*"}]}',
        1423247986000),
    ('ANPAI7XKCFMBPM3QQRRVQ', 'v1',
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","organizations:DescribeAccount","organizations:DescribeOrganization","organizations:DescribeOrganizationalUnit","organizations:DescribePolicy","organizations:ListChildren","organizations:ListParents","organizations:ListPoliciesForTarget","organizations:ListRoots","organizations:ListPolicies","organizations:ListTargetsForPolicy"],"Resource":"*"}]}',
        1423247986000),
    ('ANPAJKSO7NDY4T57MWDSQ', 'v1',
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GenerateCredentialReport","iam:GenerateServiceLastAccessedDetails","iam:Get*","iam:List*","iam:SimulateCustomPolicy","iam:SimulatePrincipalPolicy"],"Resource":"*"}]}',
        1423247986000);
