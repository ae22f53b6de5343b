package org.countersign.push.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The suspension of a person's pushes after a fraud report (V5 migration). The other push-fatigue rules (one pending
 * push per user, the rolling limit) are applied when a challenge is created, in {@link ChallengeStore}.
 */
public final class PushFatigueStore {

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
