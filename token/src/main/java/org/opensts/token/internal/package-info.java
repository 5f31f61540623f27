/**
 * Byte-level building blocks of the token module: base32 for access key ids, the strict base64 text form of session
 * tokens, varint/length-prefixed encoding, and JSON whitespace stripping for the packed policy size.
 *
 * <p>Public only so that the root package can use them; not part of the module's API. Nothing here knows what a
 * session is.
 */
package org.opensts.token.internal;
