package org.opensts.protocol.shape;

import static java.util.Objects.requireNonNull;

/**
 * A map. In a Query request its entries are {@code Name.entry.N.key} and {@code Name.entry.N.value}, or
 * {@code Name.N.key} when flattened; {@code keyName} and {@code valueName} are the model's location names.
 */
public record MapShape(String name, ScalarShape key, Shape value, String keyName, String valueName, boolean flattened)
        implements Shape {
    public MapShape {
        requireNonNull(name, "name");
        requireNonNull(key, "key");
        requireNonNull(value, "value");
        requireNonNull(keyName, "keyName");
        requireNonNull(valueName, "valueName");
    }

    public static MapShape of(String name, ScalarShape key, Shape value) {
        return new MapShape(name, key, value, "key", "value", false);
    }
}
