package org.opensts.protocol.shape;

/** A model shape: what a parameter (or a part of one) must look like. */
public sealed interface Shape permits ScalarShape, ListShape, MapShape, StructureShape {
    /** The model's shape name, e.g. {@code roleSessionNameType}. */
    String name();
}
