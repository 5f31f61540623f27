package org.opensts.protocol.shape;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.testing.BotocoreData;
import org.opensts.protocol.testing.ServiceModel;

/**
 * {@link QueryBinder} against any form body, for the input shape of every STS and IAM operation as AWS's models
 * declare it, in both wordings.
 *
 * <p>Invariants: decoding the form throws nothing but {@link IllegalArgumentException} (a malformed escape, a repeated
 * name: the server answers both with a client error); binding throws nothing but {@link ApiException}, and only
 * {@code ValidationError}, a 400; and the value of a sensitive member (a password, a web identity token, a SAML
 * assertion) is in no message and no {@link Struct#toString()}. Seeds in
 * {@code QueryBinderFuzzTestInputs/bind_anyForm_isAStructOrAValidationError}.
 */
class QueryBinderFuzzTest {
    /**
     * Given to every sensitive member of the operation: long, and with a character outside the password pattern, so
     * that it breaks a constraint somewhere and is quoted if anything quotes it.
     */
    private static final String SECRET = "FuzzSecret\u03a9ThatNoMessageMayShow";

    private static final List<Target> TARGETS = targets();

    /** An operation's input shape and the query names of its top-level sensitive members. */
    private record Target(String operation, StructureShape shape, List<String> sensitiveMembers) {
    }

    @FuzzTest(maxDuration = "10s")
    void bind_anyForm_isAStructOrAValidationError(FuzzedDataProvider data) {
        Target target = TARGETS.get(data.consumeInt(0, TARGETS.size() - 1));
        ViolationWording wording = data.consumeBoolean() ? ViolationWording.QUOTE_VALUE : ViolationWording.OMIT_VALUE;
        String form = data.consumeRemainingAsString();
        QueryParameters parameters;
        try {
            var builder = QueryParameters.builder().addForm(form);
            for (String name : target.sensitiveMembers()) {
                if (!builder.build().contains(name)) {
                    builder.add(name, SECRET);
                }
            }
            parameters = builder.build();
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).doesNotContain(SECRET);
            return;
        }
        assertThat(parameters.toString()).doesNotContain(SECRET);
        Struct struct;
        try {
            struct = QueryBinder.bind(target.shape(), parameters, wording);
        } catch (ApiException e) {
            assertThat(e.errorCode()).isIn(ErrorCode.VALIDATION_ERROR, ErrorCode.MALFORMED_INPUT);
            assertThat(e.errorCode().httpStatus()).isLessThan(500);
            assertThat(e.getMessage()).containsPattern(e.errorCode() == ErrorCode.MALFORMED_INPUT
                    ? "^(.{1,16} is not a valid index|Start of list found where not expected)$"
                    : "^[1-9][0-9]* validation errors? detected: ")
                    .doesNotContain(SECRET);
            assertThat(e.toString()).doesNotContain(SECRET);
            return;
        }
        assertThat(struct.shape()).isSameAs(target.shape());
        assertThat(struct.toString()).doesNotContain(SECRET);
    }

    private static List<Target> targets() {
        var targets = new ArrayList<Target>();
        for (ServiceModel model : List.of(BotocoreData.stsModel(), BotocoreData.iamModel())) {
            for (ServiceModel.Operation operation : model.operations().values()) {
                operation.inputShape().ifPresent(input -> {
                    var shape = (StructureShape) model.toShape(input);
                    var sensitive = shape.members().stream()
                            .filter(m -> m.shape() instanceof ScalarShape scalar && scalar.sensitive())
                            .map(Member::queryName)
                            .toList();
                    targets.add(new Target(operation.name(), shape, sensitive));
                });
            }
        }
        return List.copyOf(targets);
    }
}
