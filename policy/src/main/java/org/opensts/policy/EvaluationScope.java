package org.opensts.policy;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.opensts.policy.internal.ArnSegments;
import org.opensts.policy.internal.Wildcard;

/**
 * What one evaluation works on: the request, prepared once (the action lower-cased, the resource split into
 * ARN segments), and the condition keys found missing along the way. One per {@link PolicyEvaluator#evaluate}
 * call; never shared between threads.
 */
final class EvaluationScope {
    private final AuthorizationRequest request;
    private final String action;
    private final ArnSegments resource;
    private final Wildcard[] resourcePattern;
    private final boolean roleTrustRequest;
    private Map<String, String> missing;

    EvaluationScope(AuthorizationRequest request) {
        this.request = request;
        this.action = request.action().toLowerCase(Locale.ROOT);
        this.resource = ArnSegments.of(request.resource());
        this.resourcePattern = request.resourceIsPattern() ? compile(request.resource()) : null;
        this.roleTrustRequest = AwsResourceRules.isRoleTrustRequest(action, resource);
    }

    private static Wildcard[] compile(String pattern) {
        var segments = ArnSegments.splitPattern(pattern, /* variables= */ false);
        var compiled = new Wildcard[segments.size()];
        for (int i = 0; i < compiled.length; i++) {
            compiled[i] = Wildcard.compile(segments.get(i));
        }
        return compiled;
    }

    RequestContext context() {
        return request.context();
    }

    /**
     * The values of a context key, already lower case, or null if the request lacks it. {@code aws:ResourceAccount}
     * is the account that owns the resource when the context does not say (IAM User Guide, "AWS global condition
     * context keys": "included in the request context for most service actions"): the account field of its ARN, or
     * the account the request names for a resource whose ARN has none (an S3 bucket's).
     */
    ContextValues lookup(String lowerKey) {
        ContextValues values = request.context().lookup(lowerKey);
        if (values == null && lowerKey.equals(RESOURCE_ACCOUNT_LOWER)) {
            values = resourceAccount();
        }
        return values;
    }

    private static final String RESOURCE_ACCOUNT_LOWER =
            GlobalConditionKeys.RESOURCE_ACCOUNT.toLowerCase(Locale.ROOT);

    private ContextValues resourceAccount() {
        String account = null;
        if (resource.count() == ArnSegments.ARN_SEGMENTS && RequestPrincipal.isAccountId(resource.segment(4))) {
            account = resource.segment(4);
        } else if (request.resourceAccount().isPresent()) {
            account = request.resourceAccount().get();
        }
        return account == null ? null : new ContextValues(GlobalConditionKeys.RESOURCE_ACCOUNT, Optional.empty(),
                new String[] {account});
    }

    RequestPrincipal principal() {
        return request.principal();
    }

    /** The request's action, lower case. */
    String action() {
        return action;
    }

    /** The request's resource, split as an ARN. */
    ArnSegments resource() {
        return resource;
    }

    /**
     * The request's resource as a pattern, one wildcard per ARN segment, when the request names a set of resources
     * (see {@link AuthorizationRequest#resourceIsPattern()}); null when it names one resource.
     */
    Wildcard[] resourcePattern() {
        return resourcePattern;
    }

    /** Whether a role's trust policy governs the request (see {@link AwsResourceRules#isRoleTrustRequest}). */
    boolean isRoleTrustRequest() {
        return roleTrustRequest;
    }

    /** Whether a permissions boundary applies to the caller. */
    boolean callerHasPermissionsBoundary() {
        return request.permissionsBoundary().isPresent();
    }

    /** Records that a relevant statement needed {@code key} and the request did not have it. */
    void noteMissing(String key) {
        if (missing == null) {
            missing = new LinkedHashMap<>();
        }
        missing.putIfAbsent(RequestContext.lower(key), key);
    }

    /** The keys noted missing, first spelling of each. */
    java.util.Set<String> missingKeys() {
        return missing == null ? java.util.Set.of()
                : java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(missing.values()));
    }
}
