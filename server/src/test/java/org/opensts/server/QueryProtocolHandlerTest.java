package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryProtocolHandlerTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/, /",
        "/?Action=GetCallerIdentity, /?Action=GetCallerIdentity",
        "http://sts.example.test:8790/?Action=X, /?Action=X",
        "http://sts.example.test:8790, /",
        "http://sts.example.test?Action=X, /?Action=X",
        "https://sts.example.test/a/b?c=d, /a/b?c=d",
        "/path/with://inside, /path/with://inside"
    })
    void originForm_keepsOnlyPathAndQuery(String target, String expected) {
        assertThat(QueryProtocolHandler.originForm(target)).isEqualTo(expected);
    }
}
