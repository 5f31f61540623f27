package org.opensts.sigv4;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The signing test vectors under the project's {@code testdata/sigv4} (see {@code testdata/README.md}), read as cases.
 * They are part of the checkout: a file that is missing fails the test that reads it, naming the file.
 */
final class SigningTestVectors {

    static final String ACCESS_KEY_ID = "AKIDEXAMPLE";
    static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final Instant TIMESTAMP = Instant.parse("2015-08-30T12:36:00Z");

    /** The token of the legacy suite's {@code post-sts-token} cases (their readme.txt). */
    static final String LEGACY_STS_TOKEN = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZT"
            + "wdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZ"
            + "ampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZ"
            + "bqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

    /** The token of the legacy suite's {@code get-vanilla-with-session-token} (its .creq). */
    static final String LEGACY_VANILLA_TOKEN = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";

    private static final String TEST_DATA_PROPERTY = "opensts.testdata.dir";

    private SigningTestVectors() {
    }

    /** The request-signing parameters of one case: its {@code context.json}, or the common ones. */
    record Context(String accessKeyId, String secretAccessKey, String sessionToken, String region, String service,
            Instant timestamp, long expirationSeconds, boolean normalize, boolean signBody, boolean omitSessionToken,
            String signedBodyValue) {

        static Context common(String sessionToken) {
            return new Context(ACCESS_KEY_ID, SECRET_ACCESS_KEY, sessionToken, "us-east-1", "service", TIMESTAMP,
                    3600, /* normalize= */ true, /* signBody= */ false, /* omitSessionToken= */ false, null);
        }

        byte[] secret() {
            return secretAccessKey.getBytes(UTF_8);
        }

        boolean unsignedPayload() {
            return SigV4.UNSIGNED_PAYLOAD.equals(signedBodyValue);
        }

        SigV4Verifier verifier() {
            return SigV4Verifier.create(SigV4Verifier.Options.defaults()
                    .withNormalizePath(normalize)
                    .withAllowUnsignedPayload(unsignedPayload())
                    .withAllowSigV4a(true));
        }
    }

    /** Returns an existing file or directory under {@code testdata/sigv4}, or fails naming it. */
    static Path path(String first, String... more) {
        return existing(testData().resolve("sigv4").resolve(Path.of(first, more)));
    }

    /**
     * The project's {@code testdata/}: the surefire property {@value #TEST_DATA_PROPERTY} set by the parent pom, else
     * the nearest {@code testdata/} beside a {@code pom.xml} above the working directory (an IDE sets no property, and
     * the pom's value misses when mvn runs inside a module). The protocol module's test-jar has the same lookup; this
     * module is kept free of dependencies, tests included.
     */
    static Path testData() {
        String configured = System.getProperty(TEST_DATA_PROPERTY);
        if (configured != null && Files.isDirectory(Path.of(configured))) {
            return Path.of(configured).toAbsolutePath();
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("testdata")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir.resolve("testdata");
            }
        }
        throw new AssertionError("Test data not found: -D" + TEST_DATA_PROPERTY + " is " + configured
                + " and no directory from " + start + " up holds testdata/ beside a pom.xml");
    }

    private static Path existing(Path file) {
        if (!Files.exists(file)) {
            throw new AssertionError("Test data missing: " + file + " is not in the checkout's testdata/");
        }
        return file;
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(existing(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    static String text(Path file) {
        return new String(bytes(file), UTF_8);
    }

    static SignableRequest request(Path file) {
        return VectorHttpParser.parse(bytes(file));
    }

    /** The main suite's v4 case directories ({@code aws-signing-test-suite/v4}), sorted by name. */
    static List<Path> mainSuiteCases() {
        return directories(path("aws-signing-test-suite", "v4"));
    }

    /** The main suite's SigV4a case directories that hold signed requests ({@code v4a}), sorted by name. */
    static List<Path> sigV4aCases() {
        return directories(path("aws-signing-test-suite", "v4a")).stream()
                .filter(dir -> Files.exists(dir.resolve("header-signed-request.txt")))
                .toList();
    }

    static Path historyCase() {
        return path("aws-signing-test-suite-history", "v4", "post-unsigned-payload");
    }

    /**
     * The legacy suite's case directories ({@code botocore-aws4_testsuite}), each holding {@code name.req} and
     * friends, the nested groups flattened.
     */
    static List<Path> legacySuiteCases() {
        List<Path> cases = new ArrayList<>();
        for (Path dir : directories(path("botocore-aws4_testsuite"))) {
            if (Files.exists(dir.resolve(dir.getFileName() + ".req"))) {
                cases.add(dir);
            } else {
                cases.addAll(directories(dir));
            }
        }
        return cases;
    }

    private static List<Path> directories(Path parent) {
        try (Stream<Path> children = Files.list(parent)) {
            return children.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a {@code context.json}: a flat object whose few fields are found by name, no JSON library needed. */
    static Context context(Path caseDir) {
        String json = text(caseDir.resolve("context.json"));
        return new Context(
                string(json, "access_key_id"),
                string(json, "secret_access_key"),
                string(json, "token"),
                string(json, "region"),
                string(json, "service"),
                Instant.parse(string(json, "timestamp")),
                Long.parseLong(literal(json, "expiration_in_seconds", "0")),
                Boolean.parseBoolean(literal(json, "normalize", "true")),
                Boolean.parseBoolean(literal(json, "sign_body", "false")),
                Boolean.parseBoolean(literal(json, "omit_session_token", "false")),
                string(json, "signed_body_value"));
    }

    private static String string(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    private static String literal(String json, String field, String absent) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*([a-z0-9]+)").matcher(json);
        return m.find() ? m.group(1) : absent;
    }

    /** Returns the {@code Signature=} value of an {@code Authorization} header value. */
    static String signatureOf(String authorization) {
        return authorization.substring(authorization.indexOf("Signature=") + "Signature=".length()).strip();
    }

    /** Returns the request without its query parameter {@code name} (given raw, as it appears in the query). */
    static SignableRequest withoutQueryParameter(SignableRequest request, String name) {
        List<String> kept = new ArrayList<>();
        for (String parameter : request.query().split("&")) {
            if (!parameter.startsWith(name + "=")) {
                kept.add(parameter);
            }
        }
        return request.toBuilder().query(String.join("&", kept)).build();
    }

    /** Returns the request with every header {@code name} replaced by one with {@code value}. */
    static SignableRequest withHeader(SignableRequest request, String name, String value) {
        return request.toBuilder().removeHeaders(name).addHeader(name, value).build();
    }
}
