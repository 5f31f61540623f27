package org.opensts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link RequestPrincipal#contextKeys()} gives its keys one by one to the context builder now, without a map; for every
 * kind of principal it must give the keys, values and order of the implementation it replaced, kept here as the
 * oracle.
 */
class RequestPrincipalContextKeysPropertyTest {
    @Property(tries = 300)
    void contextKeys_areThoseOfTheFormerImplementation(@ForAll("principals") RequestPrincipal principal) {
        Map<String, String> expected = oracle(principal);

        assertThat(principal.contextKeys()).containsExactlyEntriesOf(expected);
        var given = new ArrayList<Map.Entry<String, String>>();
        principal.forEachContextKey((key, value) -> given.add(Map.entry(key, value)));
        assertThat(given).containsExactlyElementsOf(expected.entrySet());
        RequestContext context = RequestContext.builder().principal(principal).build();
        assertThat(context.keys()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((key, value) -> assertThat(context.values(key)).contains(List.of(value)));
    }

    @Provide
    Arbitrary<RequestPrincipal> principals() {
        Arbitrary<String> account = Arbitraries.of("123456789012", "210987654321");
        Arbitrary<String> name = Arbitraries.strings().withChars("abXY09+=,.@_-").ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> path = Arbitraries.of("/", "/team/", "/a/b/");
        Arbitrary<RequestPrincipal> base = Arbitraries.oneOf(
                Combinators.combine(account, path, name).as((a, p, n) ->
                        RequestPrincipal.user("arn:aws:iam::" + a + ":user" + p + n)),
                Combinators.combine(account, name, name).as((a, role, session) -> RequestPrincipal.assumedRole(
                        "arn:aws:sts::" + a + ":assumed-role/" + role + "/" + session,
                        "arn:aws:iam::" + a + ":role/" + role)),
                Combinators.combine(account, name).as((a, n) -> RequestPrincipal.federatedUser(
                        "arn:aws:sts::" + a + ":federated-user/" + n, "arn:aws:iam::" + a + ":user/" + n)),
                account.map(RequestPrincipal::account),
                Combinators.combine(Arbitraries.of("accounts.google.com", "idp.example.com"),
                        account.optional()).as(RequestPrincipal::webIdentity),
                Combinators.combine(account, name).as((a, n) ->
                        RequestPrincipal.saml("arn:aws:iam::" + a + ":saml-provider/" + n)),
                Arbitraries.of("ec2.amazonaws.com", "lambda.amazonaws.com").map(RequestPrincipal::service),
                Arbitraries.just(RequestPrincipal.anonymous()),
                Combinators.combine(account, name).as((a, n) ->
                        RequestPrincipal.fromArn("arn:aws:iam::" + a + ":role/" + n)));
        return Combinators.combine(base, Arbitraries.of("AIDAEXAMPLE", "AROAEXAMPLE:s").optional(),
                Arbitraries.of("AIDAUNIQUE").optional()).as((principal, userId, uniqueId) -> {
                    RequestPrincipal p = userId.isPresent() ? principal.withUserId(userId.get()) : principal;
                    return uniqueId.isPresent() ? p.withUniqueId(uniqueId.get()) : p;
                });
    }

    /** The former {@code contextKeys()}. */
    private static Map<String, String> oracle(RequestPrincipal principal) {
        var keys = new LinkedHashMap<String, String>();
        PrincipalType type = principal.type();
        principal.principalArn().ifPresent(v -> keys.put(GlobalConditionKeys.PRINCIPAL_ARN, v));
        if (type != PrincipalType.WEB_IDENTITY && type != PrincipalType.SAML) {
            principal.accountId().ifPresent(v -> keys.put(GlobalConditionKeys.PRINCIPAL_ACCOUNT, v));
        }
        type.awsPrincipalType().ifPresent(v -> keys.put(GlobalConditionKeys.PRINCIPAL_TYPE, v));
        principal.userId().ifPresent(v -> keys.put(GlobalConditionKeys.USERID, v));
        principal.username().ifPresent(v -> keys.put(GlobalConditionKeys.USERNAME, v));
        if (type == PrincipalType.WEB_IDENTITY || type == PrincipalType.SAML) {
            principal.federatedProvider().ifPresent(v -> keys.put(GlobalConditionKeys.FEDERATED_PROVIDER, v));
        }
        return keys;
    }
}
