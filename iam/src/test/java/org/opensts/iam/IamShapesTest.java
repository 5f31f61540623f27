package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.protocol.shape.Shape;
import org.opensts.protocol.testing.BotocoreData;
import org.opensts.protocol.testing.ServiceModel;
import org.opensts.protocol.testing.ShapeConformance;
import org.opensts.protocol.testing.ShapeConformance.Deviation;

/**
 * Every shape {@link IamShapes} declares, compared with the IAM model ({@code service-2.json}, 2010-05-08) trait by
 * trait. We implement a part of IAM, so only the shapes we declare are compared; each must exist in the model under
 * the same name.
 */
class IamShapesTest {
    /** Where we differ from the IAM model on purpose. */
    private static final List<Deviation> DEVIATIONS = List.of(
            new Deviation("authenticationCodeType", "sensitive", true, false,
                    "an MFA code is a secret: no error message may echo one, so we mark it sensitive"),
            new Deviation("pathType", "pattern", Optional.empty(),
                    Optional.of("(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"),
                    "CreateVirtualMFADevice checks its path's pattern itself, in IAM's own words"),
            new Deviation("accountAliasType", "pattern", Optional.empty(),
                    Optional.of("^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$"),
                    "CreateAccountAlias checks its alias's pattern itself, in IAM's own words"));

    private static ServiceModel model;

    @BeforeAll
    static void loadModel() {
        model = BotocoreData.iamModel();
    }

    static Stream<Arguments> declaredShapes() {
        return ShapeConformance.declaredIn(IamShapes.class).entrySet().stream()
                .map(field -> Arguments.of(field.getKey() + " (" + field.getValue().name() + ")", field.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("declaredShapes")
    void declaredShape_matchesTheModel(String field, Shape shape) {
        assertThat(model.hasShape(shape.name())).as("the model has a shape named " + shape.name()).isTrue();

        assertThat(ShapeConformance.differences(shape, model))
                .as("differences from the model other than our deliberate deviations")
                .filteredOn(difference -> DEVIATIONS.stream().noneMatch(deviation -> deviation.covers(difference)))
                .isEmpty();
    }

    @Test
    void iamShapes_declaresShapes() {
        assertThat(ShapeConformance.declaredIn(IamShapes.class)).isNotEmpty();
    }

    @Test
    void theIamArn_hasNoPattern_unlikeTheStsOne() {
        assertThat(IamShapes.ARN.pattern()).isEmpty();
        assertThat(model.shape("arnType")).doesNotContainKey("pattern");
    }
}
