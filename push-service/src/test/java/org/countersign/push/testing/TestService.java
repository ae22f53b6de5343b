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

    public final MutableClock clock;
    public final DatabaseSettings database;
    public final Vertx vertx;
    public final Pool pool;
    public final CountersignServer server;
    public final Api api;
    public final int port;
    private final byte[] secretKey;

    private TestService(boolean securityDefaults) {
        this(securityDefaults, 0);
    }

    /** {@code maxRequestsInFlight} 0 keeps the default bound. */
    private TestService(boolean securityDefaults, int maxRequestsInFlight) {
        this(TestPostgres.freshDatabase(), newKey(), new MutableClock(Instant.parse("2026-11-23T09:00:00Z")), null,
                maxRequestsInFlight);
        if (!securityDefaults) {
            sql("UPDATE settings SET security_defaults = false");
        }
    }

    /**
     * A node on {@code database} with the given service key and clock, reached by devices and people at
     * {@code publicUrl} (null: its own address). Every node joins the cluster of its database.
     */
    private TestService(DatabaseSettings database, byte[] secretKey, MutableClock clock, URI publicUrl) {
        this(database, secretKey, clock, publicUrl, 0);
    }

    private TestService(DatabaseSettings database, byte[] secretKey, MutableClock clock, URI publicUrl,
                        int maxRequestsInFlight) {
        this.database = database;
        this.secretKey = secretKey;
        this.clock = clock;
        vertx = Vertx.vertx();
        pool = DatabasePool.create(vertx, database, 8);
        port = freePort();
        Config config = new Config("127.0.0.1", port, Path.of("target"), Optional.empty(),
                publicUrl != null ? publicUrl : URI.create("http://127.0.0.1:" + port), Optional.of(ADMIN),
                Optional.of(ADMIN_PASSWORD), "Countersign Test", Duration.ofSeconds(30), 2, 8);
        if (maxRequestsInFlight > 0) {
            config = config.withMaxRequestsInFlight(maxRequestsInFlight);
        }
        server = new CountersignServer(vertx, pool, config, secretKey, clock, new SecureRandom());
        server.joinCluster(database.connectOptions());
        await(server.start());
        api = new Api("http://127.0.0.1:" + port);
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

    /** As {@link #start()}, with the address devices and pages are given (a load balancer in front, say). */
    public static TestService startBehind(URI publicUrl) {
        return new TestService(TestPostgres.freshDatabase(), newKey(), new MutableClock(Instant.parse(
                "2026-11-23T09:00:00Z")), publicUrl);
    }

    /**
     * A second node of the same service: same database, same service key and the same clock as {@code other}, its
     * own Vert.x and port (ARCHITECTURE.md §6). Close it before or after {@code other}, independently.
     */
    public static TestService joining(TestService other) {
        return new TestService(other.database, other.secretKey, other.clock, null);
    }

    /** As {@link #joining(TestService)}, behind the address {@code publicUrl}. */
    public static TestService joining(TestService other, URI publicUrl) {
        return new TestService(other.database, other.secretKey, other.clock, publicUrl);
    }

    /**
     * Kills this node as a crash would: its Vert.x goes away with its sockets, pool and LISTEN connection, without
     * the service's own shutdown (no "going away" to the devices first).
     */
    public void crash() {
        closeStep("Vert.x", vertx.close());
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

    private static byte[] newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
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
