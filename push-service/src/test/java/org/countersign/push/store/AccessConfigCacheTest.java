package org.countersign.push.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.UUID;
import org.countersign.push.ServiceVertx;
import org.countersign.push.db.DatabasePool;
import org.countersign.push.testing.TestPostgres;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The access config is read from the database once per version, and again as soon as the version changes. */
class AccessConfigCacheTest {
    private Vertx vertx;
    private Pool pool;
    private final AccessConfigCache cache = new AccessConfigCache(new SettingsStore(), new PolicyStore());

    @BeforeEach
    void aMigratedDatabase() {
        vertx = ServiceVertx.create();
        pool = DatabasePool.create(vertx, TestPostgres.freshDatabase(), 2);
    }

    @AfterEach
    void close() {
        TestService.await(pool.close());
        TestService.await(vertx.close());
    }

    @Test
    void theSameVersionIsAnsweredWithoutAQueryAndANewOneIsRead() {
        UUID first = version();
        var read = TestService.await(cache.at(pool, first));
        assertThat(read.settings().numberDigits()).isEqualTo(2);

        SqlConnection closed = TestService.await(pool.getConnection());
        TestService.await(closed.close());
        assertThat(TestService.await(cache.at(closed, first))).as("kept: a query on a closed connection would fail")
                .isSameAs(read);

        TestService.await(pool.query("UPDATE settings SET number_digits = 4").execute());
        UUID second = version();
        assertThat(second).as("a trigger gave the change a new version").isNotEqualTo(first);
        assertThat(TestService.await(cache.at(pool, second)).settings().numberDigits()).isEqualTo(4);
    }

    private UUID version() {
        return TestService.await(pool.query("SELECT version FROM access_config").execute()).iterator().next()
                .getUUID("version");
    }
}
