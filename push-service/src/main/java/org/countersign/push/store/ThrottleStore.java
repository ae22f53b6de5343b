package org.countersign.push.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Consecutive failed attempts (passwords, TOTP codes, wrong numbers) per lowercased username and per client address
 * (V5 migration). A row exists for any name typed, whether or not such a user exists, so that an unknown username
 * is throttled and locked exactly like a known one. Usernames are lowercased by PostgreSQL's {@code lower}, as the
 * unique index on users does.
 */
public final class ThrottleStore {
    /** Whose attempts a row counts. */
    public enum Kind {
        USER("user"), ADDRESS("address");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        String subject() {
            return this == USER ? "lower($2)" : "$2";
        }
    }

    /** One key's state: failures in a row, no attempt before {@code blockedUntil}, locked out since. */
    public record Throttle(int consecutiveFailures, Optional<Instant> blockedUntil, Optional<Instant> lockedOutAt) {
    }

    public Future<Optional<Throttle>> find(SqlClient sql, Kind kind, String key) {
        return sql.preparedQuery("SELECT consecutive_failures, blocked_until, locked_out_at FROM attempt_throttles "
                        + "WHERE kind = $1 AND subject = " + kind.subject())
                .execute(Tuple.of(kind.wire, key))
                .map(rows -> Columns.first(rows).map(ThrottleStore::throttle));
    }

    /**
     * Counts one more failure, starting again from one when the previous failure is older than {@code forgetBefore}
     * (empty: never forget); answers the count after this failure.
     */
    public Future<Integer> countFailure(SqlClient sql, Kind kind, String key, Instant now,
                                        Optional<Instant> forgetBefore) {
        return sql.preparedQuery("INSERT INTO attempt_throttles AS t (kind, subject, consecutive_failures, "
                        + "last_failure_at) VALUES ($1, " + kind.subject() + ", 1, $3) "
                        + "ON CONFLICT (kind, subject) DO UPDATE SET consecutive_failures = CASE "
                        + "WHEN $4::timestamptz IS NOT NULL AND t.last_failure_at < $4 THEN 1 "
                        + "ELSE t.consecutive_failures + 1 END, last_failure_at = $3 "
                        + "RETURNING consecutive_failures")
                .execute(Tuple.of(kind.wire, key, Columns.ts(now), forgetBefore.map(Columns::ts).orElse(null)))
                .map(rows -> rows.iterator().next().getInteger("consecutive_failures"));
    }

    /** Refuses attempts of the key until {@code until}; locks it out too when {@code lockOut}. */
    public Future<Boolean> block(SqlClient sql, Kind kind, String key, Instant until, boolean lockOut, Instant now) {
        return sql.preparedQuery("UPDATE attempt_throttles SET blocked_until = $3, locked_out_at = CASE "
                        + "WHEN $4 THEN COALESCE(locked_out_at, $5) ELSE locked_out_at END "
                        + "WHERE kind = $1 AND subject = " + kind.subject()
                        + " RETURNING locked_out_at = $5 AS newly_locked")
                .execute(Tuple.of(kind.wire, key, Columns.ts(until), lockOut, Columns.ts(now)))
                .map(rows -> rows.iterator().hasNext() && Boolean.TRUE.equals(
                        rows.iterator().next().getBoolean("newly_locked")));
    }

    /** Forgets the failures of a key after a success; a lockout stays until an admin clears it. */
    public Future<Void> reset(SqlClient sql, Kind kind, String key) {
        return sql.preparedQuery("DELETE FROM attempt_throttles WHERE kind = $1 AND subject = " + kind.subject()
                        + " AND locked_out_at IS NULL")
                .execute(Tuple.of(kind.wire, key))
                .mapEmpty();
    }

    /** Clears a username's lockout and failures (an admin's action); true when there was a lockout. */
    public Future<Boolean> clearUser(SqlClient sql, String username) {
        return sql.preparedQuery("DELETE FROM attempt_throttles WHERE kind = 'user' AND subject = lower($1) "
                        + "RETURNING locked_out_at IS NOT NULL AS was_locked")
                .execute(Tuple.of(username))
                .map(rows -> rows.iterator().hasNext() && rows.iterator().next().getBoolean("was_locked"));
    }

    /** Whether the user with this id is locked out (checked again when an approval is consumed). */
    public Future<Boolean> isLockedOut(SqlClient sql, UUID userId) {
        return sql.preparedQuery("SELECT EXISTS (SELECT 1 FROM attempt_throttles t JOIN users u "
                        + "ON t.kind = 'user' AND t.subject = lower(u.username) "
                        + "WHERE u.id = $1 AND t.locked_out_at IS NOT NULL) AS locked")
                .execute(Tuple.of(userId))
                .map(rows -> rows.iterator().next().getBoolean("locked"));
    }

    /** The lowercased usernames locked out now (for the admin's user list). */
    public Future<Set<String>> lockedOutUsernames(SqlClient sql) {
        return sql.query("SELECT subject FROM attempt_throttles WHERE kind = 'user' AND locked_out_at IS NOT NULL")
                .execute()
                .map(rows -> {
                    Set<String> names = new HashSet<>();
                    rows.forEach(row -> names.add(row.getString("subject")));
                    return names;
                });
    }

    private static Throttle throttle(Row row) {
        return new Throttle(row.getInteger("consecutive_failures"), Columns.optionalInstant(row, "blocked_until"),
                Columns.optionalInstant(row, "locked_out_at"));
    }
}
