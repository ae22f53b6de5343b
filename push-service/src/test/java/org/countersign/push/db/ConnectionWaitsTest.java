package org.countersign.push.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.countersign.push.ServiceVertx;
import org.countersign.push.testing.TestPostgres;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.Test;

/** The service's Vert.x reports how long each request for a connection of a real PostgreSQL pool waited. */
class ConnectionWaitsTest {

    @Test
    void aQueryThatWaitsForTheOnlyConnectionIsReportedWithItsWait() throws Exception {
        Vertx vertx = ServiceVertx.create();
        try {
            ConnectionWaits waits = ConnectionWaits.of(vertx).orElseThrow();
            List<Long> reported = new CopyOnWriteArrayList<>();
            waits.onWait(reported::add);
            Pool pool = DatabasePool.create(vertx, TestPostgres.freshDatabase(), 1);

            TestService.await(pool.query("SELECT 1").execute());
            assertThat(reported).as("a free connection").hasSize(1);
            assertThat(reported.get(0)).isLessThan(Duration.ofMillis(200).toNanos());

            SqlConnection held = TestService.await(pool.getConnection());
            var waiting = pool.query("SELECT 1").execute();
            Thread.sleep(300);
            assertThat(reported).as("still waiting: not a sample yet").hasSize(2);
            TestService.await(held.close());
            TestService.await(waiting);
            assertThat(reported).hasSize(3);
            assertThat(reported.get(2)).as("waited for the held connection")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
            TestService.await(pool.close());
        } finally {
            TestService.await(vertx.close());
        }
    }

    @Test
    void aVertxBuiltOtherwiseHasNone() throws Exception {
        Vertx plain = Vertx.vertx();
        try {
            assertThat(ConnectionWaits.of(plain)).isEmpty();
        } finally {
            TestService.await(plain.close());
        }
    }
}
