/**
 * The AWS Query vocabulary that {@code iam}, {@code sts} and {@code server} share: the error table
 * ({@link org.opensts.protocol.ErrorCode}) and its one exception ({@link org.opensts.protocol.ApiException}),
 * ARNs, and (in {@code org.opensts.protocol.shape}) the request shapes with the binder that turns Query parameters
 * into validated values. Beside them, what the modules that answer calls and the store that they wait on agree about:
 * {@link org.opensts.protocol.TemporarilyUnavailable} for failures the APIs answer {@code ServiceUnavailable}, and
 * {@link org.opensts.protocol.CallExecutor}, whose threads run the calls and lend their place while a call waits on
 * the store.
 */
package org.opensts.protocol;
