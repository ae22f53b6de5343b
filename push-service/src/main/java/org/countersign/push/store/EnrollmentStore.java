package org.countersign.push.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.countersign.push.domain.Enrollment;
import org.countersign.push.domain.EnrollmentState;

/** Enrollments; the activation code is stored only as its SHA-256 hash and can be claimed once. */
public final class EnrollmentStore {
    private static final String COLUMNS = "id, user_id, state, created_at, expires_at, device_id, test_sign_in_id";

    public Future<Enrollment> insert(SqlClient sql, Enrollment enrollment, byte[] codeHash) {
        return sql.preparedQuery("INSERT INTO enrollments (id, user_id, code_hash, state, created_at, expires_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.of(enrollment.id(), enrollment.userId(), Buffer.buffer(codeHash),
                        enrollment.state().wire(), Columns.ts(enrollment.createdAt()),
                        Columns.ts(enrollment.expiresAt())))
                .map(rows -> enrollment);
    }

    public Future<Optional<Enrollment>> findById(SqlClient sql, UUID id) {
        return sql.preparedQuery("SELECT " + COLUMNS + " FROM enrollments WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> Columns.first(rows).map(EnrollmentStore::enrollment));
    }

    /** Claims a waiting, unexpired enrollment by its code hash: succeeds once per code. */
    public Future<Optional<Enrollment>> claim(SqlClient sql, byte[] codeHash, Instant now) {
        return sql.preparedQuery("UPDATE enrollments SET state = 'activated' WHERE code_hash = $1 "
                        + "AND state = 'waiting' AND expires_at > $2 RETURNING " + COLUMNS)
                .execute(Tuple.of(Buffer.buffer(codeHash), Columns.ts(now)))
                .map(rows -> Columns.first(rows).map(EnrollmentStore::enrollment));
    }

    public Future<Void> attach(SqlClient sql, UUID enrollmentId, UUID deviceId, UUID testSignInId) {
        return sql.preparedQuery("UPDATE enrollments SET device_id = $2, test_sign_in_id = $3 WHERE id = $1")
                .execute(Tuple.of(enrollmentId, deviceId, testSignInId))
                .mapEmpty();
    }

    public Future<Void> markVerified(SqlClient sql, UUID deviceId) {
        return sql.preparedQuery("UPDATE enrollments SET state = 'verified' WHERE device_id = $1 "
                        + "AND state = 'activated'")
                .execute(Tuple.of(deviceId))
                .mapEmpty();
    }

    static Enrollment enrollment(Row row) {
        return new Enrollment(row.getUUID("id"), row.getUUID("user_id"),
                EnrollmentState.fromWire(row.getString("state")), Columns.instant(row, "created_at"),
                Columns.instant(row, "expires_at"), Columns.optionalUuid(row, "device_id"),
                Columns.optionalUuid(row, "test_sign_in_id"));
    }
}
