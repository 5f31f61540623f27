package org.opensts.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The console's static files, served from the jar (no CDN, nothing fetched from elsewhere): {@code /console/NAME} is
 * the classpath resource {@code org/opensts/server/console/NAME}, and {@code /console/} its {@code index.html}.
 *
 * <p>Only names of plain segments ({@code [A-Za-z0-9_-]} and inner dots, no segment starting with a dot, no escapes)
 * with one of the known extensions are looked up, so no request reaches a directory, a parent or another package.
 * Files are read once and kept (they are a few hundred kilobytes, fixed for the life of the jar) with a strong ETag;
 * they are served with {@code Cache-Control: no-cache}, so a browser revalidates and gets {@code 304} while the node
 * runs the same build.
 */
final class ConsoleAssets {
    static final String DEFAULT_ROOT = "org/opensts/server/console/";
    private static final Pattern NAME = Pattern.compile(
            "[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}(/[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}){0,4}");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "json", "application/json",
            "ico", "image/x-icon");
    /** A single file larger than this is not served: the console's files are far smaller. */
    private static final int MAX_FILE_BYTES = 4 * 1024 * 1024;

    private final String root;
    private final ClassLoader loader;
    /** Found files only: a name that is not a file is looked up again, so made-up names cannot fill the map. */
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    private record Asset(String contentType, byte[] bytes, String etag) {
    }

    /** @param root the classpath folder of the files, ending in {@code /} */
    ConsoleAssets(String root, ClassLoader loader) {
        if (!root.endsWith("/")) {
            throw new IllegalArgumentException("root must end in /");
        }
        this.root = root;
        this.loader = loader;
    }

    static ConsoleAssets fromJar() {
        return new ConsoleAssets(DEFAULT_ROOT, ConsoleAssets.class.getClassLoader());
    }

    /**
     * The file for {@code name} (the path after {@code /console/}; empty for the index).
     *
     * @param ifNoneMatch the request's {@code If-None-Match}, if any
     */
    ConsoleAnswer get(String name, Optional<String> ifNoneMatch) {
        String file = name.isEmpty() ? "index.html" : name;
        if (!NAME.matcher(file).matches()) {
            return ConsoleAnswer.text(404, "Not found\n");
        }
        Asset found = cache.get(file);
        if (found == null) {
            Optional<Asset> loaded = load(file);
            if (loaded.isEmpty()) {
                return ConsoleAnswer.text(404, "Not found\n");
            }
            found = loaded.get();
            cache.put(file, found);
        }
        if (ifNoneMatch.isPresent() && matches(ifNoneMatch.get(), found.etag())) {
            return new ConsoleAnswer(304, "", new byte[0], List.of(
                    Map.entry(HttpHeaderNames.ETAG.toString(), found.etag()),
                    Map.entry(HttpHeaderNames.CACHE_CONTROL.toString(), "no-cache")));
        }
        return new ConsoleAnswer(200, found.contentType(), found.bytes(), List.of(
                Map.entry(HttpHeaderNames.ETAG.toString(), found.etag()),
                Map.entry(HttpHeaderNames.CACHE_CONTROL.toString(), "no-cache")));
    }

    private Optional<Asset> load(String file) {
        int dot = file.lastIndexOf('.');
        String contentType = dot < 0 ? null : CONTENT_TYPES.get(file.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (contentType == null) {
            return Optional.empty();
        }
        try (InputStream in = loader.getResourceAsStream(root + file)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                return Optional.empty();
            }
            return Optional.of(new Asset(contentType, bytes, etag(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the console file " + file, e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }

    /** Whether an {@code If-None-Match} list names {@code etag} (or is {@code *}); weak tags compare by their value. */
    private static boolean matches(String header, String etag) {
        for (String candidate : header.split(",")) {
            String tag = candidate.strip();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
