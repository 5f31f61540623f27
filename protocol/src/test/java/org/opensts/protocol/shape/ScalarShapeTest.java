package org.opensts.protocol.shape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.protocol.testing.BotocoreData;
import org.opensts.protocol.testing.ServiceModel;

/**
 * Model patterns in Java: the models write {@code \\u10000-\\u10FFFF}, which Java's {@code \\u} (four digits
 * exactly) would read as {@code \\u1000} and a {@code 0}; {@link ScalarShape#toJavaRegex} rewrites such escapes.
 */
class ScalarShapeTest {
    /** STS {@code arnType}: any character but most control characters, including those beyond the BMP. */
    private static final String ARN_PATTERN =
            "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+";

    /** A model pattern and its Java translation. */
    record Translation(String name, String model, String java) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Translation> translations() {
        return Stream.of(
                new Translation("four-digit escapes stay as they are", "[\\u0020-\\u007E]", "[\\u0020-\\u007E]"),
                new Translation("five-digit escapes become \\x{}", "[\\u10000-\\u1FFFF]", "[\\x{10000}-\\x{1FFFF}]"),
                new Translation("six-digit escapes become \\x{}", "[\\u10FFFF]", "[\\x{10FFFF}]"),
                new Translation("a seventh hex digit is a literal", "\\u10FFFFA", "\\x{10FFFF}A"),
                new Translation("the STS ARN pattern", ARN_PATTERN,
                        "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD"
                                + "\\x{10000}-\\x{10FFFF}]+"),
                new Translation("other escapes are kept", "[\\w+=,.@:\\/-]*", "[\\w+=,.@:\\/-]*"),
                new Translation("an escaped backslash does not start an escape", "\\\\u10000", "\\\\u10000"),
                new Translation("an escape after an escaped backslash is still read", "\\\\\\u10000",
                        "\\\\\\x{10000}"),
                new Translation("a trailing backslash is kept", "a\\", "a\\"),
                new Translation("no escapes at all", "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+",
                        "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("translations")
    void toJavaRegex_rewritesOnlyLongUnicodeEscapes(Translation translation) {
        assertThat(ScalarShape.toJavaRegex(translation.model())).isEqualTo(translation.java());
    }

    /** A value and whether the STS ARN pattern accepts it. */
    record ArnValue(String name, String value, boolean accepted) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ArnValue> arnValues() {
        return Stream.of(
                new ArnValue("an ordinary role ARN", "arn:aws:iam::123456789012:role/demo", true),
                new ArnValue("U+1F600, beyond the BMP", "arn:aws:iam::123456789012:role/\uD83D\uDE00", true),
                new ArnValue("U+10FFFF, the last code point", "arn:aws:iam::1:role/\uDBFF\uDFFF", true),
                new ArnValue("U+0085 and U+00A0", "arn:aws:iam::1:role/\u0085\u00A0", true),
                new ArnValue("tab, line feed and carriage return", "arn\t\n\r", true),
                new ArnValue("U+0001, a control character", "arn:aws:iam::1:role/\u0001", false),
                new ArnValue("U+0000", "arn\u0000", false),
                new ArnValue("U+007F, delete", "arn\u007F", false),
                new ArnValue("U+FFFE, a non-character", "arn\uFFFE", false),
                new ArnValue("a lone high surrogate", "arn\uD83D", false),
                new ArnValue("empty", "", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("arnValues")
    void arnPattern_acceptsWhatTheModelMeans(ArnValue arn) {
        ScalarShape shape = ScalarShape.string("arnType").pattern(ARN_PATTERN).build();

        assertThat(shape.matchesPattern(arn.value())).isEqualTo(arn.accepted());
    }

    @Test
    void arnPattern_withoutTranslation_wouldWronglyRejectU1F600() {
        String value = "arn:aws:iam::1:role/\uD83D\uDE00";

        assertThat(Pattern.compile(ARN_PATTERN).matcher(value).matches()).as("read literally by Java").isFalse();
        assertThat(Pattern.compile(ScalarShape.toJavaRegex(ARN_PATTERN)).matcher(value).matches()).isTrue();
    }

    @Test
    void pattern_matchesTheWholeValue() {
        ScalarShape path = ScalarShape.string("pathType").pattern("(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)")
                .build();

        assertThat(path.matchesPattern("/")).isTrue();
        assertThat(path.matchesPattern("/division_abc/")).isTrue();
        assertThat(path.matchesPattern("/division_abc")).as("a prefix matches one branch").isFalse();
        assertThat(path.matchesPattern("x/")).isFalse();
    }

    @Test
    void everyPatternOfTheStsAndIamModels_compilesInJava() {
        var patterns = new TreeSet<String>();
        for (ServiceModel model : List.of(BotocoreData.stsModel(), BotocoreData.iamModel())) {
            for (String name : model.shapeNames()) {
                Map<String, Object> shape = model.shape(name);
                if (shape.get("pattern") instanceof String pattern) {
                    patterns.add(pattern);
                }
            }
        }

        assertThat(patterns).isNotEmpty();
        assertThat(patterns).allSatisfy(pattern -> assertThatCode(
                () -> ScalarShape.string("x").pattern(pattern).build()).doesNotThrowAnyException());
    }

    @Test
    void builder_keepsTheModelsText() {
        ScalarShape shape = ScalarShape.string("tokenCodeType").length(6, 6).pattern("[\\d]*").sensitive().build();

        assertThat(shape.name()).isEqualTo("tokenCodeType");
        assertThat(shape.type()).isEqualTo(ScalarType.STRING);
        assertThat(shape.min()).contains(6L);
        assertThat(shape.max()).contains(6L);
        assertThat(shape.pattern()).contains("[\\d]*");
        assertThat(shape.sensitive()).isTrue();
        assertThat(shape.enumValues()).isEmpty();
        assertThat(shape.toString()).isEqualTo("ScalarShape[tokenCodeType, STRING]");
    }

    @Property
    void everyCodePointBeyondTheBmp_isAcceptedInAnArn(@ForAll @IntRange(min = 0x10000, max = 0x10FFFF) int codePoint) {
        ScalarShape shape = ScalarShape.string("arnType").pattern(ARN_PATTERN).build();

        assertThat(shape.matchesPattern("arn" + Character.toString(codePoint))).isTrue();
    }

    @Property
    void everyControlCharacterButTabLineFeedAndReturn_isRejectedInAnArn(
            @ForAll @IntRange(min = 0, max = 0x1F) int codePoint) {
        ScalarShape shape = ScalarShape.string("arnType").pattern(ARN_PATTERN).build();
        boolean allowed = codePoint == '\t' || codePoint == '\n' || codePoint == '\r';

        assertThat(shape.matchesPattern("arn" + Character.toString(codePoint))).isEqualTo(allowed);
    }
}
