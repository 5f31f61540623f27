package org.opensts.protocol;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * An Amazon Resource Name: {@code arn:partition:service:region:account-id:resource}.
 *
 * <p>The resource part may itself contain colons and slashes ({@code role/path/name},
 * {@code assumed-role/demo/session}); only the first five colons separate fields.
 */
public record Arn(String partition, String service, String region, String accountId, String resource) {
    public Arn {
        requireNonNull(partition, "partition");
        requireNonNull(service, "service");
        requireNonNull(region, "region");
        requireNonNull(accountId, "accountId");
        requireNonNull(resource, "resource");
        if (partition.isEmpty() || service.isEmpty() || resource.isEmpty()) {
            throw new IllegalArgumentException("ARN partition, service and resource must not be empty");
        }
    }

    /**
     * Parses an ARN, or returns empty if {@code text} is not one: it must start with {@code arn:}, have five colons,
     * and a partition, a service and a resource that are not empty (the region and the account may be).
     */
    public static Optional<Arn> tryParse(String text) {
        if (text == null || !text.startsWith("arn:")) {
            return Optional.empty();
        }
        int[] colons = new int[5];
        int from = 0;
        for (int i = 0; i < colons.length; i++) {
            int colon = text.indexOf(':', from);
            if (colon < 0) {
                return Optional.empty();
            }
            colons[i] = colon;
            from = colon + 1;
        }
        String partition = text.substring(colons[0] + 1, colons[1]);
        String service = text.substring(colons[1] + 1, colons[2]);
        String resource = text.substring(colons[4] + 1);
        if (partition.isEmpty() || service.isEmpty() || resource.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Arn(partition, service, text.substring(colons[2] + 1, colons[3]),
                text.substring(colons[3] + 1, colons[4]), resource));
    }

    /** An IAM ARN in the {@code aws} partition: {@code arn:aws:iam::account:resource}. */
    public static Arn iam(String accountId, String resource) {
        return new Arn("aws", "iam", "", accountId, resource);
    }

    /** An STS ARN in the {@code aws} partition: {@code arn:aws:sts::account:resource}. */
    public static Arn sts(String accountId, String resource) {
        return new Arn("aws", "sts", "", accountId, resource);
    }

    /** The resource type: the part of {@link #resource()} before the first {@code /} (or {@code :}). */
    public String resourceType() {
        int end = 0;
        while (end < resource.length() && resource.charAt(end) != '/' && resource.charAt(end) != ':') {
            end++;
        }
        return resource.substring(0, end);
    }

    /** The last path element of the resource: the name of a user, role or policy. */
    public String resourceName() {
        return resource.substring(resource.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
        return "arn:" + partition + ':' + service + ':' + region + ':' + accountId + ':' + resource;
    }
}
