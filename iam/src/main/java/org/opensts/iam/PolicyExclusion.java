package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.Arn;
import org.opensts.protocol.ErrorCode;

/**
 * One entry of SimulatePrincipalPolicy's {@code PolicyExclusionList}: a {@code PolicyIdentifier} naming stored
 * policies to leave out of the simulation, by type, by managed policy ARN, or by inline policy name and the entity it
 * is embedded in (AWS IAM API Reference, "PolicyIdentifier" and "InlinePolicyIdentifierType").
 *
 * <p>{@link #fromIdentifier} checks the identifier's syntax and throws {@code InvalidInput} for a malformed one; an
 * identifier that is well formed but names no policy of the principal is simply ignored when the simulation applies
 * it. Only the principal's stored policies are ever excluded: the request's own {@code PolicyInputList} and
 * {@code PermissionsBoundaryPolicyInputList} stay, as AWS's real responses show.
 */
public sealed interface PolicyExclusion {
    /**
     * AWS's answer to an inline identifier whose policy name has a wildcard ({@code Extra*}, {@code ExtraInlin?}) or
     * whose entity name has two {@code *} ({@code a*b*}), word for word as AWS's real responses give it, though all
     * three members were there; also ours for an identifier built in Java with an empty member.
     */
    String INVALID_INLINE = "Invalid inline policy exclusion: policyName, attachmentType, and attachmentName are "
            + "required";
    /** Our wording, in IAM's style, for a union with none or more than one member set (SDKs refuse it themselves). */
    String INVALID_UNION = "Invalid policy exclusion: exactly one of policyType, policyArn, and "
            + "inlinePolicyIdentifier is required";

    /** {@code PolicyIdentifierPolicyType}: every policy of the type is excluded. */
    enum PolicyKind {
        INLINE("inline"),
        AWS_MANAGED("aws-managed"),
        USER_MANAGED("user-managed"),
        PERMISSION_BOUNDARY("permission-boundary"),
        /** Service control policies: those the simulation takes from the organization, if any. */
        SCP("scp"),
        /** Resource control policies: AWS does not simulate them yet and ignores identifiers that name them. */
        RCP("rcp");

        private final String wireName;

        PolicyKind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Optional<PolicyKind> fromWireName(String wireName) {
            return Arrays.stream(values()).filter(kind -> kind.wireName.equals(wireName)).findFirst();
        }
    }

    /** {@code PolicyType}: all of the principal's policies of one kind. */
    record ByType(PolicyKind kind) implements PolicyExclusion {
        public ByType {
            requireNonNull(kind, "kind");
        }
    }

    /**
     * {@code PolicyArn}: the managed policies attached to the principal (or, for a user, to its groups) whose ARN the
     * pattern matches. The pattern names a policy without its path, {@code arn:aws:iam::ACCOUNT:policy/NAME}, even one
     * created with a path: that is how AWS's real responses match it, and an ARN that spells out a path excludes
     * nothing there. {@code accountId} is {@code aws} for AWS managed policies.
     */
    record ByArn(String policyArn, String partition, String accountId, Optional<String> path, String policyName)
            implements PolicyExclusion {
        public ByArn {
            requireNonNull(policyArn, "policyArn");
            requireNonNull(partition, "partition");
            requireNonNull(accountId, "accountId");
            requireNonNull(path, "path");
            new NamePattern(policyName); // throws unless the name is a pattern: at most one *
        }

        /** Whether this names the attached managed policy {@code name} of {@code account} ({@code aws}: AWS's). */
        public boolean names(String account, String name) {
            return partition.equals("aws") && accountId.equals(account) && path.isEmpty()
                    && new NamePattern(policyName).matches(name);
        }
    }

    /** {@code InlinePolicyIdentifier}: the inline policy of that name in each entity of the type the name matches. */
    record Inline(String policyName, PolicyOwner.Kind attachmentType, String attachmentName)
            implements PolicyExclusion {
        public Inline {
            requireNonNull(policyName, "policyName");
            requireNonNull(attachmentType, "attachmentType");
            new NamePattern(attachmentName); // throws unless the name is a pattern: at most one *
        }

        /** Whether this identifier names the inline policy {@code name} of the {@code kind} entity {@code owner}. */
        public boolean names(PolicyOwner.Kind kind, String owner, String name) {
            return attachmentType == kind && policyName.equals(name) && new NamePattern(attachmentName).matches(owner);
        }
    }

    /** {@code InlinePolicyIdentifierType} as the request gives it. */
    record InlineIdentifier(String policyName, String attachmentType, String attachmentName) {
        public InlineIdentifier {
            requireNonNull(policyName, "policyName");
            requireNonNull(attachmentType, "attachmentType");
            requireNonNull(attachmentName, "attachmentName");
        }
    }

    /**
     * The exclusion a {@code PolicyIdentifier} union names.
     *
     * @throws ApiException {@code InvalidInput} if not exactly one member is set or the one set is malformed
     */
    static PolicyExclusion fromIdentifier(Optional<String> policyType, Optional<String> policyArn,
            Optional<InlineIdentifier> inlinePolicyIdentifier) {
        long members = Stream.of(policyType, policyArn, inlinePolicyIdentifier).filter(Optional::isPresent).count();
        if (members != 1) {
            throw new ApiException(ErrorCode.INVALID_INPUT, INVALID_UNION);
        }
        if (policyType.isPresent()) {
            return ofType(policyType.get());
        }
        if (policyArn.isPresent()) {
            return ofArn(policyArn.get());
        }
        return ofInline(inlinePolicyIdentifier.get());
    }

    /** {@code PolicyType}; the request's shape admits only the six values, so this is a second line of defence. */
    static PolicyExclusion ofType(String policyType) {
        return new ByType(PolicyKind.fromWireName(policyType).orElseThrow(() -> new ApiException(
                ErrorCode.INVALID_INPUT, "Invalid policy exclusion: unknown policyType " + policyType + ".")));
    }

    /**
     * {@code PolicyArn}: {@code arn:PARTITION:iam::ACCOUNT:policy/[PATH/]NAME} with wildcards in {@code NAME} only,
     * at most one {@code *}. A malformed one is answered with IAM's usual {@code ARN … is not valid.}
     */
    static PolicyExclusion ofArn(String policyArn) {
        Arn arn = Arn.tryParse(policyArn).orElseThrow(() -> invalidArn(policyArn));
        String resource = arn.resource();
        int lastSlash = resource.lastIndexOf('/');
        if (!NamePattern.PARTITION.matcher(arn.partition()).matches() || !arn.service().equals("iam")
                || !arn.region().isEmpty() || !(arn.accountId().equals("aws") || Account.isValidAccountId(
                        arn.accountId())) || !resource.startsWith("policy/")) {
            throw invalidArn(policyArn);
        }
        // "policy/NAME" has no path; "policy/a/b/NAME" has the path "/a/b/".
        String path = resource.substring("policy".length(), lastSlash + 1);
        String name = resource.substring(lastSlash + 1);
        if (!NamePattern.PATH.matcher(path).matches() || !NamePattern.WILDCARD_NAME.matcher(name).matches()
                || name.indexOf('*') != name.lastIndexOf('*')) {
            throw invalidArn(policyArn);
        }
        return new ByArn(policyArn, arn.partition(), arn.accountId(),
                path.equals("/") ? Optional.empty() : Optional.of(path), name);
    }

    private static ApiException invalidArn(String policyArn) {
        return new ApiException(ErrorCode.INVALID_INPUT, "ARN " + policyArn + " is not valid.");
    }

    /**
     * {@code InlinePolicyIdentifier}: a plain policy name, and an entity name with at most one {@code *}.
     *
     * <p>AWS checks the names' characters ({@code [\w+=,.@-]+}) unanchored, so a name with a wildcard, a space or a
     * {@code /} passes the request's shape as long as it holds one name character. A wildcard where none is allowed
     * then gets AWS's own {@link #INVALID_INLINE}, as its real responses show. No recorded answer shows what AWS says
     * of a character no name may hold, such as {@code /} or a space; that refusal names the member and what it may
     * hold, in IAM's {@code InvalidInput} style.
     */
    static PolicyExclusion ofInline(InlineIdentifier identifier) {
        String policyName = identifier.policyName();
        String attachmentType = identifier.attachmentType();
        String attachmentName = identifier.attachmentName();
        if (policyName.isEmpty() || attachmentType.isEmpty() || attachmentName.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_INPUT, INVALID_INLINE);
        }
        // The request's shape admits only user, group and role; this is a second line of defence.
        PolicyOwner.Kind kind = Arrays.stream(PolicyOwner.Kind.values())
                .filter(candidate -> candidate.name().toLowerCase(Locale.ROOT).equals(attachmentType))
                .findFirst()
                .orElseThrow(() -> new ApiException(ErrorCode.INVALID_INPUT,
                        "Invalid inline policy exclusion: unknown attachmentType " + attachmentType + "."));
        if (!NamePattern.WILDCARD_NAME.matcher(policyName).matches()) {
            throw new ApiException(ErrorCode.INVALID_INPUT, "Invalid inline policy exclusion: policyName '"
                    + policyName + "' may hold only letters, digits and +=,.@_-, at most 128 of them.");
        }
        if (!NamePattern.WILDCARD_NAME.matcher(attachmentName).matches()) {
            throw new ApiException(ErrorCode.INVALID_INPUT, "Invalid inline policy exclusion: attachmentName '"
                    + attachmentName + "' may hold only letters, digits, +=,.@_- and the wildcards * and ?, at most "
                    + "128 of them.");
        }
        if (!NamePattern.NAME.matcher(policyName).matches()
                || attachmentName.indexOf('*') != attachmentName.lastIndexOf('*')) {
            throw new ApiException(ErrorCode.INVALID_INPUT, INVALID_INLINE);
        }
        return new Inline(policyName, kind, attachmentName);
    }
}
