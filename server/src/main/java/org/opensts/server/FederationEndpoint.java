package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.opensts.iam.jdbc.StoreException;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.shape.QueryParameters;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sts.CallerIdentity;
import org.opensts.sts.RequestMetadata;
import org.opensts.token.AccessKeyIds;
import org.opensts.token.CredentialMinter;
import org.opensts.token.InvalidTokenException;
import org.opensts.token.OpenedSession;
import org.opensts.token.SealedMessageCodec;
import org.opensts.token.Session;
import org.opensts.token.SessionType;
import org.opensts.token.TemporaryCredentials;
import org.opensts.verifier.SessionKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The federation endpoint ({@code /federation}) through which a custom identity broker signs its users in to the
 * console, as AWS's does (IAM User Guide, "Enable custom identity broker access to the AWS console"), and the
 * console's side of it ({@code POST /console/session}). See docs/console-api.md.
 *
 * <h2>Design</h2>
 * The node keeps no console session: the console signs every call with temporary credentials of the principal's
 * session. So {@code getSigninToken} checks the broker's credentials and seals them, with a random id, the token's
 * 15-minute expiry and the console session's end, under the session key ring ({@link SealedMessageCodec}): any node of
 * the deployment can open it, no one can read it. {@code login} redeems the token once (the store's
 * {@link ConsoleTokenUses}, shared by all nodes) and mints the console its own credentials of the same session: a new
 * access key id and secret, every other part of the session as the broker's (so its policies, tags and
 * {@code aws:TokenIssueTime} apply to them, and revoking the session revokes them), expiring when the console session
 * ends. The server refuses them from then on ({@code ExpiredToken}), whatever a page still holds, and the broker's own
 * credentials never reach the browser (IAM User Guide, "Enable custom identity broker access to the AWS console": the
 * console session "might include a distinct AccessKeyId due to federation"). They go to the console page in a sealed
 * cookie that lives 60 seconds, reaches only {@code /console/session}, is {@code HttpOnly} and
 * {@code SameSite=Strict}; the page redeems that once too, and keeps the console credentials in its session storage.
 *
 * <h2>AWS's rules</h2>
 * <ul>
 *   <li>Only temporary credentials of a role session ({@code AssumeRole*}) or a federated user
 *       ({@code GetFederationToken}) sign in; long-term keys and {@code GetSessionToken} credentials do not (IAM User
 *       Guide, "Compare AWS STS credentials": GetSessionToken credentials have no console access).
 *   <li>{@code SessionDuration} is 900..43,200 seconds and only for role sessions that were not assumed by role
 *       chaining; with {@code GetFederationToken} credentials it makes the call fail, as AWS's does. The console
 *       session never outlives the credentials it signs with: without a duration it ends with them.
 *   <li>A sign-in token is valid for 15 minutes after it was created.
 * </ul>
 * A refused call is {@code 400} with a short text, as AWS's endpoint answers a broker's bad request.
 */
final class FederationEndpoint {
    static final String PATH = "/federation";
    static final String SESSION_PATH = "/console/session";
    static final String HANDOFF_COOKIE = "opensts-console-handoff";
    static final Duration SIGNIN_TOKEN_LIFETIME = Duration.ofMinutes(15);
    static final Duration HANDOFF_LIFETIME = Duration.ofSeconds(60);
    static final int MIN_SESSION_DURATION = 900;
    static final int MAX_SESSION_DURATION = 43_200;
    static final int MAX_FEDERATION_DURATION = 129_600;
    static final String DEFAULT_DESTINATION = "/console/";
    private static final String SIGNIN_PURPOSE = "console-signin-token";
    private static final String HANDOFF_PURPOSE = "console-handoff";
    private static final String EVENT_SOURCE = "signin.amazonaws.com";
    static final int MAX_ISSUER_LENGTH = 512;
    /** Browsers drop a cookie whose Set-Cookie line is longer than about 4 KB (RFC 6265 §6.1: at least 4,096 bytes). */
    static final int MAX_COOKIE_BYTES = 4096;
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final Logger LOG = LoggerFactory.getLogger(FederationEndpoint.class);

    private final SessionKeys keys;
    private final ConsoleTokenUses uses;
    private final Clock clock;
    private final SecureRandom random;
    private final RequestThrottle throttle;
    private final Optional<URI> publicUrl;

    /**
     * @param throttle the node's request throttle: each call is counted against the account and principal whose
     *     credentials it carries, once they have opened, as their other calls are
     * @param publicUrl the deployment's public URL ({@code --public-url}), when it has one: behind a proxy that
     *     terminates TLS, its scheme is the console's
     */
    FederationEndpoint(SessionKeys keys, ConsoleTokenUses uses, Clock clock, SecureRandom random,
            RequestThrottle throttle, Optional<URI> publicUrl) {
        this.throttle = throttle;
        this.publicUrl = publicUrl;
        this.keys = keys;
        this.uses = uses;
        this.clock = clock;
        this.random = random;
    }

    /**
     * {@code GET /federation}, or a {@code POST} of the same parameters as a form, as AWS's own toolkits send
     * getSigninToken (and which keeps the credentials out of URLs and access logs): {@code Action=getSigninToken} or
     * {@code Action=login}. A {@code POST} takes its parameters from the body alone.
     */
    ConsoleAnswer federation(SignableRequest request, RequestMetadata metadata) {
        boolean posted = request.method().equals("POST");
        if (posted && !isForm(request)) {
            return badRequest("A POST to /federation must be a form (Content-Type:"
                    + " application/x-www-form-urlencoded).");
        }
        if (posted && !request.query().isEmpty()) {
            return badRequest("A POST to /federation takes its parameters in the body only.");
        }
        QueryParameters parameters;
        try {
            String form = posted ? UTF_8.decode(request.body().duplicate()).toString()
                    : request.query();
            parameters = QueryParameters.builder().addForm(form).build();
        } catch (IllegalArgumentException e) {
            return badRequest("The request has a malformed or repeated parameter.");
        }
        String action = parameters.get("Action").orElse("");
        return switch (action) {
            case "getSigninToken" -> getSigninToken(parameters, metadata);
            case "login" -> login(parameters, metadata);
            default -> badRequest("Action must be getSigninToken or login.");
        };
    }

    /** Whether the media type of {@code Content-Type} (before any parameter, RFC 9110 §8.3.1) is a form's. */
    private static boolean isForm(SignableRequest request) {
        return request.firstHeader("Content-Type")
                .map(type -> type.indexOf(';') < 0 ? type : type.substring(0, type.indexOf(';')))
                .filter(mediaType -> mediaType.strip().equalsIgnoreCase(FORM))
                .isPresent();
    }

    /** The sign-in token for valid temporary credentials, as {@code {"SigninToken": …}}. */
    private ConsoleAnswer getSigninToken(QueryParameters parameters, RequestMetadata metadata) {
        Optional<OpenedSession> opened = Optional.empty();
        try {
            Optional<String> sessionType = parameters.get("SessionType");
            if (sessionType.isPresent() && !sessionType.get().equals("json")) {
                throw new Refusal("SessionType must be json.");
            }
            Credentials credentials = Credentials.parse(parameters.get("Session")
                    .orElseThrow(() -> new Refusal("The Session parameter is required.")));
            opened = Optional.of(verify(credentials));
            admit(opened.get());
            Session session = opened.get().session();
            Instant now = clock.instant();
            Instant consoleEnd = consoleSessionEnd(session, parameters, now);
            ObjectNode token = ConsoleJson.MAPPER.createObjectNode();
            token.put("id", randomId());
            token.put("exp", now.plus(SIGNIN_TOKEN_LIFETIME).toEpochMilli());
            token.put("end", consoleEnd.toEpochMilli());
            credentials.writeTo(token);
            // The handoff cookie login will set carries console credentials of this session, as large as these
            // ones: refuse now, with a reason, a session whose cookie a browser would drop (or that cannot be sealed),
            // rather than fail at login. The trial credentials are measured and dropped, never handed out.
            String sealed;
            try {
                ObjectNode largestHandoff = token.deepCopy();
                Credentials.of(consoleCredentials(session, consoleEnd)).writeTo(largestHandoff);
                largestHandoff.put("exp", Long.MAX_VALUE);
                largestHandoff.put("end", Long.MAX_VALUE);
                largestHandoff.put("iss", "h".repeat(MAX_ISSUER_LENGTH));
                if (handoffCookie(seal(HANDOFF_PURPOSE, largestHandoff), true).length() > MAX_COOKIE_BYTES) {
                    throw new Refusal(TOO_LARGE);
                }
                sealed = seal(SIGNIN_PURPOSE, token);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new Refusal(TOO_LARGE);
            }
            audit("GetSigninToken", metadata, opened, Optional.empty(), Optional.empty());
            ObjectNode answer = ConsoleJson.MAPPER.createObjectNode();
            answer.put("SigninToken", sealed);
            return ConsoleAnswer.json(200, answer.toString());
        } catch (Refusal e) {
            audit("GetSigninToken", metadata, opened, Optional.of(e.getMessage()), Optional.empty());
            return badRequest(e.getMessage());
        } catch (ApiException e) {
            audit("GetSigninToken", metadata, opened, Optional.of(e.getMessage()), Optional.empty());
            return ConsoleAnswer.error(e.errorCode().httpStatus(), e.errorCode().code(), e.getMessage());
        }
    }

    /**
     * Checks the credentials as a request signed with them would be: the token opens with the key ring, belongs to the
     * access key, holds this secret (compared in constant time) and has not expired, and they are a role session's or
     * a federated user's.
     */
    private OpenedSession verify(Credentials credentials) {
        if (!credentials.accessKeyId().startsWith(AccessKeyIds.TEMPORARY_PREFIX)) {
            throw new Refusal("Long-term access keys cannot sign in to the console; use temporary credentials from"
                    + " AssumeRole or GetFederationToken.");
        }
        OpenedSession opened = openSessionToken(credentials.sessionToken())
                .filter(o -> o.session().accessKeyId().equals(credentials.accessKeyId()))
                .filter(o -> o.secretAccessKey().matches(credentials.secretAccessKey().getBytes(UTF_8)))
                .orElseThrow(() -> new Refusal("The session credentials are not valid."));
        if (!clock.instant().isBefore(opened.session().expiration())) {
            throw new Refusal("The session credentials have expired.");
        }
        if (opened.session().type() == SessionType.SESSION_USER) {
            throw new Refusal("Credentials from GetSessionToken cannot sign in to the console; use temporary"
                    + " credentials from AssumeRole or GetFederationToken.");
        }
        return opened;
    }

    /**
     * The console's own credentials of {@code broker}'s session: a new access key id and secret, expiring at
     * {@code consoleEnd}; everything else is the broker's session as it was issued — principal, source identity, tags
     * and transitive keys, session policies, chain depth, federation claims, MFA time, region scope, and
     * {@code issuedAt}, so that a revocation by {@code aws:TokenIssueTime} covers them as it covers the broker's.
     *
     * @param consoleEnd after {@code broker}'s issue time and not after its expiration
     */
    private TemporaryCredentials consoleCredentials(Session broker, Instant consoleEnd) {
        return new CredentialMinter(keys.codec(), random)
                .mint(broker.toBuilder().accessKeyId(/* the minter's to choose */ null).expiration(consoleEnd));
    }

    /**
     * When the console session ends: {@code SessionDuration} (role sessions) or {@code DurationSeconds} (federated
     * users) from now, never after the credentials expire; without either, when they expire. {@code SessionDuration}
     * with a federated user's credentials is refused, as AWS documents; {@code DurationSeconds} with a role's is
     * ignored, since AWS documents it for GetFederationToken's credentials only and no refusal of it is on record (a
     * broker that copied AWS's example sends it), and it must not lift {@code SessionDuration}'s rules (its 12 hours,
     * its refusal for chained roles).
     */
    private static Instant consoleSessionEnd(Session session, QueryParameters parameters, Instant now) {
        Optional<String> sessionDuration = parameters.get("SessionDuration");
        Optional<String> durationSeconds = parameters.get("DurationSeconds");
        boolean federatedUser = session.type() == SessionType.FEDERATED_USER;
        Optional<Integer> seconds = Optional.empty();
        if (sessionDuration.isPresent()) {
            if (federatedUser) {
                throw new Refusal("SessionDuration cannot be used with credentials from GetFederationToken.");
            }
            if (session.roleChainDepth() > 0) {
                throw new Refusal("SessionDuration cannot be used with credentials of a role assumed by role"
                        + " chaining.");
            }
            seconds = Optional.of(seconds(sessionDuration.get(), "SessionDuration", MAX_SESSION_DURATION));
        }
        if (durationSeconds.isPresent() && federatedUser) {
            seconds = Optional.of(seconds(durationSeconds.get(), "DurationSeconds", MAX_FEDERATION_DURATION));
        }
        Instant end = seconds.map(s -> now.plusSeconds(s)).orElse(session.expiration());
        // Whole seconds, as AWS writes an Expiration, and rounded down: never after the credentials'.
        return (end.isAfter(session.expiration()) ? session.expiration() : end).truncatedTo(ChronoUnit.SECONDS);
    }

    private static int seconds(String value, String name, int max) {
        boolean digits = !value.isEmpty() && value.length() <= 6 && value.chars().allMatch(c -> c >= '0' && c <= '9');
        int seconds = digits ? Integer.parseInt(value) : -1;
        if (seconds < MIN_SESSION_DURATION || seconds > max) {
            throw new Refusal(name + " must be a whole number of seconds from " + MIN_SESSION_DURATION + " to " + max
                    + ".");
        }
        return seconds;
    }

    /** Redeems a sign-in token and sends the browser to the console with the handoff cookie. */
    private ConsoleAnswer login(QueryParameters parameters, RequestMetadata metadata) {
        Optional<OpenedSession> opened = Optional.empty();
        try {
            // Checked before the token is redeemed, so that a refused Issuer does not spend it.
            Optional<String> issuer = issuer(parameters.get("Issuer"));
            String text = parameters.get("SigninToken")
                    .orElseThrow(() -> new Refusal("The SigninToken parameter is required."));
            JsonNode token = open(SIGNIN_PURPOSE, text)
                    .orElseThrow(() -> new Refusal(INVALID_SIGNIN_TOKEN));
            Instant now = clock.instant();
            Instant expires = Instant.ofEpochMilli(token.path("exp").asLong());
            Instant consoleEnd = Instant.ofEpochMilli(token.path("end").asLong());
            Credentials credentials = Credentials.read(token);
            opened = openSessionToken(credentials.sessionToken());
            if (!now.isBefore(expires) || !now.isBefore(consoleEnd) || opened.isEmpty()) {
                throw new Refusal(INVALID_SIGNIN_TOKEN);
            }
            admit(opened.get()); // before the token is redeemed: a throttled login can be retried with it
            if (!uses.firstUse(token.path("id").asText(), expires)) {
                throw new Refusal(INVALID_SIGNIN_TOKEN);
            }
            TemporaryCredentials console = consoleCredentials(opened.get().session(), consoleEnd);
            ObjectNode handoff = ConsoleJson.MAPPER.createObjectNode();
            handoff.put("id", randomId());
            handoff.put("exp", now.plus(HANDOFF_LIFETIME).toEpochMilli());
            handoff.put("end", consoleEnd.toEpochMilli());
            Credentials.of(console).writeTo(handoff);
            issuer.ifPresent(i -> handoff.put("iss", i));
            String cookie = handoffCookie(seal(HANDOFF_PURPOSE, handoff), secure(metadata));
            audit("ConsoleLogin", metadata, opened, Optional.empty(), Optional.of(console));
            return new ConsoleAnswer(302, "", new byte[0], java.util.List.of(
                    Map.entry(HttpHeaderNames.LOCATION.toString(), destination(parameters.get("Destination"))),
                    Map.entry(HttpHeaderNames.SET_COOKIE.toString(), cookie),
                    Map.entry(HttpHeaderNames.CACHE_CONTROL.toString(), ConsoleAnswer.NO_STORE)));
        } catch (Refusal e) {
            audit("ConsoleLogin", metadata, opened, Optional.of(e.getMessage()), Optional.empty());
            return badRequest(e.getMessage());
        } catch (ApiException e) {
            audit("ConsoleLogin", metadata, opened, Optional.of(e.getMessage()), Optional.empty());
            return ConsoleAnswer.error(e.errorCode().httpStatus(), e.errorCode().code(), e.getMessage());
        } catch (StoreException.UnavailableException e) {
            // The token's single use is recorded in the store: without it the login neither happened nor failed.
            ApiException unavailable = StoreUnavailable.answer(e, metadata.requestId());
            audit("ConsoleLogin", metadata, opened, Optional.of(unavailable.getMessage()), Optional.empty());
            return ConsoleAnswer.error(unavailable.errorCode().httpStatus(), unavailable.errorCode().code(),
                    unavailable.getMessage());
        }
    }

    /**
     * Counts the call against the credentials' account and principal.
     *
     * @throws ApiException {@code Throttling} (400, "Rate exceeded") when either's rate is exceeded
     */
    private void admit(OpenedSession opened) {
        CallerIdentity caller = CallerIdentity.ofSession(opened.session(), Optional.empty());
        throttle.admit(caller.accountId(), caller.arn());
    }

    private static final String TOO_LARGE = "The session token is too large to sign in to the console with: the"
            + " console's sign-in cookie would exceed what browsers keep. Use a session with fewer session tags or a"
            + " shorter session policy.";

    /** The {@code Set-Cookie} value handing {@code sealed} to the console page. */
    private static String handoffCookie(String sealed, boolean secure) {
        return HANDOFF_COOKIE + "=" + sealed + "; Path=" + SESSION_PATH + "; Max-Age=" + HANDOFF_LIFETIME.toSeconds()
                + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    private static final String INVALID_SIGNIN_TOKEN = "The sign-in token is not valid: it has expired, has been used"
            + " already, or was not issued here. Sign in again through your identity broker.";

    /** {@code POST /console/session}: the handoff cookie's credentials, once, and the cookie cleared. */
    ConsoleAnswer session(SignableRequest request, RequestMetadata metadata) {
        String clear = HANDOFF_COOKIE + "=; Path=" + SESSION_PATH + "; Max-Age=0; HttpOnly; SameSite=Strict"
                + (secure(metadata) ? "; Secure" : "");
        if (!sameOrigin(request, metadata)) {
            return ConsoleAnswer.error(403, "AccessDenied", "The request comes from another origin.");
        }
        Optional<String> cookie = cookie(request, HANDOFF_COOKIE);
        if (cookie.isEmpty() || cookie.get().isEmpty()) {
            return ConsoleAnswer.error(401, "MissingAuthenticationToken",
                    "The request has no sign-in handoff; sign in through the federation endpoint.")
                    .with(HttpHeaderNames.SET_COOKIE.toString(), clear);
        }
        Instant now = clock.instant();
        Optional<JsonNode> handoff = open(HANDOFF_PURPOSE, cookie.get())
                .filter(h -> now.isBefore(Instant.ofEpochMilli(h.path("exp").asLong())))
                .filter(h -> now.isBefore(Instant.ofEpochMilli(h.path("end").asLong())))
                .filter(h -> uses.firstUse(h.path("id").asText(), Instant.ofEpochMilli(h.path("exp").asLong())));
        if (handoff.isEmpty()) {
            return ConsoleAnswer.error(401, "InvalidClientTokenId",
                    "The sign-in handoff is not valid: it has expired or has been used already. Sign in again.")
                    .with(HttpHeaderNames.SET_COOKIE.toString(), clear);
        }
        Credentials credentials = Credentials.read(handoff.get());
        ObjectNode answer = ConsoleJson.MAPPER.createObjectNode();
        answer.put("AccessKeyId", credentials.accessKeyId());
        answer.put("SecretAccessKey", credentials.secretAccessKey());
        answer.put("SessionToken", credentials.sessionToken());
        answer.put("Expiration", Instant.ofEpochMilli(handoff.get().path("end").asLong()).toString());
        if (handoff.get().hasNonNull("iss")) {
            answer.put("Issuer", handoff.get().get("iss").asText());
        }
        return ConsoleAnswer.json(200, answer.toString()).with(HttpHeaderNames.SET_COOKIE.toString(), clear);
    }

    /**
     * Where {@code login} sends the browser: the console's page, {@code /console/}, with the destination's query and
     * fragment when its path is the page's ({@code /console} or {@code /console/}), whatever host an absolute URL
     * names; the console's views are routes in the fragment ({@code /console/#/roles/deploy}). Any other destination
     * lands on {@code /console/}: a path below it is one of the page's files or nothing (an identity broker written
     * for AWS passes AWS's console home, {@code https://console.aws.amazon.com/console/home?region=…}), and a login
     * must not spend its token on a page that does not sign in. Never another site: the answer is always a path on
     * this node, in ASCII.
     */
    static String destination(Optional<String> destination) {
        if (destination.isEmpty()) {
            return DEFAULT_DESTINATION;
        }
        URI uri;
        try {
            uri = new URI(destination.get());
        } catch (URISyntaxException e) {
            return DEFAULT_DESTINATION;
        }
        if (uri.isOpaque() || uri.getScheme() != null && !uri.getScheme().equalsIgnoreCase("http")
                && !uri.getScheme().equalsIgnoreCase("https")) {
            return DEFAULT_DESTINATION;
        }
        String path = uri.getRawPath();
        if (path == null || !(path.equals("/console") || path.equals("/console/"))) {
            return DEFAULT_DESTINATION;
        }
        // A header carries ASCII only: characters beyond it, which URI takes as they are, go out as their UTF-8
        // escapes (a browser sends them so) instead of the '?' the header encoder would make of them.
        URI ascii = URI.create(uri.toASCIIString());
        return ascii.getRawPath() + (ascii.getRawQuery() == null ? "" : "?" + ascii.getRawQuery())
                + (ascii.getRawFragment() == null ? "" : "#" + ascii.getRawFragment());
    }

    /**
     * The broker's sign-in page, kept for the console to offer when the session ends: an absolute http(s) URL (none
     * when it is not one).
     *
     * @throws Refusal if it is longer than {@link #MAX_ISSUER_LENGTH} characters, as given or once escaped
     */
    private static Optional<String> issuer(Optional<String> issuer) {
        if (issuer.isEmpty()) {
            return Optional.empty();
        }
        String tooLong = "Issuer must be at most " + MAX_ISSUER_LENGTH + " characters.";
        if (issuer.get().length() > MAX_ISSUER_LENGTH) {
            throw new Refusal(tooLong);
        }
        try {
            URI uri = new URI(issuer.get());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
                return Optional.empty();
            }
            if (uri.toASCIIString().length() > MAX_ISSUER_LENGTH) {
                throw new Refusal(tooLong);
            }
            return Optional.of(uri.toASCIIString());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the console is served over HTTPS: by this node itself, or by a proxy in front of it that terminates TLS,
     * as an {@code https} public URL says. A cookie that carries credentials is then {@code Secure}.
     */
    private boolean secure(RequestMetadata metadata) {
        return metadata.secureTransport()
                || publicUrl.map(URI::getScheme).filter("https"::equalsIgnoreCase).isPresent();
    }

    /**
     * Whether a browser's {@code Origin}, when it sends one, is this node's origin (RFC 6454 §4: scheme, host and
     * port): the public URL's, or the request's {@code Host} with the scheme the console is served with — the public
     * URL's behind a proxy, else this node's. A page elsewhere cannot read the answer anyway, but need not even get
     * the handoff redeemed.
     */
    private boolean sameOrigin(SignableRequest request, RequestMetadata metadata) {
        Optional<String> header = request.firstHeader("Origin");
        if (header.isEmpty()) {
            return true;
        }
        Optional<String> origin = origin(header.get().strip());
        if (origin.isEmpty()) {
            return false;
        }
        if (publicUrl.flatMap(url -> origin(url.toString())).equals(origin)) {
            return true;
        }
        String scheme = publicUrl.map(URI::getScheme).orElse(metadata.secureTransport() ? "https" : "http");
        // A Host is host[:port] (RFC 9110 §7.2); anything more is not this node's name.
        Optional<String> host = request.firstHeader("Host").map(String::strip).filter(h -> h.matches("[^/?#@\\s]+"));
        return host.isPresent() && origin(scheme + "://" + host.get()).equals(origin);
    }

    /**
     * The origin of an http(s) URL as {@code scheme://host:port}, lower case, with the scheme's default port written
     * out (so {@code https://h} and {@code https://h:443} are one origin); empty for anything else.
     */
    static Optional<String> origin(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            int defaultPort = scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
            if (defaultPort < 0 || uri.getHost() == null || uri.getRawUserInfo() != null) {
                return Optional.empty();
            }
            int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
            return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** The value of the cookie {@code name} from the request's {@code Cookie} headers (RFC 6265 §5.4). */
    static Optional<String> cookie(SignableRequest request, String name) {
        for (String header : request.headers("Cookie")) {
            for (String pair : header.split(";")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).strip().equals(name)) {
                    return Optional.of(pair.substring(equals + 1).strip());
                }
            }
        }
        return Optional.empty();
    }

    private Optional<OpenedSession> openSessionToken(String token) {
        try {
            return Optional.of(keys.codec().open(token));
        } catch (InvalidTokenException first) {
            // Another node may have rotated a moment ago: reload once if the token names a key we lack.
            OptionalInt keyId = keys.codec().peekUnverifiedKeyId(token);
            if (keyId.isEmpty() || !keys.reloadFor(keyId.getAsInt())) {
                return Optional.empty();
            }
            try {
                return Optional.of(keys.codec().open(token));
            } catch (InvalidTokenException second) {
                return Optional.empty();
            }
        }
    }

    private String seal(String purpose, ObjectNode content) {
        byte[] plaintext = content.toString().getBytes(UTF_8);
        try {
            return new SealedMessageCodec(keys.codec().keyRing(), keys.codec().scope(), purpose).seal(plaintext);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** The sealed object, if it opens with the key ring for {@code purpose} (reloading once for a newer key). */
    private Optional<JsonNode> open(String purpose, String text) {
        byte[] plaintext;
        try {
            plaintext = codec(purpose).open(text);
        } catch (InvalidTokenException first) {
            OptionalInt keyId = SealedMessageCodec.peekUnverifiedKeyId(text);
            if (keyId.isEmpty() || !keys.reloadFor(keyId.getAsInt())) {
                return Optional.empty();
            }
            try {
                plaintext = codec(purpose).open(text);
            } catch (InvalidTokenException second) {
                return Optional.empty();
            }
        }
        try {
            JsonNode node = ConsoleJson.MAPPER.readTree(plaintext);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private SealedMessageCodec codec(String purpose) {
        return new SealedMessageCodec(keys.codec().keyRing(), keys.codec().scope(), purpose);
    }

    private String randomId() {
        byte[] id = new byte[16];
        random.nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    private static ConsoleAnswer badRequest(String message) {
        return ConsoleAnswer.text(400, message + "\n");
    }

    /**
     * One audit event per sign-in step, as CloudTrail records them from {@code signin.amazonaws.com}: who (when the
     * credentials opened: the broker's access key id is the user identity's) and the outcome; never a secret or a
     * token. A successful {@code ConsoleLogin} also names the console's own credentials (their access key id and
     * expiration, in {@code responseElements.credentials} as the STS calls that issue credentials name theirs), so
     * that a call the console made leads back to the sign-in and the broker's session.
     */
    private static void audit(String eventName, RequestMetadata metadata, Optional<OpenedSession> opened,
            Optional<String> error, Optional<TemporaryCredentials> console) {
        Optional<CallerIdentity> caller = opened.map(o -> CallerIdentity.ofSession(o.session(), Optional.empty()));
        var response = new LinkedHashMap<String, Object>();
        if (eventName.equals("ConsoleLogin")) {
            response.put("ConsoleLogin", error.isEmpty() ? "Success" : "Failure");
        }
        console.ifPresent(c -> response.put("credentials", AuditElements.of("accessKeyId", c.accessKeyId(),
                "expiration", c.expiration().toString())));
        AuditLog.writeEvent(EVENT_SOURCE, eventName, metadata, caller, Map.of(), response,
                error.map(e -> eventName.equals("ConsoleLogin") ? "Failed authentication" : "InvalidRequest"), error);
        if (error.isPresent()) {
            LOG.debug("Federation {} refused for request {}: {}", eventName, metadata.requestId(), error.get());
        }
    }

    /**
     * The {@code Session} parameter's credentials; {@link #toString()} shows the access key id only.
     */
    private record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        /** Reads the URL-decoded JSON {@code {"sessionId","sessionKey","sessionToken"}} of AWS's brokers. */
        static Credentials parse(String json) {
            JsonNode node;
            try {
                node = ConsoleJson.MAPPER.readTree(json);
            } catch (IOException e) {
                throw new Refusal("The Session parameter must be a JSON object with sessionId, sessionKey and"
                        + " sessionToken.");
            }
            if (node == null || !node.isObject() || !node.path("sessionId").isTextual()
                    || !node.path("sessionKey").isTextual()) {
                throw new Refusal("The Session parameter must be a JSON object with sessionId, sessionKey and"
                        + " sessionToken.");
            }
            if (!node.path("sessionToken").isTextual() || node.path("sessionToken").asText().isEmpty()) {
                throw new Refusal("Long-term access keys cannot sign in to the console; use temporary credentials"
                        + " from AssumeRole or GetFederationToken.");
            }
            return new Credentials(node.get("sessionId").asText(), node.get("sessionKey").asText(),
                    node.get("sessionToken").asText());
        }

        /** Minted credentials, for a sealed handoff. */
        static Credentials of(TemporaryCredentials minted) {
            return new Credentials(minted.accessKeyId(), minted.secretAccessKey().revealUtf8(),
                    minted.sessionToken().revealUtf8());
        }

        /** Reads what {@link #writeTo} wrote into a sealed token. */
        static Credentials read(JsonNode node) {
            return new Credentials(node.path("ak").asText(), node.path("sk").asText(), node.path("st").asText());
        }

        void writeTo(ObjectNode node) {
            node.put("ak", accessKeyId);
            node.put("sk", secretAccessKey);
            node.put("st", sessionToken);
        }

        @Override
        public String toString() {
            return "Credentials[accessKeyId=" + accessKeyId + "]";
        }
    }

    /** A refused federation call: {@code 400} with the message. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message, null, false, false);
        }
    }
}
