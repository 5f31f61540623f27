package org.opensts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequestContextTest {
    @Test
    void keys_areCaseInsensitiveAndValuesKeptAsGiven() {
        RequestContext context = RequestContext.builder().put("aws:PrincipalTag/Team", "Blue").build();
        assertThat(context.values("AWS:PRINCIPALTAG/TEAM")).contains(List.of("Blue"));
        assertThat(context.keys()).containsExactly("aws:PrincipalTag/Team");
    }

    @Test
    void put_sameKeyInAnotherCase_replacesTheValue() {
        RequestContext context = RequestContext.builder().put("aws:username", "a").put("AWS:USERNAME", "b").build();
        assertThat(context.values("aws:username")).contains(List.of("b"));
    }

    @Test
    void explicitKeys_winOverKeysDerivedFromThePrincipal_whateverTheOrder() {
        var principal = RequestPrincipal.user("arn:aws:iam::123456789012:user/Bob");
        RequestContext context = RequestContext.builder().put("aws:username", "override").principal(principal).build();
        assertThat(context.values("aws:username")).contains(List.of("override"));
        assertThat(context.values("aws:PrincipalAccount")).contains(List.of("123456789012"));
    }

    @Test
    void typedKeys_keepTheirSimulatorType() {
        RequestContext context = RequestContext.builder()
                .put("aws:TagKeys", ContextKeyType.STRING_LIST, List.of("a", "b"))
                .build();
        assertThat(context.type("aws:tagkeys")).contains(ContextKeyType.STRING_LIST);
        assertThat(ContextKeyType.fromWireName("stringlist")).contains(ContextKeyType.STRING_LIST);
        assertThat(ContextKeyType.STRING_LIST.isList()).isTrue();
    }

    @Test
    void aKeyWithNoValues_isPresentButEmpty() {
        RequestContext context = RequestContext.builder().put("aws:TagKeys", List.of()).build();
        assertThat(context.values("aws:TagKeys")).contains(List.of());
    }
}
