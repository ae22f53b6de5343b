package org.countersign.push.db;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run from the locally installed server programs, with its cluster in
 * {@code <dataDir>/postgres} (its log in {@code <dataDir>/postgres/server.log}), so that one command runs the whole
 * system.
 *
 * <p>{@link #start} creates the cluster on first use ({@code initdb -E UTF8 --locale=C}, superuser
 * {@value #USER} with a random password kept in {@code <dataDir>/postgres-password}, scram-sha-256 for every
 * connection), starts it listening on 127.0.0.1 only, on a free port chosen at each start, and creates the database
 * {@value #DATABASE} if missing. Later starts reuse the cluster and its data.
 *
 * <p><b>A server already running on the cluster</b> (for example left behind when the previous service process was
 * killed) is stopped with {@code pg_ctl stop -m fast} and started again, so that the server always runs with the
 * settings and port of this start and belongs to this instance. A stale {@code postmaster.pid} (its process is gone,
 * or its pid now belongs to an unrelated process) does not prevent a start.
 *
 * <p><b>As root</b>, which PostgreSQL refuses, the programs run as {@code postgres} (or {@code nobody}) through
 * {@code runuser}; that account must be able to reach the data directory, else the start fails with a message
 * saying so. The permissions of existing directories on the way to the data directory are never changed.
 *
 * <p>Starting blocks (up to about a minute); call it before Vert.x serves anything, and register {@link #stop()} in a
 * shutdown hook: {@code Runtime.getRuntime().addShutdownHook(new Thread(postgres::stop))}.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    /** The database the service uses. */
    public static final String DATABASE = "countersign";
    /** The superuser created by initdb. */
    public static final String USER = "countersign";

    private static final String HOST = ClusterControl.HOST;
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);

    private final ClusterFiles files;
    private final ClusterControl control;
    private final String password;
    private final int port;
    private final long serverPid;
    private boolean stopped;

    private EmbeddedPostgres(ClusterFiles files, ClusterControl control, String password, int port, long serverPid) {
        this.files = files;
        this.control = control;
        this.password = password;
        this.port = port;
        this.serverPid = serverPid;
    }

    /**
     * Starts the server of {@code dataDir} with the programs {@link PostgresBinaries#locate()} finds.
     *
     * @throws PostgresNotFoundException when the server programs are not installed
     * @throws EmbeddedPostgresException when the cluster cannot be prepared or the server does not start; the
     *     message then includes the last lines of the server log
     */
    public static EmbeddedPostgres start(Path dataDir) {
        return start(dataDir, PostgresBinaries.locate());
    }

    /** As {@link #start(Path)}, with the given server programs. */
    public static EmbeddedPostgres start(Path dataDir, PostgresBinaries binaries) {
        ClusterFiles files = new ClusterFiles(dataDir);
        ClusterControl control = new ClusterControl(files, binaries, ServerUser.forThisProcess());
        try {
            control.prepareDirectories();
            String password = files.readOrCreatePassword(new SecureRandom());
            if (!files.clusterExists()) {
                control.initialise(USER, password);
            }
            control.stopLeftoverServer();
            int port = control.startServer();
            long pid = files.postmasterPid().orElse(-1);
            EmbeddedPostgres postgres = new EmbeddedPostgres(files, control, password, port, pid);
            LOG.info("PostgreSQL started: {}", postgres);
            postgres.createDatabaseIfMissing();
            return postgres;
        } catch (IOException e) {
            throw new EmbeddedPostgresException("Could not prepare the PostgreSQL directory " + files.root() + ": "
                    + e.getMessage(), e);
        }
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    public String database() {
        return DATABASE;
    }

    public String user() {
        return USER;
    }

    /** The superuser password (also in {@code <dataDir>/postgres-password}). Keep it out of logs. */
    public String password() {
        return password;
    }

    /** The JDBC URL of {@value #DATABASE}, without credentials. */
    public String jdbcUrl() {
        return settings().jdbcUrl();
    }

    /** Connection settings for {@value #DATABASE} as the superuser. */
    public DatabaseSettings settings() {
        return new DatabaseSettings(HOST, port, DATABASE, USER, password);
    }

    /** The process id of the server (the postmaster); its backends are its children. */
    public long serverPid() {
        return serverPid;
    }

    /** The service data directory this server keeps its cluster in. */
    public Path dataDir() {
        return files.dataDir();
    }

    /** The server's log file. */
    public Path serverLog() {
        return files.serverLog();
    }

    /**
     * Stops the server ({@code pg_ctl stop -m fast -w}): open connections are closed, committed data is kept.
     * Calling it again does nothing. If another instance has since restarted the server of this cluster, that
     * server is left running.
     *
     * @throws EmbeddedPostgresException when the server does not stop; calling again retries
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        OptionalLong current = files.postmasterPid();
        if (current.isEmpty() || (serverPid > 0 && current.getAsLong() != serverPid)) {
            stopped = true;
            return;
        }
        ServerUser.CommandResult result = control.stopServer();
        if (!result.succeeded() && files.postmasterPid().isPresent()) {
            throw new EmbeddedPostgresException("PostgreSQL in " + files.pgdata() + " did not stop: " + result.output()
                    + "\nLast lines of " + files.serverLog() + ":\n" + files.logTail(0, 20));
        }
        stopped = true;
        LOG.info("PostgreSQL stopped ({})", files.pgdata());
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "EmbeddedPostgres[" + USER + "@" + HOST + ":" + port + "/" + DATABASE + ", cluster " + files.pgdata()
                + ", run as " + control.serverUser().name() + "]";
    }

    private void createDatabaseIfMissing() {
        DatabaseSettings maintenance = settings().withDatabase("postgres");
        try (Connection connection = DriverManager.getConnection(maintenance.jdbcUrl(), USER, password);
                PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet row = exists.executeQuery(); Statement create = connection.createStatement()) {
                if (!row.next()) {
                    create.execute("CREATE DATABASE \"" + DATABASE + "\"");
                    LOG.info("Created database {}", DATABASE);
                }
            }
        } catch (SQLException e) {
            EmbeddedPostgresException failure = new EmbeddedPostgresException("PostgreSQL started but the database "
                    + DATABASE + " could not be created: " + e.getMessage(), e);
            try {
                stop();
            } catch (EmbeddedPostgresException stopFailure) {
                failure.addSuppressed(stopFailure);
            }
            throw failure;
        }
    }
}
