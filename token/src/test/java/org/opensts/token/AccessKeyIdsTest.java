package org.opensts.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessKeyIdsTest {

    // External vectors: real AWS ids whose account public write-ups and tools agree on.

    record KnownId(String name, String accessKeyId, String accountId) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<KnownId> knownIds() {
        return Stream.of(
                new KnownId("temporary id from the access-key-format write-up", "ASIAY34FZKBOKMUTVV7A", "609629065308"),
                new KnownId("temporary id from the account-id-from-key tool", "ASIAVJ2E6QGR2WZILJFM", "364679954851"),
                new KnownId("long-term id from the account-id-from-key-id crate", "AKIASP2TPHJSQH3FJXYZ",
                        "171436882533"),
                new KnownId("long-term id from a cloud-enumeration test suite", "AKIAV7S32T2OSBFJQOIY",
                        "411435703965"),
                new KnownId("emulator id for account zero", "ASIAQAAAAAAAGMKEM7X5", "000000000000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("knownIds")
    void accountIdOf_realAwsId_isTheAccountAwsReports(KnownId known) {
        assertThat(AccessKeyIds.accountIdOf(known.accessKeyId())).hasValue(known.accountId());
    }

    // Tables

    record NotAnId(String name, String text) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<NotAnId> notIds() {
        return Stream.of(
                new NotAnId("the documentation's example id predates account embedding", "AKIAIOSFODNN7EXAMPLE"),
                new NotAnId("an empty string", ""),
                new NotAnId("nineteen characters", "ASIAY34FZKBOKMUTVV7"),
                new NotAnId("twenty-one characters", "ASIAY34FZKBOKMUTVV7AA"),
                new NotAnId("an IAM user id prefix", "AIDAY34FZKBOKMUTVV7A"),
                new NotAnId("a role id prefix", "AROAY34FZKBOKMUTVV7A"),
                new NotAnId("lower case", "asiay34fzkbokmutvv7a"),
                new NotAnId("digit 0 is not base32", "ASIAY34FZKBOKMUTVV70"),
                new NotAnId("digit 1 is not base32", "ASIA1Y34FZKBOKMUTVV7"),
                new NotAnId("digit 8 is not base32", "ASIAY34FZKBOKMUTVV78"),
                new NotAnId("an embedded number above 12 digits", "ASIA7777777QAAAAAAAA"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notIds")
    void accountIdOf_notAWellFormedId_isEmpty(NotAnId notAnId) {
        assertThat(AccessKeyIds.accountIdOf(notAnId.text())).isEmpty();
    }

    @Test
    void accountIdOf_null_isEmpty() {
        assertThat(AccessKeyIds.accountIdOf(null)).isEmpty();
    }

    @ParameterizedTest(name = "account id \"{0}\" is rejected")
    @ValueSource(strings = {"", "12345678901", "1234567890123", "12345678901a", "-12345678901",
            "１２３４５６７８９０１２"})
    void newTemporary_malformedAccountId_isRejected(String accountId) {
        assertThatThrownBy(() -> AccessKeyIds.newTemporary(accountId, new SeededRandom(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "prefix \"{0}\" is rejected")
    @ValueSource(strings = {"", "AID", "AIDAA", "aida", "AID4", "ÄIDA"})
    void newUniqueId_malformedPrefix_isRejected(String prefix) {
        assertThatThrownBy(() -> AccessKeyIds.newUniqueId(prefix, new SeededRandom(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void newLongTermAndNewTemporary_sameRandomness_differOnlyInPrefix() {
        String longTerm = AccessKeyIds.newLongTerm("123456789012", new SeededRandom(5));
        String temporary = AccessKeyIds.newTemporary("123456789012", new SeededRandom(5));

        assertThat(longTerm).startsWith("AKIA");
        assertThat(temporary).startsWith("ASIA").endsWith(longTerm.substring(4));
    }

    @Test
    void newTemporary_sameAccount_sharesTheAccountCharactersButNotTheRest() {
        String a = AccessKeyIds.newTemporary("609629065308", new SeededRandom(1));
        String b = AccessKeyIds.newTemporary("609629065308", new SeededRandom(2));

        assertThat(a.substring(0, 12)).isEqualTo(b.substring(0, 12)).isEqualTo("ASIAY34FZKBO");
        assertThat(a).isNotEqualTo(b);
    }

    // Properties

    @Property
    void theAccountOfANewTemporaryIdIsTheAccountItWasMintedFor(@ForAll("accountIds") String accountId,
            @ForAll long seed) {
        String id = AccessKeyIds.newTemporary(accountId, new SeededRandom(seed));

        assertThat(id).matches("ASIA[A-Z2-7]{16}");
        assertThat(AccessKeyIds.accountIdOf(id)).hasValue(accountId);
    }

    @Property
    void theAccountOfANewLongTermIdIsTheAccountItWasMintedFor(@ForAll("accountIds") String accountId,
            @ForAll long seed) {
        String id = AccessKeyIds.newLongTerm(accountId, new SeededRandom(seed));

        assertThat(id).matches("AKIA[A-Z2-7]{16}");
        assertThat(AccessKeyIds.accountIdOf(id)).hasValue(accountId);
    }

    @Property
    void aNewUniqueIdIsItsPrefixAndSeventeenCharacters(@ForAll("prefixes") String prefix, @ForAll long seed) {
        assertThat(AccessKeyIds.newUniqueId(prefix, new SeededRandom(seed)))
                .hasSize(21)
                .startsWith(prefix)
                .matches("[A-Z0-9]{21}");
    }

    @Provide
    Arbitrary<String> accountIds() {
        return Arbitraries.longs().between(0, 999_999_999_999L).map(n -> String.format("%012d", n));
    }

    @Provide
    Arbitrary<String> prefixes() {
        return Arbitraries.of("AIDA", "AROA", "AGPA", "ANPA", "ANVA", "AIPA", "APKA", "ASCA");
    }
}
