package org.opensts.iam;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

class PageTest {
    record Case(String name, byte[] decoded) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> foreignMarkers() {
        return List.of(
                new Case("a NUL, which PostgreSQL refuses in text", new byte[] {0}),
                new Case("a name with a NUL inside", "ab\0c".getBytes(UTF_8)),
                new Case("a control character", "ab\u0001".getBytes(UTF_8)),
                new Case("DEL", "ab\u007f".getBytes(UTF_8)),
                new Case("a line break", "ab\ncd".getBytes(UTF_8)),
                new Case("a lone continuation byte", new byte[] {'a', (byte) 0x80}),
                new Case("an overlong encoding of '/'", new byte[] {(byte) 0xC0, (byte) 0xAF}),
                new Case("a UTF-16 surrogate encoded", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreignMarkers")
    void startKey_markerDecodingToNoSortKeyOfOurs_isValidationError(Case c) {
        String marker = Base64.getUrlEncoder().withoutPadding().encodeToString(c.decoded());

        assertThatThrownBy(() -> Page.startKey(Optional.of(marker)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.getMessage()).isEqualTo("Invalid Marker.");
                });
    }

    @Test
    void startKey_notBase64_isValidationError() {
        assertThatThrownBy(() -> Page.startKey(Optional.of("not base64!"))).isInstanceOf(ApiException.class)
                .hasMessage("Invalid Marker.");
    }

    @Test
    void startKey_ofTheMarkerOfAPage_isTheSortKeyOfTheNextItem() {
        var names = List.of("a.b", "a@b", "ab", "é-name", "zz");
        Page<String> first = Page.ofFetched(names, Function.identity(), 3);

        assertThat(first.items()).containsExactly("a.b", "a@b", "ab");
        assertThat(Page.startKey(first.marker())).contains("é-name");
    }
}
