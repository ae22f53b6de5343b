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
import org.countersign.push.ServiceVertx;
import org.countersign.push.db.DatabasePool;
import org.countersign.push.crypto.KeyRing;
import org.countersign.push.crypto.KeyRingFile;
import org.countersign.push.db.DatabaseSettings;
import org.countersign.push.tls.TlsIdentity;

/**
 * A real push service for tests: its own fresh database on the shared test PostgreSQL, a real HTTP server on a
 * free port, a bootstrap admin, and a clock the test moves. Start one per test class.
 */
public final class TestService implements AutoCloseable {
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "correct horse battery staple";
    public static final String PASSWORD = "user password 123";
    /** Connections of each node's database pool ({@link #pool}). */
    public static final int POOL_SIZE = 8;

    public final MutableClock clock;
    public final DatabaseSettings database;
    public final Vertx vertx;
    public final Pool pool;
    public final CountersignServer server;
    public final Api api;
    public final int port;
    private final byte[] secretKey;

    /**
     * How one node is set up: its database, keys, clock, address and limits (0, or empty: the service's default).
     * Start from {@link #fresh()} or {@link #on} and change what a test needs with the {@code with} methods.
     */
    private record Setup(DatabaseSettings database, byte[] secretKey, MutableClock clock, URI publicUrl,
                         int maxRequestsInFlight, Optional<TlsIdentity> tls, Optional<Path> keyRingFile,
                         Optional<Duration> overloadLatencyTarget, int maxLongPolls, int poolSize) {
        static Setup fresh() {
            return on(TestPostgres.freshDatabase());
        }

        static Setup on(DatabaseSettings database) {
            return new Setup(database, newKey(), new MutableClock(Instant.parse("2026-11-23T09:00:00Z")), null, 0,
                    Optional.empty(), Optional.empty(), Optional.empty(), 0, POOL_SIZE);
        }

        /** Another node of {@code other}'s service: same database, key and clock. */
        static Setup joining(TestService other) {
            return on(other.database).withKeyAndClock(other.secretKey, other.clock);
        }

        Setup withKeyAndClock(byte[] key, MutableClock sharedClock) {
            return new Setup(database, key, sharedClock, publicUrl, maxRequestsInFlight, tls, keyRingFile,
                    overloadLatencyTarget, maxLongPolls, poolSize);
        }

        Setup withPublicUrl(URI url) {
            return new Setup(database, secretKey, clock, url, maxRequestsInFlight, tls, keyRingFile,
                    overloadLatencyTarget, maxLongPolls, poolSize);
        }

        Setup withBounds(int requests, int longPolls) {
            return new Setup(database, secretKey, clock, publicUrl, requests, tls, keyRingFile,
                    overloadLatencyTarget, longPolls, poolSize);
        }

        Setup withTls(TlsIdentity identity) {
            return new Setup(database, secretKey, clock, publicUrl, maxRequestsInFlight, Optional.of(identity),
                    keyRingFile, overloadLatencyTarget, maxLongPolls, poolSize);
        }

        Setup withKeyRingFile(Path ringFile) {
            return new Setup(database, secretKey, clock, publicUrl, maxRequestsInFlight, tls, Optional.of(ringFile),
                    overloadLatencyTarget, maxLongPolls, poolSize);
        }

        Setup withOverloadLatencyTarget(Duration target) {
            return new Setup(database, secretKey, clock, publicUrl, maxRequestsInFlight, tls, keyRingFile,
                    Optional.of(target), maxLongPolls, poolSize);
        }

        Setup withPoolSize(int connections) {
            return new Setup(database, secretKey, clock, publicUrl, maxRequestsInFlight, tls, keyRingFile,
                    overloadLatencyTarget, maxLongPolls, connections);
        }
    }

    private TestService(boolean securityDefaults) {
        this(securityDefaults, Setup.fresh());
    }

    private TestService(boolean securityDefaults, Setup setup) {
        this(setup);
        if (!securityDefaults) {
            sql("UPDATE settings SET security_defaults = false");
        }
    }

    /**
     * A node on the setup's database with its service key and clock, reached by devices and people at its public
     * URL (null: its own address). Every node joins the cluster of its database.
     */
    private TestService(Setup setup) {
        this.database = setup.database();
        this.secretKey = setup.secretKey();
        this.clock = setup.clock();
        vertx = ServiceVertx.create();
        pool = DatabasePool.create(vertx, database, setup.poolSize());
        port = freePort();
        String base = (setup.tls().isPresent() ? "https" : "http") + "://127.0.0.1:" + port;
        Config config = new Config("127.0.0.1", port, Path.of("target"), Optional.empty(),
                setup.publicUrl() != null ? setup.publicUrl() : URI.create(base), Optional.of(ADMIN),
                Optional.of(ADMIN_PASSWORD), "Countersign Test", Duration.ofSeconds(30), 2, setup.poolSize());
        if (setup.maxRequestsInFlight() > 0) {
            config = config.withMaxRequestsInFlight(setup.maxRequestsInFlight());
        }
        if (setup.maxLongPolls() > 0) {
            config = config.withMaxLongPolls(setup.maxLongPolls());
        }
        if (setup.tls().isPresent()) {
            config = config.withTls(setup.tls().get());
        }
        if (setup.overloadLatencyTarget().isPresent()) {
            config = config.withOverloadLatencyTarget(setup.overloadLatencyTarget().get());
        }
        KeyRing ring;
        try {
            ring = setup.keyRingFile().isPresent() ? KeyRingFile.read(setup.keyRingFile().get())
                    : KeyRing.single(secretKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = new CountersignServer(vertx, pool, config, ring, setup.keyRingFile(), clock, new SecureRandom());
        server.joinCluster(database.connectOptions());
        await(server.start());
        api = setup.tls().isPresent() ? new Api(base, TrustingOnly.client(setup.tls().get().certificate()))
                : new Api(base);
    }

    /** A service with the settings of a fresh installation (security defaults on). */
    public static TestService start() {
        return new TestService(true);
    }

    /**
     * A fresh installation (security defaults on) that never sheds by latency: for tests whose own load on a busy
     * machine would otherwise meet 503 {@code overloaded}, which is not what they test.
     */
    public static TestService withoutLatencyShedding() {
        return new TestService(true, Setup.fresh().withOverloadLatencyTarget(Duration.ZERO));
    }

    /** A service serving HTTPS with {@code tls}; {@link #api} trusts exactly its certificate. */
    public static TestService withTls(TlsIdentity tls) {
        return new TestService(true, Setup.fresh().withTls(tls));
    }

    /** A service whose secret keys come from (and are re-read from) the key ring file {@code ringFile}. */
    public static TestService withKeyRingFile(Path ringFile) {
        return new TestService(true, Setup.fresh().withKeyRingFile(ringFile));
    }

    /** A service on a database the test owns (already migrated), e.g. on a server the test stops and starts. */
    public static TestService on(DatabaseSettings migratedDatabase) {
        return new TestService(true, Setup.on(migratedDatabase));
    }

    /** A service with security defaults off, so only the per-user state asks for MFA. */
    public static TestService withoutSecurityDefaults() {
        return new TestService(false);
    }

    /** A service (security defaults off) whose database pool has {@code connections} connections. */
    public static TestService withPoolSize(int connections) {
        return new TestService(false, Setup.fresh().withPoolSize(connections));
    }

    /**
     * A service (security defaults off) that serves at most {@code maxInFlight} requests and holds at most
     * {@code maxLongPolls} long polls at once.
     */
    public static TestService withBounds(int maxInFlight, int maxLongPolls) {
        return new TestService(false, Setup.fresh().withBounds(maxInFlight, maxLongPolls));
    }

    /**
     * A service (security defaults off) that sheds new work once even its fastest requests take longer than
     * {@code target} for an interval ({@link Duration#ZERO}: never).
     */
    public static TestService withOverloadLatencyTarget(Duration target) {
        return new TestService(false, Setup.fresh().withOverloadLatencyTarget(target));
    }

    /** As {@link #start()}, with the address devices and pages are given (a load balancer in front, say). */
    public static TestService startBehind(URI publicUrl) {
        return new TestService(Setup.fresh().withPublicUrl(publicUrl));
    }

    /**
     * A second node of the same service: same database, same service key and the same clock as {@code other}, its
     * own Vert.x and port (ARCHITECTURE.md §6). Close it before or after {@code other}, independently.
     */
    public static TestService joining(TestService other) {
        return joining(other, null);
    }

    /** As {@link #joining(TestService)}, behind the address {@code publicUrl}. */
    public static TestService joining(TestService other, URI publicUrl) {
        return new TestService(Setup.joining(other).withPublicUrl(publicUrl));
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

    /**
     * The row count and a digest of every row of every table that holds state (found in information_schema, so
     * tables that later migrations add are covered too), to prove a request changed nothing. The audit log is left
     * out, with the head of its hash chain (the sealer moves it as events arrive), and so are the failure counters
     * of the throttles: recording a refused attempt is what they are for; tests check those rows themselves.
     */
    public String snapshot() {
        StringBuilder all = new StringBuilder();
        for (Row table : sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                + " AND table_type = 'BASE TABLE' AND table_name NOT IN ('audit_events', 'audit_chain_head',"
                + " 'attempt_throttles')"
                + " ORDER BY table_name")) {
            String name = table.getString("table_name");
            for (Row row : sql("SELECT count(*) AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS h FROM \""
                    + name.replace("\"", "\"\"") + "\" t")) {
                all.append(name).append('=').append(row.getLong("n")).append('/').append(row.getString("h"))
                        .append(";\n");
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
