package org.opensts.iam.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.opensts.iam.TestPostgres;
import org.opensts.iam.TestStores;
import org.opensts.iam.testing.FreezableTcpProxy;

/** A PostgreSQL store whose server stops answering mid-call: the call fails after the response timeout. */
class PostgresResponseTimeoutTest {
    @Test
    void callWhoseServerStopsAnswering_failsAfterTheResponseTimeout_andTheStoreRecovers() throws Exception {
        StoreSettings direct = TestPostgres.newDatabase();
        URI server = URI.create(direct.jdbcUrl().substring("jdbc:".length()));
        try (var proxy = FreezableTcpProxy.to(server.getHost(), server.getPort())) {
            String viaProxy = direct.jdbcUrl().replace(server.getHost() + ":" + server.getPort(),
                    "127.0.0.1:" + proxy.port());
            var settings = new StoreSettings(viaProxy, direct.username(), direct.password(), 3, Duration.ofSeconds(2));
            try (JdbcIdentityStore store = JdbcIdentityStore.open(settings, TestStores.newMasterKey(),
                    Clock.systemUTC())) {
                store.listAccounts();

                proxy.freeze();
                // Without the timeout the call waits as long as TCP retransmits: a quarter of an hour.
                assertTimeoutPreemptively(Duration.ofSeconds(20),
                        () -> assertThatThrownBy(store::listAccounts).isInstanceOf(StoreException.class));

                proxy.thaw();
                // The first failure refuses calls at once for a moment (FailFastDataSource); then one finds it back.
                assertThat(PostgresOutages.firstSuccess(store::listAccounts, Duration.ofSeconds(20))).isNotNull();
            }
        }
    }
}
