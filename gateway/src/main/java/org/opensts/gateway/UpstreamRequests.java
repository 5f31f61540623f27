package org.opensts.gateway;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.opensts.gateway.s3.S3Keys;
import org.opensts.gateway.s3.S3ObjectRef;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SignableRequest;
import org.opensts.verifier.ReceivedRequest;

/**
 * Turns an authorized client request into the request the gateway sends upstream: the same method, path and S3
 * semantics (the query without any signature parameters, the {@code x-amz-*}, {@code Content-*}, conditional and
 * range headers), without the client's credentials, its {@code aws-chunked} framing and its hop-by-hop headers, and
 * signed with the gateway's own key. The payload is {@code UNSIGNED-PAYLOAD} with the decoded length, so the body can
 * stream without being hashed first; the gateway has checked it against the client's signature itself.
 */
final class UpstreamRequests {
    /** Headers that belong to the client's signature, its framing or the hop (lower-case). */
    private static final Set<String> DROPPED_HEADERS = Set.of(
            "authorization", "x-amz-security-token", "x-amz-date", "x-amz-content-sha256",
            "x-amz-decoded-content-length", "x-amz-trailer", "x-amz-region-set", "host", "connection", "keep-alive",
            "proxy-connection", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "expect",
            "content-length");
    /** Query parameters of a presigned request (SigV4, SigV4a, S3 SigV2): they authenticate the client, not us. */
    private static final Set<String> SIGNATURE_PARAMETERS = Set.of(
            "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-expires", "x-amz-signedheaders",
            "x-amz-signature", "x-amz-security-token", "x-amz-region-set", "awsaccesskeyid", "signature", "expires");
    /**
     * The headers besides {@code x-amz-*} and {@code Content-*} that carry S3 semantics: caching and expiry stored with
     * an object, conditional requests, ranges. No other header of the client's is sent on: the gateway signs what it
     * sends with its own key, and a header the client did not have to sign (a method override, a forwarded-for, an
     * original URL) could make a store act on something the gateway never authorized.
     */
    private static final Set<String> S3_HEADERS = Set.of("cache-control", "expires", "if-match", "if-none-match",
            "if-modified-since", "if-unmodified-since", "range");
    private static final String AWS_CHUNKED = "aws-chunked";
    private static final String COPY_SOURCE = "x-amz-copy-source";

    private final S3GatewayConfig config;
    private final SigV4Signer signer = SigV4Signer.create(SigV4Signer.Options.defaults()
            .withNormalizePath(false).withDoubleEncodePath(false).withAddContentSha256(true).withUnsignedPayload(true));
    /** Signs the payload form the request names in its own {@code x-amz-content-sha256} (a checksum trailer). */
    private final SigV4Signer streamingSigner = SigV4Signer.create(SigV4Signer.Options.defaults()
            .withNormalizePath(false).withDoubleEncodePath(false).withAddContentSha256(false)
            .withUnsignedPayload(false));

    UpstreamRequests(S3GatewayConfig config) {
        this.config = config;
    }

    /**
     * The signed upstream request for {@code received}.
     *
     * @param rawPath the path to request upstream, percent-encoded
     * @param rawQuery the query to send upstream, without the client's signature parameters
     * @param contentLength the decoded body length, or -1 for a request without a body
     */
    HttpRequest build(ReceivedRequest received, String rawPath, String rawQuery, long contentLength, Instant now) {
        return build(received, rawPath, rawQuery, Optional.empty(), contentLength, now);
    }

    /**
     * The signed upstream request for {@code received}, as {@link #build(ReceivedRequest, String, String, long,
     * Instant)}; {@code copySource} is the object a copy reads, as it was authorized: the request's
     * {@code x-amz-copy-source} (header or query parameter) is replaced by it, written out again, so that the store
     * cannot read the client's spelling ({@code +}, escapes, a {@code ?} inside the key) as another object.
     */
    HttpRequest build(ReceivedRequest received, String rawPath, String rawQuery, Optional<S3ObjectRef> copySource,
            long contentLength, Instant now) {
        return build(received, rawPath, rawQuery, copySource, UpstreamBody.DECODED, contentLength, now);
    }

    /**
     * The signed upstream request for {@code received}, as {@link #build(ReceivedRequest, String, String, Optional,
     * long, Instant)}, its body framed as {@code body} says. A body with a {@linkplain UpstreamBody.ChecksumTrailer
     * checksum trailer} goes as {@code aws-chunked} {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}: its
     * {@code x-amz-decoded-content-length} is {@code contentLength}, its {@code Content-Length} the framed length, and
     * the client's {@code x-amz-sdk-checksum-algorithm} goes with it, since the store now receives the checksum. A body
     * sent {@linkplain UpstreamBody.ChecksumHeaders whole} carries those checksums as {@code x-amz-checksum-*}
     * headers instead.
     */
    HttpRequest build(ReceivedRequest received, String rawPath, String rawQuery, Optional<S3ObjectRef> copySource,
            UpstreamBody body, long contentLength, Instant now) {
        Optional<UpstreamBody.ChecksumTrailer> checksumTrailer = body.checksumTrailer();
        SignableRequest.Builder unsigned = SignableRequest.builder()
                .method(received.method())
                .path(rawPath)
                .query(withoutParameter(rawQuery, COPY_SOURCE))
                .addHeader("Host", config.upstreamHostHeader());
        copySource.ifPresent(source -> unsigned.addHeader(COPY_SOURCE, copySourceHeader(source)));
        boolean trailer = !received.headerValues("x-amz-trailer").isEmpty();
        Set<String> hopByHop = namedByConnection(received);
        for (ReceivedRequest.Header header : received.headers()) {
            String name = header.name().toLowerCase(Locale.ROOT);
            if (DROPPED_HEADERS.contains(name) || name.equals(COPY_SOURCE) || hopByHop.contains(name)
                    || !(name.startsWith("x-amz-") || name.startsWith("content-") || S3_HEADERS.contains(name))) {
                continue;
            }
            if (trailer && !body.carriesTrailerChecksums() && name.equals("x-amz-sdk-checksum-algorithm")) {
                // The checksum came in the client's trailer, checked by the gateway, and this upstream request does
                // not carry it: a store refuses an algorithm named without its checksum.
                continue;
            }
            if (name.equals("content-encoding")) {
                String rest = withoutAwsChunked(header.value());
                if (!rest.isEmpty()) {
                    unsigned.addHeader(header.name(), rest);
                }
                continue;
            }
            unsigned.addHeader(header.name(), header.value());
        }
        if (body instanceof UpstreamBody.ChecksumHeaders headers) {
            headers.checksums().forEach((name, value) -> unsigned.removeHeaders(name).addHeader(name, value));
        }
        SignableRequest signed;
        if (checksumTrailer.isPresent()) {
            UpstreamBody.ChecksumTrailer framing = checksumTrailer.get();
            // aws-chunked comes first when other codings follow (Amazon S3 API Reference, "Transferring payload in
            // multiple chunks"); the decoded length is the object's.
            String others = received.firstHeader("content-encoding").map(UpstreamRequests::withoutAwsChunked)
                    .orElse("");
            unsigned.removeHeaders("Content-Encoding")
                    .addHeader("Content-Encoding", others.isEmpty() ? AWS_CHUNKED : AWS_CHUNKED + "," + others)
                    .addHeader("x-amz-content-sha256", UpstreamBody.ChecksumTrailer.PAYLOAD)
                    .addHeader("x-amz-decoded-content-length", Long.toString(framing.decodedLength()))
                    .addHeader("x-amz-trailer", framing.trailerHeader())
                    .addHeader("Content-Length", Long.toString(framing.encodedLength()));
            signed = streamingSigner.sign(unsigned.build(), config.upstreamCredentials(), config.region(), "s3", now);
        } else {
            if (contentLength >= 0) {
                unsigned.addHeader("Content-Length", Long.toString(contentLength));
            }
            signed = signer.sign(unsigned.build(), config.upstreamCredentials(), config.region(), "s3", now);
        }
        String query = signed.query();
        var request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(signed.method()),
                query.isEmpty() ? signed.path() : signed.path() + "?" + query);
        for (int i = 0; i < signed.headerCount(); i++) {
            request.headers().add(signed.headerName(i), signed.headerValue(i));
        }
        return request;
    }

    /** How the body of {@code received}, {@code decodedLength} bytes decoded, is framed as it streams upstream. */
    UpstreamBody bodyFor(ReceivedRequest received, long decodedLength) {
        return UpstreamBody.of(received, decodedLength, config.upstreamChecksumTrailers());
    }

    /** A bodiless GET of the gateway's own (GetObjectTagging for a decision), signed. */
    SignableRequest signGet(String rawPath, String rawQuery, Instant now) {
        return signBodiless("GET", rawPath, rawQuery, now);
    }

    /** A bodiless request of the gateway's own ({@code GET}, {@code HEAD}), signed. */
    SignableRequest signBodiless(String method, String rawPath, String rawQuery, Instant now) {
        SignableRequest unsigned = SignableRequest.builder().method(method).path(rawPath).query(rawQuery)
                .addHeader("Host", config.upstreamHostHeader()).build();
        return signer.sign(unsigned, config.upstreamCredentials(), config.region(), "s3", now);
    }

    /** {@code x-amz-copy-source} for {@code source}: {@code /bucket/key}, the key encoded, and its version. */
    static String copySourceHeader(S3ObjectRef source) {
        return "/" + S3Keys.encodePath(source.bucket()) + "/" + S3Keys.encodePath(source.key())
                + source.versionId().map(version -> "?versionId=" + S3Keys.encodeQuery(version)).orElse("");
    }

    /** The query string without the parameter {@code name} (matched regardless of case). */
    private static String withoutParameter(String rawQuery, String name) {
        if (rawQuery.isEmpty()) {
            return rawQuery;
        }
        List<String> kept = new ArrayList<>();
        for (String parameter : rawQuery.split("&", -1)) {
            int equals = parameter.indexOf('=');
            if (!(equals < 0 ? parameter : parameter.substring(0, equals)).equalsIgnoreCase(name)) {
                kept.add(parameter);
            }
        }
        return String.join("&", kept);
    }

    /** The query string without the parameters that carried the client's signature, the others as sent. */
    static String withoutSignatureParameters(String rawQuery) {
        if (rawQuery.isEmpty()) {
            return rawQuery;
        }
        List<String> kept = new ArrayList<>();
        for (String parameter : rawQuery.split("&", -1)) {
            int equals = parameter.indexOf('=');
            String name = (equals < 0 ? parameter : parameter.substring(0, equals)).toLowerCase(Locale.ROOT);
            if (!SIGNATURE_PARAMETERS.contains(name) && !parameter.isEmpty()) {
                kept.add(parameter);
            }
        }
        return String.join("&", kept);
    }

    /** A {@code Content-Encoding} value without the {@code aws-chunked} token, the other codings in order. */
    static String withoutAwsChunked(String contentEncoding) {
        List<String> kept = new ArrayList<>();
        for (String coding : contentEncoding.split(",")) {
            String trimmed = coding.strip();
            if (!trimmed.isEmpty() && !trimmed.equalsIgnoreCase(AWS_CHUNKED)) {
                kept.add(trimmed);
            }
        }
        return String.join(",", kept);
    }

    /** The headers the client's {@code Connection} names: this hop's alone, never forwarded (RFC 9110 §7.6.1). */
    private static Set<String> namedByConnection(ReceivedRequest received) {
        Set<String> names = new HashSet<>();
        for (String value : received.headerValues("connection")) {
            for (String token : value.split(",")) {
                if (!token.isBlank()) {
                    names.add(token.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }
}
