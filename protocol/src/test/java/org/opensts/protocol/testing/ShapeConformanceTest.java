package org.opensts.protocol.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opensts.protocol.shape.ListShape;
import org.opensts.protocol.shape.Member;
import org.opensts.protocol.shape.ScalarShape;
import org.opensts.protocol.shape.ScalarType;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.testing.ShapeConformance.Difference;

/** The comparison that the sts and iam conformance tests rely on finds each kind of difference. */
class ShapeConformanceTest {
    private static final ServiceModel MODEL = ServiceModel.ofShapes(Json.parse("""
            {
              "Request": {"type": "structure", "required": ["Name"], "members": {
                "Name": {"shape": "nameType"},
                "Tags": {"shape": "tagList", "locationName": "Tag"},
                "Code": {"shape": "codeType"},
                "Mode": {"shape": "modeType"}
              }},
              "nameType": {"type": "string", "min": 2, "max": 64, "pattern": "[\\\\w]*"},
              "tagList": {"type": "list", "member": {"shape": "nameType", "locationName": "item"}, "max": 50},
              "codeType": {"type": "string", "sensitive": true},
              "modeType": {"type": "string", "enum": ["a", "b"]}
            }
            """));

    private static final ScalarShape NAME = ScalarShape.string("nameType").length(2, 64).pattern("[\\w]*").build();
    private static final ScalarShape CODE = ScalarShape.string("codeType").sensitive().build();
    private static final ScalarShape MODE = ScalarShape.string("modeType").enumValues("a", "b").build();
    private static final ListShape TAGS = new ListShape("tagList", NAME, "item", false, java.util.Optional.empty(),
            java.util.Optional.of(50));

    @Test
    void aFaithfulDeclaration_hasNoDifferences() {
        StructureShape request = StructureShape.builder("Request")
                .required("Name", NAME)
                .member(new Member("Tags", TAGS, false, "Tag"))
                .optional("Code", CODE)
                .optional("Mode", MODE)
                .build();

        assertThat(ShapeConformance.differences(request, MODEL)).isEmpty();
    }

    @Test
    void everyDivergentTrait_isReportedWhereItIs() {
        StructureShape request = StructureShape.builder("Request")
                .optional("Name", ScalarShape.string("nameType").length(2, 65).pattern("[\\w]+").build())
                .optional("Tags", ListShape.ofMax("tagList", NAME, 40))
                .optional("Mode", ScalarShape.string("modeType").enumValues("b", "a").build())
                .optional("Code", ScalarShape.builder("codeType", ScalarType.INTEGER).build())
                .build();

        assertThat(ShapeConformance.differences(request, MODEL)).extracting(Difference::toString).containsExactly(
                "Request (Request): members is [Name, Tags, Mode, Code] here but [Name, Tags, Code, Mode] in the "
                        + "model",
                "Request.Name (Request): required is false here but true in the model",
                "Request.Name (nameType): max is Optional[65] here but Optional[64] in the model",
                "Request.Name (nameType): pattern is Optional[[\\w]+] here but Optional[[\\w]*] in the model",
                "Request.Tags (Request): query name is Tags here but Tag in the model",
                "Request.Tags (tagList): list member name is member here but item in the model",
                "Request.Tags (tagList): max is Optional[40] here but Optional[50] in the model",
                "Request.Mode (modeType): enum is [b, a] here but [a, b] in the model",
                "Request.Code (codeType): type is INTEGER here but STRING in the model",
                "Request.Code (codeType): sensitive is false here but true in the model");
    }

    @Test
    void aShapeOfAnotherKindOrName_isReported() {
        StructureShape request = StructureShape.builder("Request")
                .required("Name", ListShape.of("nameType", NAME))
                .member(new Member("Tags", TAGS, false, "Tag"))
                .optional("Code", ScalarShape.string("otherType").sensitive().build())
                .optional("Mode", MODE)
                .build();

        List<Difference> differences = ShapeConformance.differences(request, MODEL);

        assertThat(differences).extracting(Difference::toString).containsExactly(
                "Request.Name (nameType): kind is ListShape here but ScalarShape in the model",
                "Request.Code (codeType): shape name is otherType here but codeType in the model");
        assertThat(differences.get(1).is("codeType", "shape name")).isTrue();
    }

    @Test
    void aShapeTheModelLacks_isAnError() {
        assertThatThrownBy(() -> ShapeConformance.differences(StructureShape.empty("Missing"), MODEL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The model has no shape Missing");
    }
}
