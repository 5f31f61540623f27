package org.opensts.client.agent;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opensts.client.agent.AgentHttpServer.Request;
import org.opensts.client.agent.AgentHttpServer.Response;

/**
 * An IMDSv2-compatible instance metadata endpoint serving one role's credentials, as EC2's does ("Use the Instance
 * Metadata Service to access instance metadata", "Retrieve security credentials from instance metadata"):
 *
 * <ul>
 *   <li>{@code PUT /latest/api/token} with {@code X-aws-ec2-metadata-token-ttl-seconds} (1 to 21600) returns a
 *       session token; a missing or invalid TTL is 400.
 *   <li>Every {@code GET} needs {@code X-aws-ec2-metadata-token} with an unexpired token: none is 401 unless IMDSv1 is
 *       allowed; a bad or expired one is 401 always.
 *   <li>Any request with {@code X-Forwarded-For} (or its standard form {@code Forwarded}) is refused with 403: IMDS
 *       answers only programs on this host, not requests relayed by a proxy (EC2 refuses such token requests). So is
 *       any request a web browser marks as its own ({@code Origin}, {@code Sec-Fetch-*}), against web pages that
 *       rebind their host name to this address.
 *   <li>{@code /latest/meta-data/iam/security-credentials/} lists the role name; {@code …/ROLE} returns the
 *       credentials (Code, LastUpdated, Type, AccessKeyId, SecretAccessKey, Token, Expiration);
 *       {@code /latest/meta-data/iam/security-credentials-extended/} and {@code …/ROLE} do the same with the
 *       AccountId, as newer SDKs ask; {@code /latest/meta-data/iam/info} describes the instance profile.
 *   <li>{@code /latest/meta-data/placement/region} is the agent's region and {@code …/availability-zone} a zone of
 *       it ({@code REGION} + {@code a}), and {@code /latest/dynamic/instance-identity/document} carries both with the
 *       account: the AWS CLI and the SDKs for Java and Go find their region on an instance by one of these when none is
 *       configured. Other paths are 404.
 * </ul>
 *
 * <p>OpenSTS has no instance profiles, so {@code iam/info} names one after the role: {@code
 * arn:aws:iam::ACCOUNT:instance-profile/ROLE}, with an id derived from the role's ARN.
 */
public final class ImdsServer implements AutoCloseable {

    static final String TOKEN_PATH = "/latest/api/token";
    static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
    static final String TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
    private static final String IAM = "/latest/meta-data/iam/";
    private static final String CREDENTIALS = IAM + "security-credentials";
    private static final String EXTENDED = IAM + "security-credentials-extended";
    private static final String PLACEMENT = "/latest/meta-data/placement/";
    private static final String IDENTITY_DOCUMENT = "/latest/dynamic/instance-identity/document";
    private static final String TEXT = "text/plain";

    private final AgentCredentials credentials;
    private final String region;
    private final ImdsTokens tokens;
    private final boolean allowV1;
    private AgentHttpServer server;

    private ImdsServer(AgentCredentials credentials, String region, boolean allowV1) {
        this.credentials = credentials;
        this.region = region;
        this.allowV1 = allowV1;
        this.tokens = new ImdsTokens(new SecureRandom(), credentials.clock());
    }

    /**
     * Starts serving on {@code listen}.
     *
     * @param region the region the endpoint tells programs they run in, such as {@code us-east-1}
     * @param allowV1 whether a GET without a session token is answered (IMDSv1); refused by default
     * @throws IOException if the address cannot be bound
     */
    public static ImdsServer start(InetSocketAddress listen, AgentCredentials credentials, String region,
            boolean allowV1) throws IOException {
        return start(listen, credentials, region, allowV1, AgentHttpServer.Limits.DEFAULT);
    }

    /** As {@link #start(InetSocketAddress, AgentCredentials, String, boolean)}, with the given limits. */
    static ImdsServer start(InetSocketAddress listen, AgentCredentials credentials, String region, boolean allowV1,
            AgentHttpServer.Limits limits) throws IOException {
        requireNonNull(listen, "listen");
        requireNonNull(credentials, "credentials");
        requireNonNull(region, "region");
        ImdsServer imds = new ImdsServer(credentials, region, allowV1);
        imds.server = AgentHttpServer.start(listen, "opensts-imds", limits, imds::handle);
        return imds;
    }

    public InetSocketAddress address() {
        return server.address();
    }

    /** The address it listens on, as a URL writes it ({@code [::]:8791}). */
    public String listenAuthority() {
        return server.listenAuthority();
    }

    /**
     * The base URL, e.g. {@code http://127.0.0.1:8791} (127.0.0.1 also when listening on the wildcard address). For
     * {@code AWS_EC2_METADATA_SERVICE_ENDPOINT} add a slash: some SDKs append {@code latest/...} to it as it is; the
     * others' double slash is served as one.
     */
    public URI endpoint() {
        return URI.create(server.baseUri());
    }

    private Response handle(Request request) {
        // Forwarded is the standard form of X-Forwarded-For (RFC 7239); proxies may send it instead.
        if (request.headers().containsKey("X-Forwarded-For") || request.headers().containsKey("Forwarded")
                || fromBrowser(request)) {
            return text(403, "Forbidden");
        }
        String method = request.method();
        String path = path(request.target());
        if ("PUT".equals(method)) {
            return TOKEN_PATH.equals(path) ? issueToken(request) : text(404, "Not Found");
        }
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return text(405, "Method Not Allowed").withHeader("Allow", "GET, HEAD, PUT");
        }
        String token = request.header(TOKEN_HEADER);
        if (token == null ? !allowV1 : !tokens.isValid(token)) {
            return text(401, "Unauthorized");
        }
        if (token == null && reboundName(request)) {
            return text(403, "Forbidden");
        }
        Response response = serveMetadata(path);
        return token == null ? response : response.withHeader(TTL_HEADER, Long.toString(tokens.secondsLeft(token)));
    }

    private static Response text(int status, String body) {
        return Response.of(status, TEXT, body);
    }

    /**
     * Whether a web browser sent the request: it carries {@code Origin} or a {@code Sec-Fetch-*} header, which browsers
     * add and SDKs never send. A page whose host name an attacker rebinds to this address (DNS rebinding) is
     * same-origin to its own scripts, so they could otherwise PUT for a token and read the credentials; a local agent
     * on a workstation would hand them to any web page its user opens.
     */
    private static boolean fromBrowser(Request request) {
        for (String name : request.headers().keySet()) {
            if (name.equalsIgnoreCase("Origin") || name.regionMatches(true, 0, "Sec-Fetch-", 0, 10)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an IMDSv1 request (no token) names this endpoint by a host name other than {@code localhost}: what a web
     * page sends after rebinding its own name to this address. Browsers add no {@code Origin} to a same-origin GET, and
     * Firefox and Safari send {@code Sec-Fetch-*} only to HTTPS or localhost, so {@link #fromBrowser} cannot see that
     * GET; SDKs and tools name the endpoint by its address. (IMDSv2 needs no such check: its PUT carries
     * {@code Origin}.)
     */
    private static boolean reboundName(Request request) {
        String host = request.header("Host");
        if (host == null) {
            return false;
        }
        String name = host.startsWith("[") ? host : host.replaceFirst(":[0-9]*$", "");
        return !name.startsWith("[") && !name.equalsIgnoreCase("localhost") && !isIpv4Literal(name);
    }

    private static boolean isIpv4Literal(String name) {
        return name.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    }

    /**
     * The request target's path with runs of slashes as one: an endpoint configured with a trailing slash (as some
     * SDKs need it) makes others ask for {@code //latest/...}. A target in absolute form ({@code http://host/path} or
     * {@code https://…}, RFC 9112 section 3.2.2) is reduced to its path; the query is dropped.
     */
    static String path(String target) {
        String raw = target;
        int query = raw.indexOf('?');
        if (query >= 0) {
            raw = raw.substring(0, query);
        }
        int authority = raw.regionMatches(true, 0, "http://", 0, 7) ? 7
                : raw.regionMatches(true, 0, "https://", 0, 8) ? 8 : -1;
        if (authority > 0) {
            int slash = raw.indexOf('/', authority);
            raw = slash < 0 ? "/" : raw.substring(slash);
        }
        return raw.replaceAll("/{2,}", "/");
    }

    private Response issueToken(Request request) {
        String ttlHeader = request.header(TTL_HEADER);
        // Decimal digits only: Integer.parseInt would also take a sign and digits of other scripts.
        int ttl = ttlHeader != null && ttlHeader.matches("[0-9]{1,5}") ? Integer.parseInt(ttlHeader) : -1;
        if (ttl < ImdsTokens.MIN_TTL_SECONDS || ttl > ImdsTokens.MAX_TTL_SECONDS) {
            return text(400, "Bad Request");
        }
        return text(200, tokens.issue(Duration.ofSeconds(ttl))).withHeader(TTL_HEADER, Integer.toString(ttl));
    }

    private Response serveMetadata(String path) {
        String role = credentials.roleName();
        if (path.equals(IAM)) {
            return text(200, "info\nsecurity-credentials/");
        } else if (path.equals(IAM + "info")) {
            return text(200, info());
        } else if (path.equals(CREDENTIALS) || path.equals(CREDENTIALS + "/")
                || path.equals(EXTENDED) || path.equals(EXTENDED + "/")) {
            return text(200, role);
        } else if (path.equals(CREDENTIALS + "/" + role)) {
            return serveCredentials(/* extended= */ false);
        } else if (path.equals(EXTENDED + "/" + role)) {
            return serveCredentials(/* extended= */ true);
        } else if (path.equals(PLACEMENT)) {
            return text(200, "availability-zone\nregion");
        } else if (path.equals(PLACEMENT + "region") || path.equals(PLACEMENT + "region/")) {
            return text(200, region);
        } else if (path.equals(PLACEMENT + "availability-zone") || path.equals(PLACEMENT + "availability-zone/")) {
            return text(200, availabilityZone());
        } else if (path.equals(IDENTITY_DOCUMENT)) {
            return text(200, identityDocument());
        }
        return text(404, "Not Found");
    }

    /** The zone the endpoint names: the region's first, as its name is formed on EC2 ({@code us-east-1a}). */
    private String availabilityZone() {
        return region + "a";
    }

    /** The instance identity document's fields that tell where the program runs, in EC2's names and form. */
    private String identityDocument() {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("accountId", credentials.accountId());
        body.put("availabilityZone", availabilityZone());
        body.put("region", region);
        body.put("version", "2017-09-30");
        return Json.object(body);
    }

    private Response serveCredentials(boolean extended) {
        AgentCredentials.Snapshot snapshot;
        try {
            snapshot = credentials.served();
        } catch (RuntimeException e) {
            // The agent's own output says why; a local caller learns only that there are none now.
            return text(503, "Service Unavailable");
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("Code", "Success");
        body.put("LastUpdated", AgentCredentials.TIMESTAMP.format(snapshot.lastUpdated()));
        body.put("Type", "AWS-HMAC");
        body.put("AccessKeyId", snapshot.accessKeyId());
        body.put("SecretAccessKey", snapshot.secretAccessKey());
        body.put("Token", snapshot.sessionToken());
        body.put("Expiration", AgentCredentials.TIMESTAMP.format(snapshot.expiration()));
        if (extended) {
            body.put("AccountId", credentials.accountId());
        }
        return text(200, Json.object(body));
    }

    private String info() {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("Code", "Success");
        body.put("LastUpdated", AgentCredentials.TIMESTAMP.format(credentials.clock().instant()));
        body.put("InstanceProfileArn", "arn:aws:iam::" + credentials.accountId() + ":instance-profile/"
                + credentials.roleName());
        body.put("InstanceProfileId", instanceProfileId(credentials.roleArn()));
        return Json.object(body);
    }

    /** {@code AIPA} and 17 characters of base32 of the role ARN's SHA-256: stable for a role, shaped like AWS's ids. */
    static String instanceProfileId(String roleArn) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(roleArn.getBytes(UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder id = new StringBuilder("AIPA");
        long bits = 0;
        int available = 0;
        int index = 0;
        while (id.length() < 21) {
            if (available < 5) {
                bits = (bits << 8) | (digest[index++] & 0xff);
                available += 8;
            }
            id.append(alphabet.charAt((int) (bits >>> (available - 5)) & 31));
            available -= 5;
        }
        return id.toString();
    }

    @Override
    public void close() {
        server.close();
    }
}
