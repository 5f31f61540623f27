package org.opensts.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WithheldAnswersTest {
    @Test
    void mark_aSuccess_gainsTheErrorTheCallerGot_andKeepsWhatTheCallDid() {
        byte[] marked = WithheldAnswers.mark(line("{\"eventName\":\"CreateAccessKey\",\"responseElements\":{\"k\":1}}"));

        assertThat(new String(marked, UTF_8)).isEqualTo("{\"eventName\":\"CreateAccessKey\",\"responseElements\":"
                + "{\"k\":1},\"errorCode\":\"ServiceUnavailable\",\"errorMessage\":\"" + WithheldAnswers.ERROR_MESSAGE
                + "\"}\n");
    }

    @Test
    void mark_aRefusal_isReplacedInPlace_byTheAnswerTheCallerGot() {
        byte[] marked = WithheldAnswers.mark(line("{\"errorCode\":\"AccessDenied\",\"errorMessage\":\"no\",\"x\":1}"));

        assertThat(new String(marked, UTF_8)).isEqualTo("{\"errorCode\":\"ServiceUnavailable\",\"errorMessage\":\""
                + WithheldAnswers.ERROR_MESSAGE + "\",\"x\":1}\n");
    }

    @Test
    void mark_twice_isMarkedOnce_andALineThatIsNoObject_staysAsItIs() {
        byte[] once = WithheldAnswers.mark(line("{\"eventName\":\"GetUser\"}"));
        byte[] notJson = line("not json");

        assertThat(WithheldAnswers.mark(once)).isSameAs(once);
        assertThat(WithheldAnswers.mark(notJson)).isSameAs(notJson);
        assertThat(WithheldAnswers.mark(line("[1,2]"))).isEqualTo(line("[1,2]"));
    }

    private static byte[] line(String json) {
        return (json + "\n").getBytes(UTF_8);
    }
}
