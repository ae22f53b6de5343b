package org.countersign.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import org.countersign.push.db.DatabaseSettings;
import org.countersign.push.db.EmbeddedPostgres;

/**
 * Counts the statements the service sends, from {@code pg_stat_statements}: a machine-independent measure of the
 * database work per approval. The extension must be preloaded, so {@link #enable} restarts the benchmark's own
 * PostgreSQL once with it; when that fails the counter is unavailable and the figures are left out. Statements of
 * the benchmark itself (readings of the statistics views) are not counted; {@code BEGIN}/{@code COMMIT} are counted
 * apart from the others.
 */
final class StatementCounter implements AutoCloseable {
    private static final String OWN = "query NOT ILIKE '%pg_stat%' AND query NOT ILIKE '%pg_snapshot%'";

    /** One reading: calls and execution milliseconds per normalized statement text. */
    record Reading(Map<String, Long> calls, Map<String, Double> millis, Map<String, Double> planMillis) {
        long statements() {
            return calls.entrySet().stream().filter(e -> !isTransactionControl(e.getKey()))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        long transactionControl() {
            return calls.entrySet().stream().filter(e -> isTransactionControl(e.getKey()))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        private static boolean isTransactionControl(String query) {
            String q = query.trim().toUpperCase(java.util.Locale.ROOT);
            return q.equals("BEGIN") || q.equals("COMMIT") || q.equals("ROLLBACK");
        }

        /**
         * The statements run between {@code before} and this reading, most frequent first, per approval: calls, and
         * the server's execution time in milliseconds ({@code total_exec_time}, planning apart).
         */
        String perApproval(Reading before, long approvals, int top) {
            Map<String, Long> delta = new HashMap<>();
            calls.forEach((query, count) -> {
                long d = count - before.calls.getOrDefault(query, 0L);
                if (d > 0) {
                    delta.put(query, d);
                }
            });
            double per = approvals == 0 ? 0 : 1.0 / approvals;
            StringBuilder text = new StringBuilder(String.format("calls  exec ms  plan ms  (per approval)%n"));
            delta.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                    .limit(top).forEach(e -> text.append(String.format("%6.2f  %7.3f  %7.3f  %s%n",
                            e.getValue() * per,
                            (millis.getOrDefault(e.getKey(), 0.0) - before.millis.getOrDefault(e.getKey(), 0.0)) * per,
                            (planMillis.getOrDefault(e.getKey(), 0.0) - before.planMillis.getOrDefault(e.getKey(), 0.0))
                                    * per,
                            e.getKey().replaceAll("\\s+", " "))));
            return text.toString();
        }
    }

    private final Connection connection;

    StatementCounter(DatabaseSettings database) throws SQLException {
        this.connection = Seeder.connect(database);
    }

    /**
     * Preloads {@code pg_stat_statements} in the benchmark's PostgreSQL: sets it, restarts the server and creates
     * the extension. Answers the running server (the restarted one, or {@code postgres} unchanged when it fails).
     */
    static EmbeddedPostgres enable(EmbeddedPostgres postgres, java.nio.file.Path dataDir) {
        try (Connection connection = Seeder.connect(postgres.settings());
                Statement statement = connection.createStatement()) {
            statement.execute("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
        } catch (SQLException e) {
            System.err.println("bench: pg_stat_statements not available: " + e.getMessage());
            return postgres;
        }
        postgres.stop();
        EmbeddedPostgres restarted = EmbeddedPostgres.start(dataDir);
        try (Connection connection = Seeder.connect(restarted.settings());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            // planning time too: a statement planned at every execution (custom plans) shows here, not in exec time
            statement.execute("ALTER SYSTEM SET pg_stat_statements.track_planning = on");
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            System.err.println("bench: pg_stat_statements not available: " + e.getMessage());
        }
        return restarted;
    }

    /** The statement counts so far, or an empty reading when the extension is not there. */
    Reading read() {
        Map<String, Long> calls = new HashMap<>();
        Map<String, Double> millis = new HashMap<>();
        Map<String, Double> planMillis = new HashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT query, sum(calls)::bigint, sum(total_exec_time), sum(total_plan_time) "
                        + "FROM pg_stat_statements "
                        + "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND " + OWN
                        + " GROUP BY query")) {
            while (rows.next()) {
                calls.merge(rows.getString(1), rows.getLong(2), Long::sum);
                millis.merge(rows.getString(1), rows.getDouble(3), Double::sum);
                planMillis.merge(rows.getString(1), rows.getDouble(4), Double::sum);
            }
        } catch (SQLException e) {
            return new Reading(Map.of(), Map.of(), Map.of());
        }
        return new Reading(calls, millis, planMillis);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
