package org.opensts.gateway.s3;

/**
 * The S3 condition keys the gateway supplies, spelled as in the Service Authorization Reference ("Condition keys for
 * Amazon S3") and the Amazon S3 User Guide ("Amazon S3 condition key examples").
 */
public final class S3ConditionKeys {
    public static final String AUTH_TYPE = "s3:authType";
    public static final String SIGNATURE_VERSION = "s3:signatureversion";
    public static final String SIGNATURE_AGE = "s3:signatureAge";
    public static final String X_AMZ_CONTENT_SHA256 = "s3:x-amz-content-sha256";
    public static final String PREFIX = "s3:prefix";
    public static final String DELIMITER = "s3:delimiter";
    public static final String MAX_KEYS = "s3:max-keys";
    public static final String VERSION_ID = "s3:versionid";
    public static final String X_AMZ_ACL = "s3:x-amz-acl";
    public static final String X_AMZ_COPY_SOURCE = "s3:x-amz-copy-source";
    public static final String X_AMZ_METADATA_DIRECTIVE = "s3:x-amz-metadata-directive";
    public static final String X_AMZ_SERVER_SIDE_ENCRYPTION = "s3:x-amz-server-side-encryption";
    public static final String X_AMZ_SERVER_SIDE_ENCRYPTION_AWS_KMS_KEY_ID =
            "s3:x-amz-server-side-encryption-aws-kms-key-id";
    public static final String X_AMZ_SERVER_SIDE_ENCRYPTION_CUSTOMER_ALGORITHM =
            "s3:x-amz-server-side-encryption-customer-algorithm";
    public static final String X_AMZ_STORAGE_CLASS = "s3:x-amz-storage-class";
    public static final String X_AMZ_WEBSITE_REDIRECT_LOCATION = "s3:x-amz-website-redirect-location";
    public static final String X_AMZ_OBJECT_OWNERSHIP = "s3:x-amz-object-ownership";
    public static final String OBJECT_LOCK_MODE = "s3:object-lock-mode";
    public static final String OBJECT_LOCK_RETAIN_UNTIL_DATE = "s3:object-lock-retain-until-date";
    public static final String OBJECT_LOCK_LEGAL_HOLD = "s3:object-lock-legal-hold";
    public static final String REQUEST_OBJECT_TAG_PREFIX = "s3:RequestObjectTag/";
    public static final String REQUEST_OBJECT_TAG_KEYS = "s3:RequestObjectTagKeys";
    public static final String EXISTING_OBJECT_TAG_PREFIX = "s3:ExistingObjectTag/";

    private S3ConditionKeys() {
    }
}
