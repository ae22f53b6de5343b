package org.countersign.push.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What bounds the pushes one person receives (V5 migration): one pending push per user, a rolling limit on pushes,
 * and the suspension of pushes after a fraud report. Challenge creation locks the user's row first, so that two
 * sign-ins of the same user at once cannot both see "no pending push" or "under the limit".
 */
public final class PushFatigueStore {

    /** Locks the user's row until the transaction ends; answers when their pushes were suspended, if they are. */
    public Future<Optional<Instant>> lockUser(SqlClient sql, UUID userId) {
        return sql.preparedQuery("SELECT push_suspended_at FROM users WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(userId))
                .map(rows -> Columns.first(rows).flatMap(row -> Columns.optionalInstant(row, "push_suspended_at")));
    }

    /**
     * Ends every pending, unexpired sign-in-kind challenge of the user as {@code expired} with reason
     * {@code superseded} (registration tests are left alone); answers their ids.
     */
    public Future<List<UUID>> supersedePending(SqlClient sql, UUID userId, Instant now) {
        return sql.preparedQuery("UPDATE sign_ins SET state = 'expired', reason = 'superseded', decided_at = $2 "
                        + "WHERE user_id = $1 AND kind = 'sign-in' AND state = 'pending' AND expires_at > $2 "
                        + "RETURNING id")
                .execute(Tuple.of(userId, Columns.ts(now)))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getUUID("id")));
                    return ids;
                });
    }

    /** Pushes actually sent for the user's sign-in challenges created after {@code since}. */
    public Future<Integer> pushesSince(SqlClient sql, UUID userId, Instant since) {
        return sql.preparedQuery("SELECT count(*) AS n FROM sign_ins WHERE user_id = $1 AND kind = 'sign-in' "
                        + "AND number IS NOT NULL AND push_suppressed IS NULL AND created_at > $2")
                .execute(Tuple.of(userId, Columns.ts(since)))
                .map(rows -> rows.iterator().next().getLong("n").intValue());
    }

    /** Records why no push was sent for this challenge ({@code push_limit} or {@code fraud_reported}). */
    public Future<Void> markSuppressed(SqlClient sql, UUID signInId, String reason) {
        return sql.preparedQuery("UPDATE sign_ins SET push_suppressed = $2 WHERE id = $1")
                .execute(Tuple.of(signInId, reason))
                .mapEmpty();
    }

    /** Suspends the user's pushes from {@code now}; true when they were not suspended already. */
    public Future<Boolean> suspendPushes(SqlClient sql, UUID userId, Instant now) {
        return sql.preparedQuery("UPDATE users SET push_suspended_at = $2 WHERE id = $1 "
                        + "AND push_suspended_at IS NULL")
                .execute(Tuple.of(userId, Columns.ts(now)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Lifts the suspension (an admin's action); true when the user's pushes were suspended. */
    public Future<Boolean> clearSuspension(SqlClient sql, UUID userId) {
        return sql.preparedQuery("UPDATE users SET push_suspended_at = NULL WHERE id = $1 "
                        + "AND push_suspended_at IS NOT NULL")
                .execute(Tuple.of(userId))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The users whose pushes are suspended now (for the admin's user list). */
    public Future<Set<UUID>> suspendedUsers(SqlClient sql) {
        return sql.query("SELECT id FROM users WHERE push_suspended_at IS NOT NULL")
                .execute()
                .map(rows -> {
                    Set<UUID> ids = new HashSet<>();
                    rows.forEach(row -> ids.add(row.getUUID("id")));
                    return ids;
                });
    }
}
