-- The users and roles a role's trust policy names, bound to their unique ids when the policy was saved, as IAM binds
-- them: principal is the AWS principal as the document writes it, unique_id the id (AIDA…, AROA…) of the user or role
-- it named then. The document itself stays in roles.assume_role_policy as submitted. Roles saved before this version
-- have no rows here, and their principals are matched by name until their trust policy is saved again.
CREATE TABLE role_trust_principals (
    role_id    VARCHAR(32)   NOT NULL REFERENCES roles (role_id),
    position   INTEGER       NOT NULL,
    principal  VARCHAR(2048) NOT NULL,
    unique_id  VARCHAR(128)  NOT NULL,
    PRIMARY KEY (role_id, position)
);
