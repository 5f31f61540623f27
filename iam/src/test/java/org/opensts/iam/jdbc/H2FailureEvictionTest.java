package org.opensts.iam.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.SQLExceptionOverride.Override;
import java.sql.SQLException;
import org.h2.api.ErrorCode;
import org.h2.message.DbException;
import org.junit.jupiter.api.Test;

class H2FailureEvictionTest {
    private final H2FailureEviction eviction = new H2FailureEviction();

    @Test
    void aConnectionToAClosedDatabase_isEvicted() {
        assertThat(eviction.adjudicate(DbException.get(ErrorCode.DATABASE_IS_CLOSED).getSQLException()))
                .isEqualTo(Override.MUST_EVICT);
    }

    @Test
    void aRefusedStatement_isLeftToThePoolsOwnRules() {
        assertThat(eviction.adjudicate(DbException.get(ErrorCode.DUPLICATE_KEY_1, "users").getSQLException()))
                .isEqualTo(Override.CONTINUE_EVICT);
        assertThat(eviction.adjudicate(new SQLException("Connection refused", "08001")))
                .isEqualTo(Override.CONTINUE_EVICT);
    }
}
