package org.opensts.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestPrincipalTest {
    record Case(String arn, PrincipalType type, String account, String principalArn) {
        @Override
        public String toString() {
            return arn;
        }
    }

    static Stream<Case> principals() {
        return Stream.of(
                new Case("123456789012", PrincipalType.ACCOUNT, "123456789012", "arn:aws:iam::123456789012:root"),
                new Case("arn:aws:iam::123456789012:root", PrincipalType.ACCOUNT, "123456789012",
                        "arn:aws:iam::123456789012:root"),
                new Case("arn:aws:iam::123456789012:user/division/Bob", PrincipalType.USER, "123456789012",
                        "arn:aws:iam::123456789012:user/division/Bob"),
                new Case("arn:aws:iam::123456789012:role/Admin", PrincipalType.ROLE, "123456789012",
                        "arn:aws:iam::123456789012:role/Admin"),
                new Case("arn:aws:sts::123456789012:assumed-role/Admin/alice", PrincipalType.ASSUMED_ROLE,
                        "123456789012", "arn:aws:iam::123456789012:role/Admin"),
                new Case("arn:aws-cn:sts::123456789012:assumed-role/Admin/alice", PrincipalType.ASSUMED_ROLE,
                        "123456789012", "arn:aws-cn:iam::123456789012:role/Admin"),
                new Case("arn:aws:sts::123456789012:federated-user/Carol", PrincipalType.FEDERATED_USER,
                        "123456789012", "arn:aws:sts::123456789012:federated-user/Carol"),
                new Case("arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
                        PrincipalType.WEB_IDENTITY, "123456789012", null),
                new Case("arn:aws:iam::123456789012:saml-provider/Corp", PrincipalType.SAML, "123456789012", null),
                new Case("accounts.google.com", PrincipalType.WEB_IDENTITY, null, null),
                new Case("ec2.amazonaws.com", PrincipalType.SERVICE, null, null),
                new Case("*", PrincipalType.ANONYMOUS, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("principals")
    void fromArn_classifiesEveryPrincipal(Case c) {
        RequestPrincipal p = RequestPrincipal.fromArn(c.arn());
        assertThat(p.type()).isEqualTo(c.type());
        assertThat(p.accountId()).isEqualTo(Optional.ofNullable(c.account()));
        assertThat(p.principalArn()).isEqualTo(Optional.ofNullable(c.principalArn()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "bob", "arn:aws:iam::123456789012:group/g", "arn:aws:s3:::bucket",
            "arn:aws:sts::123456789012:assumed-role/OnlyRole", "arn:aws:iam::123456789012"})
    void fromArn_somethingThatNamesNoPrincipal_isRejected(String arn) {
        assertThatThrownBy(() -> RequestPrincipal.fromArn(arn)).isInstanceOf(IllegalArgumentException.class);
    }

    @org.junit.jupiter.api.Test
    void withUniqueId_changesNoConditionKey() {
        var user = RequestPrincipal.user("arn:aws:iam::123456789012:user/Bob").withUserId("AIDAEXAMPLE");

        var bound = user.withUniqueId("AIDAEXAMPLE");

        assertThat(bound.uniqueId()).contains("AIDAEXAMPLE");
        assertThat(bound.contextKeys()).isEqualTo(user.contextKeys());
        assertThat(user.uniqueId()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contextKeyCases")
    void contextKeys_areAwsValuesForEachKindOfCaller(RequestPrincipal principal, Map<String, String> expected) {
        assertThat(principal.contextKeys()).isEqualTo(expected);
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> contextKeyCases() {
        return Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(
                        RequestPrincipal.user("arn:aws:iam::123456789012:user/path/Bob").withUserId("AIDAEXAMPLE"),
                        Map.of("aws:PrincipalArn", "arn:aws:iam::123456789012:user/path/Bob",
                                "aws:PrincipalAccount", "123456789012", "aws:PrincipalType", "User",
                                "aws:userid", "AIDAEXAMPLE", "aws:username", "Bob")),
                org.junit.jupiter.params.provider.Arguments.of(
                        RequestPrincipal.fromArn("arn:aws:sts::123456789012:assumed-role/R/s")
                                .withUserId("AROAEXAMPLE:s"),
                        Map.of("aws:PrincipalArn", "arn:aws:iam::123456789012:role/R",
                                "aws:PrincipalAccount", "123456789012", "aws:PrincipalType", "AssumedRole",
                                "aws:userid", "AROAEXAMPLE:s")),
                org.junit.jupiter.params.provider.Arguments.of(
                        RequestPrincipal.fromArn("arn:aws:sts::123456789012:federated-user/Carol"),
                        Map.of("aws:PrincipalArn", "arn:aws:sts::123456789012:federated-user/Carol",
                                "aws:PrincipalAccount", "123456789012", "aws:PrincipalType", "FederatedUser",
                                "aws:userid", "123456789012:Carol")),
                org.junit.jupiter.params.provider.Arguments.of(
                        RequestPrincipal.account("123456789012"),
                        Map.of("aws:PrincipalArn", "arn:aws:iam::123456789012:root",
                                "aws:PrincipalAccount", "123456789012", "aws:PrincipalType", "Account",
                                "aws:userid", "123456789012")),
                org.junit.jupiter.params.provider.Arguments.of(
                        RequestPrincipal.anonymous(),
                        Map.of("aws:PrincipalType", "Anonymous", "aws:userid", "anonymous")));
    }
}
