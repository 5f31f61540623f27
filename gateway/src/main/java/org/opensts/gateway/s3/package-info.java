/**
 * What S3 knows about a request, as pure functions: no sockets, no verifier calls, no clock.
 *
 * <ul>
 *   <li>{@link org.opensts.gateway.s3.S3RequestClassifier}: a received request → the
 *       {@link org.opensts.gateway.s3.S3Operation} it is, with every {@link org.opensts.gateway.s3.S3Authorization}
 *       (IAM action, resource ARN, S3 condition keys) S3 checks for it; anything unrecognised is
 *       {@code NotImplemented}, never allowed by default.
 *   <li>{@link org.opensts.gateway.s3.DeleteObjectsBody}: the keys of a DeleteObjects body, parsed safely, so each
 *       can be authorized.
 *   <li>{@link org.opensts.gateway.s3.S3Errors}: S3's XML error body, and the S3 error for each verifier failure.
 *   <li>{@link org.opensts.gateway.s3.BucketPolicies}: the checks S3 makes on a bucket policy before storing it.
 * </ul>
 *
 * <p>The mapping is documented in {@code docs/S3_GATEWAY.md}, "What each request needs".
 */
package org.opensts.gateway.s3;
