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
import org.junit.jupiter.api.Assumptions;

/**
 * The signing test vectors under {@code ${opensts.shared.dir}/testdata/sigv4} (see its README), read as cases. Tests
 * that use them call {@link #assumePresent()} first, so a checkout without {@code ../shared} skips them.
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
                    .withAllowUnsignedPayload(unsignedPayload()));
        }
    }

    static Path root() {
        String shared = System.getProperty("opensts.shared.dir");
        return shared == null ? null : Path.of(shared, "testdata", "sigv4");
    }

    static void assumePresent() {
        Path root = root();
        Assumptions.assumeTrue(root != null && Files.isDirectory(root.resolve("aws-signing-test-suite")),
                "SigV4 test vectors not found: set -Dopensts.shared.dir to the shared folder (is ../shared absent?)");
    }

    static Path path(String first, String... more) {
        return root().resolve(Path.of(first, more));
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
