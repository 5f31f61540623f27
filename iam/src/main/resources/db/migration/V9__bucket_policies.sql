-- Bucket policies of the S3 gateway, kept here rather than at the upstream store: OpenSTS evaluates them as the
-- buckets' resource policies. A bucket name is unique in the deployment, as it is in S3's partition; account_id is
-- the account that owns the bucket (the node's). The document is stored as received (S3 allows 20 KB).
-- updated_at is in epoch milliseconds.
CREATE TABLE bucket_policies (
    bucket     VARCHAR(63)    PRIMARY KEY,
    account_id VARCHAR(12)    NOT NULL,
    document   VARCHAR(20480) NOT NULL,
    updated_at BIGINT         NOT NULL
);
