package org.opensts.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.opensts.policy.internal.ArnSegments;

/**
 * A compiled {@code Principal} or {@code NotPrincipal} element: {@code "*"}, or an object whose {@code AWS},
 * {@code Federated}, {@code Service} and {@code CanonicalUser} members name principals.
 *
 * <p>{@code AWS} values are read once into (kind, account, name) triples, so matching compares strings and
 * never parses an ARN. IAM users and roles are matched by account and name, since names are unique within an
 * account whatever the path: {@code arn:aws:iam::A:role/path/R} names the sessions of
 * {@code arn:aws:sts::A:assumed-role/R/S}. An IAM unique id ({@code AIDA…}, {@code AROA…}) names the one user or
 * role that has it, whatever its name now: a stored role trust policy is evaluated with the users and roles it
 * names bound to their ids, so that a namesake created after the named entity was deleted is not named. The id
 * matches the caller's {@link RequestPrincipal#uniqueId()} at the level an ARN of that entity would: the user
 * itself, or the role behind a role session, or the user behind a federated user. Wildcards have no meaning here
 * except {@code "*"} alone.
 */
final class PrincipalSpec {
    private enum Kind { ACCOUNT, USER, ROLE, ROLE_SESSION, FEDERATED_USER, UNIQUE_ID }

    private record AwsPrincipal(Kind kind, String account, String name, String session) {
    }

    private final boolean everyone;
    private final Map<String, List<String>> members;
    private final List<AwsPrincipal> aws;
    private final List<String> federated;
    private final List<String> services;

    private PrincipalSpec(boolean everyone, Map<String, List<String>> members, List<AwsPrincipal> aws,
            List<String> federated, List<String> services) {
        this.everyone = everyone;
        this.members = members;
        this.aws = aws;
        this.federated = federated;
        this.services = services;
    }

    /** The {@code "Principal": "*"} form. */
    static PrincipalSpec everyone() {
        return new PrincipalSpec(true, Map.of("AWS", List.of("*")), List.of(), List.of(), List.of());
    }

    /**
     * Compiles the object form.
     *
     * @param members principal type ({@code AWS}, {@code Federated}, ...) to its values, as written
     * @param checkForms whether {@code Service} and {@code Federated} values must have the forms IAM takes in a new
     *     document (false for a stored one: see {@link Policy#parseStored})
     * @throws MalformedPolicyException for an unknown principal type or an {@code AWS} value that names no
     *     principal, or, when checking forms, a {@code Service} or {@code Federated} value of another form
     */
    static PrincipalSpec of(Map<String, List<String>> members, boolean checkForms) throws MalformedPolicyException {
        boolean everyone = false;
        var aws = new ArrayList<AwsPrincipal>();
        var federated = new ArrayList<String>();
        var services = new ArrayList<String>();
        for (var entry : members.entrySet()) {
            String type = entry.getKey();
            for (String value : entry.getValue()) {
                switch (type) {
                    case "AWS":
                        if (value.equals("*")) {
                            everyone = true;
                        } else {
                            aws.add(parseAws(value));
                        }
                        break;
                    case "Federated":
                        if (checkForms && !isFederatedPrincipal(value)) {
                            throw PolicyErrors.invalidFederatedPrincipal();
                        }
                        federated.add(value);
                        break;
                    case "Service":
                        if (checkForms && (value.length() > 253 || !SERVICE_PRINCIPAL.matcher(value).matches())) {
                            throw PolicyErrors.invalidPrincipal("SERVICE", value);
                        }
                        services.add(value.toLowerCase(Locale.ROOT));
                        break;
                    case "CanonicalUser":
                        // Canonical user ids belong to S3 ACL grantees; no OpenSTS caller has one.
                        break;
                    default:
                        throw PolicyErrors.invalidPrincipal(type, value);
                }
            }
        }
        var copy = new LinkedHashMap<String, List<String>>();
        members.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return new PrincipalSpec(everyone, java.util.Collections.unmodifiableMap(copy), List.copyOf(aws),
                List.copyOf(federated), List.copyOf(services));
    }

    /** A DNS label: letters, digits and inner hyphens. */
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";

    /**
     * An AWS service principal's form: a service's name under {@code amazonaws.com} ({@code ec2.amazonaws.com},
     * {@code states.us-east-1.amazonaws.com}) or, for a few, {@code amazon.com}. IAM also refuses names of services
     * that do not exist ({@code Invalid principal in policy: "SERVICE":"nope.amazonaws.com"}); without AWS's list
     * of services, only the form is checked here.
     */
    private static final Pattern SERVICE_PRINCIPAL =
            Pattern.compile("(?:" + LABEL + "\\.)+amazon(?:aws)?\\.com", Pattern.CASE_INSENSITIVE);

    /** A built-in web identity provider's domain name, such as {@code accounts.google.com}. */
    private static final Pattern DOMAIN_NAME = Pattern.compile("(?:" + LABEL + "\\.)+" + LABEL);

    /**
     * Whether a {@code Federated} value is what IAM takes: the ARN of a SAML or OpenID Connect provider, or a
     * domain name (a built-in web identity provider). IAM answers anything else "Federated principals must be valid
     * domain names or SAML metadata ARNs".
     */
    private static boolean isFederatedPrincipal(String value) {
        if (!value.startsWith("arn:")) {
            return value.length() <= 253 && DOMAIN_NAME.matcher(value).matches();
        }
        var segments = ArnSegments.of(value);
        return segments.count() == ArnSegments.ARN_SEGMENTS
                && segments.segmentEquals(2, "iam")
                && segments.segment(3).isEmpty()
                && RequestPrincipal.isAccountId(segments.segment(4))
                && (hasName(segments.segment(5), "saml-provider/") || hasName(segments.segment(5), "oidc-provider/"));
    }

    private static boolean hasName(String resource, String type) {
        return resource.startsWith(type) && resource.length() > type.length();
    }

    private static AwsPrincipal parseAws(String value) throws MalformedPolicyException {
        if (RequestPrincipal.isAccountId(value)) {
            return new AwsPrincipal(Kind.ACCOUNT, value, null, null);
        }
        if (!value.startsWith("arn:")) {
            if (isUniqueId(value)) {
                return new AwsPrincipal(Kind.UNIQUE_ID, null, value, null);
            }
            throw PolicyErrors.invalidPrincipal("AWS", value);
        }
        var segments = ArnSegments.of(value);
        // Every principal ARN names its account by its 12-digit id: IAM and S3 refuse arn:aws:iam::12345:root.
        if (segments.count() == ArnSegments.ARN_SEGMENTS && RequestPrincipal.isAccountId(segments.segment(4))) {
            String service = segments.segment(2);
            String account = segments.segment(4);
            String resource = segments.segment(5);
            if (service.equals("iam") && resource.equals("root")) {
                return new AwsPrincipal(Kind.ACCOUNT, account, null, null);
            }
            if (service.equals("iam") && resource.startsWith("user/")) {
                return new AwsPrincipal(Kind.USER, account, lastSegment(resource), null);
            }
            if (service.equals("iam") && resource.startsWith("role/")) {
                return new AwsPrincipal(Kind.ROLE, account, lastSegment(resource), null);
            }
            if (service.equals("sts") && resource.startsWith("assumed-role/")) {
                String rest = resource.substring("assumed-role/".length());
                int slash = rest.indexOf('/');
                if (slash > 0 && slash < rest.length() - 1) {
                    return new AwsPrincipal(Kind.ROLE_SESSION, account, rest.substring(0, slash),
                            rest.substring(slash + 1));
                }
            }
            if (service.equals("sts") && resource.startsWith("federated-user/")) {
                return new AwsPrincipal(Kind.FEDERATED_USER, account, resource.substring("federated-user/".length()),
                        null);
            }
        }
        throw PolicyErrors.invalidPrincipal("AWS", value);
    }

    private static boolean isUniqueId(String value) {
        if (value.length() < 16 || value.length() > 128 || !value.startsWith("A")) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static String lastSegment(String resource) {
        return resource.substring(resource.lastIndexOf('/') + 1);
    }

    /** Principal type to values, as written; {@code "*"} reads as {@code {"AWS": ["*"]}}. */
    Map<String, List<String>> members() {
        return members;
    }

    /** How strongly this element names {@code caller}. */
    PrincipalMatch match(RequestPrincipal caller) {
        if (everyone) {
            return PrincipalMatch.DIRECT;
        }
        PrincipalMatch best = PrincipalMatch.NONE;
        switch (caller.type()) {
            case WEB_IDENTITY:
            case SAML:
                return federated.contains(caller.federatedProvider().orElseThrow()) ? PrincipalMatch.DIRECT
                        : PrincipalMatch.NONE;
            case SERVICE:
                return services.contains(caller.serviceName().orElseThrow().toLowerCase(Locale.ROOT))
                        ? PrincipalMatch.DIRECT : PrincipalMatch.NONE;
            case ANONYMOUS:
                return PrincipalMatch.NONE;
            default:
                break;
        }
        String account = caller.accountId().orElseThrow();
        for (AwsPrincipal p : aws) {
            PrincipalMatch m = matchAws(p, caller, account);
            if (m.compareTo(best) > 0) {
                best = m;
            }
        }
        return best;
    }

    private static PrincipalMatch matchAws(AwsPrincipal p, RequestPrincipal caller, String account) {
        if (p.kind() == Kind.UNIQUE_ID) {
            return matchUniqueId(p.name(), caller);
        }
        if (!account.equals(p.account())) {
            return PrincipalMatch.NONE;
        }
        switch (p.kind()) {
            case ACCOUNT:
                return caller.type() == PrincipalType.ACCOUNT ? PrincipalMatch.DIRECT : PrincipalMatch.ACCOUNT;
            case USER:
                if (caller.type() == PrincipalType.USER && p.name().equals(nameOf(caller.arn().orElseThrow()))) {
                    return PrincipalMatch.DIRECT;
                }
                if (caller.type() == PrincipalType.FEDERATED_USER
                        && isUser(caller.sessionIssuerArn().orElse(""), p)) {
                    return PrincipalMatch.ISSUER;
                }
                return PrincipalMatch.NONE;
            case ROLE:
                if ((caller.type() == PrincipalType.ROLE || caller.type() == PrincipalType.ASSUMED_ROLE)
                        && p.name().equals(nameOf(caller.sessionIssuerArn().orElseThrow()))) {
                    return PrincipalMatch.ISSUER;
                }
                return PrincipalMatch.NONE;
            case ROLE_SESSION:
                return caller.type() == PrincipalType.ASSUMED_ROLE
                        && caller.arn().orElseThrow().endsWith(":assumed-role/" + p.name() + "/" + p.session())
                        ? PrincipalMatch.DIRECT : PrincipalMatch.NONE;
            case FEDERATED_USER:
                return caller.type() == PrincipalType.FEDERATED_USER
                        && caller.arn().orElseThrow().endsWith(":federated-user/" + p.name())
                        ? PrincipalMatch.DIRECT : PrincipalMatch.NONE;
            default:
                return PrincipalMatch.NONE;
        }
    }

    /** Unique ids are never reused, in any account: the id alone decides. */
    private static PrincipalMatch matchUniqueId(String uniqueId, RequestPrincipal caller) {
        if (!caller.uniqueId().map(uniqueId::equals).orElse(false)) {
            return PrincipalMatch.NONE;
        }
        switch (caller.type()) {
            case USER:
                return PrincipalMatch.DIRECT;
            case ROLE:
            case ASSUMED_ROLE:
            case FEDERATED_USER:
                return PrincipalMatch.ISSUER;
            default:
                return PrincipalMatch.NONE;
        }
    }

    private static boolean isUser(String arn, AwsPrincipal p) {
        return arn.contains(":user/") && p.name().equals(nameOf(arn));
    }

    private static String nameOf(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    /**
     * Whether this element names {@code caller} at the caller's own level, which is what exempts a caller from a
     * {@code NotPrincipal}: an IAM user by its user ARN, a role session by its session ARN or its role's ARN, a role
     * by its ARN, a federated user by its ARN or the IAM user who created it, the account's root user by the
     * account, a federated or service caller by its provider or service. Naming only the account does not name its
     * users and roles. The IAM User Guide ("AWS JSON policy elements: NotPrincipal") warns that some services check
     * the account first and recommends naming the account too; a policy that does so is read the same here.
     */
    boolean names(RequestPrincipal caller) {
        PrincipalMatch match = match(caller);
        return match == PrincipalMatch.DIRECT || match == PrincipalMatch.ISSUER;
    }

    @Override
    public String toString() {
        return members.toString();
    }
}
