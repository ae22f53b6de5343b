package org.countersign.push.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresTest {

    private static final boolean ROOT = new UnixSystem().getUid() == 0;

    @TempDir
    Path temp;

    private Path dataDir;
    private final List<EmbeddedPostgres> started = new ArrayList<>();

    @BeforeEach
    void letTheServerAccountTraverseTheTemporaryDirectory() throws IOException {
        // @TempDir is 0700; as root the server runs as 'postgres', which must be able to pass through it.
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwx--x--x"));
        dataDir = temp.resolve("data");
    }

    @AfterEach
    void stopEveryServer() {
        started.forEach(EmbeddedPostgres::stop);
    }

    @Nested
    class TheFirstStart {

        @Test
        void initialisesAClusterAndAnswersQueriesThroughJdbc() throws SQLException {
            EmbeddedPostgres postgres = start();

            assertThat(Files.exists(dataDir.resolve("postgres/data/PG_VERSION"))).isTrue();
            assertThat(query(postgres.settings(), "SELECT current_database() || ' ' || current_user"))
                    .isEqualTo("countersign countersign");
            assertThat(postgres.jdbcUrl()).isEqualTo(
                    "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/countersign?sslmode=disable");
        }

        @Test
        void answersQueriesThroughAVertxPool() throws Exception {
            EmbeddedPostgres postgres = start();
            Vertx vertx = Vertx.vertx();
            try {
                Pool pool = DatabasePool.create(vertx, postgres.settings(), 2);
                Row row = pool.preparedQuery("SELECT $1::int + 1 AS answer").execute(io.vertx.sqlclient.Tuple.of(41))
                        .map(rows -> rows.iterator().next())
                        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                assertThat(row.getInteger("answer")).isEqualTo(42);
                pool.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }

        @Test
        void listensOnTheLoopbackAddressOnlyWithItsSocketInsideTheDataDirectory() throws SQLException {
            EmbeddedPostgres postgres = start();

            assertThat(query(postgres.settings(), "SHOW listen_addresses")).isEqualTo("127.0.0.1");
            assertThat(query(postgres.settings(), "SHOW unix_socket_directories"))
                    .isEqualTo(dataDir.resolve("postgres/run").toString());
            assertThat(postgres.host()).isEqualTo("127.0.0.1");
        }

        @Test
        void keepsTheRandomPasswordInAnOwnerOnlyFileAndOutOfToString() throws IOException {
            EmbeddedPostgres postgres = start();
            Path passwordFile = dataDir.resolve("postgres-password");

            assertThat(Files.readString(passwordFile).strip()).isEqualTo(postgres.password()).hasSize(43);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)))
                    .isEqualTo("rw-------");
            assertThat(postgres.toString()).doesNotContain(postgres.password());
            assertThat(postgres.settings().toString()).doesNotContain(postgres.password());
        }

        @Test
        void runsTheServerAsAnUnprivilegedAccountWhenStartedAsRoot() {
            assumeTrue(ROOT, "only meaningful as root");
            EmbeddedPostgres postgres = start();

            long pid = Long.parseLong(firstLine(dataDir.resolve("postgres/data/postmaster.pid")));
            assertThat(ProcessHandle.of(pid).flatMap(process -> process.info().user())).hasValue("postgres");
            assertThat(postgres.toString()).contains("run as postgres");
        }
    }

    @Nested
    class StartingAgain {

        @Test
        void afterAStopKeepsTheData() throws SQLException {
            EmbeddedPostgres first = start();
            execute(first.settings(), "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
            String password = first.password();
            first.stop();

            EmbeddedPostgres second = start();

            assertThat(query(second.settings(), "SELECT v FROM kept")).isEqualTo("still here");
            assertThat(second.password()).isEqualTo(password);
        }

        @Test
        void whileTheServerStillRunsRestartsItAndKeepsTheData() throws SQLException {
            EmbeddedPostgres leftBehind = start();
            execute(leftBehind.settings(), "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");

            EmbeddedPostgres second = start();

            assertThat(query(second.settings(), "SELECT v FROM kept")).isEqualTo("still here");
            leftBehind.stop();
            assertThat(query(second.settings(), "SELECT 'the new server was left running'"))
                    .isEqualTo("the new server was left running");
        }

        @Test
        void isNotStoppedByAPostmasterPidNamingAnUnrelatedProcess() throws IOException, SQLException {
            EmbeddedPostgres first = start();
            Path pidFile = dataDir.resolve("postgres/data/postmaster.pid");
            List<String> lines = Files.readAllLines(pidFile);
            first.stop();
            // The pid of a live process that is not a postmaster, as after a crash once the pid was reused.
            Process unrelated = new ProcessBuilder("sleep", "120").start();
            try {
                lines.set(0, Long.toString(unrelated.pid()));
                Files.write(pidFile, lines);

                EmbeddedPostgres second = start();

                assertThat(query(second.settings(), "SELECT 1")).isEqualTo("1");
                assertThat(unrelated.isAlive()).isTrue();
            } finally {
                unrelated.destroy();
            }
        }

        @Test
        void isNotStoppedByThePostmasterPidOfAServerThatDied() throws IOException, SQLException {
            EmbeddedPostgres first = start();
            Path pidFile = dataDir.resolve("postgres/data/postmaster.pid");
            List<String> lines = Files.readAllLines(pidFile);
            first.stop();
            Files.write(pidFile, lines);

            EmbeddedPostgres second = start();

            assertThat(query(second.settings(), "SELECT 1")).isEqualTo("1");
        }

        @Test
        void stoppingTwiceIsHarmless() {
            EmbeddedPostgres postgres = start();
            postgres.stop();
            postgres.stop();

            assertThat(dataDir.resolve("postgres/data/postmaster.pid")).doesNotExist();
        }
    }

    @Nested
    class AFailedStart {

        @Test
        void reportsTheEndOfTheServerLog() throws IOException {
            start().stop();
            Files.writeString(dataDir.resolve("postgres/data/postgresql.conf"),
                    "\nshared_buffers = 'not a size'\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

            assertThatThrownBy(() -> EmbeddedPostgres.start(dataDir))
                    .isInstanceOf(EmbeddedPostgresException.class)
                    .hasMessageContaining("PostgreSQL did not start")
                    .hasMessageContaining("Last lines of " + dataDir.resolve("postgres/server.log"))
                    .hasMessageContaining("shared_buffers");
        }

        @Test
        void explainsWhenTheServerAccountCannotReachTheDataDirectory() throws IOException {
            assumeTrue(ROOT, "only root hands the server to another account");
            Path locked = Files.createDirectory(temp.resolve("locked"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));

            assertThatThrownBy(() -> EmbeddedPostgres.start(locked.resolve("data")))
                    .isInstanceOf(EmbeddedPostgresException.class)
                    .hasMessageContaining("'postgres' cannot reach the data directory " + locked.resolve("data"))
                    .hasMessageContaining("may not enter " + locked)
                    .hasMessageContaining("--data-dir");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(locked))).isEqualTo("rwx------");
        }
    }

    private EmbeddedPostgres start() {
        EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir);
        started.add(postgres);
        return postgres;
    }

    private static String query(DatabaseSettings settings, String sql) throws SQLException {
        try (Connection connection = connect(settings); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            assertThat(row.next()).isTrue();
            return row.getString(1);
        }
    }

    private static void execute(DatabaseSettings settings, String sql) throws SQLException {
        try (Connection connection = connect(settings); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Connection connect(DatabaseSettings settings) throws SQLException {
        return DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
    }

    private static String firstLine(Path file) {
        try {
            return Files.readAllLines(file).get(0);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
