package org.opensts.protocol.testing;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opensts.protocol.shape.ListShape;
import org.opensts.protocol.shape.MapShape;
import org.opensts.protocol.shape.Member;
import org.opensts.protocol.shape.ScalarShape;
import org.opensts.protocol.shape.ScalarType;
import org.opensts.protocol.shape.Shape;
import org.opensts.protocol.shape.StructureShape;

/**
 * Builds our {@link Shape}s from a model's JSON, reading the traits that decide how a Query request names a value:
 * {@code locationName} on a member (the parameter name), on a list's member (the element name, {@code member} by
 * default) and on a map's key and value; {@code flattened} on a shape or on the member that targets it; and the
 * constraints {@code required}, {@code min}, {@code max}, {@code pattern}, {@code enum} and {@code sensitive}.
 *
 * <p>Our shapes are immutable values and cannot form a cycle, while a model may be recursive (a structure that
 * contains itself). A recursive structure is unrolled {@value #RECURSION_DEPTH} levels deep and then ends in an empty
 * structure: enough for every finite value the vectors send. No STS or IAM input shape is recursive.
 */
final class ModelShapes {
    static final int RECURSION_DEPTH = 4;

    private final ServiceModel model;
    private final Map<String, Integer> open = new HashMap<>();

    private ModelShapes(ServiceModel model) {
        this.model = model;
    }

    static Shape build(ServiceModel model, String name) {
        return new ModelShapes(model).shape(name, Map.of());
    }

    /** The shape {@code name}, with the traits of the member {@code reference} that targets it. */
    private Shape shape(String name, Map<String, Object> reference) {
        Map<String, Object> json = model.shape(name);
        String type = (String) json.get("type");
        return switch (type) {
            case "structure" -> structure(name, json);
            case "list" -> list(name, json, reference);
            case "map" -> map(name, json, reference);
            default -> scalar(name, json, type);
        };
    }

    private StructureShape structure(String name, Map<String, Object> json) {
        int depth = open.getOrDefault(name, 0);
        if (depth == RECURSION_DEPTH) {
            return StructureShape.empty(name);
        }
        open.put(name, depth + 1);
        try {
            List<Object> required = json.containsKey("required") ? Json.array(json.get("required")) : List.of();
            var builder = StructureShape.builder(name);
            Json.object(json.get("members")).forEach((memberName, value) -> {
                Map<String, Object> reference = Json.object(value);
                Shape target = shape((String) reference.get("shape"), reference);
                String queryName = (String) reference.getOrDefault("locationName", memberName);
                builder.member(new Member(memberName, target, required.contains(memberName), queryName));
            });
            return builder.build();
        } finally {
            open.put(name, depth);
        }
    }

    private ListShape list(String name, Map<String, Object> json, Map<String, Object> reference) {
        Map<String, Object> member = Json.object(json.get("member"));
        Shape element = shape((String) member.get("shape"), member);
        return new ListShape(name, element, (String) member.getOrDefault("locationName", "member"),
                flattened(json, reference), longTrait(json, "min").map(Math::toIntExact),
                longTrait(json, "max").map(Math::toIntExact));
    }

    private MapShape map(String name, Map<String, Object> json, Map<String, Object> reference) {
        Map<String, Object> key = Json.object(json.get("key"));
        Map<String, Object> value = Json.object(json.get("value"));
        Shape keyShape = shape((String) key.get("shape"), key);
        if (!(keyShape instanceof ScalarShape scalarKey)) {
            throw new IllegalArgumentException("Map " + name + " has a key that is not a scalar");
        }
        return new MapShape(name, scalarKey, shape((String) value.get("shape"), value),
                (String) key.getOrDefault("locationName", "key"), (String) value.getOrDefault("locationName", "value"),
                flattened(json, reference));
    }

    private static ScalarShape scalar(String name, Map<String, Object> json, String type) {
        var builder = ScalarShape.builder(name, scalarType(name, type));
        longTrait(json, "min").ifPresent(builder::min);
        longTrait(json, "max").ifPresent(builder::max);
        Optional.ofNullable((String) json.get("pattern")).ifPresent(builder::pattern);
        if (json.containsKey("enum")) {
            builder.enumValues(Json.array(json.get("enum")).toArray(String[]::new));
        }
        if (Boolean.TRUE.equals(json.get("sensitive"))) {
            builder.sensitive();
        }
        return builder.build();
    }

    private static ScalarType scalarType(String name, String type) {
        return switch (type) {
            case "string" -> ScalarType.STRING;
            case "integer" -> ScalarType.INTEGER;
            case "long" -> ScalarType.LONG;
            case "boolean" -> ScalarType.BOOLEAN;
            case "timestamp" -> ScalarType.TIMESTAMP;
            case "blob" -> ScalarType.BLOB;
            case "float" -> ScalarType.FLOAT;
            case "double" -> ScalarType.DOUBLE;
            default -> throw new IllegalArgumentException("Shape " + name + " has a type we do not model: " + type);
        };
    }

    /** A shape is flattened if it says so or if the member that targets it does. */
    private static boolean flattened(Map<String, Object> json, Map<String, Object> reference) {
        return Boolean.TRUE.equals(json.get("flattened")) || Boolean.TRUE.equals(reference.get("flattened"));
    }

    private static Optional<Long> longTrait(Map<String, Object> json, String trait) {
        return Optional.ofNullable((BigDecimal) json.get(trait)).map(BigDecimal::longValueExact);
    }
}
