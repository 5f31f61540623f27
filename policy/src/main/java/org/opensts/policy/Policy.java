package org.opensts.policy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.opensts.policy.internal.JsonTree;
import org.opensts.policy.internal.JsonTree.ArrayNode;
import org.opensts.policy.internal.JsonTree.Member;
import org.opensts.policy.internal.JsonTree.Node;
import org.opensts.policy.internal.JsonTree.ObjectNode;
import org.opensts.policy.internal.JsonTree.ScalarKind;
import org.opensts.policy.internal.JsonTree.ScalarNode;
import org.opensts.policy.internal.PolicyDates;
import org.opensts.policy.internal.Wildcard;

/**
 * An IAM policy document, validated and compiled; immutable and safe to share between threads.
 *
 * <p>{@link #parse} does all the work a policy ever needs: it checks the document the way IAM does for its
 * {@link PolicyType}, and compiles every wildcard pattern, policy variable, number, date and address range,
 * so evaluating the policy parses nothing and compiles no regular expression. Cache the result; parsing is
 * the expensive part.
 *
 * <p>Grammar (IAM User Guide, "IAM JSON policy elements reference"): top-level {@code Version}
 * ({@code 2012-10-17} or {@code 2008-10-17}; absent means {@code 2008-10-17}, in which policy variables are
 * plain text), {@code Id} and {@code Statement} (one object or an array); each statement has an optional
 * {@code Sid}, an {@code Effect}, {@code Principal} or {@code NotPrincipal}, {@code Action} or
 * {@code NotAction}, {@code Resource} or {@code NotResource}, and an optional {@code Condition}. Element names
 * are case-sensitive. Any other element, or a value of the wrong JSON type, makes the document malformed.
 */
public final class Policy {
    /** The current policy language version, the only one with policy variables. */
    public static final String VERSION_2012_10_17 = "2012-10-17";
    /** The original policy language version; also what a document without {@code Version} is. */
    public static final String VERSION_2008_10_17 = "2008-10-17";

    private static final Set<String> POLICY_ELEMENTS = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_ELEMENTS = Set.of("Sid", "Effect", "Principal", "NotPrincipal",
            "Action", "NotAction", "Resource", "NotResource", "Condition");
    private static final Set<String> PRINCIPAL_TYPES = Set.of("AWS", "Federated", "Service", "CanonicalUser");
    /**
     * The actions a role trust policy may name (Service Authorization Reference, "Actions, resources, and condition
     * keys for AWS Security Token Service").
     */
    private static final List<String> TRUST_POLICY_ACTIONS = List.of("sts:assumerole", "sts:assumerolewithsaml",
            "sts:assumerolewithwebidentity", "sts:tagsession", "sts:setsourceidentity", "sts:setcontext");

    private final String document;
    private final PolicyType type;
    private final String version;
    private final Optional<String> id;
    private final List<PolicyStatement> statements;
    private final Set<String> conditionKeys;
    private final int sizeWithoutWhitespace;
    /** What the policy weighs in {@link EvaluationCost}'s estimates, counted once. */
    private final EvaluationCost.ConditionWeights conditionWeights;
    private final long patternWeight;

    private Policy(String document, PolicyType type, String version, Optional<String> id,
            List<PolicyStatement> statements) {
        this.document = document;
        this.type = type;
        this.version = version;
        this.id = id;
        this.statements = List.copyOf(statements);
        var keys = new LinkedHashSet<String>();
        var seen = new HashSet<String>();
        var collected = new LinkedHashSet<String>();
        for (PolicyStatement s : statements) {
            s.collectConditionKeys(collected);
        }
        for (String key : collected) {
            if (seen.add(key.toLowerCase(Locale.ROOT))) {
                keys.add(key);
            }
        }
        this.conditionKeys = Collections.unmodifiableSet(keys);
        this.sizeWithoutWhitespace = countWithoutWhitespace(document);
        this.conditionWeights = EvaluationCost.conditionWeights(document, this.statements);
        this.patternWeight = EvaluationCost.weightedPatterns(this.statements);
    }

    /**
     * Parses, validates and compiles a policy document.
     *
     * @param json the document as the caller sent it
     * @param type what the document is for, which decides the rules it must follow
     * @throws MalformedPolicyException if IAM would reject the document; the message is IAM's
     */
    public static Policy parse(String json, PolicyType type) throws MalformedPolicyException {
        return parse(json, type, /* managed= */ false, /* submitted= */ true);
    }

    /**
     * Compiles a document that was validated when it was stored, perhaps by an earlier version of these rules. The
     * checks that only decide whether IAM takes a new document, without changing what an accepted one means — the
     * form of each resource ARN, of {@code Service} and {@code Federated} principals, and of dates — are not made
     * again, so that a stricter check never stops a stored policy (and a Deny in it) from being evaluated as it was.
     *
     * @throws MalformedPolicyException if the document does not parse even so
     */
    public static Policy parseStored(String json, PolicyType type) throws MalformedPolicyException {
        return parse(json, type, /* managed= */ false, /* submitted= */ false);
    }

    /**
     * Parses, validates and compiles the document of a customer managed policy (CreatePolicy, CreatePolicyVersion):
     * an identity policy that must also say {@code "Version": "2012-10-17"}, which IAM requires of managed policies
     * only (inline policies may leave it out).
     *
     * @throws MalformedPolicyException if IAM would reject the document; the message is IAM's
     */
    public static Policy parseManaged(String json) throws MalformedPolicyException {
        return parse(json, PolicyType.IDENTITY, /* managed= */ true, /* submitted= */ true);
    }

    private static Policy parse(String json, PolicyType type, boolean managed, boolean submitted)
            throws MalformedPolicyException {
        requireNonNull(json, "json");
        requireNonNull(type, "type");
        if (type == PolicyType.SESSION && !json.stripLeading().startsWith("{")) {
            throw PolicyErrors.of(PolicyErrors.SESSION_POLICY_NOT_JSON);
        }
        Node root;
        try {
            root = JsonTree.parse(json);
        } catch (JsonTree.SyntaxException e) {
            throw PolicyErrors.notJson(type, new Position(e.line(), e.column()));
        }
        if (!(root instanceof ObjectNode)) {
            throw syntax(root);
        }
        var document = (ObjectNode) root;
        for (Member m : document.members()) {
            if (!POLICY_ELEMENTS.contains(m.name())) {
                throw syntax(m.value());
            }
        }
        String version = VERSION_2008_10_17;
        Optional<Member> versionMember = document.member("Version");
        if (versionMember.isPresent()) {
            version = string(versionMember.get().value());
            // Any other version is a syntax error in AWS's real responses (for "2013-10-17", say).
            if (!version.equals(VERSION_2012_10_17) && !version.equals(VERSION_2008_10_17)) {
                throw syntax(versionMember.get().value());
            }
        }
        Optional<String> id = Optional.empty();
        Optional<Member> idMember = document.member("Id");
        if (idMember.isPresent()) {
            id = Optional.of(string(idMember.get().value()));
        }
        // A document without statements, or with an empty list of them, is a syntax error in AWS's real responses —
        // except a service control policy given to the simulator, where an empty list is a level that allows nothing.
        Member statementMember = document.member("Statement").orElseThrow(() -> PolicyErrors.missingStatement(
                new Position(root.startLine(), root.startColumn())));
        List<Node> statementNodes;
        if (statementMember.value() instanceof ArrayNode) {
            statementNodes = ((ArrayNode) statementMember.value()).elements();
            if (statementNodes.isEmpty() && type != PolicyType.SERVICE_CONTROL) {
                throw syntax(statementMember.value());
            }
        } else {
            statementNodes = List.of(statementMember.value());
        }
        // IAM checks in phases, each over every statement, and reports the first fault of the first phase that finds
        // one (IAM CreatePolicy's answers): the syntax; a managed policy's version; what its legacy parser refuses (an
        // Effect in another case, a date that is no date, a malformed resource); repeated Sids; Sids and principals;
        // statements without actions; statements without resources; the first resource it finds fault with; and the
        // actions' form. So a statement with a malformed action and no resource is refused for the resource.
        var statementObjects = new ArrayList<ObjectNode>(statementNodes.size());
        for (Node node : statementNodes) {
            if (!(node instanceof ObjectNode)) {
                throw syntax(node);
            }
            checkSyntax((ObjectNode) node, type);
            statementObjects.add((ObjectNode) node);
        }
        if (managed && !version.equals(VERSION_2012_10_17)) {
            throw PolicyErrors.of(PolicyErrors.MANAGED_POLICY_VERSION);
        }
        for (ObjectNode node : statementObjects) {
            effect(node);
            if (submitted) {
                checkDates(node);
            }
        }
        MalformedPolicyException resourceProblem = type == PolicyType.TRUST || !submitted ? null
                : checkResources(statementObjects);
        if (type.isStoredByIam()) {
            checkUniqueSids(statementObjects);
        }
        var principals = new ArrayList<Optional<PrincipalSpec>>(statementObjects.size());
        for (ObjectNode node : statementObjects) {
            checkSid(node, type);
            principals.add(principalOf(node, type, submitted));
        }
        for (ObjectNode node : statementObjects) {
            checkHasActions(node);
        }
        for (ObjectNode node : statementObjects) {
            checkHasResources(node, type);
        }
        if (resourceProblem != null) {
            throw resourceProblem;
        }
        for (ObjectNode node : statementObjects) {
            for (String action : strings(actionsMember(node).value())) {
                checkAction(action);
            }
        }
        if (type == PolicyType.TRUST) {
            for (ObjectNode node : statementObjects) {
                if (node.member("Action").isPresent()) {
                    for (String action : strings(node.member("Action").get().value())) {
                        checkTrustAction(action);
                    }
                }
            }
        }
        boolean variables = version.equals(VERSION_2012_10_17);
        var statements = new ArrayList<PolicyStatement>(statementObjects.size());
        for (int i = 0; i < statementObjects.size(); i++) {
            statements.add(statement(statementObjects.get(i), variables, principals.get(i).orElse(null)));
        }
        return new Policy(json, type, version, id, statements);
    }

    /**
     * The Effect of a statement that {@link #checkSyntax} passed, checked in every statement before the Sids are
     * compared, as AWS's real responses order them: Allow or Deny in another case fails "legacy parsing".
     */
    private static Effect effect(ObjectNode node) throws MalformedPolicyException {
        String effectText = string(node.member("Effect").orElseThrow().value());
        if (effectText.equals("Allow")) {
            return Effect.ALLOW;
        }
        if (effectText.equals("Deny")) {
            return Effect.DENY;
        }
        throw PolicyErrors.of(PolicyErrors.LEGACY_PARSING);
    }

    /**
     * A statement's syntax, all of which IAM checks before anything else: known element names; an Effect that is
     * Allow or Deny in any case; a string Sid; strings or arrays of strings for actions and resources, and not both an
     * element and its {@code Not} form; a Condition that is an object of operator blocks, each an object whose values
     * are scalars or arrays of them, under an operator IAM knows (an unknown one with an empty block is accepted).
     * A trust policy's resources are left to the check that prohibits them.
     */
    private static void checkSyntax(ObjectNode node, PolicyType type) throws MalformedPolicyException {
        for (Member m : node.members()) {
            if (!STATEMENT_ELEMENTS.contains(m.name())) {
                throw syntax(m.value());
            }
        }
        Member effectMember = node.member("Effect").orElseThrow(() -> syntax(node));
        String effectText = string(effectMember.value());
        if (!effectText.equalsIgnoreCase("Allow") && !effectText.equalsIgnoreCase("Deny")) {
            throw syntax(effectMember.value());
        }
        Optional<Member> sid = node.member("Sid");
        if (sid.isPresent()) {
            string(sid.get().value());
        }
        checkExclusive(node, "Principal", "NotPrincipal");
        checkExclusive(node, "Action", "NotAction");
        for (String element : List.of("Action", "NotAction")) {
            Optional<Member> member = node.member(element);
            if (member.isPresent()) {
                strings(member.get().value());
            }
        }
        if (type != PolicyType.TRUST) {
            checkExclusive(node, "Resource", "NotResource");
            for (String element : List.of("Resource", "NotResource")) {
                Optional<Member> member = node.member(element);
                if (member.isPresent()) {
                    strings(member.get().value());
                }
            }
        }
        Optional<Member> conditionMember = node.member("Condition");
        if (conditionMember.isPresent()) {
            Node conditionNode = conditionMember.get().value();
            if (!(conditionNode instanceof ObjectNode)) {
                throw syntax(conditionNode);
            }
            for (Member operator : ((ObjectNode) conditionNode).members()) {
                if (!(operator.value() instanceof ObjectNode)) {
                    throw syntax(operator.value());
                }
                List<Member> keys = ((ObjectNode) operator.value()).members();
                for (Member key : keys) {
                    conditionValues(key.value());
                }
                if (!keys.isEmpty()) {
                    ConditionClause.operator(operator.name());
                }
            }
        }
    }

    private static void checkExclusive(ObjectNode node, String element, String notElement)
            throws MalformedPolicyException {
        Optional<Member> not = node.member(notElement);
        if (node.member(element).isPresent() && not.isPresent()) {
            throw syntax(not.get().value());
        }
    }

    /** The values of the {@code Date*} operators, which IAM's legacy parser must read as dates. */
    private static void checkDates(ObjectNode node) throws MalformedPolicyException {
        Optional<Member> conditionMember = node.member("Condition");
        if (conditionMember.isEmpty()) {
            return;
        }
        for (Member operator : ((ObjectNode) conditionMember.get().value()).members()) {
            List<Member> keys = ((ObjectNode) operator.value()).members();
            if (keys.isEmpty() || ConditionClause.operator(operator.name()).family() != ConditionOperator.Family.DATE) {
                continue;
            }
            for (Member key : keys) {
                for (String value : conditionValues(key.value())) {
                    // And one a condition can compare with: a date IAM takes that matched nothing would leave a
                    // Deny that never applies.
                    if (!PolicyDates.isIamDate(value) || PolicyDates.parseEpochMillis(value) == PolicyDates.INVALID) {
                        throw PolicyErrors.of(PolicyErrors.LEGACY_PARSING);
                    }
                }
            }
        }
    }

    /**
     * The resources' form, statement by statement, as IAM checks it: the first fault {@link ResourceArnRules} finds
     * is returned, to be reported once statements without actions or resources have been; until there is one, each
     * statement's resources must also pass the legacy parser, which fails the policy at once.
     */
    private static MalformedPolicyException checkResources(List<ObjectNode> statements)
            throws MalformedPolicyException {
        MalformedPolicyException first = null;
        for (ObjectNode node : statements) {
            Optional<Member> member = node.member("Resource").or(() -> node.member("NotResource"));
            if (member.isEmpty()) {
                continue;
            }
            List<String> values = strings(member.get().value());
            for (String value : values) {
                if (first == null) {
                    first = ResourceArnRules.problem(value);
                }
            }
            if (first == null) {
                for (String value : values) {
                    if (ResourceArnRules.failsLegacyParsing(value)) {
                        throw PolicyErrors.of(PolicyErrors.LEGACY_PARSING);
                    }
                }
            }
        }
        return first;
    }

    /**
     * Repeated Sids are refused before anything within the statements is checked, as AWS's real responses show: a
     * document whose second statement repeats the first's Sid and lacks its actions is refused for the Sid.
     */
    private static void checkUniqueSids(List<ObjectNode> statements) throws MalformedPolicyException {
        var sids = new HashSet<String>();
        for (ObjectNode node : statements) {
            Optional<Member> sid = node.member("Sid");
            if (sid.isPresent() && sid.get().value() instanceof ScalarNode scalar
                    && scalar.kind() == ScalarKind.STRING && !scalar.text().isEmpty() && !sids.add(scalar.text())) {
                throw PolicyErrors.of(PolicyErrors.SID_UNIQUE);
            }
        }
    }

    /** IAM checks the Sids of the policies it stores; resource policies belong to other services. */
    private static void checkSid(ObjectNode node, PolicyType type) throws MalformedPolicyException {
        Optional<Member> sid = node.member("Sid");
        if (sid.isPresent() && type.isStoredByIam() && !isAlphanumeric(string(sid.get().value()))) {
            throw PolicyErrors.of(PolicyErrors.SID_ALPHANUMERIC);
        }
    }

    /** The statement's principal, which only resource and trust policies have and must have. */
    private static Optional<PrincipalSpec> principalOf(ObjectNode node, PolicyType type, boolean submitted)
            throws MalformedPolicyException {
        Optional<Member> principalMember = node.member("Principal");
        Optional<Member> notPrincipalMember = node.member("NotPrincipal");
        if (notPrincipalMember.isPresent() && type == PolicyType.TRUST) {
            // "You cannot use the NotPrincipal element in an IAM identity-based policy nor in an IAM role trust
            // policy" (IAM User Guide, "AWS JSON policy elements: NotPrincipal").
            throw PolicyErrors.prohibitedField("NotPrincipal");
        }
        Optional<Member> anyPrincipal = principalMember.or(() -> notPrincipalMember);
        if (type.requiresPrincipal()) {
            if (anyPrincipal.isEmpty()) {
                throw PolicyErrors.of(PolicyErrors.MISSING_PRINCIPAL);
            }
            return Optional.of(principal(anyPrincipal.get().value(), submitted));
        }
        if (anyPrincipal.isPresent()) {
            throw PolicyErrors.of(PolicyErrors.SHOULD_NOT_SPECIFY_PRINCIPAL);
        }
        return Optional.empty();
    }

    private static Member actionsMember(ObjectNode node) throws MalformedPolicyException {
        return node.member("Action").or(() -> node.member("NotAction"))
                .orElseThrow(() -> PolicyErrors.of(PolicyErrors.MISSING_ACTIONS));
    }

    private static void checkHasActions(ObjectNode node) throws MalformedPolicyException {
        if (strings(actionsMember(node).value()).isEmpty()) {
            throw PolicyErrors.of(PolicyErrors.MISSING_ACTIONS);
        }
    }

    /**
     * A statement names resources, except in a trust policy, which may not, and in the simulator's resource policy,
     * where a statement without them stands for a trust policy's.
     */
    private static void checkHasResources(ObjectNode node, PolicyType type) throws MalformedPolicyException {
        Optional<Member> resourceMember = node.member("Resource");
        Optional<Member> notResourceMember = node.member("NotResource");
        if (type == PolicyType.TRUST) {
            if (resourceMember.isPresent()) {
                throw PolicyErrors.prohibitedField("Resource");
            }
            if (notResourceMember.isPresent()) {
                throw PolicyErrors.prohibitedField("NotResource");
            }
            return;
        }
        Optional<Member> resourcesMember = resourceMember.or(() -> notResourceMember);
        if (resourcesMember.isEmpty() && type != PolicyType.SIMULATED_RESOURCE
                || resourcesMember.isPresent() && strings(resourcesMember.get().value()).isEmpty()) {
            throw PolicyErrors.of(PolicyErrors.MISSING_RESOURCES);
        }
    }

    /** Compiles a statement that every check has passed. */
    private static PolicyStatement statement(ObjectNode node, boolean variables, PrincipalSpec principal)
            throws MalformedPolicyException {
        Optional<String> sid = Optional.empty();
        Optional<Member> sidMember = node.member("Sid");
        if (sidMember.isPresent()) {
            sid = Optional.of(string(sidMember.get().value()));
        }
        Effect effect = effect(node);
        boolean notPrincipal = node.member("NotPrincipal").isPresent();

        var clauses = new ArrayList<ConditionClause>();
        var conditionView = new LinkedHashMap<String, Map<String, List<String>>>();
        Optional<Member> conditionMember = node.member("Condition");
        if (conditionMember.isPresent()) {
            for (Member operator : ((ObjectNode) conditionMember.get().value()).members()) {
                var keys = new LinkedHashMap<String, List<String>>();
                // A condition key needs no vendor prefix: AWS's real responses accept a key named "a".
                for (Member key : ((ObjectNode) operator.value()).members()) {
                    List<String> values = conditionValues(key.value());
                    clauses.add(ConditionClause.compile(operator.name(), key.name(), values, variables));
                    keys.put(key.name(), values);
                }
                conditionView.put(operator.name(), Collections.unmodifiableMap(keys));
            }
        }

        List<String> actions = strings(actionsMember(node).value());
        boolean notAction = node.member("NotAction").isPresent();
        var resources = new ArrayList<ResourcePattern>();
        Optional<Member> resourceMember = node.member("Resource");
        Optional<Member> notResourceMember = node.member("NotResource");
        boolean notResource = notResourceMember.isPresent();
        Optional<Member> resourcesMember = resourceMember.or(() -> notResourceMember);
        if (resourcesMember.isPresent()) {
            for (String value : strings(resourcesMember.get().value())) {
                resources.add(ResourcePattern.compile(value, variables));
            }
        }

        // The simulator reports both positions just past the brace, as a streaming parser stands after reading it:
        // for the AWS CLI's simulate-custom-policy example, a statement whose "{" is column 37 and whose "}" is
        // column 166 of line 1 is reported from column 38 to column 167.
        var start = new Position(node.startLine(), node.startColumn() + 1);
        var end = new Position(node.endLine(), node.endColumn());
        return new PolicyStatement(sid, effect, principal, notPrincipal, actions, notAction, resources, notResource,
                clauses, Collections.unmodifiableMap(conditionView), start, end);
    }

    private static PrincipalSpec principal(Node node, boolean submitted) throws MalformedPolicyException {
        if (node instanceof ScalarNode && ((ScalarNode) node).kind() == ScalarKind.STRING) {
            if (((ScalarNode) node).text().equals("*")) {
                return PrincipalSpec.everyone();
            }
            throw syntax(node);
        }
        if (!(node instanceof ObjectNode)) {
            throw syntax(node);
        }
        var members = new LinkedHashMap<String, List<String>>();
        for (Member m : ((ObjectNode) node).members()) {
            List<String> values = strings(m.value());
            if (!PRINCIPAL_TYPES.contains(m.name())) {
                throw PolicyErrors.invalidPrincipal(m.name(), values.isEmpty() ? "" : values.get(0));
            }
            if (values.isEmpty()) {
                throw syntax(m.value());
            }
            members.put(m.name(), values);
        }
        if (members.isEmpty()) {
            throw syntax(node);
        }
        return PrincipalSpec.of(members, submitted);
    }

    private static void checkAction(String action) throws MalformedPolicyException {
        if (action.equals("*")) {
            return;
        }
        int colon = action.indexOf(':');
        if (colon <= 0) {
            throw PolicyErrors.of(PolicyErrors.ACTION_VENDOR);
        }
        if (action.indexOf(':', colon + 1) >= 0) {
            throw PolicyErrors.of(PolicyErrors.ACTION_ONE_COLON);
        }
        String vendor = action.substring(0, colon);
        if (!vendor.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '_' || c == '.' || c == '*' || c == '?')) {
            throw PolicyErrors.invalidVendor(vendor);
        }
    }

    private static void checkTrustAction(String action) throws MalformedPolicyException {
        Wildcard pattern = Wildcard.compile(action.toLowerCase(Locale.ROOT));
        for (String allowed : TRUST_POLICY_ACTIONS) {
            if (pattern.matches(allowed)) {
                return;
            }
        }
        throw PolicyErrors.of(PolicyErrors.ASSUME_ROLE_ACTIONS);
    }

    private static boolean isAlphanumeric(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    /** A string element. */
    private static String string(Node node) throws MalformedPolicyException {
        if (node instanceof ScalarNode && ((ScalarNode) node).kind() == ScalarKind.STRING) {
            return ((ScalarNode) node).text();
        }
        throw syntax(node);
    }

    /** A string or an array of strings. */
    private static List<String> strings(Node node) throws MalformedPolicyException {
        if (node instanceof ArrayNode) {
            var values = new ArrayList<String>();
            for (Node element : ((ArrayNode) node).elements()) {
                values.add(string(element));
            }
            return values;
        }
        return List.of(string(node));
    }

    /** A condition value: a string, number or boolean, or an array of them; IAM reads each as text. */
    private static List<String> conditionValues(Node node) throws MalformedPolicyException {
        if (node instanceof ArrayNode) {
            var values = new ArrayList<String>();
            for (Node element : ((ArrayNode) node).elements()) {
                values.add(conditionScalar(element));
            }
            return values;
        }
        return List.of(conditionScalar(node));
    }

    private static String conditionScalar(Node node) throws MalformedPolicyException {
        if (node instanceof ScalarNode && ((ScalarNode) node).kind() != ScalarKind.NULL) {
            return ((ScalarNode) node).text();
        }
        throw syntax(node);
    }

    private static MalformedPolicyException syntax(Node node) {
        return PolicyErrors.syntax(new Position(node.startLine(), node.startColumn()));
    }

    /** The length IAM counts against its quotas: every character except whitespace outside string values. */
    static int countWithoutWhitespace(String json) {
        int count = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                count++;
                if (c == '\\' && i + 1 < json.length()) {
                    count++;
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                count++;
            } else if (!Character.isWhitespace(c)) {
                count++;
            }
        }
        return count;
    }

    /** The document as it was given to {@link #parse}. */
    public String document() {
        return document;
    }

    /** What the document was validated as. */
    public PolicyType type() {
        return type;
    }

    /** The policy language version: the {@code Version} element, or {@code 2008-10-17} if there is none. */
    public String version() {
        return version;
    }

    /** The {@code Id} element, if present. */
    public Optional<String> id() {
        return id;
    }

    /** The statements, in document order. */
    public List<PolicyStatement> statements() {
        return statements;
    }

    /**
     * Every context key the policy refers to, in conditions and as policy variables, first spelling of each
     * (keys are case-insensitive): what IAM's {@code GetContextKeysForCustomPolicy} lists.
     */
    public Set<String> conditionKeys() {
        return conditionKeys;
    }

    /** The document's length as IAM counts it against size quotas: whitespace outside strings is not counted. */
    public int sizeWithoutWhitespace() {
        return sizeWithoutWhitespace;
    }

    /** Its condition values by the key they test, and its policy variables ({@link EvaluationCost}). */
    EvaluationCost.ConditionWeights conditionWeights() {
        return conditionWeights;
    }

    /** Its action, resource and principal patterns, each weighted by how it is matched ({@link EvaluationCost}). */
    long patternWeight() {
        return patternWeight;
    }

    @Override
    public String toString() {
        return "Policy[" + type + ", " + version + ", " + statements.size() + " statements]";
    }
}
