package org.opensts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How an {@code AWS} principal that is an IAM unique id names callers: the one user or role with that id, at the level
 * an ARN of it would, and no namesake.
 */
class PrincipalSpecTest {
    private static final String USER_ID = "AIDAUSERU5EXAMPLE111";
    private static final String OTHER_USER_ID = "AIDAUSERU5EXAMPLE222";
    private static final String ROLE_ID = "AROAROLEAEXAMPLE1111";
    private static final String U5 = "arn:aws:iam::111122223333:user/u5";
    private static final String SESSION = "arn:aws:sts::111122223333:assumed-role/A/s1";
    private static final String FEDERATED = "arn:aws:sts::111122223333:federated-user/fed";

    /** {@code principals}: the {@code AWS} values, one a line. */
    record Case(String name, String principals, RequestPrincipal caller, PrincipalMatch expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> matches() {
        return Stream.of(
                new Case("a user id names the user with that id", USER_ID,
                        RequestPrincipal.user(U5).withUniqueId(USER_ID), PrincipalMatch.DIRECT),
                new Case("a user id does not name a namesake with another id", USER_ID,
                        RequestPrincipal.user(U5).withUniqueId(OTHER_USER_ID), PrincipalMatch.NONE),
                new Case("a user id does not name a caller whose user no longer exists", USER_ID,
                        RequestPrincipal.user(U5), PrincipalMatch.NONE),
                new Case("a user id names its user in any account", USER_ID,
                        RequestPrincipal.user("arn:aws:iam::444455556666:user/renamed").withUniqueId(USER_ID),
                        PrincipalMatch.DIRECT),
                new Case("a role id names a session of that role at the role level", ROLE_ID,
                        RequestPrincipal.assumedRole(SESSION, "arn:aws:iam::111122223333:role/A")
                                .withUniqueId(ROLE_ID), PrincipalMatch.ISSUER),
                new Case("a role id names the role itself at the role level", ROLE_ID,
                        RequestPrincipal.fromArn("arn:aws:iam::111122223333:role/A").withUniqueId(ROLE_ID),
                        PrincipalMatch.ISSUER),
                new Case("a role id does not name a session of a namesake role", ROLE_ID,
                        RequestPrincipal.assumedRole(SESSION, "arn:aws:iam::111122223333:role/A")
                                .withUniqueId("AROAROLEAEXAMPLE2222"), PrincipalMatch.NONE),
                new Case("a user id names a federated user that user issued, at the issuer level", USER_ID,
                        RequestPrincipal.federatedUser(FEDERATED, U5).withUniqueId(USER_ID), PrincipalMatch.ISSUER),
                new Case("a user id does not name a federated user a namesake issued", USER_ID,
                        RequestPrincipal.federatedUser(FEDERATED, U5).withUniqueId(OTHER_USER_ID),
                        PrincipalMatch.NONE),
                new Case("a user id does not name the account", USER_ID,
                        RequestPrincipal.account("111122223333"), PrincipalMatch.NONE),
                new Case("a user id does not name a web identity caller", USER_ID,
                        RequestPrincipal.webIdentity("accounts.google.com", java.util.Optional.empty()),
                        PrincipalMatch.NONE),
                new Case("an ARN still names a user by name, unique id or not", U5,
                        RequestPrincipal.user(U5).withUniqueId(OTHER_USER_ID), PrincipalMatch.DIRECT),
                new Case("an ARN still names a user without a unique id", U5,
                        RequestPrincipal.user(U5), PrincipalMatch.DIRECT),
                new Case("a namesake is named by the account beside the id, and by nothing more",
                        "111122223333\n" + USER_ID, RequestPrincipal.user(U5).withUniqueId(OTHER_USER_ID),
                        PrincipalMatch.ACCOUNT),
                new Case("the user with the id is named directly beside the account", "111122223333\n" + USER_ID,
                        RequestPrincipal.user(U5).withUniqueId(USER_ID), PrincipalMatch.DIRECT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matches")
    void match_uniqueIdsAndArns(Case c) throws MalformedPolicyException {
        var spec = PrincipalSpec.of(Map.of("AWS", List.of(c.principals().split("\n"))), true);

        assertThat(spec.match(c.caller())).isEqualTo(c.expected());
    }
}
