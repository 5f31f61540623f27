package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opensts.sigv4.AwsChunkedDecoder;
import org.opensts.sigv4.ChecksumAlgorithm;
import org.opensts.sigv4.SigV4Exception;
import org.opensts.sigv4.SigV4Verifier;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;

/**
 * A small S3 store on loopback that keeps the checksums it is given, as strictly as S3 does for a multipart upload
 * created with a checksum algorithm: a part without that checksum is {@code InvalidRequest}, and so is a completion
 * that lacks any part's checksum. It checks the gateway's signature, reads bodies sent plain or as
 * {@code aws-chunked} {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER} (the trailer's checksums checked against the data)
 * and answers with the checksum it kept. Only the calls the tests make: PutObject, CreateMultipartUpload,
 * UploadPart, CompleteMultipartUpload.
 */
final class ChecksumKeepingStore implements AutoCloseable {
    static final SigningCredentials KEY = SigningCredentials.of("CHECKSUMSTOREKEY0001",
            "checksum-store-secret".getBytes(UTF_8));
    private static final Pattern PART = Pattern.compile("<Part>.*?</Part>", Pattern.DOTALL);
    private static final Pattern CRC32 = Pattern.compile("<ChecksumCRC32>([^<]*)</ChecksumCRC32>");

    /** What the store keeps of one object or part: its bytes and the checksums it was sent, by header name. */
    record Stored(byte[] data, Map<String, String> checksums, String payloadForm) {
    }

    private record Upload(Optional<ChecksumAlgorithm> algorithm, Map<Integer, Stored> parts) {
    }

    private final HttpServer server;
    private final SigV4Verifier verifier = SigV4Verifier.create(SigV4Verifier.Options.defaults()
            .withNormalizePath(false).withDoubleEncodePath(false));
    private final Map<String, Stored> objects = new ConcurrentHashMap<>();
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    private final AtomicInteger uploadIds = new AtomicInteger();

    ChecksumKeepingStore() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    Optional<Stored> object(String bucket, String key) {
        return Optional.ofNullable(objects.get("/" + bucket + "/" + key));
    }

    /** The part as the store keeps it, while its upload is in progress. */
    Optional<Stored> part(String uploadId, int partNumber) {
        return Optional.ofNullable(uploads.get(uploadId)).map(upload -> upload.parts().get(partNumber));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String query = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
            String path = exchange.getRequestURI().getRawPath();
            if (!signedByTheGateway(exchange, path, query)) {
                answer(exchange, 403, "SignatureDoesNotMatch", "");
                return;
            }
            String method = exchange.getRequestMethod();
            Map<String, String> parameters = parameters(query);
            if (method.equals("POST") && parameters.containsKey("uploads")) {
                String uploadId = "upload-" + uploadIds.incrementAndGet();
                uploads.put(uploadId, new Upload(Optional.ofNullable(header(exchange, "x-amz-checksum-algorithm"))
                        .flatMap(ChecksumKeepingStore::algorithm), new ConcurrentHashMap<>()));
                respond(exchange, 200, Map.of(), "<InitiateMultipartUploadResult><UploadId>" + uploadId
                        + "</UploadId></InitiateMultipartUploadResult>");
            } else if (method.equals("PUT") && parameters.containsKey("uploadId")) {
                Upload upload = uploads.get(parameters.get("uploadId"));
                Stored part = read(exchange, raw);
                if (upload.algorithm().isPresent()
                        && !part.checksums().containsKey(upload.algorithm().get().headerName())) {
                    // As S3-compatible stores that follow S3 answer a part without the upload's checksum.
                    answer(exchange, 400, "InvalidRequest", "Checksum Type mismatch occurred, expected checksum Type: "
                            + upload.algorithm().get().awsName() + ", actual checksum Type: null");
                    return;
                }
                upload.parts().put(Integer.parseInt(parameters.get("partNumber")), part);
                respond(exchange, 200, withETag(part), "");
            } else if (method.equals("POST") && parameters.containsKey("uploadId")) {
                complete(exchange, parameters.get("uploadId"), new String(raw, UTF_8));
            } else if (method.equals("PUT")) {
                Stored object = read(exchange, raw);
                objects.put(path, object);
                respond(exchange, 200, withETag(object), "");
            } else {
                answer(exchange, 501, "NotImplemented", "");
            }
        } catch (IllegalArgumentException | AwsChunkedDecoder.DecodingException e) {
            answer(exchange, 400, "InvalidRequest", e.getMessage());
        } finally {
            exchange.close();
        }
    }

    private void complete(HttpExchange exchange, String uploadId, String body) throws IOException {
        Upload upload = uploads.get(uploadId);
        Matcher parts = PART.matcher(body);
        while (parts.find()) {
            Matcher checksum = CRC32.matcher(parts.group());
            if (upload.algorithm().isPresent() && !checksum.find()) {
                // S3's answer to a completion without the part checksums of an upload created with an algorithm.
                answer(exchange, 400, "InvalidRequest", "The upload was created using a "
                        + upload.algorithm().get().awsName().toLowerCase(Locale.ROOT) + " checksum. The complete "
                        + "request must include the checksum for each part.");
                return;
            }
        }
        respond(exchange, 200, Map.of(), "<CompleteMultipartUploadResult><ETag>\"done\"</ETag>"
                + "</CompleteMultipartUploadResult>");
    }

    /** The body as stored: decoded if it came {@code aws-chunked}, with the checksums of its headers or trailer. */
    private static Stored read(HttpExchange exchange, byte[] raw) throws AwsChunkedDecoder.DecodingException {
        String payload = header(exchange, "x-amz-content-sha256");
        Map<String, String> checksums = new LinkedHashMap<>();
        for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
            Optional.ofNullable(header(exchange, algorithm.headerName()))
                    .ifPresent(value -> checksums.put(algorithm.headerName(), value));
        }
        if (!"STREAMING-UNSIGNED-PAYLOAD-TRAILER".equals(payload)) {
            return new Stored(raw, checksums, payload);
        }
        if (!String.valueOf(header(exchange, "Content-Encoding")).startsWith("aws-chunked")) {
            throw new IllegalArgumentException("an aws-chunked payload without Content-Encoding: aws-chunked");
        }
        long decodedLength = Long.parseLong(header(exchange, "x-amz-decoded-content-length"));
        AwsChunkedDecoder decoder = AwsChunkedDecoder.create(null, /* trailer= */ true,
                AwsChunkedDecoder.trailerNames(header(exchange, "x-amz-trailer")), decodedLength);
        var data = new ByteArrayOutputStream();
        decoder.feed(ByteBuffer.wrap(raw), piece -> {
            byte[] bytes = new byte[piece.remaining()];
            piece.get(bytes);
            data.writeBytes(bytes);
        });
        checksums.putAll(decoder.finish());
        if (data.size() != decodedLength) {
            throw new IllegalArgumentException("the body is not x-amz-decoded-content-length long");
        }
        return new Stored(data.toByteArray(), checksums, payload);
    }

    private boolean signedByTheGateway(HttpExchange exchange, String path, String query) {
        SignableRequest.Builder request = SignableRequest.builder().method(exchange.getRequestMethod()).path(path)
                .query(query);
        exchange.getRequestHeaders().forEach((name, values) -> values.forEach(value -> request.addHeader(name, value)));
        SignableRequest signable = request.build();
        try {
            var signed = verifier.parse(signable);
            verifier.verify(signed, signable, "checksum-store-secret".getBytes(UTF_8), Instant.now(),
                    header(exchange, "x-amz-content-sha256"));
            return signed.accessKeyId().equals(KEY.accessKeyId());
        } catch (SigV4Exception e) {
            return false;
        }
    }

    private static Map<String, String> withETag(Stored stored) {
        var headers = new LinkedHashMap<>(stored.checksums());
        headers.put("ETag", "\"" + Integer.toHexString(Arrays.hashCode(stored.data())) + "\"");
        return headers;
    }

    private static Optional<ChecksumAlgorithm> algorithm(String awsName) {
        for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
            if (algorithm.awsName().equalsIgnoreCase(awsName)) {
                return Optional.of(algorithm);
            }
        }
        throw new IllegalArgumentException("no such checksum algorithm: " + awsName);
    }

    private static String header(HttpExchange exchange, String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    private static Map<String, String> parameters(String query) {
        Map<String, String> parameters = new HashMap<>();
        for (String parameter : query.split("&")) {
            int equals = parameter.indexOf('=');
            if (!parameter.isEmpty()) {
                parameters.put(equals < 0 ? parameter : parameter.substring(0, equals),
                        equals < 0 ? "" : parameter.substring(equals + 1));
            }
        }
        return parameters;
    }

    private static void answer(HttpExchange exchange, int status, String code, String message) throws IOException {
        respond(exchange, status, Map.of(), "<Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error>");
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, String body)
            throws IOException {
        headers.forEach(exchange.getResponseHeaders()::add);
        byte[] bytes = body.getBytes(UTF_8);
        if (!body.isEmpty()) {
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
