package org.opensts.policy;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.opensts.policy.internal.ArnSegments;

/**
 * The caller of a request, as policies see it.
 *
 * <ul>
 *   <li>{@code arn}: the caller's ARN — {@code arn:aws:iam::A:root}, {@code arn:aws:iam::A:user/path/n},
 *       {@code arn:aws:iam::A:role/n} (a role named as the caller, as the simulator allows),
 *       {@code arn:aws:sts::A:assumed-role/R/S}, {@code arn:aws:sts::A:federated-user/N}; empty for web
 *       identity, SAML, service and anonymous callers.</li>
 *   <li>{@code accountId}: the account the caller belongs to; empty for services, anonymous callers and
 *       public identity providers.</li>
 *   <li>{@code sessionIssuerArn}: for a role session (or a role) the role's ARN, which is also
 *       {@code aws:PrincipalArn}; for a federated user the IAM user (or root) that called
 *       {@code GetFederationToken}.</li>
 *   <li>{@code federatedProvider}: for web identity and SAML callers the provider, as their trust policy's
 *       {@code Principal.Federated} names it ({@code arn:aws:iam::A:oidc-provider/host},
 *       {@code arn:aws:iam::A:saml-provider/name}, {@code accounts.google.com}, {@code www.amazon.com},
 *       {@code graph.facebook.com}, {@code cognito-identity.amazonaws.com}).</li>
 *   <li>{@code serviceName}: for a service principal, its name ({@code ec2.amazonaws.com}).</li>
 *   <li>{@code userId}: the value of {@code aws:userid}, when the caller knows it (an IAM user's
 *       {@code AIDA…} id, {@code AROA…:session} for a role session).</li>
 *   <li>{@code uniqueId}: the unique id of the IAM user or role the caller is or comes from, while that entity
 *       still exists — an IAM user's {@code AIDA…}, the role's {@code AROA…} for a role or role session, the
 *       issuing user's {@code AIDA…} for a federated user. A principal a stored trust policy binds to a unique id
 *       matches this and nothing else, so a namesake created later is not named.</li>
 * </ul>
 */
public record RequestPrincipal(
        PrincipalType type,
        Optional<String> arn,
        Optional<String> accountId,
        Optional<String> sessionIssuerArn,
        Optional<String> federatedProvider,
        Optional<String> serviceName,
        Optional<String> userId,
        Optional<String> uniqueId) {

    /** The web identity providers AWS names by host rather than by an IAM OIDC provider ARN. */
    private static final Set<String> PUBLIC_IDENTITY_PROVIDERS = Set.of(
            "accounts.google.com", "cognito-identity.amazonaws.com", "www.amazon.com", "graph.facebook.com");

    public RequestPrincipal {
        requireNonNull(type, "type");
        requireNonNull(arn, "arn");
        requireNonNull(accountId, "accountId");
        requireNonNull(sessionIssuerArn, "sessionIssuerArn");
        requireNonNull(federatedProvider, "federatedProvider");
        requireNonNull(serviceName, "serviceName");
        requireNonNull(userId, "userId");
        requireNonNull(uniqueId, "uniqueId");
        switch (type) {
            case ACCOUNT:
            case USER:
            case FEDERATED_USER:
                require(arn.isPresent() && accountId.isPresent(), type + " needs an ARN and an account");
                break;
            case ROLE:
            case ASSUMED_ROLE:
                require(arn.isPresent() && accountId.isPresent() && sessionIssuerArn.isPresent(),
                        type + " needs an ARN, an account and the role ARN");
                break;
            case WEB_IDENTITY:
            case SAML:
                require(federatedProvider.isPresent(), type + " needs its identity provider");
                break;
            case SERVICE:
                require(serviceName.isPresent(), "a service principal needs its name");
                break;
            default:
                break;
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Classifies any principal identifier: an account id or root ARN, an IAM user, role, role session
     * ({@code assumed-role}) or federated user ARN, an OIDC or SAML provider ARN (a federated caller), a
     * public identity provider host, a service principal name, or {@code *} (anonymous).
     *
     * @throws IllegalArgumentException if {@code arn} is none of these
     */
    public static RequestPrincipal fromArn(String arn) {
        requireNonNull(arn, "arn");
        if (arn.equals("*")) {
            return anonymous();
        }
        if (isAccountId(arn)) {
            return account(arn);
        }
        if (!arn.startsWith("arn:")) {
            if (PUBLIC_IDENTITY_PROVIDERS.contains(arn)) {
                return webIdentity(arn, Optional.empty());
            }
            if (arn.indexOf('.') > 0 && arn.indexOf(':') < 0 && arn.indexOf('/') < 0) {
                return service(arn);
            }
            throw new IllegalArgumentException("not a principal: " + arn);
        }
        var segments = ArnSegments.of(arn);
        if (segments.count() != ArnSegments.ARN_SEGMENTS) {
            throw new IllegalArgumentException("not a principal ARN: " + arn);
        }
        String partition = segments.segment(1);
        String service = segments.segment(2);
        String account = segments.segment(4);
        String resource = segments.segment(5);
        if (service.equals("iam")) {
            if (resource.equals("root")) {
                return account(account, partition);
            }
            if (resource.startsWith("user/")) {
                return user(arn);
            }
            if (resource.startsWith("role/")) {
                return new RequestPrincipal(PrincipalType.ROLE, Optional.of(arn), Optional.of(account),
                        Optional.of(arn), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
            }
            if (resource.startsWith("oidc-provider/")) {
                return webIdentity(arn, Optional.of(account));
            }
            if (resource.startsWith("saml-provider/")) {
                return saml(arn);
            }
        } else if (service.equals("sts")) {
            if (resource.startsWith("assumed-role/")) {
                int slash = resource.indexOf('/', "assumed-role/".length());
                if (slash > 0 && slash < resource.length() - 1) {
                    String roleName = resource.substring("assumed-role/".length(), slash);
                    return assumedRole(arn, "arn:" + partition + ":iam::" + account + ":role/" + roleName);
                }
            } else if (resource.startsWith("federated-user/") && resource.length() > "federated-user/".length()) {
                return federatedUser(arn, "arn:" + partition + ":iam::" + account + ":root");
            }
        }
        throw new IllegalArgumentException("not a principal ARN: " + arn);
    }

    /** The root user of {@code accountId}. */
    public static RequestPrincipal account(String accountId) {
        return account(accountId, "aws");
    }

    private static RequestPrincipal account(String accountId, String partition) {
        return new RequestPrincipal(PrincipalType.ACCOUNT, Optional.of("arn:" + partition + ":iam::" + accountId
                + ":root"), Optional.of(accountId), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(accountId), Optional.empty());
    }

    /** The IAM user {@code userArn}; its account is read from the ARN. */
    public static RequestPrincipal user(String userArn) {
        return new RequestPrincipal(PrincipalType.USER, Optional.of(userArn), Optional.of(accountOf(userArn)),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The role session {@code sessionArn} ({@code arn:aws:sts::A:assumed-role/R/S}) of the role {@code roleArn}. */
    public static RequestPrincipal assumedRole(String sessionArn, String roleArn) {
        return new RequestPrincipal(PrincipalType.ASSUMED_ROLE, Optional.of(sessionArn),
                Optional.of(accountOf(sessionArn)), Optional.of(roleArn), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /**
     * The federated user {@code federatedUserArn} ({@code arn:aws:sts::A:federated-user/N}), created by
     * {@code GetFederationToken} called as {@code issuerArn} (an IAM user, or the account root).
     */
    public static RequestPrincipal federatedUser(String federatedUserArn, String issuerArn) {
        String account = accountOf(federatedUserArn);
        String name = federatedUserArn.substring(federatedUserArn.lastIndexOf('/') + 1);
        return new RequestPrincipal(PrincipalType.FEDERATED_USER, Optional.of(federatedUserArn),
                Optional.of(account), Optional.of(issuerArn), Optional.empty(), Optional.empty(),
                Optional.of(account + ":" + name), Optional.empty());
    }

    /**
     * The caller of {@code AssumeRoleWithWebIdentity}, known by {@code provider}: an IAM OIDC provider ARN,
     * or the host of a public provider such as {@code accounts.google.com}.
     */
    public static RequestPrincipal webIdentity(String provider, Optional<String> accountId) {
        return new RequestPrincipal(PrincipalType.WEB_IDENTITY, Optional.empty(), accountId, Optional.empty(),
                Optional.of(provider), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The caller of {@code AssumeRoleWithSAML}, known by its SAML provider ARN. */
    public static RequestPrincipal saml(String samlProviderArn) {
        return new RequestPrincipal(PrincipalType.SAML, Optional.empty(), Optional.of(accountOf(samlProviderArn)),
                Optional.empty(), Optional.of(samlProviderArn), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The service principal {@code serviceName}, such as {@code ec2.amazonaws.com}. */
    public static RequestPrincipal service(String serviceName) {
        return new RequestPrincipal(PrincipalType.SERVICE, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(serviceName), Optional.empty(), Optional.empty());
    }

    /** An unauthenticated caller. */
    public static RequestPrincipal anonymous() {
        return new RequestPrincipal(PrincipalType.ANONYMOUS, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of("anonymous"), Optional.empty());
    }

    /** This principal with the unique id of the live IAM user or role behind it set to {@code uniqueId}. */
    public RequestPrincipal withUniqueId(String uniqueId) {
        return new RequestPrincipal(type, arn, accountId, sessionIssuerArn, federatedProvider, serviceName, userId,
                Optional.of(uniqueId));
    }

    /** This principal with {@code aws:userid} set to {@code userId}. */
    public RequestPrincipal withUserId(String userId) {
        return new RequestPrincipal(type, arn, accountId, sessionIssuerArn, federatedProvider, serviceName,
                Optional.of(userId), uniqueId);
    }

    /**
     * The value of {@code aws:PrincipalArn}: the role ARN for a role session, the caller's own ARN for users,
     * federated users and the root user; empty for other callers.
     */
    public Optional<String> principalArn() {
        return type == PrincipalType.ROLE || type == PrincipalType.ASSUMED_ROLE ? sessionIssuerArn : arn;
    }

    /** The value of {@code aws:username}: an IAM user's friendly name; other callers have none. */
    public Optional<String> username() {
        if (type != PrincipalType.USER) {
            return Optional.empty();
        }
        String value = arn.orElseThrow();
        return Optional.of(value.substring(value.lastIndexOf('/') + 1));
    }

    /**
     * The global keys this caller brings to every request — {@code aws:PrincipalArn},
     * {@code aws:PrincipalAccount}, {@code aws:PrincipalType}, {@code aws:userid}, {@code aws:username} and
     * {@code aws:FederatedProvider} — with AWS's values for this kind of caller. Keys AWS leaves absent for
     * it (such as {@code aws:username} for a role session) are absent here too.
     */
    public Map<String, String> contextKeys() {
        var keys = new LinkedHashMap<String, String>();
        forEachContextKey(keys::put);
        return keys;
    }

    /** Gives each of {@link #contextKeys()} in turn, without a map: a context is built for every request. */
    void forEachContextKey(BiConsumer<String, String> action) {
        Optional<String> principalArn = principalArn();
        if (principalArn.isPresent()) {
            action.accept(GlobalConditionKeys.PRINCIPAL_ARN, principalArn.get());
        }
        if (type != PrincipalType.WEB_IDENTITY && type != PrincipalType.SAML && accountId.isPresent()) {
            action.accept(GlobalConditionKeys.PRINCIPAL_ACCOUNT, accountId.get());
        }
        Optional<String> principalType = type.awsPrincipalType();
        if (principalType.isPresent()) {
            action.accept(GlobalConditionKeys.PRINCIPAL_TYPE, principalType.get());
        }
        if (userId.isPresent()) {
            action.accept(GlobalConditionKeys.USERID, userId.get());
        }
        Optional<String> username = username();
        if (username.isPresent()) {
            action.accept(GlobalConditionKeys.USERNAME, username.get());
        }
        if ((type == PrincipalType.WEB_IDENTITY || type == PrincipalType.SAML) && federatedProvider.isPresent()) {
            action.accept(GlobalConditionKeys.FEDERATED_PROVIDER, federatedProvider.get());
        }
    }

    static boolean isAccountId(String value) {
        if (value.length() != 12) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String accountOf(String arn) {
        var segments = ArnSegments.of(arn);
        if (segments.count() != ArnSegments.ARN_SEGMENTS || !segments.segment(0).equals("arn")) {
            throw new IllegalArgumentException("not an ARN: " + arn);
        }
        return segments.segment(4);
    }
}
