package org.opensts.sigv4;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the HTTP files of the signing test vectors into {@link SignableRequest}s, the way an HTTP server would hand
 * the request over (testdata/README.md, "File formats"):
 *
 * <ul>
 *   <li>The request line is {@code METHOD SP target SP HTTP/1.1}; a target may hold a raw space, so it is split on
 *       the first and the last space. One extra file has no {@code HTTP/1.1}: then the target is the rest.</li>
 *   <li>Header lines are {@code Name:value}, with or without a space after the colon; values are stripped of
 *       surrounding whitespace as HTTP parsers do. A line starting with whitespace continues the previous value
 *       (obs-fold) and is joined with one space.</li>
 *   <li>Lines end with LF. A blank line ends the headers; some files end without one. The rest is the body, cut to
 *       {@code Content-Length} when that header is present (one history file has a trailing newline beyond it).</li>
 * </ul>
 */
final class VectorHttpParser {

    private static final String HTTP_VERSION = " HTTP/1.1";

    private VectorHttpParser() {
    }

    static SignableRequest parse(byte[] file) {
        int headerEnd = indexOf(file, new byte[] {'\n', '\n'});
        int bodyStart = headerEnd < 0 ? file.length : headerEnd + 2;
        String head = new String(file, 0, headerEnd < 0 ? file.length : headerEnd, UTF_8);
        List<String> lines = new ArrayList<>(Arrays.asList(head.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }

        String requestLine = lines.get(0);
        int firstSpace = requestLine.indexOf(' ');
        String method = requestLine.substring(0, firstSpace);
        String target = requestLine.endsWith(HTTP_VERSION)
                ? requestLine.substring(firstSpace + 1, requestLine.lastIndexOf(' '))
                : requestLine.substring(firstSpace + 1);

        List<String[]> headers = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isEmpty() && Character.isWhitespace(line.charAt(0))) {
                String[] previous = headers.get(headers.size() - 1);
                previous[1] = previous[1] + ' ' + line.strip();
                continue;
            }
            int colon = line.indexOf(':');
            headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1).strip()});
        }

        SignableRequest.Builder builder = SignableRequest.builder().method(method).target(target);
        int bodyLength = file.length - bodyStart;
        for (String[] header : headers) {
            builder.addHeader(header[0], header[1]);
            if (header[0].equalsIgnoreCase("Content-Length")) {
                bodyLength = Math.min(bodyLength, Integer.parseInt(header[1]));
            }
        }
        return builder.body(Arrays.copyOfRange(file, bodyStart, bodyStart + bodyLength)).build();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
