/**
 * Building blocks of the policy engine that know nothing of policies: the {@code *}/{@code ?} wildcard
 * matcher, colon-delimited ARN matching, IP address ranges and the date formats the IAM condition
 * operators accept.
 *
 * <p>Everything here is compiled once, when a policy is parsed, and then only matched against request
 * values: no regular expression is compiled and no text is parsed twice on the evaluation path. These
 * types are public only so that the root package can use them; they are not part of the module's API.
 */
package org.opensts.policy.internal;
