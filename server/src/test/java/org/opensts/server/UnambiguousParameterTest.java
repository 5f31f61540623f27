package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class UnambiguousParameterTest {
    record Case(String name, String query, String body, Optional<String> action) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case reads(String name, String query, String body, String action) {
        return new Case(name, query, body, Optional.of(action));
    }

    private static Case readsNone(String name, String query, String body) {
        return new Case(name, query, body, Optional.empty());
    }

    static Stream<Case> cases() {
        return Stream.of(
                reads("once in the body", "", "Version=2011-06-15&Action=AssumeRole", "AssumeRole"),
                reads("once in the query", "Action=AssumeRole", "RoleArn=x", "AssumeRole"),
                reads("with an encoded name", "", "Act%69on=AssumeRole", "AssumeRole"),
                reads("with an encoded value", "", "Action=Assume%52ole", "AssumeRole"),
                reads("without a value", "", "Action", ""),
                reads("beside other malformed fields", "", "Action=GetUser&X=%zz&%zz=1&&=", "GetUser"),
                readsNone("absent", "", "Version=2011-06-15"),
                readsNone("twice in the body", "", "Action=GetUser&Action=ListUsers"),
                readsNone("once in the query and once in the body", "Action=GetUser", "Action=GetUser"),
                readsNone("once plainly and once encoded", "Action=GetUser", "%41ction=ListUsers"),
                readsNone("with a value that does not decode", "", "Action=Get%zzUser"),
                readsNone("only as a prefix of a longer name", "", "Actions=GetUser&Act=GetUser"),
                readsNone("with a name whose escape is cut short", "", "Action%4=GetUser"),
                readsNone("with a plus in the name", "", "Action+=GetUser"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void read_action(Case c) {
        assertThat(UnambiguousParameter.read("Action", c.query(), c.body())).isEqualTo(c.action());
    }
}
