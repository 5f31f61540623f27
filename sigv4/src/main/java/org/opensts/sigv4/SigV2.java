package org.opensts.sigv4;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signature Version 2, in its two dialects, as pure functions: S3's (Amazon S3 User Guide, "Authenticating requests
 * using the REST API": {@code Authorization: AWS AKID:signature} or the {@code AWSAccessKeyId}/{@code Signature}/
 * {@code Expires} query) and the Query API's ({@code SignatureVersion=2}, described in "Signature Version 2 signing
 * process" and in the IAM User Guide on using temporary credentials with it). Both sign with HMAC and send the
 * signature in base64.
 */
public final class SigV2 {
    /**
     * The sub-resources S3 signs as part of the canonicalized resource: the documented list, with the response
     * header overrides and the newer sub-resources clients sign (object lock's {@code retention} and
     * {@code legal-hold}, {@code encryption}, {@code attributes} and the bucket settings added since). One left out
     * could be appended to a signed request unsigned and change its operation (a PutObject into a
     * PutObjectRetention) without the signature noticing.
     */
    public static final Set<String> S3_SUB_RESOURCES = Set.of(
            "abac", "accelerate", "acl", "analytics", "attributes", "cors", "defaultObjectAcl", "delete",
            "encryption", "intelligent-tiering", "inventory", "legal-hold", "lifecycle", "location", "logging",
            "metadataConfiguration", "metadataInventoryTable", "metadataJournalTable", "metadataTable", "metrics",
            "notification", "object-lock", "ownershipControls", "partNumber", "policy", "policyStatus",
            "publicAccessBlock", "renameObject", "replication", "requestPayment", "restore", "retention", "select",
            "select-type", "session", "storageClass", "tagging", "torrent", "uploadId", "uploads", "versionId",
            "versioning", "versions", "website",
            "response-cache-control", "response-content-disposition", "response-content-encoding",
            "response-content-language", "response-content-type", "response-expires");

    private SigV2() {
    }

    /**
     * S3's string to sign: {@code METHOD\nContent-MD5\nContent-Type\nDate\n} then the canonicalized {@code x-amz-}
     * headers ({@code name:value\n}, names lower-case and sorted, repeated values joined with {@code ,}) and the
     * canonicalized resource.
     *
     * @param dateLine the {@code Date} header; empty when the request has {@code x-amz-date}; for the query form,
     *     the {@code Expires} value
     * @param contentMd5 the {@code Content-MD5}, or empty
     * @param contentType the {@code Content-Type}, or empty
     * @param amzHeaders the {@code x-amz-} headers (and, for the query form, {@code x-amz-} query parameters), names
     *     in any case, each name with its values in order
     * @param bucket the bucket named by the {@code Host} (virtual-hosted style), or {@code null} for path style
     * @param rawPath the path as sent
     * @param rawQuery the query as sent, without {@code ?}
     */
    public static String s3StringToSign(String method, String contentMd5, String contentType, String dateLine,
            Map<String, List<String>> amzHeaders, String bucket, String rawPath, String rawQuery) {
        StringBuilder out = new StringBuilder(256);
        out.append(method).append('\n').append(contentMd5.strip()).append('\n').append(contentType.strip())
                .append('\n').append(dateLine.strip()).append('\n');
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        amzHeaders.forEach((name, values) -> sorted.computeIfAbsent(name.toLowerCase(Locale.ROOT),
                key -> new ArrayList<>()).addAll(values));
        sorted.forEach((name, values) -> {
            out.append(name).append(':');
            for (int i = 0; i < values.size(); i++) {
                out.append(i == 0 ? "" : ",").append(values.get(i).strip());
            }
            out.append('\n');
        });
        return out.append(s3CanonicalResource(bucket, rawPath, rawQuery)).toString();
    }

    /**
     * Every string to sign S3 accepts for the request: {@link #s3StringToSign}'s, and for a path-style request that
     * names a bucket alone without a closing slash ({@code GET /photos?acl}) also the one whose resource closes the
     * bucket with {@code /} ({@code /photos/?acl}), last.
     *
     * <p>The document's rule puts the path as sent ({@code /photos}); S3 names a bucket {@code /bucket/} (the
     * document's bucket examples, {@code /johnsmith/} and {@code /johnsmith/?acl}), and that is what AWS SDKs sign
     * for a bucket whatever path they send: botocore signs {@code /photos/} while it sends {@code GET /photos}, the AWS
     * SDK for Java v1 signs {@code "/" + bucket + "/" + key}. S3 takes either. Both resources name the bucket and
     * nothing else: no object has an empty key, so no object is {@code /photos/}, and the method and sub-resources
     * stay signed. An object path ({@code /photos/a}) or a virtual-hosted request keeps its one resource.
     *
     * @return one string to sign, or two; a signature that matches any of them verifies
     */
    public static List<String> s3StringsToSign(String method, String contentMd5, String contentType, String dateLine,
            Map<String, List<String>> amzHeaders, String bucket, String rawPath, String rawQuery) {
        String asSent = s3StringToSign(method, contentMd5, contentType, dateLine, amzHeaders, bucket, rawPath,
                rawQuery);
        if (!namesBucketAlone(bucket, rawPath)) {
            return List.of(asSent);
        }
        return List.of(asSent, s3StringToSign(method, contentMd5, contentType, dateLine, amzHeaders, bucket,
                rawPath + "/", rawQuery));
    }

    /** Whether a path-style path is {@code /bucket}: one segment, not empty, no closing slash. */
    private static boolean namesBucketAlone(String bucket, String rawPath) {
        return (bucket == null || bucket.isEmpty()) && rawPath.length() > 1 && rawPath.charAt(0) == '/'
                && rawPath.indexOf('/', 1) < 0;
    }

    /**
     * The canonicalized resource: {@code /bucket} for a virtual-hosted bucket, the path as sent, and the
     * sub-resources of the query sorted by name, values decoded ({@code ?acl}, {@code ?partNumber=2&uploadId=x}).
     */
    public static String s3CanonicalResource(String bucket, String rawPath, String rawQuery) {
        StringBuilder out = new StringBuilder();
        if (bucket != null && !bucket.isEmpty()) {
            out.append('/').append(bucket);
        }
        out.append(rawPath.isEmpty() ? "/" : rawPath);
        List<String[]> subResources = new ArrayList<>();
        if (!rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int equals = pair.indexOf('=');
                // The name as S3 reads it, decoded: ?%72etention is the retention sub-resource, and left encoded it
                // would ride along unsigned and change the request's operation.
                String name = UriEncoding.decode(pair, 0, equals < 0 ? pair.length() : equals);
                if (S3_SUB_RESOURCES.contains(name)) {
                    subResources.add(equals < 0 ? new String[] {name}
                            : new String[] {name, UriEncoding.decode(pair, equals + 1, pair.length())});
                }
            }
        }
        if (!subResources.isEmpty()) {
            subResources.sort((a, b) -> a[0].compareTo(b[0]));
            out.append('?');
            for (int i = 0; i < subResources.size(); i++) {
                out.append(i == 0 ? "" : "&").append(String.join("=", subResources.get(i)));
            }
        }
        return out.toString();
    }

    /**
     * The Query API's string to sign: {@code METHOD\nhost\npath\n} and every parameter but {@code Signature}, sorted
     * by name, name and value percent-encoded as RFC 3986's unreserved characters allow, joined with {@code &}.
     *
     * @param host the {@code Host} header, lower-cased
     * @param parameters the decoded parameters (of the query, or of a form-encoded body)
     */
    public static String queryStringToSign(String method, String host, String path, Map<String, String> parameters) {
        StringBuilder out = new StringBuilder(256).append(method).append('\n')
                .append(host.toLowerCase(Locale.ROOT)).append('\n').append(path.isEmpty() ? "/" : path).append('\n');
        TreeMap<String, String> sorted = new TreeMap<>();
        parameters.forEach((name, value) -> {
            if (!name.equals("Signature")) {
                sorted.put(UriEncoding.encode(name), UriEncoding.encode(value));
            }
        });
        boolean first = true;
        for (Map.Entry<String, String> entry : sorted.entrySet()) {
            out.append(first ? "" : "&").append(entry.getKey()).append('=').append(entry.getValue());
            first = false;
        }
        return out.toString();
    }

    /** The base64 HMAC of {@code stringToSign} with {@code HmacSHA1} or {@code HmacSHA256}. */
    public static String sign(String algorithm, byte[] secretAccessKey, String stringToSign) {
        return Base64.getEncoder().encodeToString(hmac(algorithm, secretAccessKey, stringToSign));
    }

    /**
     * Whether {@code claimedBase64} is the signature of {@code stringToSign}, compared in constant time as text: only
     * the one base64 spelling of the signature is accepted, as a signature recomputed and compared as a string is
     * (a decoder would also take the same bytes with other unused low bits in the last character, or no padding).
     */
    public static boolean verify(String algorithm, byte[] secretAccessKey, String stringToSign,
            String claimedBase64) {
        requireNonNull(claimedBase64, "claimedBase64");
        byte[] expected = sign(algorithm, secretAccessKey, stringToSign).getBytes(US_ASCII);
        return MessageDigest.isEqual(expected, claimedBase64.strip().getBytes(UTF_8));
    }

    private static byte[] hmac(String algorithm, byte[] key, String data) {
        if (!algorithm.equals("HmacSHA1") && !algorithm.equals("HmacSHA256")) {
            throw new IllegalArgumentException("Signature Version 2 signs with HmacSHA1 or HmacSHA256: " + algorithm);
        }
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(data.getBytes(UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform provides " + algorithm, e);
        }
    }
}
