package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The AWS managed policies OpenSTS ships: every policy AWS publishes under {@code arn:aws:iam::aws:policy/…}, with its
 * path, default version id, dates and the default version's document, read from the resource
 * {@code aws-managed-policies.json.gz} beside this class. The store copies them into its tables once (and again when a
 * regenerated catalog ships), so that reads, attachments and authorization treat them like any stored policy.
 *
 * <p>The resource says where it came from, and how to regenerate it, in {@code aws-managed-policies.md} beside it.
 * Four policies carry their AWS ids and descriptions; the others have no description and an id of our own, derived
 * from the ARN, since the published data does not include AWS's.
 */
public final class AwsManagedPolicyCatalog {
    static final String RESOURCE = "aws-managed-policies.json.gz";
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final String source;
    private final List<Entry> policies;

    /** One AWS managed policy and the document of its default version. */
    public record Entry(ManagedPolicy policy, String document) {
        public Entry {
            requireNonNull(policy, "policy");
            requireNonNull(document, "document");
        }
    }

    private record CatalogJson(String source, List<PolicyJson> policies) {
    }

    private record PolicyJson(String name, String path, String id, String defaultVersionId, String createDate,
            String updateDate, String description, String document) {
    }

    private AwsManagedPolicyCatalog(String source, List<Entry> policies) {
        this.source = source;
        this.policies = List.copyOf(policies);
    }

    /**
     * Reads the catalog from the classpath (a few tens of milliseconds: 4 MB of JSON, gzipped).
     *
     * @throws UncheckedIOException if the resource is missing or unreadable: the build ships it
     */
    public static AwsManagedPolicyCatalog load() {
        try (InputStream gzipped = open(); var json = new GZIPInputStream(gzipped, 1 << 16)) {
            CatalogJson catalog = JSON.readValue(json, CatalogJson.class);
            List<Entry> entries = catalog.policies().stream().map(AwsManagedPolicyCatalog::entry).toList();
            return new AwsManagedPolicyCatalog(catalog.source(), entries);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the AWS managed policy catalog " + RESOURCE, e);
        }
    }

    private static Entry entry(PolicyJson json) {
        Instant updated = Instant.parse(json.updateDate());
        var policy = new ManagedPolicy(ManagedPolicy.AWS_MANAGED_ACCOUNT, json.id(), json.name(), json.path(),
                json.defaultVersionId(), Optional.ofNullable(json.description()), Instant.parse(json.createDate()),
                updated, List.of(), 0, 0);
        return new Entry(policy, json.document());
    }

    private static InputStream open() throws IOException {
        InputStream in = AwsManagedPolicyCatalog.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IOException("not on the classpath");
        }
        return in;
    }

    /** Where the data came from: the npm package and version it was generated from. */
    public String source() {
        return source;
    }

    /** Every policy, sorted by name. */
    public List<Entry> policies() {
        return policies;
    }
}
