package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The console's static files, from a test folder of the classpath standing for the jar's. */
class ConsoleAssetsTest {
    private final ConsoleAssets assets = new ConsoleAssets("org/opensts/server/console-test/",
            ConsoleAssetsTest.class.getClassLoader());

    record Case(String name, String file, String contentType) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> served() {
        return Stream.of(
                new Case("the index for the folder itself", "", "text/html; charset=utf-8"),
                new Case("html", "index.html", "text/html; charset=utf-8"),
                new Case("script", "app.js", "text/javascript; charset=utf-8"),
                new Case("style sheet", "app.css", "text/css; charset=utf-8"),
                new Case("svg in a subfolder", "img/logo.svg", "image/svg+xml"),
                new Case("png in a subfolder", "img/icon.png", "image/png"),
                new Case("json", "manifest.json", "application/json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("served")
    void get_knownFile_isServedWithItsContentTypeAndRevalidated(Case c) {
        ConsoleAnswer answer = assets.get(c.file(), Optional.empty());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo(c.contentType());
        assertThat(answer.headers()).contains(Map.entry("cache-control", "no-cache"));
        assertThat(answer.headers()).anyMatch(h -> h.getKey().equals("etag"));
    }

    static Stream<String> refused() {
        return Stream.of("missing.js", "notes.txt", "../console-test/index.html", "img/../index.html", ".hidden.js",
                "img//logo.svg", "%2e%2e/index.html", "img%2flogo.svg", "img/", "img", "/etc/passwd",
                "..\\index.html", "index.html;x", "index.html?x", "index.html\0.js", "../../AuditLog.class",
                "a/b/c/d/e/f/g.js", "x".repeat(200) + ".js");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void get_anythingButAKnownFileOfTheFolder_isNotFound(String file) {
        assertThat(assets.get(file, Optional.empty()).status()).isEqualTo(404);
    }

    @Test
    void get_sameEtagAgain_isNotModified() {
        ConsoleAnswer first = assets.get("app.js", Optional.empty());
        String etag = first.headers().stream().filter(h -> h.getKey().equals("etag")).findFirst().orElseThrow()
                .getValue();

        ConsoleAnswer again = assets.get("app.js", Optional.of("\"other\", " + etag));

        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void get_servesTheFileBytes() {
        assertThat(new String(assets.get("app.js", Optional.empty()).body(), UTF_8))
                .isEqualTo("console.log(\"app\");\n");
    }
}
