package org.countersign.push.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.countersign.push.domain.MfaState;
import org.countersign.push.domain.Role;
import org.countersign.push.domain.User;

/** Users, their password hashes and their per-user MFA state. Usernames are unique regardless of case. */
public final class UserStore {
    static final String COLUMNS = "u.id, u.username, u.display_name, u.role, u.mfa_state, "
            + "u.registration_grace_started_at, u.failed_mfa_attempts, u.created_at";

    /** A user with the count of methods (devices) that can sign in. */
    public record UserSummary(User user, int methodsRegistered) {
    }

    /** What a password check needs. */
    public record Credentials(User user, String passwordHash) {
        @Override
        public String toString() {
            return "Credentials[" + user.username() + ", hash redacted]";
        }
    }

    public Future<User> insert(SqlClient sql, User user, String passwordHash) {
        return sql.preparedQuery("INSERT INTO users (id, username, display_name, role, password_hash, mfa_state, "
                        + "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .execute(Tuple.of(user.id(), user.username(), user.displayName(), user.role().wire(), passwordHash,
                        user.mfaState().wire(), Columns.ts(user.createdAt())))
                .map(rows -> user);
    }

    public Future<Optional<Credentials>> findCredentials(SqlClient sql, String username) {
        return sql.preparedQuery("SELECT " + COLUMNS + ", u.password_hash FROM users u WHERE lower(u.username) = lower($1)")
                .execute(Tuple.of(username))
                .map(rows -> Columns.first(rows).map(row -> new Credentials(user(row), row.getString("password_hash"))));
    }

    public Future<Optional<User>> findByUsername(SqlClient sql, String username) {
        return sql.preparedQuery("SELECT " + COLUMNS + " FROM users u WHERE lower(u.username) = lower($1)")
                .execute(Tuple.of(username))
                .map(rows -> Columns.first(rows).map(UserStore::user));
    }

    public Future<Optional<User>> findById(SqlClient sql, UUID id) {
        return sql.preparedQuery("SELECT " + COLUMNS + " FROM users u WHERE u.id = $1")
                .execute(Tuple.of(id))
                .map(rows -> Columns.first(rows).map(UserStore::user));
    }

    /** Users ordered by username, optionally only those in one per-user MFA state. */
    public Future<List<UserSummary>> list(SqlClient sql, Optional<MfaState> filter) {
        String query = "SELECT " + COLUMNS + ", (SELECT count(*) FROM devices d WHERE d.user_id = u.id "
                + "AND d.state = 'verified') AS methods FROM users u "
                + "WHERE ($1::text IS NULL OR u.mfa_state = $1) ORDER BY lower(u.username)";
        return sql.preparedQuery(query)
                .execute(Tuple.of(filter.map(MfaState::wire).orElse(null)))
                .map(rows -> {
                    List<UserSummary> users = new ArrayList<>();
                    for (Row row : rows) {
                        users.add(new UserSummary(user(row), row.getLong("methods").intValue()));
                    }
                    return users;
                });
    }

    public Future<Optional<User>> updateMfaState(SqlClient sql, String username, MfaState state) {
        return sql.preparedQuery("UPDATE users u SET mfa_state = $2 WHERE lower(u.username) = lower($1) RETURNING "
                        + COLUMNS)
                .execute(Tuple.of(username, state.wire()))
                .map(rows -> Columns.first(rows).map(UserStore::user));
    }

    public Future<Boolean> anyAdmin(SqlClient sql) {
        return sql.query("SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin') AS any")
                .execute()
                .map(rows -> rows.iterator().next().getBoolean("any"));
    }

    /** Starts the registration grace period at {@code now} unless it has started already; returns the start. */
    public Future<Instant> startRegistrationGrace(SqlClient sql, UUID userId, Instant now) {
        return sql.preparedQuery("UPDATE users SET registration_grace_started_at = "
                        + "COALESCE(registration_grace_started_at, $2) WHERE id = $1 "
                        + "RETURNING registration_grace_started_at")
                .execute(Tuple.of(userId, Columns.ts(now)))
                .map(rows -> Columns.instant(rows.iterator().next(), "registration_grace_started_at"));
    }

    public Future<Void> countFailedMfa(SqlClient sql, UUID userId) {
        return sql.preparedQuery("UPDATE users SET failed_mfa_attempts = failed_mfa_attempts + 1 WHERE id = $1")
                .execute(Tuple.of(userId))
                .mapEmpty();
    }

    public Future<Void> resetFailedMfa(SqlClient sql, UUID userId) {
        return sql.preparedQuery("UPDATE users SET failed_mfa_attempts = 0 WHERE id = $1 AND failed_mfa_attempts <> 0")
                .execute(Tuple.of(userId))
                .mapEmpty();
    }

    /** Users with any of these names (regardless of case), locked until the transaction ends. */
    public Future<List<User>> lockByUsernames(SqlClient sql, List<String> usernames) {
        return sql.preparedQuery("SELECT " + COLUMNS + " FROM users u WHERE lower(u.username) = ANY($1) "
                        + "ORDER BY lower(u.username) FOR UPDATE")
                .execute(Tuple.of(usernames.stream().map(name -> name.toLowerCase(java.util.Locale.ROOT))
                        .toArray(String[]::new)))
                .map(rows -> {
                    List<User> found = new ArrayList<>();
                    rows.forEach(row -> found.add(user(row)));
                    return found;
                });
    }

    /** Per-user {@code enabled} becomes {@code enforced} once the user has registered; true when it changed. */
    public Future<Boolean> enforceIfEnabled(SqlClient sql, UUID userId) {
        return sql.preparedQuery("UPDATE users SET mfa_state = 'enforced' WHERE id = $1 AND mfa_state = 'enabled'")
                .execute(Tuple.of(userId))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Forgets every registration grace start, so each user's grace starts again at their next sign-in. */
    public Future<Integer> restartRegistrationGrace(SqlClient sql) {
        return sql.query("UPDATE users SET registration_grace_started_at = NULL "
                        + "WHERE registration_grace_started_at IS NOT NULL")
                .execute()
                .map(rows -> rows.rowCount());
    }

    static User user(Row row) {
        return new User(row.getUUID("id"), row.getString("username"), row.getString("display_name"),
                Role.parse(row.getString("role")).orElseThrow(),
                MfaState.parse(row.getString("mfa_state")).orElseThrow(),
                Columns.optionalInstant(row, "registration_grace_started_at"),
                row.getInteger("failed_mfa_attempts"), Columns.instant(row, "created_at"));
    }
}
