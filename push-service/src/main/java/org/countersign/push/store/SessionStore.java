package org.countersign.push.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.countersign.push.domain.Session;
import org.countersign.push.domain.SessionScope;

/** Bearer sessions and remember-this-device tokens, both found by the SHA-256 of the token. */
public final class SessionStore {

    public Future<Void> insertSession(SqlClient sql, byte[] tokenHash, UUID userId, SessionScope scope,
                                      boolean mfaCompleted, Instant now, Instant expiresAt) {
        return sql.preparedQuery("INSERT INTO sessions (token_hash, user_id, scope, mfa_completed, created_at, "
                        + "expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.of(Buffer.buffer(tokenHash), userId, scope.wire(), mfaCompleted, Columns.ts(now),
                        Columns.ts(expiresAt)))
                .mapEmpty();
    }

    public Future<Optional<Session>> findSession(SqlClient sql, byte[] tokenHash, Instant now) {
        return sql.preparedQuery("SELECT s.scope, s.mfa_completed, s.expires_at, u.id, u.username, u.display_name, "
                        + "u.role, u.mfa_state, u.registration_grace_started_at, u.failed_mfa_attempts, u.created_at "
                        + "FROM sessions s JOIN users u ON u.id = s.user_id "
                        + "WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2")
                .execute(Tuple.of(Buffer.buffer(tokenHash), Columns.ts(now)))
                .map(rows -> Columns.first(rows).map(row -> new Session(UserStore.user(row),
                        SessionScope.fromWire(row.getString("scope")), row.getBoolean("mfa_completed"),
                        Columns.instant(row, "expires_at"))));
    }

    public Future<Integer> revokeSessions(SqlClient sql, UUID userId, Instant now) {
        return sql.preparedQuery("UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(userId, Columns.ts(now)))
                .map(rows -> rows.rowCount());
    }

    /** Revokes one session (signing out in one browser); true when it was live. */
    public Future<Boolean> revokeSession(SqlClient sql, byte[] tokenHash, Instant now) {
        return sql.preparedQuery("UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(Buffer.buffer(tokenHash), Columns.ts(now)))
                .map(rows -> rows.rowCount() == 1);
    }

    public Future<Void> insertRemembered(SqlClient sql, byte[] tokenHash, UUID userId, Instant now,
                                         Instant expiresAt) {
        return sql.preparedQuery("INSERT INTO remembered_devices (token_hash, user_id, created_at, expires_at) "
                        + "VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(Buffer.buffer(tokenHash), userId, Columns.ts(now), Columns.ts(expiresAt)))
                .mapEmpty();
    }

    public Future<Boolean> isRemembered(SqlClient sql, byte[] tokenHash, UUID userId, Instant now) {
        return sql.preparedQuery("SELECT 1 FROM remembered_devices WHERE token_hash = $1 AND user_id = $2 "
                        + "AND revoked_at IS NULL AND expires_at > $3")
                .execute(Tuple.of(Buffer.buffer(tokenHash), userId, Columns.ts(now)))
                .map(rows -> rows.size() == 1);
    }

    public Future<Integer> revokeRemembered(SqlClient sql, UUID userId, Instant now) {
        return sql.preparedQuery("UPDATE remembered_devices SET revoked_at = $2 WHERE user_id = $1 "
                        + "AND revoked_at IS NULL")
                .execute(Tuple.of(userId, Columns.ts(now)))
                .map(rows -> rows.rowCount());
    }
}
