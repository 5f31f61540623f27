package org.opensts.verifier;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.opensts.policy.Decision;
import org.opensts.policy.EvalDecision;
import org.opensts.policy.GlobalConditionKeys;
import org.opensts.policy.MatchedStatement;
import org.opensts.policy.PolicyStatement;
import org.opensts.policy.RequestContext;
import org.opensts.policy.SourcePolicyType;
import org.opensts.token.AuthorizationMessage;
import org.opensts.token.AuthorizationMessageCodec;

/**
 * The encoded authorization message of a refused request, as AWS services end their {@code AccessDenied} with
 * "Encoded authorization failure message: …", which {@code sts:DecodeAuthorizationMessage} turns back into AWS's JSON
 * explanation of the decision (STS API Reference, DecodeAuthorizationMessage; the layout is in docs/WIRE.md). STS's
 * own refusals and those of services that embed this library are written here, by the same code.
 *
 * <p>The explanation names the caller, action and resource, the request's condition keys and, for an explicit deny,
 * the statements that denied — policies of the caller's own account only: a statement of another account's resource
 * policy stays out, and so do that resource's tags among the request's keys, since the message can be decoded in the
 * caller's account alone. It never holds a session token, a secret or a signature. If it would not fit in the longest
 * message DecodeAuthorizationMessage accepts, statements are left out from the end, then the request's condition
 * keys.
 */
public final class AuthorizationMessageEncoder {
    private static final JsonFactory JSON = new JsonFactory();

    private final Supplier<AuthorizationMessageCodec> codec;
    private final Clock clock;

    /**
     * @param codec the codec of the deployment's current key ring, asked on every refusal so that rotation applies at
     *     once
     */
    public AuthorizationMessageEncoder(Supplier<AuthorizationMessageCodec> codec, Clock clock) {
        this.codec = requireNonNull(codec, "codec");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * One refused request: who asked for what, the decision (absent when there was no policy to ask) and its keys.
     *
     * @param callerUniqueId the unique id of the user or role behind the caller, named as the principal of its
     *     identity policies' statements
     * @param resourceInCallersAccount whether the resource's policy is the caller's account's own: only then may the
     *     message report its statements and the resource's tags
     */
    public record Refusal(String accountId, String callerArn, String callerUserId, String action, String resource,
            Optional<Decision> decision, RequestContext context, Optional<String> callerUniqueId,
            boolean resourceInCallersAccount) {
        public Refusal {
            requireNonNull(accountId, "accountId");
            requireNonNull(callerArn, "callerArn");
            requireNonNull(callerUserId, "callerUserId");
            requireNonNull(action, "action");
            requireNonNull(resource, "resource");
            requireNonNull(decision, "decision");
            requireNonNull(context, "context");
            requireNonNull(callerUniqueId, "callerUniqueId");
        }
    }

    /** The encoded message of a refusal, shortened until it fits. */
    public String encode(Refusal refusal) {
        AuthorizationMessageCodec current = codec.get();
        List<MatchedStatement> statements = reportedStatements(refusal);
        boolean withConditions = true;
        int kept = statements.size();
        while (true) {
            String document = document(refusal, statements.subList(0, kept), withConditions);
            try {
                return current.seal(new AuthorizationMessage(clock.instant(), refusal.accountId(), document));
            } catch (IllegalArgumentException tooLong) {
                if (kept > 0) {
                    kept /= 2;
                } else if (withConditions) {
                    withConditions = false;
                } else {
                    throw tooLong; // caller, action and resource alone are bounded by the request's own limits
                }
            }
        }
    }

    /** The statements a message reports: those that denied explicitly, of the caller's account's policies. */
    private static List<MatchedStatement> reportedStatements(Refusal refusal) {
        var reported = new ArrayList<MatchedStatement>();
        refusal.decision().ifPresent(decision -> {
            for (MatchedStatement statement : decision.matchedStatements()) {
                boolean foreign = statement.source().type() == SourcePolicyType.RESOURCE
                        && !refusal.resourceInCallersAccount();
                if (!foreign) {
                    reported.add(statement);
                }
            }
        });
        return reported;
    }

    /** AWS's decoded JSON (STS API Reference, DecodeAuthorizationMessage; the layout in docs/WIRE.md). */
    static String document(Refusal refusal, List<MatchedStatement> statements, boolean withConditions) {
        var out = new StringWriter(1024);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            boolean explicitDeny = refusal.decision().map(d -> d.decision() == EvalDecision.EXPLICIT_DENY)
                    .orElse(false);
            json.writeStartObject();
            json.writeBooleanField("allowed", false);
            json.writeBooleanField("explicitDeny", explicitDeny);
            json.writeObjectFieldStart("matchedStatements");
            json.writeArrayFieldStart("items");
            for (MatchedStatement matched : statements) {
                writeStatement(json, matched, refusal.callerUniqueId());
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeObjectFieldStart("failures");
            json.writeArrayFieldStart("items");
            json.writeEndArray();
            json.writeEndObject();
            json.writeObjectFieldStart("context");
            json.writeObjectFieldStart("principal");
            json.writeStringField("id", refusal.callerUserId());
            // An IAM user is also named, as in AWS's decoded messages ("name": "Bob"); a role session is not.
            Optional<String> userName = iamUserName(refusal.callerArn());
            if (userName.isPresent()) {
                json.writeStringField("name", userName.get());
            }
            json.writeStringField("arn", refusal.callerArn());
            json.writeEndObject();
            json.writeStringField("action", refusal.action());
            json.writeStringField("resource", refusal.resource());
            json.writeObjectFieldStart("conditions");
            json.writeArrayFieldStart("items");
            if (withConditions) {
                RequestContext context = refusal.context();
                for (String key : context.keys()) {
                    if (!refusal.resourceInCallersAccount() && describesResource(key)) {
                        continue; // another account's resource tags are that account's to read, not the caller's
                    }
                    writeKeyValues(json, key, Optional.empty(), context.values(key).orElse(List.of()));
                }
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /** Whether a context key carries the resource's own attributes (its tags) rather than the request's. */
    private static boolean describesResource(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.startsWith(GlobalConditionKeys.RESOURCE_TAG_PREFIX.toLowerCase(Locale.ROOT))
                || lower.startsWith("iam:resourcetag/")
                || lower.startsWith("s3:existingobjecttag/");
    }

    /**
     * One matched statement with AWS's members — {@code principals} are the unique id of the user or role an identity
     * policy speaks for, or the principals a resource policy names — and then the policy it comes from.
     */
    private static void writeStatement(JsonGenerator json, MatchedStatement matched, Optional<String> callerUniqueId)
            throws IOException {
        PolicyStatement statement = matched.statement();
        json.writeStartObject();
        json.writeStringField("statementId", matched.sid().orElse(""));
        json.writeStringField("effect", matched.effect().name().toUpperCase(Locale.ROOT));
        var principals = new ArrayList<String>();
        if (statement.principal().isEmpty()) {
            callerUniqueId.ifPresent(principals::add);
        } else {
            statement.principal().values().forEach(principals::addAll);
        }
        writeValues(json, statement.hasNotPrincipal() ? "notPrincipals" : "principals", principals);
        writeValues(json, "principalGroups", List.of());
        writeValues(json, statement.hasNotAction() ? "notActions" : "actions", statement.actions());
        writeValues(json, statement.hasNotResource() ? "notResources" : "resources", statement.resources());
        json.writeObjectFieldStart("conditions");
        json.writeArrayFieldStart("items");
        for (Map.Entry<String, Map<String, List<String>>> operator : statement.conditions().entrySet()) {
            for (Map.Entry<String, List<String>> key : operator.getValue().entrySet()) {
                writeKeyValues(json, key.getKey(), Optional.of(operator.getKey()), key.getValue());
            }
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeStringField("sourcePolicyId", matched.source().id());
        json.writeStringField("sourcePolicyType", matched.source().type().wireName());
        json.writeEndObject();
    }

    private static void writeKeyValues(JsonGenerator json, String key, Optional<String> operator, List<String> values)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("key", key);
        if (operator.isPresent()) {
            json.writeStringField("operator", operator.get());
        }
        writeValues(json, "values", values);
        json.writeEndObject();
    }

    private static void writeValues(JsonGenerator json, String field, List<String> values) throws IOException {
        json.writeObjectFieldStart(field);
        json.writeArrayFieldStart("items");
        for (String value : values) {
            json.writeStartObject();
            json.writeStringField("value", value);
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    /** The name of the IAM user an ARN names ({@code arn:aws:iam::123456789012:user/path/Bob}: Bob), if any. */
    static Optional<String> iamUserName(String arn) {
        int user = arn.indexOf(":user/");
        if (!arn.startsWith("arn:") || user < 0 || !arn.regionMatches(arn.indexOf(':', 4) + 1, "iam:", 0, 4)) {
            return Optional.empty();
        }
        String name = arn.substring(arn.lastIndexOf('/') + 1);
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }
}
