package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSON form of a Query answer: AWS's member order, arrays, maps, numbers and epoch-second timestamps. */
class JsonResultWriterTest {

    @Test
    void members_areWrittenInTheOrderOfTheirNames_asAwsWritesThem() {
        String json = new JsonResultWriter().start("GetCallerIdentityResult")
                .element("UserId", "AIDAEXAMPLE")
                .element("Account", "123456789012")
                .element("Arn", "arn:aws:iam::123456789012:user/admin")
                .end()
                .finish();

        assertThat(json).isEqualTo("{\"GetCallerIdentityResult\":{\"Account\":\"123456789012\","
                + "\"Arn\":\"arn:aws:iam::123456789012:user/admin\",\"UserId\":\"AIDAEXAMPLE\"}}");
    }

    @Test
    void namesAreOrderedByCharacter_upperCaseBeforeLowerCase() {
        String json = new JsonResultWriter().element("queueUrls", "a").element("NextToken", "b").finish();

        assertThat(json).isEqualTo("{\"NextToken\":\"b\",\"queueUrls\":\"a\"}");
    }

    @Test
    void integersAndBooleans_areJsonNumbersAndBooleans() {
        String json = new JsonResultWriter().element("PackedPolicySize", 6).element("IsTruncated", false).finish();

        assertThat(json).isEqualTo("{\"IsTruncated\":false,\"PackedPolicySize\":6}");
    }

    @Test
    void timestamp_isItsEpochSecondAsJavaWritesADouble() {
        String json = new JsonResultWriter()
                .element("Expiration", Instant.parse("2018-01-02T05:04:05.750Z"))
                .finish();

        assertThat(json).isEqualTo("{\"Expiration\":1.514869445E9}");
    }

    @Test
    void list_isAnArrayOfItsMembers_structuresAndStrings() {
        String json = new JsonResultWriter()
                .startList("Tags")
                .start("member").element("Key", "team").element("Value", "a").end()
                .start("member").element("Key", "env").element("Value", "b").end()
                .end()
                .startList("PolicyNames").element("member", "p2").element("member", "p1").end()
                .finish();

        assertThat(json).isEqualTo("{\"PolicyNames\":[\"p2\",\"p1\"],"
                + "\"Tags\":[{\"Key\":\"team\",\"Value\":\"a\"},{\"Key\":\"env\",\"Value\":\"b\"}]}");
    }

    @Test
    void emptyList_isAnEmptyArray_andAnEmptyStructureAnEmptyObject() {
        String json = new JsonResultWriter().startList("Tags").end().start("RoleLastUsed").end().finish();

        assertThat(json).isEqualTo("{\"RoleLastUsed\":{},\"Tags\":[]}");
    }

    @Test
    void map_isAnObjectKeyedByItsEntriesKeys() {
        String json = new JsonResultWriter().startMap("SummaryMap")
                .start("entry").element("key", "Users").element("value", 3).end()
                .start("entry").element("key", "Groups").element("value", 1).end()
                .end()
                .finish();

        assertThat(json).isEqualTo("{\"SummaryMap\":{\"Groups\":1,\"Users\":3}}");
    }

    @Test
    void structureOpenedWithStart_whoseItemsAreMembers_isStillAnArray() {
        String json = new JsonResultWriter().start("Users").start("member").element("UserName", "bob").end().end()
                .finish();

        assertThat(json).isEqualTo("{\"Users\":[{\"UserName\":\"bob\"}]}");
    }

    @Test
    void text_isEscapedAsRfc8259Requires() {
        String json = new JsonResultWriter().element("Message", "a\"b\\c\nd\te\u0001f/<é>").finish();

        assertThat(json).isEqualTo("{\"Message\":\"a\\\"b\\\\c\\nd\\te\\u0001f/<é>\"}");
    }

    @Test
    void loneSurrogate_becomesTheReplacementCharacter_andAPairIsKept() {
        String json = new JsonResultWriter().element("A", "x\uD800y").element("B", "\uD83D\uDE00").finish();

        assertThat(json).isEqualTo("{\"A\":\"x\uFFFDy\",\"B\":\"\uD83D\uDE00\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "\"", "\\", "\u0000\u001f", "\uDC00", "\uD800", "a\uD83D\uDE00b", "é€"})
    void anyText_readsBackAsWritten_butLoneSurrogates(String text) throws Exception {
        JsonNode read = ConsoleJson.MAPPER.readTree(new JsonResultWriter().element("T", text).finish());

        assertThat(read.get("T").textValue()).isEqualTo(withoutLoneSurrogates(text));
    }

    private static String withoutLoneSurrogates(String text) {
        var out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    @Test
    void memberWrittenTwice_isABug() {
        var writer = new JsonResultWriter().element("Arn", "a");

        assertThatThrownBy(() -> writer.element("Arn", "b")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void listItemNotNamedMember_isABug() {
        var writer = new JsonResultWriter().startList("Tags");

        assertThatThrownBy(() -> writer.element("Tag", "b")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void endWithNothingOpen_isABug() {
        assertThatThrownBy(() -> new JsonResultWriter().end()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void finish_closesWhatIsStillOpen() {
        assertThat(new JsonResultWriter().start("A").start("B").element("C", 1).finish())
                .isEqualTo("{\"A\":{\"B\":{\"C\":1}}}");
    }
}
