package org.countersign.push.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.countersign.push.domain.DenialReason;

/**
 * The checks made again when an approved sign-in's session is handed out (ARCHITECTURE.md §3.4): an approval given
 * before its user was locked out, or before the approving device was removed, must not yield a session.
 */
public final class ConsumptionStore {

    /** Why the approved sign-in must not yield a session now, if it must not. */
    public Future<Optional<DenialReason>> refusal(SqlClient sql, UUID signInId) {
        return sql.preparedQuery("SELECT EXISTS (SELECT 1 FROM attempt_throttles t JOIN users u "
                        + "ON t.kind = 'user' AND t.subject = lower(u.username) "
                        + "WHERE u.id = s.user_id AND t.locked_out_at IS NOT NULL) AS locked, "
                        + "EXISTS (SELECT 1 FROM devices d WHERE d.id = s.decided_device_id "
                        + "AND d.state = 'removed') AS device_removed FROM sign_ins s WHERE s.id = $1")
                .execute(Tuple.of(signInId))
                .map(rows -> Columns.first(rows).flatMap(row -> row.getBoolean("locked")
                        ? Optional.of(DenialReason.LOCKED_OUT)
                        : row.getBoolean("device_removed") ? Optional.of(DenialReason.DEVICE_REMOVED)
                        : Optional.empty()));
    }

    /** Denies an approved sign-in whose session nobody has collected; false when it was collected already. */
    public Future<Boolean> denyUncollected(SqlClient sql, UUID signInId, DenialReason reason, Instant now) {
        return sql.preparedQuery("UPDATE sign_ins SET state = 'denied', reason = $2, decided_at = $3 "
                        + "WHERE id = $1 AND state = 'approved' AND NOT result_claimed")
                .execute(Tuple.of(signInId, reason.wire(), Columns.ts(now)))
                .map(rows -> rows.rowCount() == 1);
    }
}
