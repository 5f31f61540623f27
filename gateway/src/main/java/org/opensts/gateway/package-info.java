/**
 * The S3 gateway: an S3 endpoint that authenticates each request with {@link org.opensts.verifier}, maps it to the
 * IAM action and resource S3 would authorize, decides with the caller's effective permissions and the bucket's
 * policy, and streams it to an upstream S3-compatible store re-signed with the gateway's own credentials. The
 * bucket-level calls and every refusal of the gateway's own once it knows the caller leave an event in the node's
 * audit log ({@link org.opensts.gateway.S3AuditTrail}). What both the gateway's and the node's listeners use lives here
 * too: the HTTP codec, connection deadlines and error logging, and the budget for the request bodies a listener holds
 * ({@link org.opensts.gateway.BodyBudget}).
 */
package org.opensts.gateway;
