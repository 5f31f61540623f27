package org.opensts.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.shape.QueryBinder;
import org.opensts.protocol.shape.QueryParameters;
import org.opensts.protocol.shape.Shape;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.testing.BotocoreData;
import org.opensts.protocol.testing.ServiceModel;
import org.opensts.protocol.testing.ShapeConformance;
import org.opensts.protocol.testing.ShapeConformance.Deviation;
import org.opensts.protocol.testing.ShapeConformance.Difference;

/**
 * Every shape {@link StsShapes} declares, compared with the STS model ({@code service-2.json}, 2011-06-15) trait by
 * trait, and every operation of the model with an input shape declared.
 */
class StsShapesTest {
    /** Where we differ from the model on purpose. */
    private static final List<Deviation> DEVIATIONS = List.of(
            new Deviation("tokenCodeType", "sensitive", true, false,
                    "an MFA code is a secret: no error message may echo one, so we mark it sensitive"),
            new Deviation("contextAssertionType", "sensitive", true, false,
                    "a context assertion is a signed bearer credential from a trusted context provider: no error"
                            + " message may echo one, so we mark it sensitive"),
            new Deviation("policyDescriptorListType", "max", Optional.of(10), Optional.empty(),
                    "STS takes at most 10 managed session policies, which the model leaves out; declared so that an"
                            + " over-long list is reported before its elements, as AWS orders violations"));

    private static ServiceModel model;

    @BeforeAll
    static void loadModel() {
        model = BotocoreData.stsModel();
    }

    static Stream<Arguments> declaredShapes() {
        return ShapeConformance.declaredIn(StsShapes.class).entrySet().stream()
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
    void everyDeliberateDeviation_isStillOne() {
        List<Difference> differences = ShapeConformance.declaredIn(StsShapes.class).values().stream()
                .flatMap(shape -> ShapeConformance.differences(shape, model).stream())
                .toList();

        assertThat(DEVIATIONS).allSatisfy(deviation -> assertThat(differences)
                .as(deviation.reason())
                .anySatisfy(difference -> assertThat(deviation.covers(difference)).isTrue()));
    }

    @Test
    void assumeRole_moreThanTenPolicyArnsSomeMalformed_isReportedFirstForTheList() {
        var form = new StringBuilder("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=session");
        for (int i = 1; i <= 11; i++) {
            form.append("&PolicyArns.member.").append(i).append(".arn=x");
        }

        assertThatThrownBy(() -> QueryBinder.bind(StsShapes.ASSUME_ROLE_REQUEST,
                QueryParameters.builder().addForm(form.toString()).build()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage())
                        .startsWith("12 validation errors detected: Value '[")
                        .contains("]' at 'policyArns' failed to satisfy constraint: Member must have length less than "
                                + "or equal to 10; Value 'x' at 'policyArns.1.member.arn' failed to satisfy "
                                + "constraint: Member must have length greater than or equal to 20"));
    }

    @Test
    void tokenCode_isSensitiveWhereTheModelIsNot() {
        assertThat(StsShapes.TOKEN_CODE.sensitive()).isTrue();
        assertThat(model.shape("tokenCodeType")).doesNotContainKey("sensitive");
    }

    @Test
    void everyOperationOfTheModel_hasItsInputShapeDeclared() {
        Set<String> declared = ShapeConformance.declaredIn(StsShapes.class).values().stream()
                .filter(StructureShape.class::isInstance)
                .map(Shape::name)
                .collect(Collectors.toSet());

        assertThat(model.operations().values()).allSatisfy(operation -> assertThat(declared)
                .as("input of " + operation.name())
                .contains(operation.inputShape().orElseThrow()));
    }
}
