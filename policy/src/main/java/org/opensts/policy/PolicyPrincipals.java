package org.opensts.policy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.opensts.policy.internal.JsonTree;
import org.opensts.policy.internal.JsonTree.ArrayNode;
import org.opensts.policy.internal.JsonTree.Member;
import org.opensts.policy.internal.JsonTree.Node;
import org.opensts.policy.internal.JsonTree.ObjectNode;
import org.opensts.policy.internal.JsonTree.ScalarKind;
import org.opensts.policy.internal.JsonTree.ScalarNode;

/**
 * The {@code AWS} principals a policy document names in its {@code Principal} and {@code NotPrincipal} elements, where
 * the text names them, and the same text with some of them written anew.
 *
 * <p>When IAM stores a role trust policy it binds each user and role the policy names to that entity's unique id, and
 * it shows the document as it was submitted except for those principals: the entity's ARN while it exists, its
 * unique id once it is gone (IAM User Guide, "AWS JSON policy elements: Principal", IAM role and IAM user
 * principals). This class reads the principals as written and rewrites exactly those string values, leaving every
 * other character of the document — spacing, order, escapes — as it was.
 */
public final class PolicyPrincipals {
    private final String document;
    private final List<Value> values;

    /** One {@code AWS} principal string: its decoded text and where its JSON string starts and ends. */
    private record Value(String text, int start, int end) {
    }

    private PolicyPrincipals(String document, List<Value> values) {
        this.document = document;
        this.values = values;
    }

    /**
     * Finds the {@code AWS} principals of a policy document. Only JSON syntax is checked here: validate the document
     * with {@link Policy#parse} for everything else.
     *
     * @throws MalformedPolicyException if the document is not JSON
     */
    public static PolicyPrincipals in(String document) throws MalformedPolicyException {
        requireNonNull(document, "document");
        Node root;
        try {
            root = JsonTree.parse(document);
        } catch (JsonTree.SyntaxException e) {
            throw PolicyErrors.syntax(new Position(e.line(), e.column()));
        }
        var values = new ArrayList<Value>();
        if (root instanceof ObjectNode policy) {
            policy.member("Statement").ifPresent(statements -> {
                if (statements.value() instanceof ArrayNode array) {
                    array.elements().forEach(statement -> collect(statement, values));
                } else {
                    collect(statements.value(), values);
                }
            });
        }
        return new PolicyPrincipals(document, List.copyOf(values));
    }

    private static void collect(Node statement, List<Value> values) {
        if (!(statement instanceof ObjectNode object)) {
            return;
        }
        for (String element : List.of("Principal", "NotPrincipal")) {
            object.member(element)
                    .filter(principal -> principal.value() instanceof ObjectNode)
                    .flatMap(principal -> ((ObjectNode) principal.value()).member("AWS"))
                    .map(Member::value)
                    .ifPresent(aws -> {
                        if (aws instanceof ArrayNode array) {
                            array.elements().forEach(node -> collectString(node, values));
                        } else {
                            collectString(aws, values);
                        }
                    });
        }
    }

    private static void collectString(Node node, List<Value> values) {
        if (node instanceof ScalarNode scalar && scalar.kind() == ScalarKind.STRING) {
            values.add(new Value(scalar.text(), node.startOffset(), node.endOffset()));
        }
    }

    /** Each distinct {@code AWS} principal, decoded, in the order the document first names it. */
    public List<String> aws() {
        var distinct = new LinkedHashSet<String>();
        values.forEach(value -> distinct.add(value.text()));
        return List.copyOf(distinct);
    }

    /**
     * The document with every {@code AWS} principal that {@code replacements} maps written as its replacement; the
     * rest of the text is kept character for character.
     */
    public String replaceAws(Map<String, String> replacements) {
        requireNonNull(replacements, "replacements");
        var out = new StringBuilder(document.length() + 64);
        boolean changed = false;
        int copied = 0;
        for (Value value : values) {
            String replacement = replacements.get(value.text());
            if (replacement != null) {
                out.append(document, copied, value.start());
                appendJsonString(out, replacement);
                copied = value.end();
                changed = true;
            }
        }
        return changed ? out.append(document, copied, document.length()).toString() : document;
    }

    private static void appendJsonString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return "PolicyPrincipals" + aws();
    }
}
