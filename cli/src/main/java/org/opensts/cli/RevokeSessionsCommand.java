package org.opensts.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code opensts admin revoke-sessions}: what the IAM console's "Revoke active sessions" does (IAM User Guide,
 * "Revoking IAM role temporary security credentials"): it puts on the role the inline policy
 * {@code AWSRevokeOlderSessions}, which denies every action to sessions issued before now ({@code DateLessThan} on
 * {@code aws:TokenIssueTime}), replacing the one a previous revocation put there. Sessions issued afterwards are not
 * affected. It calls GetRolePolicy, to say whether an earlier revocation is replaced, then PutRolePolicy, signed with
 * Signature Version 4 like any IAM client.
 *
 * <p>Credentials come from the environment only ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY},
 * {@code AWS_SESSION_TOKEN}): a secret on the command line would be visible to every user of the machine. The endpoint
 * is {@code --endpoint-url}, else {@code AWS_ENDPOINT_URL_IAM}, else {@code AWS_ENDPOINT_URL}.
 */
@Command(name = "revoke-sessions", mixinStandardHelpOptions = true,
        description = "Denies everything to the sessions of a role issued until now, by putting the inline policy"
                + " AWSRevokeOlderSessions on the role, as the IAM console's 'Revoke active sessions' does.")
final class RevokeSessionsCommand implements Callable<Integer> {
    /** The inline policy's name, as the IAM console names it. */
    static final String POLICY_NAME = "AWSRevokeOlderSessions";
    private static final String IAM_VERSION = "2010-05-08";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--role-name", required = true, paramLabel = "NAME",
            description = "The role whose active sessions to revoke.")
    private String roleName;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "The node's URL (default: AWS_ENDPOINT_URL_IAM, then AWS_ENDPOINT_URL).")
    private URI endpointUrl;

    @Option(names = "--region", paramLabel = "REGION",
            description = "The region to sign for (default: AWS_REGION, then AWS_DEFAULT_REGION, then us-east-1,"
                    + " where IAM is signed on AWS).")
    private String region;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private final Function<String, String> environment;
    private final Clock clock;

    RevokeSessionsCommand() {
        this(System::getenv, Clock.systemUTC());
    }

    /** For tests: {@code environment} stands in for the process environment. */
    RevokeSessionsCommand(Function<String, String> environment, Clock clock) {
        this.environment = environment;
        this.clock = clock;
    }

    /** The document the console writes: deny everything to sessions issued before {@code revokedAt}. */
    static String document(Instant revokedAt) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
                + "\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"" + revokedAt + "\"}}}}";
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<String> accessKeyId = variable("AWS_ACCESS_KEY_ID");
        Optional<String> secretAccessKey = variable("AWS_SECRET_ACCESS_KEY");
        if (accessKeyId.isEmpty() || secretAccessKey.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary"
                            + " credentials) to an identity allowed iam:GetRolePolicy and iam:PutRolePolicy");
        }
        URI endpoint = Optional.ofNullable(endpointUrl).or(() -> variable("AWS_ENDPOINT_URL_IAM").map(URI::create))
                .or(() -> variable("AWS_ENDPOINT_URL").map(URI::create))
                .orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                        "give --endpoint-url, or set AWS_ENDPOINT_URL_IAM or AWS_ENDPOINT_URL, to the node's URL"));
        String signingRegion = Optional.ofNullable(region).or(() -> variable("AWS_REGION"))
                .or(() -> variable("AWS_DEFAULT_REGION")).orElse("us-east-1");
        byte[] secret = secretAccessKey.get().getBytes(UTF_8);
        SigningCredentials credentials = variable("AWS_SESSION_TOKEN")
                .map(token -> SigningCredentials.of(accessKeyId.get(), secret, token))
                .orElseGet(() -> SigningCredentials.of(accessKeyId.get(), secret));
        var iam = new IamCaller(endpoint, signingRegion, credentials, clock);

        IamAnswer existing = iam.call("GetRolePolicy", Map.of("RoleName", roleName, "PolicyName", POLICY_NAME));
        if (!existing.ok() && !existing.code().equals("NoSuchEntity")) {
            err.println("opensts: GetRolePolicy failed: " + existing.code() + ": " + existing.message());
            return 1;
        }
        // A missing AWSRevokeOlderSessions is NoSuchEntity too; a missing role then fails PutRolePolicy, which says so.
        Instant revokedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        IamAnswer put = iam.call("PutRolePolicy", Map.of("RoleName", roleName, "PolicyName", POLICY_NAME,
                "PolicyDocument", document(revokedAt)));
        if (!put.ok()) {
            err.println("opensts: PutRolePolicy failed: " + put.code() + ": " + put.message());
            return 1;
        }
        out.println("Revoked the sessions of role " + roleName + " issued before " + revokedAt + ": put inline policy "
                + POLICY_NAME + (existing.ok() ? ", replacing the one of an earlier revocation." : "."));
        out.flush();
        return 0;
    }

    private Optional<String> variable(String name) {
        return Optional.ofNullable(environment.apply(name)).filter(value -> !value.isBlank());
    }

    /** An IAM Query answer: success, or the error's code and message. */
    record IamAnswer(boolean ok, String code, String message) {
    }

    /** Signs IAM Query calls with Signature Version 4 and posts them. */
    private static final class IamCaller {
        private final URI endpoint;
        private final String region;
        private final SigningCredentials credentials;
        private final Clock clock;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        private final SigV4Signer signer = SigV4Signer.create();

        IamCaller(URI endpoint, String region, SigningCredentials credentials, Clock clock) {
            this.endpoint = endpoint.getPath().isEmpty() ? endpoint.resolve("/") : endpoint;
            this.region = region;
            this.credentials = credentials;
            this.clock = clock;
        }

        IamAnswer call(String action, Map<String, String> parameters) throws IOException, InterruptedException {
            var form = new LinkedHashMap<String, String>();
            form.put("Action", action);
            form.put("Version", IAM_VERSION);
            form.putAll(parameters);
            byte[] body = form.entrySet().stream()
                    .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                    .collect(Collectors.joining("&")).getBytes(UTF_8);
            String contentType = "application/x-www-form-urlencoded; charset=utf-8";
            SignableRequest signed = signer.sign(SignableRequest.builder().method("POST")
                    .path(endpoint.getRawPath()).addHeader("Host", endpoint.getRawAuthority())
                    .addHeader("Content-Type", contentType).body(body).build(),
                    credentials, region, "iam", clock.instant());
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            for (int i = 0; i < signed.headerCount(); i++) {
                String name = signed.headerName(i).toLowerCase(Locale.ROOT);
                if (!name.equals("host") && !name.equals("content-length")) {
                    request.header(signed.headerName(i), signed.headerValue(i)); // the JDK sets those two itself
                }
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 == 2) {
                return new IamAnswer(true, "", "");
            }
            return error(response);
        }

        private static IamAnswer error(HttpResponse<byte[]> response) {
            try {
                Document xml = parser().parse(new ByteArrayInputStream(response.body()));
                return new IamAnswer(false, text(xml, "Code").orElse("HTTP " + response.statusCode()),
                        text(xml, "Message").orElse(""));
            } catch (SAXException | IOException e) {
                return new IamAnswer(false, "HTTP " + response.statusCode(), "the answer is not the XML expected");
            }
        }

        private static Optional<String> text(Document xml, String element) {
            NodeList nodes = xml.getElementsByTagName(element);
            return nodes.getLength() == 0 ? Optional.empty() : Optional.of(nodes.item(0).getTextContent());
        }

        /** An XML parser that reads no DTD and no external entity. */
        private static DocumentBuilder parser() {
            try {
                DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
                factory.setExpandEntityReferences(false);
                return factory.newDocumentBuilder();
            } catch (ParserConfigurationException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, UTF_8).replace("+", "%20");
        }
    }
}
