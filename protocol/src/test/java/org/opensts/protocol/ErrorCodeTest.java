package org.opensts.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.protocol.testing.BotocoreData;
import org.opensts.protocol.testing.Json;
import org.opensts.protocol.testing.ServiceModel;

/** The error table against the models' error shapes: the code on the wire, the HTTP status and the fault. */
class ErrorCodeTest {

    @Test
    void codes_areUnique() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::code)).doesNotHaveDuplicates();
    }

    @Test
    void serverErrors_areTheReceiversFault_andOnlyThey() {
        assertThat(ErrorCode.values()).allSatisfy(error -> assertThat(error.fault())
                .as(error.code())
                .isEqualTo(error.httpStatus() >= 500 ? Fault.RECEIVER : Fault.SENDER));
    }

    @Test
    void faults_haveTheirWireNames() {
        assertThat(Fault.SENDER.wireName()).isEqualTo("Sender");
        assertThat(Fault.RECEIVER.wireName()).isEqualTo("Receiver");
    }

    static Stream<Arguments> modelledErrors() {
        var arguments = Stream.<Arguments>builder();
        Map<String, ServiceModel> models = new LinkedHashMap<>();
        models.put("STS", BotocoreData.stsModel());
        models.put("IAM", BotocoreData.iamModel());
        models.forEach((service, model) -> {
            for (String shapeName : model.shapeNames()) {
                Map<String, Object> shape = model.shape(shapeName);
                if (shape.get("error") != null) {
                    Map<String, Object> error = Json.object(shape.get("error"));
                    String code = (String) error.getOrDefault("code", shapeName);
                    arguments.add(Arguments.of(service + " " + code, code,
                            ((BigDecimal) error.get("httpStatusCode")).intValueExact(),
                            Boolean.TRUE.equals(error.get("senderFault")) ? Fault.SENDER : Fault.RECEIVER));
                }
            }
        });
        return arguments.build();
    }

    /** Codes we do not use yet are not required; the ones we do use must say what the model says. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("modelledErrors")
    void ourCode_forAModelledError_hasTheModelsStatusAndFault(String name, String code, int httpStatus, Fault fault) {
        Arrays.stream(ErrorCode.values()).filter(error -> error.code().equals(code)).forEach(error -> {
            assertThat(error.httpStatus()).as("HTTP status of " + code).isEqualTo(httpStatus);
            assertThat(error.fault()).as("fault of " + code).isEqualTo(fault);
        });
    }
}
