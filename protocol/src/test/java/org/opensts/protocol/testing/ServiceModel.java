package org.opensts.protocol.testing;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.opensts.protocol.shape.Shape;

/**
 * A service model in the {@code service-2.json} layout (also the layout of a protocol vector suite's {@code shapes}):
 * its metadata, its operations and its shapes, read with {@link Json}.
 */
public final class ServiceModel {
    private final Map<String, Object> metadata;
    private final Map<String, Operation> operations;
    private final Map<String, Object> shapes;

    private ServiceModel(Map<String, Object> metadata, Map<String, Operation> operations, Map<String, Object> shapes) {
        this.metadata = metadata;
        this.operations = operations;
        this.shapes = shapes;
    }

    /** A whole {@code service-2.json} document. */
    public static ServiceModel of(Object document) {
        Map<String, Object> root = Json.object(document);
        var operations = new LinkedHashMap<String, Operation>();
        Json.object(root.get("operations")).forEach((name, value) -> {
            Map<String, Object> operation = Json.object(value);
            operations.put(name, new Operation(name, shapeName(operation.get("input")),
                    shapeName(operation.get("output")),
                    Optional.ofNullable(operation.get("output")).map(Json::object)
                            .map(output -> (String) output.get("resultWrapper"))));
        });
        return new ServiceModel(Json.object(root.get("metadata")), Collections.unmodifiableMap(operations),
                Json.object(root.get("shapes")));
    }

    /** Just a {@code shapes} object, as a protocol vector suite carries it. */
    public static ServiceModel ofShapes(Object shapes) {
        return new ServiceModel(Map.of(), Map.of(), Json.object(shapes));
    }

    public Map<String, Object> metadata() {
        return metadata;
    }

    /** The operations by name, in model order. */
    public Map<String, Operation> operations() {
        return operations;
    }

    public Set<String> shapeNames() {
        return shapes.keySet();
    }

    public boolean hasShape(String name) {
        return shapes.containsKey(name);
    }

    /**
     * The model's JSON for one shape.
     *
     * @throws IllegalArgumentException if the model has no such shape
     */
    public Map<String, Object> shape(String name) {
        Object shape = shapes.get(name);
        if (shape == null) {
            throw new IllegalArgumentException("The model has no shape " + name);
        }
        return Json.object(shape);
    }

    /**
     * The model's shape as our {@link Shape}, built with every trait the binder reads; see {@link ModelShapes}.
     *
     * @throws IllegalArgumentException if the model has no such shape or uses a type we do not model
     */
    public Shape toShape(String name) {
        return ModelShapes.build(this, name);
    }

    private static Optional<String> shapeName(Object reference) {
        return Optional.ofNullable(reference).map(Json::object).map(ref -> (String) ref.get("shape"));
    }

    /** One operation: the names of its input and output shapes and the element that wraps its result. */
    public record Operation(String name, Optional<String> inputShape, Optional<String> outputShape,
            Optional<String> resultWrapper) {
        public Operation {
            requireNonNull(name, "name");
            requireNonNull(inputShape, "inputShape");
            requireNonNull(outputShape, "outputShape");
            requireNonNull(resultWrapper, "resultWrapper");
        }
    }
}
