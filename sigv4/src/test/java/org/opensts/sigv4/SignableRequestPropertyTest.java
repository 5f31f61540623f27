package org.opensts.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Header lookups compare names in place; they find exactly the lines that lower-casing both names (the former
 * implementation, kept here as the oracle) found, for any names, ASCII or not.
 */
class SignableRequestPropertyTest {

    /** Letters of both cases, the characters around them in ASCII, and letters that fold outside ASCII. */
    private static final String NAME_CHARS = "aAzZbBkK-_@[`{0\u212A\u0130\u0131\u00E9\u00C9\u017F";

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withChars(NAME_CHARS).ofMinLength(1).ofMaxLength(4);
    }

    @Property
    void equalsIgnoreAsciiCase_isEqualityOfTheAsciiLowerCasedNames(@ForAll("names") String a,
            @ForAll("names") String b) {
        assertThat(SignableRequest.equalsIgnoreAsciiCase(a, b))
                .isEqualTo(oldLowerCaseAscii(a).equals(oldLowerCaseAscii(b)));
    }

    @Property
    void equalsIgnoreAsciiCase_ofAStringAndItsCaseVariant_isTrueForAsciiFolds(@ForAll("names") String a) {
        assertThat(SignableRequest.equalsIgnoreAsciiCase(a, oldLowerCaseAscii(a))).isTrue();
    }

    @Property
    void indexOfHeader_findsTheLinesTheLowerCasingLookupFound(
            @ForAll("headerNames") List<String> headerNames, @ForAll("names") String wanted) {
        SignableRequest.Builder builder = SignableRequest.builder();
        for (String name : headerNames) {
            builder.addHeader(name, "v");
        }
        SignableRequest request = builder.build();

        for (int from = 0; from <= headerNames.size(); from++) {
            assertThat(request.indexOfHeader(wanted, from)).isEqualTo(oldIndexOfHeader(headerNames, wanted, from));
        }
    }

    @Provide
    Arbitrary<List<String>> headerNames() {
        return names().list().ofMaxSize(6);
    }

    /** The former lookup: both names lower-cased in ASCII into new strings, then compared. */
    private static int oldIndexOfHeader(List<String> headerNames, String name, int from) {
        String wanted = oldLowerCaseAscii(name);
        for (int i = from; i < headerNames.size(); i++) {
            if (oldLowerCaseAscii(headerNames.get(i)).equals(wanted)) {
                return i;
            }
        }
        return -1;
    }

    private static String oldLowerCaseAscii(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                StringBuilder lower = new StringBuilder(name.length()).append(name, 0, i);
                for (int j = i; j < name.length(); j++) {
                    char d = name.charAt(j);
                    lower.append(d >= 'A' && d <= 'Z' ? (char) (d + ('a' - 'A')) : d);
                }
                return lower.toString();
            }
        }
        return name;
    }
}
