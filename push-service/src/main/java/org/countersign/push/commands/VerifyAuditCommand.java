package org.countersign.push.commands;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.countersign.push.audit.AuditChain;
import org.countersign.push.audit.ChainVerifier;
import org.countersign.push.db.CommandDatabase;
import org.countersign.push.db.DatabaseSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code push-service.jar verify-audit}: walks the audit hash chain in the database and exits 0 with
 * "audit chain intact: N events sealed, M not yet sealed", or 2 naming the first broken link (1 when it cannot check).
 * Read only; streams the log, so a long log needs no memory.
 */
@Command(name = "verify-audit", mixinStandardHelpOptions = true,
        description = "Verifies the tamper-evident audit chain; exit 0 when intact, 2 at the first broken link.")
public final class VerifyAuditCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ChainVerifier.Result result;
        try (CommandDatabase db = database.open()) {
            result = verify(db.settings());
        } catch (SQLException e) {
            spec.commandLine().getErr().println("verify-audit: cannot read the audit log: " + e.getMessage());
            return 1;
        }
        if (result.intact()) {
            spec.commandLine().getOut().println("audit chain intact: " + result.sealed() + " events sealed, "
                    + result.unsealed() + " not yet sealed");
            return 0;
        }
        spec.commandLine().getErr().println("audit chain BROKEN at " + result.firstBroken().orElseThrow()
                + " (" + result.sealed() + " events verified before it, " + result.unsealed() + " not yet sealed)");
        return 2;
    }

    static ChainVerifier.Result verify(DatabaseSettings settings) throws SQLException {
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.user(),
                settings.password())) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            connection.createStatement().execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            ChainVerifier verifier = new ChainVerifier();
            try (PreparedStatement events = connection.prepareStatement("SELECT " + AuditChain.COLUMNS
                    + " FROM audit_events WHERE chain_position IS NOT NULL ORDER BY chain_position")) {
                events.setFetchSize(1000);
                try (ResultSet rows = events.executeQuery()) {
                    while (rows.next() && verifier.accept(event(rows))) {
                        // each accepted link moves the verifier on
                    }
                }
            }
            try (Statement head = connection.createStatement();
                    ResultSet row = head.executeQuery("SELECT h.position, h.hash, (SELECT count(*) FROM audit_events "
                            + "WHERE chain_position IS NULL) AS unsealed FROM audit_chain_head h")) {
                row.next();
                ChainVerifier.Result result = verifier.finish(row.getLong("position"), row.getBytes("hash"),
                        row.getLong("unsealed"));
                connection.rollback();
                return result;
            }
        }
    }

    private static AuditChain.ChainEvent event(ResultSet row) throws SQLException {
        return new AuditChain.ChainEvent(row.getLong("id"), Optional.of(row.getLong("chain_position")),
                Optional.ofNullable(row.getBytes("chain_hash")), row.getLong("occurred_micros"), row.getString("type"),
                row.getString("actor"), Optional.ofNullable(row.getString("target")), row.getString("outcome"),
                row.getString("detail_text"));
    }
}
