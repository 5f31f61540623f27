package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * An IAM OIDC identity provider. {@code url} is the issuer as registered ({@code https://host/path}); the ARN names it
 * without the scheme: {@code arn:aws:iam::ACCOUNT:oidc-provider/host/path}.
 */
public record OpenIdConnectProvider(String arn, String accountId, String url, List<String> clientIds,
        List<String> thumbprints, Instant createDate, List<Tag> tags) {
    public OpenIdConnectProvider {
        requireNonNull(arn, "arn");
        requireNonNull(accountId, "accountId");
        requireNonNull(url, "url");
        clientIds = List.copyOf(clientIds);
        thumbprints = List.copyOf(thumbprints);
        requireNonNull(createDate, "createDate");
        tags = List.copyOf(tags);
    }

    public OpenIdConnectProvider with(List<String> newClientIds, List<String> newThumbprints, List<Tag> newTags) {
        return new OpenIdConnectProvider(arn, accountId, url, newClientIds, newThumbprints, createDate, newTags);
    }
}
