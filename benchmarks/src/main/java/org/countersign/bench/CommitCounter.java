package org.countersign.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.countersign.push.db.DatabaseSettings;

/**
 * Counts write transactions (transaction ids assigned) and reads {@code pg_stat_database.xact_commit} of the service's database, to count the commits one approval costs.
 * Busy backends publish their counts about once a second, so readings are taken inside a steady load window, where
 * the unpublished part at the start and at the end of the window are about the same and cancel out.
 */
final class CommitCounter implements AutoCloseable {
    private final Connection connection;

    CommitCounter(DatabaseSettings database) throws SQLException {
        this.connection = Seeder.connect(database);
    }

    /**
     * Write transactions so far: the next transaction id to be assigned. Only transactions that write get an id (and
     * flush WAL at commit), so this counts exactly the commits the disk has to wait for; reading it assigns none.
     */
    long writeTransactions() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Committed transactions of the database, read-only ones included ({@code pg_stat_database.xact_commit}). */
    long commits() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT xact_commit FROM pg_stat_database "
                        + "WHERE datname = current_database()")) {
            row.next();
            return row.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
