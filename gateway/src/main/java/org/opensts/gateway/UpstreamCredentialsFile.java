package org.opensts.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opensts.sigv4.SigningCredentials;

/**
 * Reads the gateway's own key for the upstream store from a file in the AWS shared-credentials format: the
 * {@code [default]} profile's {@code aws_access_key_id}, {@code aws_secret_access_key} and, for temporary credentials,
 * {@code aws_session_token}. Error messages name the file and the missing setting, never a value.
 */
public final class UpstreamCredentialsFile {
    private static final String PROFILE = "default";

    private UpstreamCredentialsFile() {
    }

    /**
     * Reads the {@code [default]} profile of {@code file}.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it has no {@code [default]} profile or the profile lacks a key id or secret
     */
    public static SigningCredentials read(Path file) throws IOException {
        return parse(Files.readAllLines(file, UTF_8), file.toString());
    }

    static SigningCredentials parse(List<String> lines, String source) {
        Map<String, String> profile = null;
        Map<String, String> current = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                String name = line.substring(1, line.length() - 1).strip();
                current = new HashMap<>();
                if (name.equals(PROFILE)) {
                    profile = current;
                }
                continue;
            }
            int equals = line.indexOf('=');
            if (current == null || equals < 0) {
                continue;
            }
            current.put(line.substring(0, equals).strip().toLowerCase(Locale.ROOT), line.substring(equals + 1).strip());
        }
        if (profile == null) {
            throw new IllegalArgumentException(source + " has no [default] profile");
        }
        String accessKeyId = profile.get("aws_access_key_id");
        String secret = profile.get("aws_secret_access_key");
        if (accessKeyId == null || accessKeyId.isEmpty()) {
            throw new IllegalArgumentException(source + ": the [default] profile has no aws_access_key_id");
        }
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException(source + ": the [default] profile has no aws_secret_access_key");
        }
        String token = profile.get("aws_session_token");
        byte[] secretBytes = secret.getBytes(UTF_8);
        return token == null || token.isEmpty() ? SigningCredentials.of(accessKeyId, secretBytes)
                : SigningCredentials.of(accessKeyId, secretBytes, token);
    }
}
