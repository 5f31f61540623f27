package org.opensts.iam.bootstrap;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bootstrap file's content. Policy documents may be written as YAML maps or as JSON strings.
 *
 * <pre>{@code
 * accounts:
 *   - id: "123456789012"
 *     policies:                                   # customer managed policies, created before the identities
 *       - name: S3Reader
 *         path: /team/
 *         description: Reads the team's buckets.
 *         document: {Version: "2012-10-17", Statement: [...]}
 *     users:
 *       - name: alice
 *         tags: {Team: platform}                   # set if missing or different (users, roles); others stay
 *         policies: [{name: ReadOnly, document: {Version: "2012-10-17", Statement: [...]}}]
 *         managedPolicies: [arn:aws:iam::123456789012:policy/team/S3Reader]   # attached if missing; others stay
 *         permissionsBoundary: arn:aws:iam::aws:policy/PowerUserAccess
 *         accessKeys: [{generate: true}]          # or {accessKeyId: AKIA..., secretAccessKey: ...}
 *     groups:
 *       - name: developers
 *         path: /teams/
 *         members: [alice]                        # users added if missing; other members stay
 *         policies: [...]
 *         managedPolicies: [arn:aws:iam::aws:policy/IAMReadOnlyAccess]
 *     roles:
 *       - name: demo
 *         maxSessionDuration: 3600
 *         trustPolicy: {Version: "2012-10-17", Statement: [...]}
 *         policies: [...]
 *         managedPolicies: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]   # any AWS managed one
 *         permissionsBoundary: arn:aws:iam::123456789012:policy/team/S3Reader
 *     openIdConnectProviders:
 *       - url: https://token.actions.githubusercontent.com
 *         clientIds: [sts.amazonaws.com]          # added if missing; others stay
 *         thumbprints: [6938fd4d98bab03faadb97b34396831e3780aea1]   # replace the provider's when one is missing
 *         tags: {team: platform}
 *     samlProviders:
 *       - name: Corporate
 *         metadataDocument: |                     # the identity provider's SAML 2.0 metadata, kept verbatim
 *           <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="...">...
 * }</pre>
 */
public record BootstrapFile(List<AccountSpec> accounts) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public BootstrapFile {
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
    }

    /**
     * Reads and parses a bootstrap file.
     *
     * @throws IOException if the file cannot be read or is not a valid bootstrap file (the message says where)
     */
    public static BootstrapFile read(Path file) throws IOException {
        try {
            return parse(Files.readString(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // An unknown field is found once its whole entry has been read, so the parser's position is past it: its
            // path (accounts[0].users[1].field) says where it is instead.
            throw new IOException("Invalid bootstrap file " + file + ": " + describe(e)
                    + (e instanceof UnrecognizedPropertyException ? "" : locationOf(e)));
        }
    }

    /** Parses a bootstrap file's text; a document that is YAML's null ({@code ~}, {@code null}) holds nothing. */
    public static BootstrapFile parse(String yaml) throws IOException {
        BootstrapFile file = YAML.readValue(yaml, BootstrapFile.class);
        return file == null ? new BootstrapFile(List.of()) : file;
    }

    /**
     * What is wrong, without quoting the file's values: the file holds secret access keys, and Jackson's own messages
     * quote a value of the wrong kind whole, as the YAML parser's quote the text around a syntax error. A mapping
     * error is told by where it is; only a name that could be one of the schema's fields is repeated, in a path too:
     * a path runs through the keys of a mapping the file writes freely (a tag's), and a key is the file's text.
     */
    private static String describe(com.fasterxml.jackson.core.JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String name = unknown.getPropertyName();
            String field = couldBeAFieldName(name) ? "unknown field '" + name + "'" : "an unknown field";
            List<JsonMappingException.Reference> entry = unknown.getPath().subList(0,
                    Math.max(0, unknown.getPath().size() - 1));
            return field + " in " + (entry.isEmpty() ? "the top level" : path(entry));
        }
        if (e instanceof JsonMappingException mapping) {
            String where = mapping.getPath().isEmpty() ? "the top level" : path(mapping);
            if (mapping.getCause() instanceof IllegalArgumentException invalid) {
                return invalid.getMessage() + " at " + where;
            }
            return "a value of the wrong kind at " + where;
        }
        // A syntax error: the YAML parser's message quotes the text around it, and the token it stopped at (a tag, a
        // scalar), either of which may be a secret. Where it is says enough to find it.
        return "not valid YAML";
    }

    private static String path(JsonMappingException e) {
        return path(e.getPath());
    }

    private static String path(List<JsonMappingException.Reference> references) {
        var path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                String name = reference.getFieldName();
                path.append(path.length() == 0 ? "" : ".").append(couldBeAFieldName(name) ? name : "(a key)");
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** Whether {@code name} has the shape of the schema's field names, and so is not a secret a file misplaced. */
    private static boolean couldBeAFieldName(String name) {
        return name != null && name.matches("[A-Za-z]{1,32}");
    }

    private static String locationOf(com.fasterxml.jackson.core.JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
    }

    /** An account and what it holds. */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record AccountSpec(@JsonProperty(value = "id", required = true) String id, List<UserSpec> users,
            List<RoleSpec> roles, List<GroupSpec> groups, List<ManagedPolicySpec> policies,
            List<OpenIdConnectProviderSpec> openIdConnectProviders, List<SamlProviderSpec> samlProviders) {
        public AccountSpec {
            id = required(id, "id");
            users = users == null ? List.of() : List.copyOf(users);
            roles = roles == null ? List.of() : List.copyOf(roles);
            groups = groups == null ? List.of() : List.copyOf(groups);
            policies = policies == null ? List.of() : List.copyOf(policies);
            openIdConnectProviders = openIdConnectProviders == null ? List.of() : List.copyOf(openIdConnectProviders);
            samlProviders = samlProviders == null ? List.of() : List.copyOf(samlProviders);
        }
    }

    /**
     * An OpenID Connect provider, named by its issuer URL. The client ids the file names are added if missing (others
     * stay); when the provider lacks one of the file's thumbprints, the file's list replaces the provider's.
     */
    public record OpenIdConnectProviderSpec(@JsonProperty(value = "url", required = true) String url,
            List<String> clientIds, List<String> thumbprints, Map<String, String> tags) {
        public OpenIdConnectProviderSpec {
            url = required(url, "url");
            clientIds = clientIds == null ? List.of() : List.copyOf(clientIds);
            thumbprints = thumbprints == null ? List.of() : List.copyOf(thumbprints);
            tags = checkedTags(tags);
        }
    }

    /** A SAML provider: a different metadata document in the file replaces the provider's. */
    public record SamlProviderSpec(@JsonProperty(value = "name", required = true) String name,
            @JsonProperty(value = "metadataDocument", required = true) String metadataDocument,
            Map<String, String> tags) {
        public SamlProviderSpec {
            name = required(name, "name");
            metadataDocument = required(metadataDocument, "metadataDocument");
            tags = checkedTags(tags);
        }
    }

    /**
     * A customer managed policy of the account. Its document is the default version; a different document in the file
     * becomes a new default version. The path and description are set when the policy is created (IAM cannot change
     * them afterwards).
     */
    public record ManagedPolicySpec(@JsonProperty(value = "name", required = true) String name, String path,
            String description, @JsonProperty(value = "document", required = true) JsonNode document) {
        public ManagedPolicySpec {
            name = required(name, "name");
            document = required(document, "document");
        }
    }

    /** An IAM group: its members are users of the same account, named here or already in the store. */
    public record GroupSpec(@JsonProperty(value = "name", required = true) String name, String path,
            List<String> members, List<PolicySpec> policies, List<String> managedPolicies) {
        public GroupSpec {
            name = required(name, "name");
            members = members == null ? List.of() : List.copyOf(members);
            policies = policies == null ? List.of() : List.copyOf(policies);
            managedPolicies = managedPolicies == null ? List.of() : List.copyOf(managedPolicies);
        }
    }

    /** An IAM user. */
    public record UserSpec(@JsonProperty(value = "name", required = true) String name, String path,
            Map<String, String> tags, List<PolicySpec> policies, List<AccessKeySpec> accessKeys,
            List<String> managedPolicies, String permissionsBoundary) {
        public UserSpec {
            name = required(name, "name");
            tags = checkedTags(tags);
            policies = policies == null ? List.of() : List.copyOf(policies);
            accessKeys = accessKeys == null ? List.of() : List.copyOf(accessKeys);
            managedPolicies = managedPolicies == null ? List.of() : List.copyOf(managedPolicies);
        }
    }

    /**
     * An access key: either given ({@code accessKeyId} and {@code secretAccessKey}) or {@code generate: true}.
     * Not a record: it may hold a secret.
     */
    public static final class AccessKeySpec {
        @JsonProperty("accessKeyId")
        private String accessKeyId;
        @JsonProperty("secretAccessKey")
        private String secretAccessKey;
        @JsonProperty("generate")
        private boolean generate;

        public Optional<String> accessKeyId() {
            return Optional.ofNullable(accessKeyId);
        }

        public Optional<String> secretAccessKey() {
            return Optional.ofNullable(secretAccessKey);
        }

        public boolean generate() {
            return generate;
        }

        @Override
        public String toString() {
            return "AccessKeySpec[" + (generate ? "generate" : accessKeyId) + "]";
        }
    }

    /** An IAM role. */
    public record RoleSpec(@JsonProperty(value = "name", required = true) String name, String path,
            String description, Integer maxSessionDuration,
            @JsonProperty(value = "trustPolicy", required = true) JsonNode trustPolicy, Map<String, String> tags,
            List<PolicySpec> policies, List<String> managedPolicies, String permissionsBoundary) {
        public RoleSpec {
            name = required(name, "name");
            trustPolicy = required(trustPolicy, "trustPolicy");
            tags = checkedTags(tags);
            policies = policies == null ? List.of() : List.copyOf(policies);
            managedPolicies = managedPolicies == null ? List.of() : List.copyOf(managedPolicies);
        }
    }

    /** An inline policy. */
    public record PolicySpec(@JsonProperty(value = "name", required = true) String name,
            @JsonProperty(value = "document", required = true) JsonNode document) {
        public PolicySpec {
            name = required(name, "name");
            document = required(document, "document");
        }
    }

    /**
     * Tags in the file's order. A tag given without a value ({@code Team:} alone, or {@code ~}) is refused: IAM's empty
     * value is written {@code ""}.
     */
    private static Map<String, String> checkedTags(Map<String, String> tags) {
        if (tags == null) {
            return Map.of();
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getKey() == null) {
                throw new IllegalArgumentException("each of 'tags' needs a key");
            }
            if (tag.getValue() == null) {
                throw new IllegalArgumentException("each of 'tags' needs a value (\"\" for an empty one)");
            }
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /**
     * A member the file must give a value: {@code required} in the annotations makes Jackson refuse a missing one,
     * and this refuses one given as nothing ({@code name:} alone, YAML's null), which would otherwise reach the store.
     */
    private static <T> T required(T value, String member) {
        if (value == null || value instanceof JsonNode node && (node.isNull() || node.isMissingNode())) {
            throw new IllegalArgumentException("'" + member + "' needs a value");
        }
        return value;
    }
}
