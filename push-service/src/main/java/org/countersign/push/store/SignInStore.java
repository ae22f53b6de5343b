package org.countersign.push.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.countersign.protocol.SignInKind;
import org.countersign.push.domain.DenialReason;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.SignIn;
import org.countersign.push.domain.SignInMethod;
import org.countersign.push.domain.SignInState;

/**
 * Sign-ins and their challenges. Every decision is one conditional UPDATE on a pending, unexpired row, so two
 * answers can never both win (ARCHITECTURE.md §3.4).
 */
public final class SignInStore {
    private static final String COLUMNS = "id, user_id, kind, state, reason, method, number, app, ip, location, "
            + "target_device_id, decided_device_id, remember_requested, result_claimed, created_at, expires_at";

    public Future<SignIn> insert(SqlClient sql, SignIn signIn) {
        return sql.preparedQuery("INSERT INTO sign_ins (" + COLUMNS + ") VALUES "
                        + "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)")
                .execute(Tuple.from(new Object[] {signIn.id(), signIn.userId(), signIn.kind().wire(),
                        signIn.state().wire(), signIn.reason().map(DenialReason::wire).orElse(null),
                        signIn.method().map(SignInMethod::wire).orElse(null), signIn.number().orElse(null),
                        signIn.app(), signIn.ip().orElse(null), signIn.location().orElse(null),
                        signIn.targetDeviceId().orElse(null), signIn.decidedDeviceId().orElse(null),
                        signIn.rememberRequested(), signIn.resultClaimed(), Columns.ts(signIn.createdAt()),
                        Columns.ts(signIn.expiresAt())}))
                .map(rows -> signIn);
    }

    public Future<Optional<SignIn>> findById(SqlClient sql, UUID id) {
        return sql.preparedQuery("SELECT " + COLUMNS + " FROM sign_ins WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> Columns.first(rows).map(SignInStore::signIn));
    }

    /** The sign-in if it is a relying-party check of this client; empty otherwise (another client's, or none). */
    public Future<Optional<SignIn>> findCheck(SqlClient sql, UUID id, UUID rpClientId) {
        return sql.preparedQuery("SELECT " + COLUMNS + " FROM sign_ins WHERE id = $1 AND rp_client_id = $2")
                .execute(Tuple.of(id, rpClientId))
                .map(rows -> Columns.first(rows).map(SignInStore::signIn));
    }

    /**
     * Decides a pending sign-in that has not expired at {@code now}. Empty when it was decided already, expired or
     * does not exist: the caller lost the race and must not act on the decision.
     */
    public Future<Optional<SignIn>> decide(SqlClient sql, UUID id, SignInState state, Optional<DenialReason> reason,
                                           SignInMethod method, Optional<UUID> deviceId, Instant now) {
        return sql.preparedQuery("UPDATE sign_ins SET state = $2, reason = $3, method = $4, decided_device_id = $5, "
                        + "decided_at = $6 WHERE id = $1 AND state = 'pending' AND expires_at > $6 RETURNING "
                        + COLUMNS)
                .execute(Tuple.of(id, state.wire(), reason.map(DenialReason::wire).orElse(null), method.wire(),
                        deviceId.orElse(null), Columns.ts(now)))
                .map(rows -> Columns.first(rows).map(SignInStore::signIn));
    }

    /** A sign-in this call moved from pending to expired, with what its audit event names. */
    public record Expired(UUID id, SignInKind kind, String username, Optional<UUID> rpClientId) {
    }

    /**
     * Records the expiry of a pending sign-in whose time is up. Empty when it was decided (or expired) meanwhile:
     * exactly one caller sees each expiry, so exactly one records it.
     */
    public Future<Optional<Expired>> expireIfDue(SqlClient sql, UUID id, Instant now) {
        return sql.preparedQuery("UPDATE sign_ins s SET state = 'expired', decided_at = $2 FROM users u "
                        + "WHERE s.id = $1 AND u.id = s.user_id AND s.state = 'pending' AND s.expires_at <= $2 "
                        + EXPIRED_RETURNING)
                .execute(Tuple.of(id, Columns.ts(now)))
                .map(rows -> Columns.first(rows).map(SignInStore::expired));
    }

    /**
     * Expires up to {@code limit} pending sign-ins whose time is up at {@code now}, oldest first. Rows another
     * transaction holds (an answer being decided, another node's sweep) are skipped, not waited for, and the
     * conditional UPDATE means each expiry is returned to exactly one caller.
     */
    public Future<List<Expired>> expireDue(SqlClient sql, Instant now, int limit) {
        return sql.preparedQuery("UPDATE sign_ins s SET state = 'expired', decided_at = $1 FROM users u "
                        + "WHERE s.id IN (SELECT id FROM sign_ins WHERE state = 'pending' AND expires_at <= $1 "
                        + "ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED) "
                        + "AND u.id = s.user_id AND s.state = 'pending' " + EXPIRED_RETURNING)
                .execute(Tuple.of(Columns.ts(now), limit))
                .map(rows -> {
                    List<Expired> list = new ArrayList<>();
                    rows.forEach(row -> list.add(expired(row)));
                    return list;
                });
    }

    private static final String EXPIRED_RETURNING = "RETURNING s.id, s.kind, u.username, s.rp_client_id";

    private static Expired expired(Row row) {
        return new Expired(row.getUUID("id"), SignInKind.fromWire(row.getString("kind")), row.getString("username"),
                Columns.optionalUuid(row, "rp_client_id"));
    }

    /**
     * Claims the right to hand out the session of an approved sign-in; true exactly once. A sign-in started by a
     * browser page can be claimed only with that browser's binding, and a registration test never yields a session.
     */
    public Future<Boolean> claimResult(SqlClient sql, UUID id) {
        return sql.preparedQuery("UPDATE sign_ins SET result_claimed = true WHERE id = $1 AND state = 'approved' "
                        + "AND kind = 'sign-in' AND NOT result_claimed AND browser_binding IS NULL")
                .execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 1);
    }

    /** As {@link #claimResult(SqlClient, UUID)}, for the browser whose cs_pending cookie hashes to {@code binding}. */
    public Future<Boolean> claimResultForBrowser(SqlClient sql, UUID id, byte[] binding) {
        return sql.preparedQuery("UPDATE sign_ins SET result_claimed = true WHERE id = $1 AND state = 'approved' "
                        + "AND kind = 'sign-in' AND NOT result_claimed AND browser_binding = $2")
                .execute(Tuple.of(id, Buffer.buffer(binding)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Binds a sign-in to the browser that started it, as its {@code attempt}-th request (V3 migration). */
    public Future<Void> bindToBrowser(SqlClient sql, UUID id, byte[] binding, int attempt) {
        return sql.preparedQuery("UPDATE sign_ins SET browser_binding = $2, browser_attempt = $3 WHERE id = $1")
                .execute(Tuple.of(id, Buffer.buffer(binding), attempt))
                .mapEmpty();
    }

    /** Records the browser's "Don't ask again" choice on its pending sign-in, read when the session is claimed. */
    public Future<Integer> rememberForBrowser(SqlClient sql, byte[] binding, boolean remember) {
        return sql.preparedQuery("UPDATE sign_ins SET remember_requested = $2 WHERE browser_binding = $1 "
                        + "AND state = 'pending'")
                .execute(Tuple.of(Buffer.buffer(binding), remember))
                .map(rows -> rows.rowCount());
    }

    /** A browser's newest sign-in, its attempt number, and when that browser's first attempt began. */
    public record BrowserAttempt(SignIn signIn, int attempt, Instant startedAt) {
    }

    public Future<Optional<BrowserAttempt>> latestForBrowser(SqlClient sql, byte[] binding) {
        return sql.preparedQuery("SELECT " + COLUMNS + ", browser_attempt, (SELECT min(created_at) FROM sign_ins "
                        + "WHERE browser_binding = $1) AS browser_started_at FROM sign_ins WHERE browser_binding = $1 "
                        + "ORDER BY browser_attempt DESC LIMIT 1")
                .execute(Tuple.of(Buffer.buffer(binding)))
                .map(rows -> Columns.first(rows).map(row -> new BrowserAttempt(signIn(row),
                        row.getInteger("browser_attempt"), Columns.instant(row, "browser_started_at"))));
    }

    /**
     * The requests a device may still answer: for a verified device every pending sign-in of its user, for an
     * unverified one only its own registration test.
     */
    public Future<List<SignIn>> pendingFor(SqlClient sql, Device device, Instant now) {
        if (device.isVerified()) {
            // a challenge created without a push (push limit, fraud report: V5) is not pushed on login either
            return sql.preparedQuery("SELECT " + COLUMNS + " FROM sign_ins WHERE user_id = $1 AND kind = 'sign-in' "
                            + "AND state = 'pending' AND expires_at > $2 AND push_suppressed IS NULL "
                            + "ORDER BY created_at")
                    .execute(Tuple.of(device.userId(), Columns.ts(now)))
                    .map(SignInStore::signIns);
        }
        return sql.preparedQuery("SELECT " + COLUMNS + " FROM sign_ins WHERE target_device_id = $1 "
                        + "AND kind = 'registration-test' AND state = 'pending' AND expires_at > $2 ORDER BY created_at")
                .execute(Tuple.of(device.id(), Columns.ts(now)))
                .map(SignInStore::signIns);
    }

    /** A request a held channel may still answer, with the name its prompt shows. */
    public record Deliverable(UUID deviceId, SignIn signIn, String username) {
    }

    /**
     * As {@link #pendingFor} for many devices in one statement (a node catching up on the channels it holds):
     * removed and unknown devices get nothing.
     */
    public Future<List<Deliverable>> pendingForDevices(SqlClient sql, List<UUID> deviceIds, Instant now) {
        return sql.preparedQuery("SELECT d.id AS held_device_id, u.username, " + prefixed("s") + " FROM devices d "
                        + "JOIN sign_ins s ON s.state = 'pending' AND s.expires_at > $2 AND ("
                        + "(d.state = 'verified' AND s.user_id = d.user_id AND s.kind = 'sign-in' "
                        + "AND s.push_suppressed IS NULL) "
                        + "OR (d.state = 'unverified' AND s.target_device_id = d.id AND s.kind = 'registration-test')) "
                        + "JOIN users u ON u.id = s.user_id "
                        + "WHERE d.id = ANY($1) ORDER BY s.created_at")
                .execute(Tuple.of(deviceIds.toArray(UUID[]::new), Columns.ts(now)))
                .map(rows -> {
                    List<Deliverable> result = new ArrayList<>();
                    for (Row row : rows) {
                        result.add(new Deliverable(row.getUUID("held_device_id"), signIn(row),
                                row.getString("username")));
                    }
                    return result;
                });
    }

    private static String prefixed(String alias) {
        return alias + "." + COLUMNS.replace(", ", ", " + alias + ".");
    }

    /** Denies every pending sign-in of a user (e.g. its last device was removed); returns the ones denied. */
    public Future<List<SignIn>> denyAllPending(SqlClient sql, UUID userId, DenialReason reason, Instant now) {
        return sql.preparedQuery("UPDATE sign_ins SET state = 'denied', reason = $2, decided_at = $3 "
                        + "WHERE user_id = $1 AND state = 'pending' AND expires_at > $3 RETURNING " + COLUMNS)
                .execute(Tuple.of(userId, reason.wire(), Columns.ts(now)))
                .map(SignInStore::signIns);
    }

    /**
     * Denies the sign-ins a device approved whose session nobody has collected yet (the device was removed): an
     * approval given before a removal must not yield a session after it (ARCHITECTURE.md §3.4).
     */
    public Future<List<SignIn>> denyUncollectedApprovalsOf(SqlClient sql, UUID deviceId, DenialReason reason,
                                                           Instant now) {
        return sql.preparedQuery("UPDATE sign_ins SET state = 'denied', reason = $2, decided_at = $3 "
                        + "WHERE decided_device_id = $1 AND kind = 'sign-in' AND state = 'approved' "
                        + "AND NOT result_claimed RETURNING " + COLUMNS)
                .execute(Tuple.of(deviceId, reason.wire(), Columns.ts(now)))
                .map(SignInStore::signIns);
    }

    /** Denies the pending registration test of a device (the device was removed). */
    public Future<List<SignIn>> denyPendingTestsOf(SqlClient sql, UUID deviceId, DenialReason reason, Instant now) {
        return sql.preparedQuery("UPDATE sign_ins SET state = 'denied', reason = $2, decided_at = $3 "
                        + "WHERE target_device_id = $1 AND state = 'pending' RETURNING " + COLUMNS)
                .execute(Tuple.of(deviceId, reason.wire(), Columns.ts(now)))
                .map(SignInStore::signIns);
    }

    private static List<SignIn> signIns(Iterable<Row> rows) {
        List<SignIn> list = new ArrayList<>();
        for (Row row : rows) {
            list.add(signIn(row));
        }
        return list;
    }

    static SignIn signIn(Row row) {
        return new SignIn(row.getUUID("id"), row.getUUID("user_id"), SignInKind.fromWire(row.getString("kind")),
                SignInState.fromWire(row.getString("state")),
                Columns.optionalString(row, "reason").map(DenialReason::fromWire),
                Columns.optionalString(row, "method").map(SignInMethod::fromWire),
                Columns.optionalString(row, "number"), row.getString("app"), Columns.optionalString(row, "ip"),
                Columns.optionalString(row, "location"), Columns.optionalUuid(row, "target_device_id"),
                Columns.optionalUuid(row, "decided_device_id"), row.getBoolean("remember_requested"),
                row.getBoolean("result_claimed"), Columns.instant(row, "created_at"),
                Columns.instant(row, "expires_at"));
    }
}
