package org.opensts.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyPrincipalsTest {
    private static final String U5 = "arn:aws:iam::111122223333:user/u5";
    private static final String ROLE = "arn:aws:iam::111122223333:role/A";
    private static final String U5_ID = "AIDAUSERU5EXAMPLE111";

    record Case(String name, String document, List<String> aws) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> documents() {
        return Stream.of(
                new Case("one principal of one statement",
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + U5 + "\"}}}", List.of(U5)),
                new Case("a list of principals, each once, in document order",
                        "{\"Statement\":[{\"Principal\":{\"AWS\":[\"" + ROLE + "\",\"" + U5 + "\"]}},"
                                + "{\"Principal\":{\"AWS\":\"" + ROLE + "\"}}]}", List.of(ROLE, U5)),
                new Case("NotPrincipal names principals too",
                        "{\"Statement\":[{\"NotPrincipal\":{\"AWS\":\"" + U5 + "\"}}]}", List.of(U5)),
                new Case("escapes are read as the text they stand for",
                        "{\"Statement\":[{\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:user\\/u\\u0035\"}}]}",
                        List.of(U5)),
                new Case("account ids, roots and everyone are AWS principals as written",
                        "{\"Statement\":[{\"Principal\":{\"AWS\":[\"111122223333\",\"*\","
                                + "\"arn:aws:iam::111122223333:root\"]}}]}",
                        List.of("111122223333", "*", "arn:aws:iam::111122223333:root")),
                new Case("services, federated providers and the bare wildcard are no AWS principals",
                        "{\"Statement\":[{\"Principal\":{\"Service\":\"ec2.amazonaws.com\","
                                + "\"Federated\":\"accounts.google.com\"}},{\"Principal\":\"*\"}]}", List.of()),
                new Case("an ARN elsewhere in the document is no principal",
                        "{\"Statement\":[{\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},"
                                + "\"Condition\":{\"ArnEquals\":{\"aws:PrincipalArn\":\"" + U5 + "\"}}}]}",
                        List.of()),
                new Case("a document without statements names none", "{\"Version\":\"2012-10-17\"}", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void aws_listsTheAwsPrincipalsAsTheyRead(Case c) throws MalformedPolicyException {
        assertThat(PolicyPrincipals.in(c.document()).aws()).isEqualTo(c.aws());
    }

    @Test
    void in_textThatIsNotJson_isMalformed() {
        assertThatThrownBy(() -> PolicyPrincipals.in("{\"Statement\":")).isInstanceOf(MalformedPolicyException.class);
    }

    @Test
    void replaceAws_rewritesOnlyThePrincipalsMappedAndKeepsEveryOtherCharacter() throws MalformedPolicyException {
        String document = "{\n  \"Version\" : \"2012-10-17\",\n  \"Statement\": [ {\n    \"Effect\":\"Allow\",\n"
                + "    \"Principal\": { \"AWS\": [ \"" + U5 + "\" ,\"" + ROLE + "\", \"" + U5 + "\"] },\n"
                + "    \"Action\": \"sts:AssumeRole\",\n    \"Condition\": {\"StringEquals\": {\"aws:PrincipalArn\": \""
                + U5 + "\"}}\n  } ]\n}\n";

        String replaced = PolicyPrincipals.in(document).replaceAws(Map.of(U5, U5_ID));

        assertThat(replaced).isEqualTo(document.replace("[ \"" + U5 + "\" ,\"" + ROLE + "\", \"" + U5 + "\"]",
                "[ \"" + U5_ID + "\" ,\"" + ROLE + "\", \"" + U5_ID + "\"]"));
    }

    @Test
    void replaceAws_aPrincipalWrittenWithEscapes_isReplacedWhole() throws MalformedPolicyException {
        String document = "{\"Statement\":{\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:user\\/u\\u0035\"}}}";

        assertThat(PolicyPrincipals.in(document).replaceAws(Map.of(U5, U5_ID)))
                .isEqualTo("{\"Statement\":{\"Principal\":{\"AWS\":\"" + U5_ID + "\"}}}");
    }

    @Test
    void replaceAws_afterTextOutsideTheBasicPlane_keepsItsPlace() throws MalformedPolicyException {
        String document = "{\"Id\":\"\uD83D\uDE80 é 中\",\"Statement\":{\"Principal\":{\"AWS\":\"" + U5 + "\"}}}";

        assertThat(PolicyPrincipals.in(document).replaceAws(Map.of(U5, U5_ID)))
                .isEqualTo(document.replace(U5, U5_ID));
    }

    @Test
    void replaceAws_replacementNeedingEscapes_isWrittenAsValidJson() throws MalformedPolicyException {
        String replaced = PolicyPrincipals.in("{\"Statement\":{\"Principal\":{\"AWS\":\"" + U5 + "\"}}}")
                .replaceAws(Map.of(U5, "a\"b\\c\n"));

        assertThat(PolicyPrincipals.in(replaced).aws()).containsExactly("a\"b\\c\n");
    }

    @Test
    void replaceAws_nothingMapped_givesTheSameText() throws MalformedPolicyException {
        String document = "{\"Statement\":{\"Principal\":{\"AWS\":\"" + U5 + "\"}}}";

        assertThat(PolicyPrincipals.in(document).replaceAws(Map.of(ROLE, "AROAX"))).isSameAs(document);
    }

    @Property
    void replacingPrincipalsAndReplacingThemBackGivesTheDocument(@ForAll("trustPolicies") String document)
            throws MalformedPolicyException {
        var principals = PolicyPrincipals.in(document);
        var there = new LinkedHashMap<String, String>();
        var back = new LinkedHashMap<String, String>();
        int n = 0;
        for (String value : principals.aws()) {
            String id = "AIDAEXAMPLE" + (1000000000 + n++);
            there.put(value, id);
            back.put(id, value);
        }

        String replaced = principals.replaceAws(there);

        assertThat(PolicyPrincipals.in(replaced).aws()).containsExactlyElementsOf(there.values());
        assertThat(PolicyPrincipals.in(replaced).replaceAws(back)).isEqualTo(document);
    }

    @Provide
    Arbitrary<String> trustPolicies() {
        Arbitrary<String> principal = Arbitraries.of(U5, ROLE, "111122223333", "arn:aws:iam::444455556666:role/B",
                "arn:aws:sts::111122223333:assumed-role/A/s");
        Arbitrary<String> space = Arbitraries.of("", " ", "\n  ", "\t");
        Arbitrary<String> statement = Combinators.combine(principal.list().ofMinSize(1).ofMaxSize(3), space,
                Arbitraries.of("Principal", "NotPrincipal"))
                .as((values, ws, element) -> "{" + ws + "\"Effect\":\"Allow\"," + ws + "\"" + element + "\":{"
                        + ws + "\"AWS\":" + (values.size() == 1 ? "\"" + values.get(0) + "\""
                        : "[" + ws + "\"" + String.join("\"," + ws + "\"", values) + "\"]") + "}," + ws
                        + "\"Action\":\"sts:AssumeRole\"}");
        return statement.list().ofMinSize(1).ofMaxSize(3)
                .map(statements -> "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements)
                        + "]}");
    }
}
