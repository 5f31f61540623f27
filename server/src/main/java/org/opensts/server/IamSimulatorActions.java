package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opensts.iam.IamShapes;
import org.opensts.iam.PolicyExclusion;
import org.opensts.iam.PolicySimulator;
import org.opensts.iam.SimulationPage;
import org.opensts.iam.SimulationRequest;
import org.opensts.iam.SimulationResult;
import org.opensts.policy.ContextKeyType;
import org.opensts.policy.EvalDecision;
import org.opensts.policy.MatchedStatement;
import org.opensts.policy.Position;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.ListShape;
import org.opensts.protocol.shape.ScalarShape;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.shape.Struct;
import org.opensts.sts.Authorizer;

/** The IAM policy simulator: SimulateCustomPolicy, SimulatePrincipalPolicy and GetContextKeysFor*Policy. */
final class IamSimulatorActions {
    static final ListShape SIMULATION_POLICY_LIST = ListShape.of("SimulationPolicyListType", IamShapes.POLICY_DOCUMENT);
    static final ScalarShape ACTION_NAME = ScalarShape.string("ActionNameType").length(3, 128).build();
    static final ListShape ACTION_NAME_LIST = ListShape.of("ActionNameListType", ACTION_NAME);
    static final ScalarShape RESOURCE_NAME = ScalarShape.string("ResourceNameType").length(1, 2048).build();
    static final ListShape RESOURCE_NAME_LIST = ListShape.of("ResourceNameListType", RESOURCE_NAME);
    static final ScalarShape CONTEXT_KEY_NAME = ScalarShape.string("ContextKeyNameType").length(5, 256).build();
    static final ScalarShape CONTEXT_KEY_VALUE = ScalarShape.string("ContextKeyValueType").build();
    static final ScalarShape CONTEXT_KEY_TYPE = ScalarShape.string("ContextKeyTypeEnum")
            .enumValues("string", "stringList", "numeric", "numericList", "boolean", "booleanList", "ip", "ipList",
                    "binary", "binaryList", "date", "dateList")
            .build();
    static final StructureShape CONTEXT_ENTRY = StructureShape.builder("ContextEntry")
            .optional("ContextKeyName", CONTEXT_KEY_NAME)
            .optional("ContextKeyValues", ListShape.of("ContextKeyValueListType", CONTEXT_KEY_VALUE))
            .optional("ContextKeyType", CONTEXT_KEY_TYPE)
            .build();
    static final ListShape CONTEXT_ENTRY_LIST = ListShape.of("ContextEntryListType", CONTEXT_ENTRY);
    static final ScalarShape RESOURCE_HANDLING_OPTION = ScalarShape.string("ResourceHandlingOptionType")
            .length(1, 64).build();
    static final StructureShape ORDERED_ORGANIZATION_POLICY = StructureShape.builder("OrderedOrganizationPolicyType")
            .optional("ServiceControlPolicyInputList", SIMULATION_POLICY_LIST)
            .build();
    static final ListShape ORGANIZATION_POLICY_LIST = ListShape.ofMax("OrganizationPolicyListType",
            ORDERED_ORGANIZATION_POLICY, 7);
    static final ScalarShape POLICY_IDENTIFIER_POLICY_TYPE = ScalarShape.string("PolicyIdentifierPolicyType")
            .enumValues(Arrays.stream(PolicyExclusion.PolicyKind.values()).map(PolicyExclusion.PolicyKind::wireName)
                    .toArray(String[]::new))
            .build();
    static final StructureShape INLINE_POLICY_IDENTIFIER = StructureShape.builder("InlinePolicyIdentifierType")
            .required("PolicyName", inlinePolicyIdentifierName("policyNameType"))
            .required("AttachmentType", ScalarShape.string("AttachmentType").enumValues("user", "group", "role")
                    .build())
            .required("AttachmentName", inlinePolicyIdentifierName("AttachmentName"))
            .build();
    static final StructureShape POLICY_IDENTIFIER = StructureShape.builder("PolicyIdentifier")
            .optional("PolicyType", POLICY_IDENTIFIER_POLICY_TYPE)
            .optional("PolicyArn", IamShapes.ARN)
            .optional("InlinePolicyIdentifier", INLINE_POLICY_IDENTIFIER)
            .build();

    static final StructureShape SIMULATE_CUSTOM_POLICY_REQUEST = StructureShape.builder("SimulateCustomPolicyRequest")
            .required("PolicyInputList", SIMULATION_POLICY_LIST)
            .optional("PermissionsBoundaryPolicyInputList", SIMULATION_POLICY_LIST)
            .optional("OrderedOrganizationPolicyInputList", ORGANIZATION_POLICY_LIST)
            .required("ActionNames", ACTION_NAME_LIST)
            .optional("ResourceArns", RESOURCE_NAME_LIST)
            .optional("ResourcePolicy", IamShapes.POLICY_DOCUMENT)
            .optional("ResourceOwner", RESOURCE_NAME)
            .optional("CallerArn", RESOURCE_NAME)
            .optional("ContextEntries", CONTEXT_ENTRY_LIST)
            .optional("ResourceHandlingOption", RESOURCE_HANDLING_OPTION)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .optional("Marker", IamShapes.MARKER)
            .build();
    static final StructureShape SIMULATE_PRINCIPAL_POLICY_REQUEST = StructureShape.builder(
            "SimulatePrincipalPolicyRequest")
            .required("PolicySourceArn", IamShapes.ARN)
            .optional("PolicyInputList", SIMULATION_POLICY_LIST)
            .optional("PermissionsBoundaryPolicyInputList", SIMULATION_POLICY_LIST)
            .optional("PolicyExclusionList", ListShape.ofMax("PolicyExclusionsListType", POLICY_IDENTIFIER, 256))
            .required("ActionNames", ACTION_NAME_LIST)
            .optional("ResourceArns", RESOURCE_NAME_LIST)
            .optional("ResourcePolicy", IamShapes.POLICY_DOCUMENT)
            .optional("ResourceOwner", RESOURCE_NAME)
            .optional("CallerArn", RESOURCE_NAME)
            .optional("ContextEntries", CONTEXT_ENTRY_LIST)
            .optional("ResourceHandlingOption", RESOURCE_HANDLING_OPTION)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .optional("Marker", IamShapes.MARKER)
            .build();
    static final StructureShape GET_CONTEXT_KEYS_FOR_CUSTOM_POLICY_REQUEST = StructureShape.builder(
            "GetContextKeysForCustomPolicyRequest")
            .required("PolicyInputList", SIMULATION_POLICY_LIST)
            .build();
    static final StructureShape GET_CONTEXT_KEYS_FOR_PRINCIPAL_POLICY_REQUEST = StructureShape.builder(
            "GetContextKeysForPrincipalPolicyRequest")
            .required("PolicySourceArn", IamShapes.ARN)
            .optional("PolicyInputList", SIMULATION_POLICY_LIST)
            .build();

    private final PolicySimulator simulator;
    private final ConcurrencyLimit simulations;

    /**
     * A name of an {@code InlinePolicyIdentifier}. The model writes {@code [\w+=,.@-]+}, and AWS applies it
     * unanchored, as its real answers quote it ({@code .*[\w+=,.@-]+.*}, for a name of wildcards only): the shape
     * asks only for one name character, and a wildcard where none is allowed, or a character no name may hold (a
     * space, a {@code /}), is {@code InvalidInput} from the identifier's own check
     * ({@link PolicyExclusion#fromIdentifier}), not a {@code ValidationError}.
     */
    private static ScalarShape inlinePolicyIdentifierName(String shapeName) {
        return ScalarShape.string(shapeName).length(1, 128).pattern(".*[\\w+=,.@-]+.*").build();
    }

    private IamSimulatorActions(PolicySimulator simulator, ConcurrencyLimit simulations) {
        this.simulator = simulator;
        this.simulations = simulations;
    }

    static List<IamAction> all(PolicySimulator simulator, Authorizer authorizer) {
        return all(simulator, authorizer, ConcurrencyLimit.halfTheProcessors());
    }

    /**
     * @param simulations how many simulations may run at once: each may take up to its budget of a core
     *     ({@code SimulationCost}), and the rest of the node's callers must keep the other cores
     */
    static List<IamAction> all(PolicySimulator simulator, Authorizer authorizer, ConcurrencyLimit simulations) {
        var actions = new IamSimulatorActions(simulator, simulations);
        return List.of(
                IamAction.of(authorizer, "SimulateCustomPolicy", SIMULATE_CUSTOM_POLICY_REQUEST,
                        (account, input) -> "*",
                        actions::simulateCustomPolicy),
                IamAction.of(authorizer, "SimulatePrincipalPolicy", SIMULATE_PRINCIPAL_POLICY_REQUEST,
                        (account, input) -> input.requiredString("PolicySourceArn"),
                        actions::simulatePrincipalPolicy),
                IamAction.of(authorizer, "GetContextKeysForCustomPolicy", GET_CONTEXT_KEYS_FOR_CUSTOM_POLICY_REQUEST,
                        (account, input) -> "*",
                        actions::getContextKeysForCustomPolicy),
                IamAction.of(authorizer, "GetContextKeysForPrincipalPolicy",
                        GET_CONTEXT_KEYS_FOR_PRINCIPAL_POLICY_REQUEST,
                        (account, input) -> input.requiredString("PolicySourceArn"),
                        actions::getContextKeysForPrincipalPolicy));
    }

    private ActionResult simulateCustomPolicy(IamCall call, Struct input) {
        List<List<String>> organization = input.structs("OrderedOrganizationPolicyInputList")
                .stream()
                .map(level -> level.strings("ServiceControlPolicyInputList"))
                .toList();
        SimulationRequest request = request(input, organization, List.of());
        return render(simulations.run(() -> simulator.simulateCustomPolicy(call.accountId(),
                request, start(input), maxItems(input))));
    }

    private ActionResult simulatePrincipalPolicy(IamCall call, Struct input) {
        SimulationRequest request = request(input, List.of(), policyExclusions(input));
        return render(simulations.run(() -> simulator.simulatePrincipalPolicy(call.accountId(),
                input.requiredString("PolicySourceArn"), request, start(input), maxItems(input))));
    }

    private ActionResult getContextKeysForCustomPolicy(IamCall call, Struct input) {
        return contextKeys(simulator.contextKeysForCustomPolicy(
                input.strings("PolicyInputList")));
    }

    private ActionResult getContextKeysForPrincipalPolicy(IamCall call, Struct input) {
        return contextKeys(simulator.contextKeysForPrincipalPolicy(call.accountId(),
                input.requiredString("PolicySourceArn"), input.strings("PolicyInputList")));
    }

    /**
     * {@code PolicyExclusionList}: each {@code PolicyIdentifier} union, checked before anything is read or evaluated.
     *
     * @throws ApiException {@code InvalidInput} for an identifier with no member or several, or a malformed one
     */
    private static List<PolicyExclusion> policyExclusions(Struct input) {
        return input.structs("PolicyExclusionList").stream()
                .map(identifier -> PolicyExclusion.fromIdentifier(identifier.string("PolicyType"),
                        identifier.string("PolicyArn"),
                        identifier.struct("InlinePolicyIdentifier").map(inline -> new PolicyExclusion.InlineIdentifier(
                                inline.requiredString("PolicyName"), inline.requiredString("AttachmentType"),
                                inline.requiredString("AttachmentName")))))
                .toList();
    }

    /**
     * The members SimulateCustomPolicy and SimulatePrincipalPolicy share, with the service control policies of the
     * caller's organization by level (only SimulateCustomPolicy takes them) and the stored policies to exclude (only
     * SimulatePrincipalPolicy takes them).
     */
    private static SimulationRequest request(Struct input, List<List<String>> serviceControlPolicyLevels,
            List<PolicyExclusion> policyExclusions) {
        List<SimulationRequest.ContextEntry> entries = input.structs("ContextEntries").stream()
                .map(entry -> new SimulationRequest.ContextEntry(
                        entry.string("ContextKeyName").orElseThrow(() -> new ApiException(ErrorCode.INVALID_INPUT,
                                "A ContextEntry needs a ContextKeyName.")),
                        entry.strings("ContextKeyValues"),
                        entry.string("ContextKeyType").flatMap(ContextKeyType::fromWireName)))
                .toList();
        return new SimulationRequest(input.strings("PolicyInputList"),
                input.strings("PermissionsBoundaryPolicyInputList"), input.strings("ActionNames"),
                input.strings("ResourceArns"), input.string("ResourcePolicy"), input.string("ResourceOwner"),
                input.string("CallerArn"), entries, serviceControlPolicyLevels, policyExclusions);
    }

    /** Results are paged by position: the marker is the index of the first result of the next page. */
    private static int start(Struct input) {
        return input.string("Marker").map(IamSimulatorActions::decodeMarker).orElse(0);
    }

    private static int maxItems(Struct input) {
        return input.integer("MaxItems").orElse(100);
    }

    private static ActionResult render(SimulationPage simulated) {
        if (simulated.start() > simulated.total()) {
            throw ApiException.validationError("Invalid Marker.");
        }
        List<SimulationResult> page = simulated.results();
        int end = simulated.end();
        return ActionResult.of(xml -> {
            xml.startList("EvaluationResults");
            for (SimulationResult result : page) {
                xml.start("member")
                        .element("EvalActionName", result.actionName())
                        .element("EvalResourceName", result.resourceName())
                        .element("EvalDecision", result.decision().wireName());
                matchedStatements(xml, result.matchedStatements());
                stringList(xml, "MissingContextValues", result.missingContextValues().stream().sorted().toList());
                result.allowedByOrganizations().ifPresent(allowed -> xml.start("OrganizationsDecisionDetail")
                        .element("AllowedByOrganizations", allowed).end());
                result.allowedByPermissionsBoundary().ifPresent(allowed -> xml.start(
                        "PermissionsBoundaryDecisionDetail").element("AllowedByPermissionsBoundary", allowed).end());
                result.evalDecisionDetails().ifPresent(details -> decisionDetails(xml, details));
                if (!result.resourceSpecificResults().isEmpty()) {
                    xml.startList("ResourceSpecificResults");
                    for (SimulationResult.ResourceResult specific : result.resourceSpecificResults()) {
                        xml.start("member")
                                .element("EvalResourceName", specific.resourceName())
                                .element("EvalResourceDecision", specific.decision().wireName());
                        matchedStatements(xml, specific.matchedStatements());
                        stringList(xml, "MissingContextValues",
                                specific.missingContextValues().stream().sorted().toList());
                        specific.evalDecisionDetails().ifPresent(details -> decisionDetails(xml, details));
                        specific.allowedByPermissionsBoundary().ifPresent(allowed -> xml.start(
                                "PermissionsBoundaryDecisionDetail").element("AllowedByPermissionsBoundary", allowed)
                                .end());
                        xml.end();
                    }
                    xml.end();
                }
                xml.end();
            }
            xml.end();
            xml.element("IsTruncated", end < simulated.total());
            if (end < simulated.total()) {
                xml.element("Marker", encodeMarker(end));
            }
        }, Map.of());
    }

    private static void matchedStatements(ResultWriter xml, List<MatchedStatement> statements) {
        xml.startList("MatchedStatements");
        for (MatchedStatement statement : statements) {
            xml.start("member")
                    .element("SourcePolicyId", statement.source().id())
                    .element("SourcePolicyType", statement.source().type().wireName());
            position(xml, "StartPosition", statement.startPosition());
            position(xml, "EndPosition", statement.endPosition());
            xml.end();
        }
        xml.end();
    }

    private static void position(ResultWriter xml, String element, Position position) {
        xml.start(element).element("Line", position.line()).element("Column", position.column()).end();
    }

    private static void decisionDetails(ResultWriter xml, Map<String, EvalDecision> details) {
        xml.startMap("EvalDecisionDetails");
        details.forEach((source, decision) -> xml.start("entry").element("key", source)
                .element("value", decision.wireName()).end());
        xml.end();
    }

    private static void stringList(ResultWriter xml, String element, List<String> values) {
        xml.startList(element);
        values.forEach(value -> xml.element("member", value));
        xml.end();
    }

    private static ActionResult contextKeys(List<String> keys) {
        return ActionResult.of(xml -> stringList(xml, "ContextKeyNames", keys), Map.of());
    }

    private static String encodeMarker(int index) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Integer.toString(index).getBytes(UTF_8));
    }

    private static int decodeMarker(String marker) {
        try {
            int index = Integer.parseInt(new String(Base64.getUrlDecoder().decode(marker), UTF_8));
            if (index < 0) {
                throw ApiException.validationError("Invalid Marker.");
            }
            return index;
        } catch (IllegalArgumentException e) {
            throw ApiException.validationError("Invalid Marker.");
        }
    }
}
