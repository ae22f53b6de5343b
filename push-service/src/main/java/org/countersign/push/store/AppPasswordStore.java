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
import org.countersign.push.domain.AppPassword;

/** App passwords: their names and times, and their Argon2id hashes (read only where one is checked). */
public final class AppPasswordStore {
    private static final String COLUMNS = "id, user_id, name, created_at, last_used_at";

    /** An app password with its hash, for checking a presented password. */
    public record Candidate(AppPassword appPassword, String hash) {
        @Override
        public String toString() {
            return "Candidate[" + appPassword.id() + ", hash redacted]";
        }
    }

    public Future<Void> insert(SqlClient sql, AppPassword appPassword, String hash) {
        return sql.preparedQuery("INSERT INTO app_passwords (id, user_id, name, password_hash, created_at) "
                        + "VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(appPassword.id(), appPassword.userId(), appPassword.name(), hash,
                        Columns.ts(appPassword.createdAt())))
                .mapEmpty();
    }

    /** A user's app passwords, oldest first. */
    public Future<List<AppPassword>> forUser(SqlClient sql, UUID userId) {
        return sql.preparedQuery("SELECT " + COLUMNS + " FROM app_passwords WHERE user_id = $1 ORDER BY created_at, id")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    List<AppPassword> list = new ArrayList<>();
                    rows.forEach(row -> list.add(appPassword(row)));
                    return list;
                });
    }

    public Future<List<Candidate>> candidates(SqlClient sql, UUID userId) {
        return sql.preparedQuery("SELECT " + COLUMNS + ", password_hash FROM app_passwords WHERE user_id = $1 "
                        + "ORDER BY created_at, id")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    List<Candidate> list = new ArrayList<>();
                    rows.forEach(row -> list.add(new Candidate(appPassword(row), row.getString("password_hash"))));
                    return list;
                });
    }

    public Future<Integer> count(SqlClient sql, UUID userId) {
        return sql.preparedQuery("SELECT count(*) AS n FROM app_passwords WHERE user_id = $1")
                .execute(Tuple.of(userId))
                .map(rows -> rows.iterator().next().getLong("n").intValue());
    }

    /** Deletes one app password of a user and answers its name; empty when the user has none with this id. */
    public Future<Optional<String>> delete(SqlClient sql, UUID userId, UUID id) {
        return sql.preparedQuery("DELETE FROM app_passwords WHERE id = $1 AND user_id = $2 RETURNING name")
                .execute(Tuple.of(id, userId))
                .map(rows -> Columns.first(rows).map(row -> row.getString("name")));
    }

    public Future<Integer> deleteAll(SqlClient sql, UUID userId) {
        return sql.preparedQuery("DELETE FROM app_passwords WHERE user_id = $1")
                .execute(Tuple.of(userId))
                .map(rows -> rows.rowCount());
    }

    public Future<Void> touch(SqlClient sql, UUID id, Instant now) {
        return sql.preparedQuery("UPDATE app_passwords SET last_used_at = $2 WHERE id = $1")
                .execute(Tuple.of(id, Columns.ts(now)))
                .mapEmpty();
    }

    private static AppPassword appPassword(Row row) {
        return new AppPassword(row.getUUID("id"), row.getUUID("user_id"), row.getString("name"),
                Columns.instant(row, "created_at"), Columns.optionalInstant(row, "last_used_at"));
    }
}
