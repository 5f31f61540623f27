package org.opensts.gateway.s3;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.opensts.verifier.ReceivedRequest;

/**
 * From a received S3 request to the {@link S3Operation} it is: the S3 API operation, its bucket and key, and every
 * permission S3 checks for it, with the S3 condition keys the request supplies (Amazon S3 User Guide, "Required
 * permissions for Amazon S3 API operations" and "Amazon S3 condition key examples"; Service Authorization Reference,
 * "Actions, resources, and condition keys for Amazon S3"). The table is also in {@code docs/S3_GATEWAY.md}, "What
 * each request needs".
 *
 * <p>Design: a request is matched against a fixed list of {@link Route}s by method, by whether it names a bucket and
 * a key, and by its query parameters: each route names the parameters that select it (the sub-resource, such as
 * {@code ?tagging} or {@code ?uploadId}) and the only other parameters it accepts. A request that matches no route —
 * an unknown method, a sub-resource this gateway does not serve, a parameter it does not know, two sub-resources at
 * once — is {@code NotImplemented}: nothing unrecognised is ever authorized as some other operation. Query
 * parameters named {@code x-amz-*} count as headers, as S3 treats them (presigned URLs carry headers there), so a
 * copy source cannot hide in the query. Pure: no I/O, no clock (the caller passes the receive time).
 *
 * <p>Addressing: a request whose {@code Host} is {@code <bucket>.<base host>} for one of the configured base hosts
 * is virtual-hosted-style (the whole path is the key); any other is path-style ({@code /bucket/key}). Nothing in a
 * path is normalised: {@code //}, {@code ..} and a trailing {@code /} are part of the key.
 *
 * <p>The gateway should send the upstream the operation as classified — the path rebuilt from {@link
 * S3Operation#bucket()} and {@link S3Operation#key()} with {@link S3Keys#encodePath} — rather than the raw path, so
 * that the upstream acts on exactly what was authorized.
 */
public final class S3RequestClassifier {

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "PUT", "POST", "DELETE");
    /** The signing parameters of presigned URLs (SigV4, SigV4a, S3's Signature Version 2), and SDK hints. */
    private static final Set<String> SIGNING_PARAMETERS = Set.of("X-Amz-Algorithm", "X-Amz-Credential",
            "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token",
            "X-Amz-Region-Set", "AWSAccessKeyId", "Signature", "Expires", "x-id");
    private static final Set<String> RESPONSE_OVERRIDES = Set.of("response-cache-control",
            "response-content-disposition", "response-content-encoding", "response-content-language",
            "response-content-type", "response-expires");
    private static final List<String> GRANT_HEADERS = List.of("x-amz-grant-full-control", "x-amz-grant-read",
            "x-amz-grant-read-acp", "x-amz-grant-write", "x-amz-grant-write-acp");
    private static final DateTimeFormatter BASIC_ISO = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final String TAGGING_HEADER_MESSAGE = "The header 'x-amz-tagging' shall be encoded as UTF-8 then "
            + "URLEncoded URL query parameters without tag name duplicates.";

    /** What a request addresses. */
    private enum Level { SERVICE, BUCKET, OBJECT }

    /**
     * One operation's shape: method, level, the parameters that select it, the others it accepts.
     */
    private record Route(String method, Level level, String operation, Set<String> selectors, Set<String> optional) {
        boolean matches(String requestMethod, Level requestLevel, Set<String> parameters) {
            if (!method.equals(requestMethod) || level != requestLevel || !parameters.containsAll(selectors)) {
                return false;
            }
            for (String parameter : parameters) {
                if (!selectors.contains(parameter) && !optional.contains(parameter)
                        && !(optional.contains("response-*") && RESPONSE_OVERRIDES.contains(parameter))) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final Set<String> LIST_V1 = Set.of("delimiter", "encoding-type", "max-keys", "prefix", "marker");
    private static final Set<String> LIST_V2 = Set.of("delimiter", "encoding-type", "max-keys", "prefix",
            "continuation-token", "fetch-owner", "start-after");
    private static final Set<String> VERSION = Set.of("versionId");

    private static final List<Route> ROUTES = List.of(
            new Route("GET", Level.SERVICE, "ListBuckets", Set.of(),
                    Set.of("max-buckets", "continuation-token", "prefix", "bucket-region")),

            new Route("GET", Level.BUCKET, "ListObjectsV2", Set.of("list-type"), LIST_V2),
            new Route("GET", Level.BUCKET, "ListObjectVersions", Set.of("versions"),
                    Set.of("delimiter", "encoding-type", "key-marker", "max-keys", "prefix", "version-id-marker")),
            new Route("GET", Level.BUCKET, "ListMultipartUploads", Set.of("uploads"),
                    Set.of("delimiter", "encoding-type", "key-marker", "max-uploads", "prefix", "upload-id-marker")),
            new Route("GET", Level.BUCKET, "GetBucketLocation", Set.of("location"), Set.of()),
            new Route("GET", Level.BUCKET, "GetBucketTagging", Set.of("tagging"), Set.of()),
            new Route("GET", Level.BUCKET, "GetBucketPolicy", Set.of("policy"), Set.of()),
            new Route("GET", Level.BUCKET, "GetBucketAcl", Set.of("acl"), Set.of()),
            new Route("GET", Level.BUCKET, "GetBucketVersioning", Set.of("versioning"), Set.of()),
            new Route("GET", Level.BUCKET, "ListObjects", Set.of(), LIST_V1),
            new Route("HEAD", Level.BUCKET, "HeadBucket", Set.of(), Set.of()),
            new Route("PUT", Level.BUCKET, "PutBucketTagging", Set.of("tagging"), Set.of()),
            new Route("PUT", Level.BUCKET, "PutBucketPolicy", Set.of("policy"), Set.of()),
            new Route("PUT", Level.BUCKET, "PutBucketAcl", Set.of("acl"), Set.of()),
            new Route("PUT", Level.BUCKET, "PutBucketVersioning", Set.of("versioning"), Set.of()),
            new Route("PUT", Level.BUCKET, "CreateBucket", Set.of(), Set.of()),
            new Route("DELETE", Level.BUCKET, "DeleteBucketTagging", Set.of("tagging"), Set.of()),
            new Route("DELETE", Level.BUCKET, "DeleteBucketPolicy", Set.of("policy"), Set.of()),
            new Route("DELETE", Level.BUCKET, "DeleteBucket", Set.of(), Set.of()),
            new Route("POST", Level.BUCKET, S3Operation.DELETE_OBJECTS, Set.of("delete"), Set.of()),

            new Route("GET", Level.OBJECT, "GetObjectTagging", Set.of("tagging"), VERSION),
            new Route("GET", Level.OBJECT, "GetObjectAcl", Set.of("acl"), VERSION),
            new Route("GET", Level.OBJECT, "ListParts", Set.of("uploadId"), Set.of("max-parts", "part-number-marker")),
            new Route("GET", Level.OBJECT, "GetObject", Set.of(), Set.of("versionId", "partNumber", "response-*")),
            new Route("HEAD", Level.OBJECT, "HeadObject", Set.of(), Set.of("versionId", "partNumber", "response-*")),
            new Route("PUT", Level.OBJECT, "UploadPart", Set.of("partNumber", "uploadId"), Set.of()),
            new Route("PUT", Level.OBJECT, "PutObjectTagging", Set.of("tagging"), VERSION),
            new Route("PUT", Level.OBJECT, "PutObjectAcl", Set.of("acl"), VERSION),
            new Route("PUT", Level.OBJECT, "PutObject", Set.of(), Set.of()),
            new Route("DELETE", Level.OBJECT, "DeleteObjectTagging", Set.of("tagging"), VERSION),
            new Route("DELETE", Level.OBJECT, "AbortMultipartUpload", Set.of("uploadId"), Set.of()),
            new Route("DELETE", Level.OBJECT, "DeleteObject", Set.of(), VERSION),
            new Route("POST", Level.OBJECT, "CreateMultipartUpload", Set.of("uploads"), Set.of()),
            new Route("POST", Level.OBJECT, "CompleteMultipartUpload", Set.of("uploadId"), Set.of()));

    private final List<String> baseHosts;

    /**
     * @param baseHosts the host names clients address the gateway by (e.g. {@code s3.example.com}); a request to
     *     {@code <bucket>.<base host>} is virtual-hosted-style. Empty means path-style only.
     */
    public S3RequestClassifier(Collection<String> baseHosts) {
        this.baseHosts = baseHosts.stream().map(host -> host.toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * Classifies a request.
     *
     * @param request the request as received (its path and query still encoded)
     * @param receivedAt when it arrived, for {@code s3:signatureAge}
     * @return the operation and the authorizations S3 checks for it
     * @throws S3Exception with the error S3 answers: {@code NotImplemented} for anything that is not an operation this
     *     gateway serves; {@code InvalidURI}, {@code InvalidBucketName}, {@code KeyTooLongError},
     *     {@code InvalidArgument} for a request S3 would refuse before authorizing it
     */
    public S3Operation classify(ReceivedRequest request, Instant receivedAt) throws S3Exception {
        requireNonNull(request, "request");
        requireNonNull(receivedAt, "receivedAt");
        if (!METHODS.contains(request.method()) || hasTransferCodingOtherThanChunked(request)) {
            throw notImplemented();
        }
        Map<String, String> query = parseQuery(request.rawQuery());
        Headers headers = Headers.of(request, query);
        query.keySet().removeIf(name -> SIGNING_PARAMETERS.contains(name)
                || name.toLowerCase(Locale.ROOT).startsWith("x-amz-"));

        String path = S3Keys.decodePath(request.rawPath());
        if (!path.startsWith("/")) {
            throw S3Error.of(S3ErrorCode.INVALID_URI).toException();
        }
        Optional<String> virtualBucket = virtualHostedBucket(request);
        String bucket;
        String key;
        if (virtualBucket.isPresent()) {
            bucket = virtualBucket.get();
            key = path.substring(1);
        } else {
            int slash = path.indexOf('/', 1);
            bucket = slash < 0 ? path.substring(1) : path.substring(1, slash);
            key = slash < 0 ? "" : path.substring(slash + 1);
        }
        Level level = bucket.isEmpty() ? Level.SERVICE : key.isEmpty() ? Level.BUCKET : Level.OBJECT;
        Route route = route(request.method(), level, query.keySet());

        var context = new Context(route.operation(), bucket, key, query, headers, baseKeys(request, headers,
                receivedAt));
        if (level != Level.SERVICE) {
            checkBucketName(bucket, route.operation().equals("CreateBucket"));
        }
        if (level == Level.OBJECT && S3Keys.utf8Length(key) > S3Keys.MAX_KEY_BYTES) {
            throw S3Error.of(S3ErrorCode.KEY_TOO_LONG).toException();
        }
        return context.authorize();
    }

    private static Route route(String method, Level level, Set<String> parameters) throws S3Exception {
        for (Route route : ROUTES) {
            if (route.matches(method, level, parameters)) {
                return route;
            }
        }
        throw notImplemented();
    }

    /** The bucket named by the {@code Host} header, for a virtual-hosted-style request. */
    private Optional<String> virtualHostedBucket(ReceivedRequest request) {
        Optional<String> hostHeader = request.firstHeader("Host");
        if (hostHeader.isEmpty() || baseHosts.isEmpty()) {
            return Optional.empty();
        }
        String host = hostHeader.get().strip().toLowerCase(Locale.ROOT);
        if (!host.endsWith("]")) {
            int colon = host.lastIndexOf(':');
            if (colon >= 0) {
                host = host.substring(0, colon);
            }
        }
        // A fully qualified name may end in a dot; it is the same host.
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        for (String base : baseHosts) {
            if (host.length() > base.length() + 1 && host.endsWith(base)
                    && host.charAt(host.length() - base.length() - 1) == '.') {
                return Optional.of(host.substring(0, host.length() - base.length() - 1));
            }
        }
        return Optional.empty();
    }

    /**
     * Bucket names as S3 accepts them (Amazon S3 User Guide, "General purpose bucket naming rules"): a new bucket
     * follows the current rules (3 to 63 lower-case letters, digits, dots and hyphens, a letter or digit at each end,
     * no {@code ..}); an existing one may have a legacy name (up to 255 letters, digits, dots, hyphens, underscores).
     * Either way the name can hold no character that means something in an ARN or a policy pattern.
     */
    private static void checkBucketName(String bucket, boolean creating) throws S3Exception {
        boolean valid;
        if (creating) {
            valid = bucket.length() >= 3 && bucket.length() <= 63 && bucket.chars().allMatch(
                    c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')
                    && isLetterOrDigit(bucket.charAt(0)) && isLetterOrDigit(bucket.charAt(bucket.length() - 1))
                    && !bucket.contains("..");
        } else {
            valid = bucket.length() <= 255 && bucket.chars().allMatch(
                    c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                            || c == '-' || c == '_');
        }
        if (!valid) {
            throw S3Error.of(S3ErrorCode.INVALID_BUCKET_NAME).withDetail("BucketName", bucket).toException();
        }
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    /**
     * The query as decoded names and values, in order. A parameter without {@code =} has the value "". A name given
     * twice is refused: two values of one parameter leave it open which one the upstream would act on.
     */
    private static Map<String, String> parseQuery(String rawQuery) throws S3Exception {
        var parameters = new LinkedHashMap<String, String>();
        if (rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = S3Keys.decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : S3Keys.decodeQuery(pair.substring(eq + 1));
            if (parameters.putIfAbsent(name, value) != null) {
                throw S3Error.of(S3ErrorCode.INVALID_ARGUMENT, "Query parameter " + name + " was given more than once")
                        .withDetail("ArgumentName", name).toException();
            }
        }
        return parameters;
    }

    /** The keys every S3 action takes: how the request was signed, and when. */
    private static Map<String, List<String>> baseKeys(ReceivedRequest request, Headers headers, Instant receivedAt) {
        var keys = new LinkedHashMap<String, List<String>>();
        SigningForm form = SigningForm.of(request);
        if (form != SigningForm.NONE) {
            keys.put(S3ConditionKeys.AUTH_TYPE, List.of(form.authType()));
        }
        signatureVersion(request, form).ifPresent(v -> keys.put(S3ConditionKeys.SIGNATURE_VERSION, List.of(v)));
        signedAt(request, headers, form).ifPresent(signed -> keys.put(S3ConditionKeys.SIGNATURE_AGE,
                List.of(Long.toString(Math.max(0, Duration.between(signed, receivedAt).toMillis())))));
        headers.get("x-amz-content-sha256").ifPresent(v -> keys.put(S3ConditionKeys.X_AMZ_CONTENT_SHA256, List.of(v)));
        return keys;
    }

    /** {@code s3:signatureversion}: {@code AWS} for Signature Version 2, else the SigV4(a) algorithm. */
    private static Optional<String> signatureVersion(ReceivedRequest request, SigningForm form) {
        if (form == SigningForm.HEADER) {
            String authorization = request.firstHeader("Authorization").orElseThrow().strip();
            if (authorization.startsWith("AWS ")) {
                return Optional.of("AWS");
            }
            int space = authorization.indexOf(' ');
            return Optional.of(space < 0 ? authorization : authorization.substring(0, space));
        }
        if (form == SigningForm.QUERY) {
            Map<String, String> raw = rawQueryParameters(request.rawQuery());
            if (raw.containsKey("X-Amz-Algorithm")) {
                return Optional.of(raw.get("X-Amz-Algorithm"));
            }
            return Optional.of("AWS");
        }
        return Optional.empty();
    }

    /** When the request was signed: {@code X-Amz-Date} (header or query), else a SigV2 header's {@code Date}. */
    private static Optional<Instant> signedAt(ReceivedRequest request, Headers headers, SigningForm form) {
        Optional<String> amzDate = form == SigningForm.QUERY
                ? Optional.ofNullable(rawQueryParameters(request.rawQuery()).get("X-Amz-Date"))
                : headers.get("x-amz-date");
        if (form == SigningForm.HEADER && amzDate.isEmpty()) {
            amzDate = headers.get("date");
        }
        if (form == SigningForm.NONE || amzDate.isEmpty()) {
            return Optional.empty();
        }
        String value = amzDate.get();
        try {
            return Optional.of(LocalDateTime.parse(value, BASIC_ISO).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException notBasic) {
            try {
                return Optional.of(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException notHttpDate) {
                // The verifier refuses a request whose date it cannot read; here the key is simply absent.
                return Optional.empty();
            }
        }
    }

    private static Map<String, String> rawQueryParameters(String rawQuery) {
        var parameters = new LinkedHashMap<String, String>();
        for (String pair : rawQuery.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    parameters.putIfAbsent(pair.substring(0, eq), S3Keys.decodeQuery(pair.substring(eq + 1)));
                } catch (S3Exception e) {
                    // parseQuery has refused the request already.
                }
            }
        }
        return parameters;
    }

    /**
     * Whether the body comes in a transfer coding other than {@code chunked}, such as {@code gzip, chunked}: S3 answers
     * {@code NotImplemented}, and the gateway would otherwise pass the body on still coded. (The HTTP codec refuses
     * the forms whose body length cannot be known.)
     */
    private static boolean hasTransferCodingOtherThanChunked(ReceivedRequest request) {
        for (String value : request.headerValues("Transfer-Encoding")) {
            for (String coding : value.split(",", -1)) {
                if (!coding.strip().equalsIgnoreCase("chunked")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static S3Exception notImplemented() {
        return S3Error.of(S3ErrorCode.NOT_IMPLEMENTED).toException();
    }

    /**
     * The request's headers by lower-case name, with the query's {@code x-amz-*} parameters among them. A header given
     * twice (or in both places) with different values is refused.
     */
    private record Headers(Map<String, String> values) {
        static Headers of(ReceivedRequest request, Map<String, String> query) throws S3Exception {
            var values = new LinkedHashMap<String, String>();
            for (ReceivedRequest.Header header : request.headers()) {
                put(values, header.name().toLowerCase(Locale.ROOT), header.value().strip());
            }
            for (Map.Entry<String, String> parameter : query.entrySet()) {
                String name = parameter.getKey().toLowerCase(Locale.ROOT);
                if (name.startsWith("x-amz-") && !SIGNING_PARAMETERS.contains(parameter.getKey())) {
                    put(values, name, parameter.getValue().strip());
                }
            }
            return new Headers(values);
        }

        private static void put(Map<String, String> values, String name, String value) throws S3Exception {
            String previous = values.putIfAbsent(name, value);
            if (previous != null && !previous.equals(value) && name.startsWith("x-amz-")) {
                throw S3Error.of(S3ErrorCode.INVALID_ARGUMENT, "Header " + name + " was given more than once")
                        .withDetail("ArgumentName", name).toException();
            }
        }

        Optional<String> get(String lowerCaseName) {
            return Optional.ofNullable(values.get(lowerCaseName));
        }

        boolean has(String lowerCaseName) {
            return values.containsKey(lowerCaseName);
        }
    }

    /** One request being turned into its authorizations. */
    private static final class Context {
        private final String operation;
        private final String bucket;
        private final String key;
        private final Map<String, String> query;
        private final Headers headers;
        private final Map<String, List<String>> base;
        private final List<S3Authorization> authorizations = new ArrayList<>();
        private Optional<String> versionId = Optional.empty();
        private Optional<S3ObjectRef> copySource = Optional.empty();

        Context(String operation, String bucket, String key, Map<String, String> query, Headers headers,
                Map<String, List<String>> base) {
            this.operation = operation;
            this.bucket = bucket;
            this.key = key;
            this.query = query;
            this.headers = headers;
            this.base = base;
        }

        S3Operation authorize() throws S3Exception {
            if (query.containsKey("versionId")) {
                String version = query.get("versionId");
                if (version.isEmpty()) {
                    throw S3Error.of(S3ErrorCode.INVALID_ARGUMENT, "Version id cannot be the empty string")
                            .withDetail("ArgumentName", "versionId").withDetail("ArgumentValue", "").toException();
                }
                versionId = Optional.of(version);
            }
            boolean pendingBody = false;
            boolean pendingTags = false;
            switch (operation) {
                case "ListBuckets" -> add("s3:ListAllMyBuckets", S3Arns.ALL_RESOURCES, Map.of());
                case "ListObjects", "ListObjectsV2" -> {
                    if (operation.equals("ListObjectsV2") && !query.get("list-type").equals("2")) {
                        throw S3Error.of(S3ErrorCode.INVALID_ARGUMENT, "Invalid List Type specified")
                                .withDetail("ArgumentName", "list-type")
                                .withDetail("ArgumentValue", query.get("list-type")).toException();
                    }
                    addBucket("s3:ListBucket", listKeys());
                }
                case "ListObjectVersions" -> addBucket("s3:ListBucketVersions", listKeys());
                case "ListMultipartUploads" -> addBucket("s3:ListBucketMultipartUploads", Map.of());
                case "HeadBucket" -> addBucket("s3:ListBucket", Map.of());
                case "GetBucketLocation" -> addBucket("s3:GetBucketLocation", Map.of());
                case "GetBucketTagging" -> addBucket("s3:GetBucketTagging", Map.of());
                // S3 has no action of its own for DeleteBucketTagging: it needs s3:PutBucketTagging.
                case "PutBucketTagging", "DeleteBucketTagging" -> addBucket("s3:PutBucketTagging", Map.of());
                case "GetBucketPolicy" -> addBucket("s3:GetBucketPolicy", Map.of());
                case "PutBucketPolicy" -> addBucket("s3:PutBucketPolicy", Map.of());
                case "DeleteBucketPolicy" -> addBucket("s3:DeleteBucketPolicy", Map.of());
                case "GetBucketAcl" -> addBucket("s3:GetBucketAcl", Map.of());
                case "PutBucketAcl" -> addBucket("s3:PutBucketAcl", aclKeys());
                case "GetBucketVersioning" -> addBucket("s3:GetBucketVersioning", Map.of());
                case "PutBucketVersioning" -> addBucket("s3:PutBucketVersioning", Map.of());
                case "DeleteBucket" -> addBucket("s3:DeleteBucket", Map.of());
                case "CreateBucket" -> createBucket();
                case S3Operation.DELETE_OBJECTS -> {
                    // A template with the request-wide keys; the per-key authorizations come with the body.
                    addBucket("s3:DeleteObject", Map.of());
                    pendingBody = true;
                }
                case "GetObject", "HeadObject" -> addObjectVersioned("s3:GetObject", "s3:GetObjectVersion", Map.of(),
                        /* existingTags= */ true);
                case "GetObjectTagging" -> addObjectVersioned("s3:GetObjectTagging", "s3:GetObjectVersionTagging",
                        Map.of(), true);
                case S3Operation.PUT_OBJECT_TAGGING -> {
                    addObjectVersioned("s3:PutObjectTagging", "s3:PutObjectVersionTagging", Map.of(), true);
                    pendingTags = true;
                }
                case "DeleteObjectTagging" -> addObjectVersioned("s3:DeleteObjectTagging",
                        "s3:DeleteObjectVersionTagging", Map.of(), true);
                case "GetObjectAcl" -> addObjectVersioned("s3:GetObjectAcl", "s3:GetObjectVersionAcl", Map.of(), true);
                case "PutObjectAcl" -> addObjectVersioned("s3:PutObjectAcl", "s3:PutObjectVersionAcl", aclKeys(),
                        true);
                case "DeleteObject" -> {
                    addObjectVersioned("s3:DeleteObject", "s3:DeleteObjectVersion", Map.of(), false);
                    if (headers.get("x-amz-bypass-governance-retention").filter("true"::equalsIgnoreCase)
                            .isPresent()) {
                        addObject("s3:BypassGovernanceRetention", Map.of(), false);
                    }
                }
                case "PutObject", "CreateMultipartUpload" -> {
                    if (operation.equals("PutObject") && headers.has("x-amz-copy-source")) {
                        return copy("CopyObject");
                    }
                    putObject(Map.of());
                }
                case "UploadPart" -> {
                    if (headers.has("x-amz-copy-source")) {
                        return copy("UploadPartCopy");
                    }
                    addObject("s3:PutObject", sseKeys(), false);
                }
                case "CompleteMultipartUpload" -> addObject("s3:PutObject", Map.of(), false);
                case "AbortMultipartUpload" -> addObject("s3:AbortMultipartUpload", Map.of(), false);
                case "ListParts" -> addObject("s3:ListMultipartUploadParts", Map.of(), false);
                default -> throw new IllegalStateException("A route without authorizations: " + operation);
            }
            return operation(operation, pendingBody, pendingTags);
        }

        private S3Operation operation(String name, boolean pendingBody, boolean pendingTags) {
            return new S3Operation(name, bucket.isEmpty() ? Optional.empty() : Optional.of(bucket),
                    key.isEmpty() ? Optional.empty() : Optional.of(key), versionId, copySource, authorizations,
                    pendingBody, pendingTags);
        }

        /** CopyObject and UploadPartCopy: write the destination, read the source. */
        private S3Operation copy(String name) throws S3Exception {
            S3ObjectRef source = copySource(headers.get("x-amz-copy-source").orElseThrow());
            copySource = Optional.of(source);
            var copyKeys = new LinkedHashMap<String, List<String>>();
            copyKeys.put(S3ConditionKeys.X_AMZ_COPY_SOURCE, List.of(source.bucket() + '/' + source.key()));
            if (name.equals("CopyObject")) {
                header(copyKeys, "x-amz-metadata-directive", S3ConditionKeys.X_AMZ_METADATA_DIRECTIVE);
                putObject(copyKeys);
            } else {
                copyKeys.putAll(sseKeys());
                addObject("s3:PutObject", copyKeys, false);
            }
            var sourceKeys = new LinkedHashMap<String, List<String>>();
            String action = "s3:GetObject";
            if (source.versionId().isPresent()) {
                action = "s3:GetObjectVersion";
                sourceKeys.put(S3ConditionKeys.VERSION_ID, List.of(source.versionId().get()));
            }
            add(action, source.arn(), sourceKeys, Optional.of(source));
            return operation(name, false, false);
        }

        /**
         * The {@code x-amz-copy-source} header: {@code [/]bucket/key[?versionId=id]}, the key percent-encoded
         * (Amazon S3 API Reference, "CopyObject").
         */
        private static S3ObjectRef copySource(String header) throws S3Exception {
            String raw = header;
            Optional<String> version = Optional.empty();
            int question = raw.indexOf('?');
            if (question >= 0) {
                String suffix = raw.substring(question + 1);
                raw = raw.substring(0, question);
                if (!suffix.startsWith("versionId=") || suffix.length() == "versionId=".length()
                        || suffix.indexOf('&') >= 0) {
                    throw badCopySource();
                }
                version = Optional.of(S3Keys.decodeQuery(suffix.substring("versionId=".length())));
            }
            String decoded = S3Keys.decodePath(raw);
            if (decoded.startsWith("/")) {
                decoded = decoded.substring(1);
            }
            int slash = decoded.indexOf('/');
            if (slash <= 0 || slash == decoded.length() - 1) {
                throw badCopySource();
            }
            String sourceBucket = decoded.substring(0, slash);
            String sourceKey = decoded.substring(slash + 1);
            try {
                checkBucketName(sourceBucket, false);
            } catch (S3Exception e) {
                throw badCopySource();
            }
            if (S3Keys.utf8Length(sourceKey) > S3Keys.MAX_KEY_BYTES) {
                throw S3Error.of(S3ErrorCode.KEY_TOO_LONG).toException();
            }
            return new S3ObjectRef(sourceBucket, sourceKey, version);
        }

        private static S3Exception badCopySource() {
            return S3Error.of(S3ErrorCode.INVALID_ARGUMENT,
                    "Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
                    .withDetail("ArgumentName", "x-amz-copy-source").toException();
        }

        /**
         * PutObject, CreateMultipartUpload and CopyObject's destination: {@code s3:PutObject} with the write keys, and
         * the extra actions S3 requires when the request also sets an ACL, tags, or an object lock.
         */
        private void putObject(Map<String, List<String>> extraKeys) throws S3Exception {
            var keys = new LinkedHashMap<String, List<String>>(extraKeys);
            keys.putAll(aclKeys());
            keys.putAll(sseKeys());
            header(keys, "x-amz-storage-class", S3ConditionKeys.X_AMZ_STORAGE_CLASS);
            header(keys, "x-amz-website-redirect-location", S3ConditionKeys.X_AMZ_WEBSITE_REDIRECT_LOCATION);
            header(keys, "x-amz-object-lock-mode", S3ConditionKeys.OBJECT_LOCK_MODE);
            header(keys, "x-amz-object-lock-retain-until-date", S3ConditionKeys.OBJECT_LOCK_RETAIN_UNTIL_DATE);
            header(keys, "x-amz-object-lock-legal-hold", S3ConditionKeys.OBJECT_LOCK_LEGAL_HOLD);
            Map<String, List<String>> tagKeys = requestTagKeys();
            keys.putAll(tagKeys);
            addObject("s3:PutObject", keys, false);
            if (!aclKeys().isEmpty()) {
                addObject("s3:PutObjectAcl", aclKeys(), false);
            }
            if (headers.has("x-amz-tagging")) {
                addObject("s3:PutObjectTagging", tagKeys, false);
            }
            if (headers.has("x-amz-object-lock-mode") || headers.has("x-amz-object-lock-retain-until-date")) {
                addObject("s3:PutObjectRetention", Map.of(), false);
            }
            if (headers.has("x-amz-object-lock-legal-hold")) {
                addObject("s3:PutObjectLegalHold", Map.of(), false);
            }
        }

        /**
         * CreateBucket, and the actions S3 requires for what its headers also set: an ACL
         * ({@code s3:PutBucketAcl}), object ownership ({@code s3:PutBucketOwnershipControls}), object lock
         * ({@code s3:PutBucketObjectLockConfiguration} and {@code s3:PutBucketVersioning}).
         */
        private void createBucket() {
            var keys = new LinkedHashMap<>(aclKeys());
            header(keys, "x-amz-object-ownership", S3ConditionKeys.X_AMZ_OBJECT_OWNERSHIP);
            addBucket("s3:CreateBucket", keys);
            if (!aclKeys().isEmpty()) {
                addBucket("s3:PutBucketAcl", aclKeys());
            }
            if (headers.has("x-amz-object-ownership")) {
                addBucket("s3:PutBucketOwnershipControls", Map.of());
            }
            if (headers.get("x-amz-bucket-object-lock-enabled").filter("true"::equalsIgnoreCase).isPresent()) {
                addBucket("s3:PutBucketObjectLockConfiguration", Map.of());
                addBucket("s3:PutBucketVersioning", Map.of());
            }
        }

        /** {@code s3:prefix}, {@code s3:delimiter}, {@code s3:max-keys} from the query, when given. */
        private Map<String, List<String>> listKeys() {
            var keys = new LinkedHashMap<String, List<String>>();
            if (query.containsKey("prefix")) {
                keys.put(S3ConditionKeys.PREFIX, List.of(query.get("prefix")));
            }
            if (query.containsKey("delimiter")) {
                keys.put(S3ConditionKeys.DELIMITER, List.of(query.get("delimiter")));
            }
            if (query.containsKey("max-keys")) {
                keys.put(S3ConditionKeys.MAX_KEYS, List.of(query.get("max-keys")));
            }
            return keys;
        }

        /** {@code s3:x-amz-acl} and {@code s3:x-amz-grant-*}, when the request sets an ACL by header. */
        private Map<String, List<String>> aclKeys() {
            var keys = new LinkedHashMap<String, List<String>>();
            header(keys, "x-amz-acl", S3ConditionKeys.X_AMZ_ACL);
            for (String grant : GRANT_HEADERS) {
                header(keys, grant, "s3:" + grant);
            }
            return keys;
        }

        /** The server-side encryption keys. */
        private Map<String, List<String>> sseKeys() {
            var keys = new LinkedHashMap<String, List<String>>();
            header(keys, "x-amz-server-side-encryption", S3ConditionKeys.X_AMZ_SERVER_SIDE_ENCRYPTION);
            header(keys, "x-amz-server-side-encryption-aws-kms-key-id",
                    S3ConditionKeys.X_AMZ_SERVER_SIDE_ENCRYPTION_AWS_KMS_KEY_ID);
            header(keys, "x-amz-server-side-encryption-customer-algorithm",
                    S3ConditionKeys.X_AMZ_SERVER_SIDE_ENCRYPTION_CUSTOMER_ALGORITHM);
            return keys;
        }

        /**
         * {@code s3:RequestObjectTag/<key>} and {@code s3:RequestObjectTagKeys} from {@code x-amz-tagging}, which is
         * form-encoded like a query string ({@code k1=v1&k2=v2}).
         */
        private Map<String, List<String>> requestTagKeys() throws S3Exception {
            Optional<String> tagging = headers.get("x-amz-tagging");
            var keys = new LinkedHashMap<String, List<String>>();
            if (tagging.isEmpty() || tagging.get().isEmpty()) {
                return keys;
            }
            var tags = new LinkedHashMap<String, String>();
            for (String pair : tagging.get().split("&", -1)) {
                int eq = pair.indexOf('=');
                String name;
                String value;
                try {
                    name = S3Keys.decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
                    value = eq < 0 ? "" : S3Keys.decodeQuery(pair.substring(eq + 1));
                } catch (S3Exception e) {
                    throw badTagging();
                }
                if (name.isEmpty() || tags.putIfAbsent(name, value) != null) {
                    throw badTagging();
                }
            }
            tags.forEach((name, value) -> keys.put(S3ConditionKeys.REQUEST_OBJECT_TAG_PREFIX + name,
                    List.of(value)));
            keys.put(S3ConditionKeys.REQUEST_OBJECT_TAG_KEYS, List.copyOf(tags.keySet()));
            return keys;
        }

        private static S3Exception badTagging() {
            return S3Error.of(S3ErrorCode.INVALID_ARGUMENT, TAGGING_HEADER_MESSAGE)
                    .withDetail("ArgumentName", "x-amz-tagging").toException();
        }

        private void header(Map<String, List<String>> keys, String header, String conditionKey) {
            headers.get(header).ifPresent(value -> keys.put(conditionKey, List.of(value)));
        }

        private void addBucket(String action, Map<String, List<String>> keys) {
            add(action, S3Arns.bucket(bucket), keys, Optional.empty());
        }

        private void addObject(String action, Map<String, List<String>> keys, boolean existingTags) {
            add(action, S3Arns.object(bucket, key), keys,
                    existingTags ? Optional.of(new S3ObjectRef(bucket, key, versionId)) : Optional.empty());
        }

        /** The action, or its version-specific twin with {@code s3:versionid} when the request names a version. */
        private void addObjectVersioned(String action, String versionAction, Map<String, List<String>> keys,
                boolean existingTags) {
            if (versionId.isPresent()) {
                var versioned = new LinkedHashMap<>(keys);
                versioned.put(S3ConditionKeys.VERSION_ID, List.of(versionId.get()));
                addObject(versionAction, versioned, existingTags);
            } else {
                addObject(action, keys, existingTags);
            }
        }

        private void add(String action, String resource, Map<String, List<String>> keys) {
            add(action, resource, keys, Optional.empty());
        }

        private void add(String action, String resource, Map<String, List<String>> keys,
                Optional<S3ObjectRef> existingTagsOf) {
            var context = new LinkedHashMap<String, List<String>>(base);
            context.putAll(keys);
            authorizations.add(new S3Authorization(action, resource, context, existingTagsOf));
        }
    }
}
