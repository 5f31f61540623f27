/**
 * The AWS Query vocabulary that {@code iam}, {@code sts} and {@code server} share: the error table
 * ({@link org.opensts.protocol.ErrorCode}) and its one exception ({@link org.opensts.protocol.ApiException}),
 * ARNs, and (in {@code org.opensts.protocol.shape}) the request shapes with the binder that turns Query parameters
 * into validated values.
 */
package org.opensts.protocol;
