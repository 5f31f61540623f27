package org.opensts.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WithheldAnswersTest {
    private static final String WITHHELD = "\"withheldAnswer\":{\"errorCode\":\"ServiceUnavailable\","
            + "\"errorMessage\":\"" + WithheldAnswers.ERROR_MESSAGE + "\"}";

    @Test
    void mark_aSuccess_namesTheAnswerTheCallerGot_andKeepsWhatTheCallDid() {
        byte[] marked = WithheldAnswers.mark(
                line("{\"eventName\":\"CreateAccessKey\",\"responseElements\":{\"k\":1}}"));

        assertThat(new String(marked, UTF_8)).isEqualTo("{\"eventName\":\"CreateAccessKey\",\"responseElements\":"
                + "{\"k\":1},\"additionalEventData\":{" + WITHHELD + "}}\n");
    }

    @Test
    void mark_aRefusal_keepsItsOwnError_andJoinsTheAdditionalDataThereIs() {
        byte[] marked = WithheldAnswers.mark(line(
                "{\"errorCode\":\"AccessDenied\",\"errorMessage\":\"no\",\"additionalEventData\":{\"a\":1}}"));

        assertThat(new String(marked, UTF_8)).isEqualTo("{\"errorCode\":\"AccessDenied\",\"errorMessage\":\"no\","
                + "\"additionalEventData\":{\"a\":1," + WITHHELD + "}}\n");
    }

    @Test
    void mark_twice_isMarkedOnce_andALineThatIsNoObject_staysAsItIs() {
        byte[] once = WithheldAnswers.mark(line("{\"eventName\":\"GetUser\"}"));
        byte[] notJson = line("not json");

        assertThat(WithheldAnswers.mark(once)).isSameAs(once);
        assertThat(WithheldAnswers.mark(notJson)).isSameAs(notJson);
        assertThat(WithheldAnswers.mark(line("[1,2]"))).isEqualTo(line("[1,2]"));
        assertThat(WithheldAnswers.mark(line("{\"additionalEventData\":\"text\"}")))
                .isEqualTo(line("{\"additionalEventData\":\"text\"}"));
    }

    private static byte[] line(String json) {
        return (json + "\n").getBytes(UTF_8);
    }
}
