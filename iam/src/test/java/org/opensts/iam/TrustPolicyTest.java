package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The three forms of a bound trust policy; binding against a store is in {@link RoleOperationsTest}. */
class TrustPolicyTest {
    private static final String ALICE = "arn:aws:iam::123456789012:user/alice";
    private static final String ALICE_ID = "AIDAEXAMPLE0000000001";
    private static final String DOCUMENT = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":[\"" + ALICE + "\", \"123456789012\"]},\"Action\":\"sts:AssumeRole\"}]}";

    @Test
    void of_withoutBindings_evaluatesAndShowsTheDocumentAsSubmitted() {
        var policy = TrustPolicy.of(DOCUMENT, Map.of());

        assertThat(policy.evaluatedDocument()).isSameAs(DOCUMENT);
        assertThat(policy.render(id -> Optional.of("arn:aws:iam::123456789012:user/other"))).isSameAs(DOCUMENT);
    }

    @Test
    void evaluatedDocument_hasTheUniqueIdInPlaceOfEachBoundPrincipal() {
        var policy = TrustPolicy.of(DOCUMENT, Map.of(ALICE, ALICE_ID));

        assertThat(policy.evaluatedDocument()).isEqualTo(DOCUMENT.replace(ALICE, ALICE_ID));
    }

    @Test
    void render_showsTheEntitysCurrentArnWhileItExistsAndItsIdOnceItIsGone() {
        var policy = TrustPolicy.of(DOCUMENT, Map.of(ALICE, ALICE_ID));
        String renamed = "arn:aws:iam::123456789012:user/ops/alice2";

        assertThat(policy.render(id -> id.equals(ALICE_ID) ? Optional.of(renamed) : Optional.empty()))
                .isEqualTo(DOCUMENT.replace(ALICE, renamed));
        assertThat(policy.render(id -> Optional.empty())).isEqualTo(DOCUMENT.replace(ALICE, ALICE_ID));
    }

    @Test
    void of_bindingAPrincipalTheDocumentDoesNotName_isRejected() {
        assertThatThrownBy(() -> TrustPolicy.of(DOCUMENT, Map.of("arn:aws:iam::123456789012:user/bob", ALICE_ID)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void equals_comparesTheDocumentAndTheBindings() {
        assertThat(TrustPolicy.of(DOCUMENT, Map.of(ALICE, ALICE_ID)))
                .isEqualTo(TrustPolicy.of(DOCUMENT, Map.of(ALICE, ALICE_ID)))
                .hasSameHashCodeAs(TrustPolicy.of(DOCUMENT, Map.of(ALICE, ALICE_ID)))
                .isNotEqualTo(TrustPolicy.of(DOCUMENT, Map.of(ALICE, "AIDAEXAMPLE0000000002")))
                .isNotEqualTo(TrustPolicy.of(DOCUMENT, Map.of()));
    }
}
