package org.opensts.policy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The table of AWS evaluation rules in {@code aws-evaluation-rules.json}: one case per rule and situation, each naming
 * the AWS page it follows, written as the inputs of the IAM policy simulator's {@code SimulateCustomPolicy} (the
 * caller, the action and resource, the resource's owner when its ARN names none, identity policies, a permissions
 * boundary, the resource's policy, service control policies by level, context keys) and the decision AWS gives.
 */
public final class EvaluationRuleCases {
    private static final String RESOURCE = "aws-evaluation-rules.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvaluationRuleCases() {
    }

    /**
     * One situation.
     *
     * @param resourceOwner the account that owns a resource whose ARN names none ({@code ResourceOwner})
     * @param context context keys with their string values ({@code ContextEntries})
     * @param expected {@code allowed}, {@code implicitDeny} or {@code explicitDeny}
     */
    public record Case(String name, String page, String caller, String action, String resource,
            Optional<String> resourceOwner, List<String> identity, Optional<List<String>> boundary,
            Optional<String> resourcePolicy, List<List<String>> serviceControlPolicies,
            Map<String, List<String>> context, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Every case of the table, in order. */
    public static List<Case> all() {
        try (InputStream in = EvaluationRuleCases.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the test class path");
            }
            var cases = new ArrayList<Case>();
            for (JsonNode node : JSON.readTree(in)) {
                cases.add(new Case(text(node, "name"), text(node, "page"), text(node, "caller"), text(node, "action"),
                        text(node, "resource"), optionalText(node, "resourceOwner"), documents(node.get("identity")),
                        node.has("boundary") ? Optional.of(documents(node.get("boundary"))) : Optional.empty(),
                        node.has("resourcePolicy") ? Optional.of(document(node.get("resourcePolicy")))
                                : Optional.empty(),
                        levels(node.get("scp")), context(node.get("context")), text(node, "expected")));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalStateException("case " + node.get("name") + " lacks " + field);
        }
        return value.asText();
    }

    private static Optional<String> optionalText(JsonNode node, String field) {
        return node.has(field) ? Optional.of(text(node, field)) : Optional.empty();
    }

    private static String document(JsonNode policy) throws IOException {
        return JSON.writeValueAsString(policy);
    }

    private static List<String> documents(JsonNode policies) throws IOException {
        var documents = new ArrayList<String>();
        if (policies != null) {
            for (JsonNode policy : policies) {
                documents.add(document(policy));
            }
        }
        return documents;
    }

    private static List<List<String>> levels(JsonNode levels) throws IOException {
        var result = new ArrayList<List<String>>();
        if (levels != null) {
            for (JsonNode level : levels) {
                result.add(documents(level));
            }
        }
        return result;
    }

    private static Map<String, List<String>> context(JsonNode context) {
        var result = new LinkedHashMap<String, List<String>>();
        if (context != null) {
            context.fields().forEachRemaining(entry -> {
                var values = new ArrayList<String>();
                entry.getValue().forEach(value -> values.add(value.asText()));
                result.put(entry.getKey(), values);
            });
        }
        return result;
    }
}
