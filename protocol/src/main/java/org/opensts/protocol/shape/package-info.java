/**
 * Request shapes as the AWS service models describe them, and the binder that turns flat Query parameters
 * ({@code Tags.member.1.Key=Project}) into a validated {@link org.opensts.protocol.shape.Struct}.
 *
 * <p>Shapes are declared by hand in Java for the operations we implement (STS and IAM each keep theirs in one class);
 * a conformance test compares every declaration with the service model in {@code testdata/botocore}. Validation follows
 * the model exactly, as AWS's own front end does: required members, lengths (in code points), numeric ranges,
 * patterns (matched against the whole value) and enums, reported all at once in AWS's
 * {@code N validation errors detected: …} form.
 */
package org.opensts.protocol.shape;
