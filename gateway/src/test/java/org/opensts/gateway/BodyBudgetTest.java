package org.opensts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BodyBudgetTest {
    @Test
    void grow_withinTheCapacity_takesTheBytes() {
        var budget = new BodyBudget(1000);
        var body = budget.reserve();

        assertThat(body.grow(600)).isTrue();
        assertThat(body.grow(400)).isTrue();

        assertThat(body.held()).isEqualTo(1000);
        assertThat(budget.reserved()).isEqualTo(1000);
    }

    @Test
    void grow_beyondWhatIsLeft_isRefusedAndTakesNothing() {
        var budget = new BodyBudget(1000);
        var first = budget.reserve();
        var second = budget.reserve();
        first.grow(700);

        assertThat(second.grow(301)).isFalse();

        assertThat(second.held()).isZero();
        assertThat(budget.reserved()).isEqualTo(700);
        assertThat(second.grow(300)).as("what is left still fits").isTrue();
    }

    @Test
    void close_givesEverythingBack_once_andTheReservationTakesNothingMore() {
        var budget = new BodyBudget(1000);
        var body = budget.reserve();
        body.grow(400);
        body.grow(500);

        body.close();
        body.close();

        assertThat(budget.reserved()).isZero();
        assertThat(body.grow(1)).isFalse();
        assertThat(budget.reserved()).isZero();
        assertThat(budget.reserve().grow(1000)).as("the whole budget is free again").isTrue();
    }

    @Test
    void ofProcessMemory_isAQuarterOfTheMemory_butAtLeastTheMinimum() {
        long quarter = Runtime.getRuntime().maxMemory() / BodyBudget.MEMORY_SHARE_DIVISOR;

        assertThat(BodyBudget.ofProcessMemory(1).capacity()).isPositive().isLessThanOrEqualTo(quarter);
        assertThat(BodyBudget.ofProcessMemory(Long.MAX_VALUE / 2).capacity()).isEqualTo(Long.MAX_VALUE / 2);
    }

    @Test
    void construction_withoutCapacity_isRefused() {
        assertThatThrownBy(() -> new BodyBudget(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BodyBudget(1).reserve().grow(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
