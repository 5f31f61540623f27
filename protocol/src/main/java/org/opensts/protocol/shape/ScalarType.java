package org.opensts.protocol.shape;

/** The model's scalar types, with how each is written in a Query parameter. */
public enum ScalarType {
    STRING,
    INTEGER,
    LONG,
    BOOLEAN,
    /** ISO 8601, e.g. {@code 2015-08-30T12:36:00Z}. */
    TIMESTAMP,
    /** Base64 text. */
    BLOB,
    FLOAT,
    DOUBLE
}
