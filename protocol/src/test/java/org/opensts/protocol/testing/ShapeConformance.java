package org.opensts.protocol.testing;

import static java.util.Objects.requireNonNull;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.opensts.protocol.shape.ListShape;
import org.opensts.protocol.shape.MapShape;
import org.opensts.protocol.shape.Member;
import org.opensts.protocol.shape.ScalarShape;
import org.opensts.protocol.shape.Shape;
import org.opensts.protocol.shape.StructureShape;

/**
 * Compares a shape we declare by hand with the same shape as a service model declares it, trait by trait and all
 * the way down: shape names, member names and their order, required members, Query names, list and map element
 * names, flattening, lengths and ranges, pattern text, enum values, sensitivity.
 *
 * <pre>{@code
 * ServiceModel model = BotocoreData.stsModel();
 * assertThat(ShapeConformance.differences(StsShapes.ASSUME_ROLE_REQUEST, model)).isEmpty();
 * }</pre>
 */
public final class ShapeConformance {
    private ShapeConformance() {
    }

    /**
     * Every way {@code ours} differs from the model's shape of the same name; empty when they agree.
     *
     * @throws IllegalArgumentException if the model has no shape named {@code ours.name()}
     */
    public static List<Difference> differences(Shape ours, ServiceModel model) {
        var differences = new ArrayList<Difference>();
        compare(ours.name(), ours, model.toShape(ours.name()), differences);
        return differences;
    }

    /**
     * The shapes a class declares as its public static final fields, by field name in declaration order: the way
     * {@code StsShapes} and {@code IamShapes} publish theirs.
     */
    public static Map<String, Shape> declaredIn(Class<?> holder) {
        var shapes = new LinkedHashMap<String, Shape>();
        for (Field field : holder.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers)
                    && Shape.class.isAssignableFrom(field.getType())) {
                try {
                    shapes.put(field.getName(), (Shape) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("Cannot read " + holder.getSimpleName() + '.' + field.getName(), e);
                }
            }
        }
        return shapes;
    }

    private static void compare(String path, Shape ours, Shape model, List<Difference> out) {
        if (!ours.name().equals(model.name())) {
            out.add(new Difference(path, model.name(), "shape name", ours.name(), model.name()));
        }
        if (ours.getClass() != model.getClass()) {
            out.add(new Difference(path, model.name(), "kind", kind(ours), kind(model)));
            return;
        }
        if (ours instanceof ScalarShape scalar) {
            compareScalars(path, scalar, (ScalarShape) model, out);
        } else if (ours instanceof ListShape list) {
            var modelList = (ListShape) model;
            check(path, model, "list member name", list.memberName(), modelList.memberName(), out);
            check(path, model, "flattened", list.flattened(), modelList.flattened(), out);
            check(path, model, "min", list.min(), modelList.min(), out);
            check(path, model, "max", list.max(), modelList.max(), out);
            compare(path + ".member", list.member(), modelList.member(), out);
        } else if (ours instanceof MapShape map) {
            var modelMap = (MapShape) model;
            check(path, model, "map key name", map.keyName(), modelMap.keyName(), out);
            check(path, model, "map value name", map.valueName(), modelMap.valueName(), out);
            check(path, model, "flattened", map.flattened(), modelMap.flattened(), out);
            compare(path + ".key", map.key(), modelMap.key(), out);
            compare(path + ".value", map.value(), modelMap.value(), out);
        } else {
            compareStructures(path, (StructureShape) ours, (StructureShape) model, out);
        }
    }

    private static void compareScalars(String path, ScalarShape ours, ScalarShape model, List<Difference> out) {
        check(path, model, "type", ours.type(), model.type(), out);
        check(path, model, "min", ours.min(), model.min(), out);
        check(path, model, "max", ours.max(), model.max(), out);
        check(path, model, "pattern", ours.pattern(), model.pattern(), out);
        check(path, model, "enum", ours.enumValues(), model.enumValues(), out);
        check(path, model, "sensitive", ours.sensitive(), model.sensitive(), out);
    }

    private static void compareStructures(String path, StructureShape ours, StructureShape model,
            List<Difference> out) {
        List<String> ourNames = ours.members().stream().map(Member::name).toList();
        List<String> modelNames = model.members().stream().map(Member::name).toList();
        check(path, model, "members", ourNames, modelNames, out);
        for (Member member : ours.members()) {
            model.member(member.name()).ifPresent(modelMember -> {
                String memberPath = path + '.' + member.name();
                check(memberPath, model, "required", member.required(), modelMember.required(), out);
                check(memberPath, model, "query name", member.queryName(), modelMember.queryName(), out);
                compare(memberPath, member.shape(), modelMember.shape(), out);
            });
        }
    }

    private static void check(String path, Shape model, String trait, Object ours, Object modelValue,
            List<Difference> out) {
        if (!Objects.equals(ours, modelValue)) {
            out.add(new Difference(path, model.name(), trait, ours, modelValue));
        }
    }

    private static String kind(Shape shape) {
        return shape.getClass().getSimpleName();
    }

    /**
     * A difference from the model that we make on purpose, with the reason; it covers that difference wherever the
     * shape is used.
     */
    public record Deviation(String modelShape, String trait, Object ours, Object model, String reason) {
        public Deviation {
            requireNonNull(modelShape, "modelShape");
            requireNonNull(trait, "trait");
            requireNonNull(reason, "reason");
        }

        public boolean covers(Difference difference) {
            return difference.is(modelShape, trait) && Objects.equals(difference.ours(), ours)
                    && Objects.equals(difference.model(), model);
        }
    }

    /**
     * One trait on which we differ from the model.
     *
     * @param path       where, from the compared shape down: {@code AssumeRoleRequest.TokenCode}
     * @param modelShape the model's name of the shape that carries the trait: {@code tokenCodeType}
     * @param trait      which trait: {@code sensitive}, {@code max}, {@code members}, …
     * @param ours       our value of the trait
     * @param model      the model's value of the trait
     */
    public record Difference(String path, String modelShape, String trait, Object ours, Object model) {
        public Difference {
            requireNonNull(path, "path");
            requireNonNull(modelShape, "modelShape");
            requireNonNull(trait, "trait");
        }

        /** Whether this is the difference {@code trait} on the model shape {@code modelShape}, wherever it occurs. */
        public boolean is(String modelShape, String trait) {
            return this.modelShape.equals(modelShape) && this.trait.equals(trait);
        }

        @Override
        public String toString() {
            return path + " (" + modelShape + "): " + trait + " is " + ours + " here but " + model + " in the model";
        }
    }
}
