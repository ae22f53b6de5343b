package org.countersign.push.testing;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.countersign.push.Config;
import org.countersign.push.CountersignServer;
import org.countersign.push.db.DatabasePool;
import org.countersign.push.db.DatabaseSettings;

/**
 * A real push service for tests: its own fresh database on the shared test PostgreSQL, a real HTTP server on a
 * free port, a bootstrap admin, and a clock the test moves. Start one per test class.
 */
public final class TestService implements AutoCloseable {
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "correct horse battery staple";
    public static final String PASSWORD = "user password 123";

    public final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T09:00:00Z"));
    public final DatabaseSettings database;
    public final Vertx vertx;
    public final Pool pool;
    public final CountersignServer server;
    public final Api api;
    public final int port;

    private TestService(boolean securityDefaults) {
        this(securityDefaults, 0);
    }

    /** {@code maxRequestsInFlight} 0 keeps the default bound. */
    private TestService(boolean securityDefaults, int maxRequestsInFlight) {
        database = TestPostgres.freshDatabase();
        vertx = Vertx.vertx();
        pool = DatabasePool.create(vertx, database, 8);
        port = freePort();
        Config config = new Config("127.0.0.1", port, Path.of("target"), Optional.empty(),
                URI.create("http://127.0.0.1:" + port), Optional.of(ADMIN), Optional.of(ADMIN_PASSWORD),
                "Countersign Test", Duration.ofSeconds(30), 2, 8);
        if (maxRequestsInFlight > 0) {
            config = config.withMaxRequestsInFlight(maxRequestsInFlight);
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        server = new CountersignServer(vertx, pool, config, key, clock, new SecureRandom());
        await(server.start());
        api = new Api("http://127.0.0.1:" + port);
        if (!securityDefaults) {
            sql("UPDATE settings SET security_defaults = false");
        }
    }

    /** A service with the settings of a fresh installation (security defaults on). */
    public static TestService start() {
        return new TestService(true);
    }

    /** A service with security defaults off, so only the per-user state asks for MFA. */
    public static TestService withoutSecurityDefaults() {
        return new TestService(false);
    }

    /** A service (security defaults off) that serves at most {@code max} requests at once. */
    public static TestService withMaxRequestsInFlight(int max) {
        return new TestService(false, max);
    }

    public Flows flows() {
        return new Flows(this);
    }

    /** Runs SQL directly (for set-up and for checking what the database holds). */
    public io.vertx.sqlclient.RowSet<Row> sql(String query) {
        return await(pool.query(query).execute());
    }

    public long count(String table) {
        return sql("SELECT count(*) AS n FROM " + table).iterator().next().getLong("n");
    }

    /** A digest of every row of the tables that hold state, to prove a request changed nothing. */
    public String snapshot() {
        StringBuilder all = new StringBuilder();
        for (String table : new String[] {"users", "devices", "enrollments", "sign_ins", "sessions",
                "remembered_devices", "settings"}) {
            for (Row row : sql("SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS h FROM " + table + " t")) {
                all.append(table).append('=').append(row.getString("h")).append(';');
            }
        }
        return all.toString();
    }

    public static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public JsonObject json(String text) {
        return new JsonObject(text);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        closeStep("the service", server.close());
        closeStep("Vert.x", vertx.close());
    }

    private static void closeStep(String what, io.vertx.core.Future<Void> closing) {
        try {
            closing.await(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("closing " + what + " failed or took over 20 s", e);
        }
    }
}
