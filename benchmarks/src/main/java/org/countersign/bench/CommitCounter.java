package org.countersign.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
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

    /** Rows inserted, updated or deleted so far, per table of the service's schema. */
    Map<String, Long> rowWrites() throws SQLException {
        Map<String, Long> writes = new TreeMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del "
                        + "FROM pg_stat_user_tables")) {
            while (rows.next()) {
                writes.put(rows.getString(1), rows.getLong(2));
            }
        }
        return writes;
    }

    /** {@code table=rows per approval} for the tables written between two {@link #rowWrites()} readings. */
    static String perApproval(Map<String, Long> before, Map<String, Long> after, long approvals) {
        StringBuilder text = new StringBuilder();
        after.forEach((table, count) -> {
            long written = count - before.getOrDefault(table, 0L);
            if (written > 0 && approvals > 0) {
                text.append(text.length() == 0 ? "" : "; ").append(table).append('=')
                        .append(Math.round(written * 100.0 / approvals) / 100.0);
            }
        });
        return text.toString();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
