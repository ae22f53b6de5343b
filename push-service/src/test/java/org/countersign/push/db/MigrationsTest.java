package org.countersign.push.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import org.countersign.push.testing.TestPostgres;
import org.junit.jupiter.api.Test;

class MigrationsTest {

    @Test
    void aFreshDatabaseHasEveryMigrationAppliedAndApplyingAgainDoesNothing() throws Exception {
        DatabaseSettings database = TestPostgres.freshDatabase();

        assertThat(count(database, "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL"))
                .isEqualTo(migrationFilesOnTheClasspath());
        assertThat(Migrations.apply(database)).isZero();
    }

    @Test
    void freshDatabasesAreDistinctAndDoNotShareTables() throws SQLException {
        DatabaseSettings first = TestPostgres.freshDatabase();
        DatabaseSettings second = TestPostgres.freshDatabase();

        execute(first, "CREATE TABLE only_in_first (v int)");

        assertThat(first.database()).isNotEqualTo(second.database());
        assertThat(first.port()).isEqualTo(second.port());
        assertThat(count(first, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_first'")).isEqualTo(1);
        assertThat(count(second, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_first'")).isZero();
    }

    @Test
    void aMigrationThatNoLongerMatchesWhatWasAppliedStopsTheStart() throws SQLException {
        DatabaseSettings database = TestPostgres.freshDatabase();
        assumeSomeMigrationExists();
        execute(database, "UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");

        assertThatThrownBy(() -> Migrations.apply(database)).hasMessageContaining("checksum mismatch");
    }

    private static void assumeSomeMigrationExists() {
        assumeTrue(migrationFilesOnTheClasspath() > 0, "no migrations yet");
    }

    private static long migrationFilesOnTheClasspath() {
        URL location = MigrationsTest.class.getClassLoader().getResource("db/migration");
        if (location == null) {
            return 0;
        }
        try (Stream<Path> files = Files.list(Path.of(location.toURI()))) {
            return files.filter(file -> file.getFileName().toString().matches("V\\d+.*__.+\\.sql")).count();
        } catch (IOException | URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static long count(DatabaseSettings settings, String sql) throws SQLException {
        try (Connection connection = connect(settings); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
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
}
