package org.opensts.server;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.AwsRegions;
import org.opensts.protocol.ErrorCode;

/**
 * The node's own region ({@code --region}) and the regions in which it serves STS ({@code --regions}), as an account's
 * administrator enables STS per region on AWS (IAM User Guide, "Managing AWS STS in an AWS Region").
 *
 * <p>An STS request signed for a region that is not enabled gets AWS's {@code RegionDisabledException} (403); one
 * signed for a name that is no region at all (neither an AWS commercial region nor one enabled here) gets
 * {@code SignatureDoesNotMatch}, "Credential should be scoped to a valid region.", as AWS STS answers. A request that
 * is not signed (web identity, SAML) has no credential scope: it is served in the node's own region. IAM is a global
 * service, so its calls are never refused for their region.
 *
 * @param nodeRegion the region this node serves unsigned requests in, and reports for them as
 *     {@code aws:RequestedRegion}
 * @param enabled the regions whose STS requests this node serves
 */
public record Regions(String nodeRegion, Set<String> enabled) {
    static final String INVALID_REGION_MESSAGE = "Credential should be scoped to a valid region. ";

    public Regions {
        requireNonNull(nodeRegion, "nodeRegion");
        if (!AwsRegions.isWellFormed(nodeRegion)) {
            throw new IllegalArgumentException("not a region name: '" + nodeRegion + "'");
        }
        for (String region : enabled) {
            if (!AwsRegions.isWellFormed(region)) {
                throw new IllegalArgumentException("not a region name: '" + region + "'");
            }
        }
        enabled = Set.copyOf(enabled);
    }

    /** {@code us-east-1}, with every public AWS commercial region enabled. */
    public static Regions defaults() {
        return of(AwsRegions.DEFAULT_REGION, AwsRegions.COMMERCIAL);
    }

    public static Regions of(String nodeRegion, List<String> enabled) {
        return new Regions(nodeRegion, new LinkedHashSet<>(enabled));
    }

    /**
     * Refuses an STS request signed for {@code signedRegion} by {@code accountId} unless that region is enabled.
     *
     * @throws ApiException {@code RegionDisabledException} or {@code SignatureDoesNotMatch}
     */
    void checkSigned(String signedRegion, String accountId) {
        if (enabled.contains(signedRegion)) {
            return;
        }
        if (!AwsRegions.COMMERCIAL.contains(signedRegion)) {
            throw new ApiException(ErrorCode.SIGNATURE_DOES_NOT_MATCH, INVALID_REGION_MESSAGE);
        }
        throw disabled(accountId);
    }

    /**
     * Refuses an unsigned STS request for {@code accountId} (the account of the role it names) unless the node's own
     * region is enabled.
     *
     * @throws ApiException {@code RegionDisabledException}
     */
    void checkUnsigned(String accountId) {
        if (!enabled.contains(nodeRegion)) {
            throw disabled(accountId);
        }
    }

    private static ApiException disabled(String accountId) {
        return new ApiException(ErrorCode.REGION_DISABLED, "STS is not activated in this region for account:"
                + accountId + ". Your account administrator can activate STS in this region using the IAM Console.");
    }
}
