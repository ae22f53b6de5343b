package org.countersign.push.admin;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.domain.MfaState;
import org.countersign.push.domain.User;
import org.countersign.push.store.UserStore;

/**
 * Bulk update of per-user MFA states from a CSV file (ARCHITECTURE.md §4): every row is validated first, including
 * that each user exists; any error rejects the whole file and changes nothing; a valid file is applied in one
 * transaction, with one audit event per user whose state changed and one for the upload.
 */
public final class BulkMfaUpdate {
    /** A row as reported back: its line, the values as written (canonical when applied), and its problems. */
    public record RowReport(int line, String username, String mfaStatus, List<String> errors, String previous,
                            boolean changed) {
    }

    /** The outcome: applied (every row valid) or rejected with the rows and their problems. */
    public record Report(boolean applied, String message, List<RowReport> rows, int changed) {
    }

    private final Pool pool;
    private final UserStore users;
    private final AuditLog audit;

    public BulkMfaUpdate(Pool pool, UserStore users, AuditLog audit) {
        this.pool = Objects.requireNonNull(pool);
        this.users = Objects.requireNonNull(users);
        this.audit = Objects.requireNonNull(audit);
    }

    public Future<Report> apply(String actor, byte[] file) {
        List<MfaCsv.Row> parsed;
        try {
            parsed = MfaCsv.parse(file);
        } catch (MfaCsv.FileProblem problem) {
            return audit.record(pool, "admin.bulk_mfa", actor, null, "rejected",
                            Map.of("problem", problem.getMessage()))
                    .map(ignored -> new Report(false, problem.getMessage() + " Nothing was changed.", List.of(), 0));
        }
        return pool.withTransaction(sql -> users.lockByUsernames(sql, parsed.stream().map(MfaCsv.Row::username)
                        .filter(name -> !name.isEmpty()).distinct().toList())
                .compose(found -> {
                    Map<String, User> known = new HashMap<>();
                    found.forEach(user -> known.put(user.username().toLowerCase(Locale.ROOT), user));
                    List<MfaCsv.Row> rows = parsed.stream().map(row -> row.username().isEmpty()
                            || known.containsKey(row.username().toLowerCase(Locale.ROOT)) ? row
                            : row.withError("No user named '" + row.username() + "'.")).toList();
                    long invalid = rows.stream().filter(row -> !row.valid()).count();
                    if (invalid > 0) {
                        String message = invalid + " of " + rows.size() + " rows have errors; nothing was changed.";
                        return audit.record(sql, "admin.bulk_mfa", actor, null, "rejected",
                                        Map.of("rows", rows.size(), "invalidRows", invalid))
                                .map(ignored -> new Report(false, message, rows.stream()
                                        .map(row -> new RowReport(row.line(), row.username(), row.mfaStatus(),
                                                row.errors(), null, false)).toList(), 0));
                    }
                    return applyAll(sql, actor, rows, known);
                }));
    }

    private Future<Report> applyAll(SqlClient sql, String actor, List<MfaCsv.Row> rows, Map<String, User> known) {
        List<RowReport> reports = new ArrayList<>();
        Future<Integer> changed = Future.succeededFuture(0);
        for (MfaCsv.Row row : rows) {
            User user = known.get(row.username().toLowerCase(Locale.ROOT));
            MfaState target = row.state().orElseThrow();
            boolean change = user.mfaState() != target;
            reports.add(new RowReport(row.line(), user.username(), target.wire(), List.of(), user.mfaState().wire(),
                    change));
            if (change) {
                changed = changed.compose(n -> users.updateMfaState(sql, user.username(), target)
                        .compose(ignored -> audit.record(sql, "admin.mfa_state_changed", actor, user.username(),
                                "success", Map.of("mfaState", target.wire(), "from", user.mfaState().wire(),
                                        "via", "bulk_csv", "line", row.line())))
                        .map(n + 1));
            }
        }
        return changed.compose(n -> audit.record(sql, "admin.bulk_mfa", actor, null, "success",
                        Map.of("rows", rows.size(), "changed", n))
                .map(ignored -> new Report(true, rows.size() + " rows applied; " + n + " users changed.", reports,
                        n)));
    }
}
