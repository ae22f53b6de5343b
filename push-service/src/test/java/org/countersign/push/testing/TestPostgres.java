package org.countersign.push.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.countersign.push.db.DatabaseSettings;
import org.countersign.push.db.EmbeddedPostgres;
import org.countersign.push.db.Migrations;

/**
 * One PostgreSQL server per test JVM, shared by every test class, and a fresh database for each class that asks.
 *
 * <p>With {@code COUNTERSIGN_TEST_DATABASE_URL} set ({@code postgresql://user:password@host:port/db}, the user
 * allowed to create databases), that server is used and the databases created here are dropped when the JVM exits.
 * Otherwise an {@link EmbeddedPostgres} is started in a new directory under the system temporary directory (which
 * the {@code postgres} account can reach even when the checkout lies under {@code /root}); it is stopped and the
 * directory deleted when the JVM exits.
 *
 * <p>Usage: {@code static DatabaseSettings db = TestPostgres.freshDatabase();} in a test class, or in
 * {@code @BeforeAll}. Depends on nothing but the main code, so other modules can use it through the test-jar.
 */
public final class TestPostgres {

    /** Names an existing server to use instead of an embedded one. */
    public static final String DATABASE_URL_ENV = "COUNTERSIGN_TEST_DATABASE_URL";

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestPostgres() {
    }

    /**
     * Creates a new, uniquely named database on the shared server, applies the {@link Migrations} to it and returns
     * its settings (as a user that owns it). Each call gives a distinct, otherwise empty database.
     */
    public static DatabaseSettings freshDatabase() {
        String name = "countersign_test_" + HexFormat.of().formatHex(randomBytes(8));
        DatabaseSettings server = Server.get().settings;
        execute(server, "CREATE DATABASE " + name);
        Server.get().created(name);
        DatabaseSettings database = server.withDatabase(name);
        Migrations.apply(database);
        return database;
    }

    /** Settings of the shared server's own database (not a fresh one): for tests that manage databases. */
    public static DatabaseSettings server() {
        return Server.get().settings;
    }

    private static void execute(DatabaseSettings settings, String sql) {
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.user(),
                settings.password()); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Test database setup failed on " + settings + ": " + e.getMessage(), e);
        }
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** The shared server, started on first use; a failure to start is remembered and rethrown to every caller. */
    private static final class Server {
        private static Server instance;
        private static RuntimeException failure;

        final DatabaseSettings settings;
        private final List<String> createdDatabases = new ArrayList<>();

        private Server() {
            String url = System.getenv(DATABASE_URL_ENV);
            if (url != null && !url.isBlank()) {
                settings = DatabaseSettings.fromUrl(url);
                Runtime.getRuntime().addShutdownHook(new Thread(this::dropCreatedDatabases, "test-postgres-cleanup"));
                return;
            }
            Path dataDir = createDataDir();
            EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir);
            settings = postgres.settings();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                postgres.stop();
                deleteQuietly(dataDir);
            }, "test-postgres-stop"));
        }

        static synchronized Server get() {
            if (instance == null && failure == null) {
                try {
                    instance = new Server();
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            if (failure != null) {
                throw new IllegalStateException("The test PostgreSQL server is unavailable: " + failure.getMessage(),
                        failure);
            }
            return instance;
        }

        synchronized void created(String database) {
            createdDatabases.add(database);
        }

        private synchronized void dropCreatedDatabases() {
            for (String database : createdDatabases) {
                try {
                    execute(settings, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                } catch (IllegalStateException e) {
                    System.err.println("Could not drop test database " + database + ": " + e.getMessage());
                }
            }
        }

        /** A new directory the server's account can traverse (createTempDirectory alone makes it 0700). */
        private static Path createDataDir() {
            try {
                Path dir = Files.createTempDirectory("countersign-test-pg");
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void deleteQuietly(Path root) {
            try (var paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                System.err.println("Could not delete " + root + ": " + e.getMessage());
            }
        }
    }
}
