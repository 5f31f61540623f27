package org.opensts.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ArnTest {

    /** An ARN text and its fields. */
    record Parsed(String text, String partition, String service, String region, String accountId, String resource,
            String resourceType, String resourceName) {
        @Override
        public String toString() {
            return text;
        }
    }

    static Stream<Parsed> arns() {
        return Stream.of(
                new Parsed("arn:aws:iam::123456789012:role/demo",
                        "aws", "iam", "", "123456789012", "role/demo", "role", "demo"),
                new Parsed("arn:aws:iam::123456789012:role/path/to/demo",
                        "aws", "iam", "", "123456789012", "role/path/to/demo", "role", "demo"),
                new Parsed("arn:aws:sts::123456789012:assumed-role/demo/session@example.com",
                        "aws", "sts", "", "123456789012", "assumed-role/demo/session@example.com", "assumed-role",
                        "session@example.com"),
                new Parsed("arn:aws:sts::123456789012:federated-user/bob",
                        "aws", "sts", "", "123456789012", "federated-user/bob", "federated-user", "bob"),
                new Parsed("arn:aws:iam::123456789012:root",
                        "aws", "iam", "", "123456789012", "root", "root", "root"),
                new Parsed("arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials",
                        "aws", "iam", "", "aws", "policy/root-task/IAMAuditRootUserCredentials", "policy",
                        "IAMAuditRootUserCredentials"),
                new Parsed("arn:aws:s3:::bucket/key/with:colon",
                        "aws", "s3", "", "", "bucket/key/with:colon", "bucket", "with:colon"),
                new Parsed("arn:aws:lambda:us-east-1:123456789012:function:demo:1",
                        "aws", "lambda", "us-east-1", "123456789012", "function:demo:1", "function",
                        "function:demo:1"),
                new Parsed("arn:aws-cn:iam::123456789012:saml-provider/ADFS",
                        "aws-cn", "iam", "", "123456789012", "saml-provider/ADFS", "saml-provider", "ADFS"),
                new Parsed("arn:aws-us-gov:iam::123456789012:oidc-provider/token.actions.example.com",
                        "aws-us-gov", "iam", "", "123456789012", "oidc-provider/token.actions.example.com",
                        "oidc-provider", "token.actions.example.com"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("arns")
    void tryParse_validArn_splitsAtTheFirstFiveColons(Parsed expected) {
        Arn arn = Arn.tryParse(expected.text()).orElseThrow();

        assertThat(arn).isEqualTo(new Arn(expected.partition(), expected.service(), expected.region(),
                expected.accountId(), expected.resource()));
        assertThat(arn.resourceType()).isEqualTo(expected.resourceType());
        assertThat(arn.resourceName()).isEqualTo(expected.resourceName());
        assertThat(arn.toString()).isEqualTo(expected.text());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @NullSource
    @ValueSource(strings = {"", "arn", "arn:", "ARN:aws:iam::1:root", "urn:aws:iam::1:root", " arn:aws:iam::1:root",
        "arn:aws:iam::1", "arn:aws:iam:1:root", "arn::iam::1:root", "arn:aws:::1:root", "arn:aws:iam::1:",
        "123456789012", "role/demo"})
    void tryParse_notAnArn_isEmpty(String text) {
        assertThat(Arn.tryParse(text)).isEmpty();
    }

    @Test
    void iamAndSts_buildArnsOfTheAwsPartition() {
        assertThat(Arn.iam("123456789012", "role/demo")).hasToString("arn:aws:iam::123456789012:role/demo");
        assertThat(Arn.sts("123456789012", "assumed-role/demo/s"))
                .hasToString("arn:aws:sts::123456789012:assumed-role/demo/s");
    }

    @Test
    void constructor_emptyPartitionServiceOrResource_isRejected() {
        assertThatThrownBy(() -> new Arn("", "iam", "", "1", "root")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Arn("aws", "", "", "1", "root")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Arn("aws", "iam", "", "1", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Arn("aws", "iam", null, "1", "root")).isInstanceOf(NullPointerException.class);
    }

    @Property
    void parsingWhatToStringWrote_givesTheSameArn(@ForAll("anyArn") Arn arn) {
        assertThat(Arn.tryParse(arn.toString())).contains(arn);
    }

    @Provide
    Arbitrary<Arn> anyArn() {
        Arbitrary<String> field = Arbitraries.strings().alpha().numeric().withChars("-.").ofMaxLength(12);
        Arbitrary<String> nonEmpty = field.filter(text -> !text.isEmpty());
        Arbitrary<String> resource = Arbitraries.strings().alpha().numeric().withChars("/:-_.@*")
                .ofMinLength(1).ofMaxLength(40);
        return Combinators.combine(nonEmpty, nonEmpty, field, field, resource).as(Arn::new);
    }
}
