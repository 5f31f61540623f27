package org.opensts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The builder of {@link RequestContext} keeps one map per kind of key and lower-cases the well-known keys from a table;
 * it must build the same contexts as the straightforward builder it replaced, kept here as the oracle: any sequence of
 * puts (keys in any case, typed or not, one or several values) and principals gives the same keys, values and types.
 */
class RequestContextBuilderPropertyTest {
    /** One call on a builder. */
    private record Step(String key, Optional<ContextKeyType> type, List<String> values, Optional<RequestPrincipal>
            principal, boolean varargs) {
    }

    @Property(tries = 500)
    void build_givesTheContextOfTheFormerBuilder(@ForAll("steps") List<Step> steps) {
        RequestContext.Builder builder = RequestContext.builder();
        var oracle = new OracleBuilder();
        for (Step step : steps) {
            if (step.principal().isPresent()) {
                builder.principal(step.principal().get());
                oracle.principal(step.principal().get());
            } else if (step.type().isPresent()) {
                builder.put(step.key(), step.type().get(), step.values());
                oracle.put(step.key(), step.type(), step.values());
            } else if (step.varargs()) {
                builder.put(step.key(), step.values().toArray(new String[0]));
                oracle.put(step.key(), Optional.empty(), step.values());
            } else {
                builder.put(step.key(), step.values());
                oracle.put(step.key(), Optional.empty(), step.values());
            }
        }
        RequestContext context = builder.build();
        Map<String, OracleEntry> expected = oracle.build();

        assertThat(context.keys()).containsExactlyInAnyOrderElementsOf(
                expected.values().stream().map(OracleEntry::name).toList());
        for (OracleEntry entry : expected.values()) {
            for (String spelling : List.of(entry.name(), entry.name().toUpperCase(Locale.ROOT),
                    entry.name().toLowerCase(Locale.ROOT))) {
                Optional<OracleEntry> found = Optional.ofNullable(expected.get(spelling.toLowerCase(Locale.ROOT)));
                assertThat(context.values(spelling)).isEqualTo(found.map(OracleEntry::values));
                assertThat(context.type(spelling)).isEqualTo(found.flatMap(OracleEntry::type));
            }
        }
        // Building twice gives the same context: the builder may be reused.
        assertThat(builder.build().keys()).isEqualTo(context.keys());
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<String> key = Arbitraries.oneOf(
                Arbitraries.of(GlobalConditionKeys.CURRENT_TIME, GlobalConditionKeys.PRINCIPAL_ARN,
                        GlobalConditionKeys.USERNAME, GlobalConditionKeys.USERID, GlobalConditionKeys.PRINCIPAL_ACCOUNT,
                        GlobalConditionKeys.PRINCIPAL_TYPE, GlobalConditionKeys.TAG_KEYS,
                        GlobalConditionKeys.STS_ROLE_SESSION_NAME, "aws:PrincipalTag/Team", "aws:principaltag/team",
                        "AWS:USERNAME", "aws:currenttime", "s3:prefix", "x:Key"),
                Arbitraries.strings().withChars("aAbBkK:/-_İıß").ofMinLength(1).ofMaxLength(6));
        Arbitrary<List<String>> values = Arbitraries.strings().alpha().ofMaxLength(4).list().ofMaxSize(3);
        Arbitrary<Optional<ContextKeyType>> type = Arbitraries.of(ContextKeyType.class).optional(0.3);
        Arbitrary<Optional<RequestPrincipal>> principal = Arbitraries.of(
                RequestPrincipal.user("arn:aws:iam::123456789012:user/Bob").withUserId("AIDAEXAMPLE"),
                RequestPrincipal.assumedRole("arn:aws:sts::123456789012:assumed-role/demo/s",
                        "arn:aws:iam::123456789012:role/demo"),
                RequestPrincipal.account("123456789012")).optional(0.15);
        Arbitrary<Step> step = Combinators.combine(key, type, values, principal, Arbitraries.of(true, false))
                .as(Step::new);
        return step.list().ofMaxSize(12);
    }

    private record OracleEntry(String name, Optional<ContextKeyType> type, List<String> values) {
    }

    /** The builder as it was: two linked maps, merged into a hash map and copied. */
    private static final class OracleBuilder {
        private final Map<String, OracleEntry> explicit = new LinkedHashMap<>();
        private final Map<String, OracleEntry> derived = new LinkedHashMap<>();

        void put(String key, Optional<ContextKeyType> type, List<String> values) {
            explicit.put(key.toLowerCase(Locale.ROOT), new OracleEntry(key, type, new ArrayList<>(values)));
        }

        void principal(RequestPrincipal principal) {
            principal.contextKeys().forEach((key, value) ->
                    derived.put(key.toLowerCase(Locale.ROOT), new OracleEntry(key, Optional.empty(), List.of(value))));
        }

        Map<String, OracleEntry> build() {
            var all = new HashMap<String, OracleEntry>(derived);
            all.putAll(explicit);
            return Map.copyOf(all);
        }
    }
}
