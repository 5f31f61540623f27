package org.opensts.iam;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.opensts.iam.jdbc.StoreException;
import org.opensts.policy.MalformedPolicyException;
import org.opensts.policy.Policy;
import org.opensts.policy.PolicyType;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.Arn;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.QueryBinder;

/** The checks and errors every family of IAM operations shares, worded as IAM words them. */
final class IamChecks {
    /** IAM quotas (IAM User Guide, "IAM and AWS STS quotas"), counted without whitespace as IAM counts them. */
    static final int MAX_TAGS = 50;

    private IamChecks() {
    }

    /** Compiles a policy document, or fails with {@code MalformedPolicyDocument} and the parser's message. */
    static Policy parsePolicy(String document, PolicyType type) {
        try {
            return Policy.parse(document, type);
        } catch (MalformedPolicyException e) {
            throw new ApiException(ErrorCode.MALFORMED_POLICY_DOCUMENT, e.getMessage());
        }
    }

    /**
     * The inline policies of one identity share one size quota; the policy being replaced does not count.
     *
     * @throws ApiException {@code LimitExceeded} in IAM's words
     */
    static void checkInlineQuota(IdentityReader reader, PolicyOwner owner, String policyName, Policy policy,
            int quota, String ownerKind, String ownerName) {
        long total = policy.sizeWithoutWhitespace();
        for (InlinePolicy existing : reader.listInlinePolicies(owner)) {
            if (!existing.policyName().equals(policyName)) {
                total += parsePolicy(existing.policyDocument(), PolicyType.IDENTITY).sizeWithoutWhitespace();
            }
        }
        if (total > quota) {
            throw new ApiException(ErrorCode.LIMIT_EXCEEDED,
                    "Maximum policy size of " + quota + " bytes exceeded for " + ownerKind + " " + ownerName);
        }
    }

    /**
     * How an entity's tag keys compare. Users, roles, MFA devices and providers ignore case: {@code Team} and
     * {@code team} are one key. Managed policies do not, as AWS's real responses to CreatePolicy, TagPolicy and
     * UntagPolicy show.
     */
    enum TagKeyCase {
        IGNORED("Duplicate tag keys found. Please note that Tag keys are case insensitive."),
        SIGNIFICANT("Duplicate tag keys found.");

        private final String duplicateMessage;

        TagKeyCase(String duplicateMessage) {
            this.duplicateMessage = duplicateMessage;
        }

        String normalized(String key) {
            return this == IGNORED ? key.toLowerCase(Locale.ROOT) : key;
        }
    }

    /** Tag keys and values by the model, at most 50, keys unique regardless of case, none reserved. */
    static void checkTags(List<Tag> tags) {
        checkTags(tags, TagKeyCase.IGNORED);
    }

    /** Tag keys and values by the model, at most 50, keys unique as {@code keyCase} compares them, none reserved. */
    static void checkTags(List<Tag> tags, TagKeyCase keyCase) {
        if (tags.size() > MAX_TAGS) {
            throw ApiException.validationError("1 validation error detected: Value at 'tags' failed to satisfy "
                    + "constraint: Member must have length less than or equal to " + MAX_TAGS);
        }
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < tags.size(); i++) {
            Tag tag = tags.get(i);
            QueryBinder.check(IamShapes.TAG_KEY, tag.key(), "tags." + (i + 1) + ".member.key");
            QueryBinder.check(IamShapes.TAG_VALUE, tag.value(), "tags." + (i + 1) + ".member.value");
            if (tag.key().toLowerCase(Locale.ROOT).startsWith("aws:")) {
                throw new ApiException(ErrorCode.INVALID_INPUT,
                        "User-defined tag keys can't start with 'aws:'. This prefix is reserved for system tags.");
            }
            if (!keys.add(keyCase.normalized(tag.key()))) {
                throw new ApiException(ErrorCode.INVALID_INPUT, keyCase.duplicateMessage);
            }
        }
    }

    static void requireAccount(IdentityReader reader, String accountId) {
        if (reader.findAccount(accountId).isEmpty()) {
            throw new ApiException(ErrorCode.NO_SUCH_ENTITY, "The account " + accountId + " cannot be found.");
        }
    }

    /**
     * CreateUser, CreateRole and their kin: the account must have room for one more such entity. Called after
     * {@link #requireAccount} in the same write, whose lock on the account's row makes concurrent creates count in
     * turn, so that two of them cannot both take the last place.
     *
     * @param count how many the account holds now, as the store counts them
     * @param quotaName IAM's name of the quota, e.g. {@code UsersPerAccount}
     * @throws ApiException {@code LimitExceeded} in AWS's words, e.g. "Cannot exceed quota for UsersPerAccount: 5000"
     */
    static void checkAccountQuota(int count, int quota, String quotaName) {
        if (count >= quota) {
            throw new ApiException(ErrorCode.LIMIT_EXCEEDED, "Cannot exceed quota for " + quotaName + ": " + quota);
        }
    }

    /** Two nodes may race to create the same name: the loser's unique-key violation is EntityAlreadyExists. */
    static <T> T createEntity(Supplier<T> create, Supplier<ApiException> alreadyExists) {
        try {
            return create.get();
        } catch (StoreException.DuplicateKeyException e) {
            throw alreadyExists.get();
        }
    }

    static ApiException noSuchEntity(String message) {
        return new ApiException(ErrorCode.NO_SUCH_ENTITY, message);
    }

    static ApiException alreadyExists(String message) {
        return new ApiException(ErrorCode.ENTITY_ALREADY_EXISTS, message);
    }

    static ApiException noSuchUser(String userName) {
        return noSuchEntity("The user with name " + userName + " cannot be found.");
    }

    static ApiException noSuchRole(String roleName) {
        return noSuchEntity("The role with name " + roleName + " cannot be found.");
    }

    /**
     * The managed policy a permissions boundary names: a customer managed policy of {@code accountId} or an AWS
     * managed one ({@code arn:aws:iam::aws:policy/…}), its name matched in any case and its path exactly.
     *
     * @return the policy's ARN as the store spells it, to be kept as the boundary
     * @throws ApiException {@code InvalidInput} if the text is not a policy ARN, {@code NoSuchEntity} if no such
     *     policy exists in this account or among the AWS managed ones
     */
    static String resolvePermissionsBoundary(IdentityReader reader, String accountId, String policyArn) {
        QueryBinder.check(IamShapes.ARN, policyArn, "permissionsBoundary");
        Arn arn = Arn.tryParse(policyArn)
                .filter(parsed -> parsed.service().equals("iam") && parsed.resourceType().equals("policy"))
                .orElseThrow(() -> new ApiException(ErrorCode.INVALID_INPUT, "ARN " + policyArn + " is not valid."));
        boolean reachable = arn.accountId().equals(accountId)
                || arn.accountId().equals(ManagedPolicy.AWS_MANAGED_ACCOUNT);
        return Optional.of(arn)
                .filter(found -> reachable)
                .flatMap(found -> reader.findManagedPolicy(found.accountId(), found.resourceName()))
                .filter(policy -> policy.arn().equalsIgnoreCase(policyArn))
                .map(ManagedPolicy::arn)
                .orElseThrow(() -> noSuchEntity("Scope ARN: " + policyArn + " does not exist or is not attachable."));
    }

    /** The {@code Marker} and {@code MaxItems} of a list operation, by the model. */
    static void checkPaging(Optional<String> marker, Optional<Integer> maxItems) {
        marker.ifPresent(value -> QueryBinder.check(IamShapes.MARKER, value, "marker"));
        maxItems.ifPresent(value -> QueryBinder.check(IamShapes.MAX_ITEMS, Integer.toString(value), "maxItems"));
    }

    /**
     * TagRole, TagPolicy and their kin: the given tags added to the entity's, a tag whose key is already there (in any
     * case) replacing that one in place.
     *
     * @param quotaName IAM's name of the per-entity quota, e.g. {@code TagsPerRole}
     * @throws ApiException {@code LimitExceeded} if the entity would hold more than 50 tags
     */
    static List<Tag> mergeTags(List<Tag> existing, List<Tag> added, String quotaName) {
        return mergeTags(existing, added, TagKeyCase.IGNORED, tooManyTags(quotaName));
    }

    /** {@link #mergeTags(List, List, String)}, refusing more than 50 tags with {@code tooMany}. */
    static List<Tag> mergeTags(List<Tag> existing, List<Tag> added, Supplier<ApiException> tooMany) {
        return mergeTags(existing, added, TagKeyCase.IGNORED, tooMany);
    }

    /** {@link #mergeTags(List, List, String)} for keys compared as {@code keyCase} says. */
    static List<Tag> mergeTags(List<Tag> existing, List<Tag> added, TagKeyCase keyCase,
            Supplier<ApiException> tooMany) {
        checkTags(added, keyCase);
        var merged = new ArrayList<>(existing);
        for (Tag tag : added) {
            int index = indexOfKey(merged, tag.key(), keyCase);
            if (index >= 0) {
                merged.set(index, tag);
            } else {
                merged.add(tag);
            }
        }
        if (merged.size() > MAX_TAGS) {
            throw tooMany.get();
        }
        return merged;
    }

    static Supplier<ApiException> tooManyTags(String quotaName) {
        return () -> new ApiException(ErrorCode.LIMIT_EXCEEDED, "Cannot exceed quota for " + quotaName + ": "
                + MAX_TAGS);
    }

    /** UntagRole, UntagPolicy and their kin: the tags without those keys, in any case; unknown keys are ignored. */
    static List<Tag> removeTags(List<Tag> existing, List<String> keys) {
        return removeTags(existing, keys, TagKeyCase.IGNORED);
    }

    /** {@link #removeTags(List, List)} for keys compared as {@code keyCase} says. */
    static List<Tag> removeTags(List<Tag> existing, List<String> keys, TagKeyCase keyCase) {
        QueryBinder.check(IamShapes.TAG_KEY_LIST, keys, "tagKeys");
        Set<String> removed = new HashSet<>();
        keys.forEach(key -> removed.add(keyCase.normalized(key)));
        return existing.stream().filter(tag -> !removed.contains(keyCase.normalized(tag.key()))).toList();
    }

    private static int indexOfKey(List<Tag> tags, String key, TagKeyCase keyCase) {
        for (int i = 0; i < tags.size(); i++) {
            if (keyCase.normalized(tags.get(i).key()).equals(keyCase.normalized(key))) {
                return i;
            }
        }
        return -1;
    }
}
