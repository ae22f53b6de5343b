package org.countersign.push.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.UUID;
import org.countersign.protocol.SignInKind;
import org.countersign.push.domain.AuditEvent;
import org.countersign.push.domain.DenialReason;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.SignIn;
import org.countersign.push.domain.SignInMethod;
import org.countersign.push.domain.SignInState;

/**
 * A device's answer to a sign-in challenge in two statements: one read of everything the answer is checked against,
 * and one statement that locks the device, decides and applies the decision's effects. The decision is still one
 * conditional UPDATE on a pending, unexpired row, taken while the device row is locked ({@code FOR SHARE}) against
 * a removal, and only for the key the caller verified the signature with.
 */
public final class PushAnswerStore {
    private static final String DEVICE_COLUMNS = "d.id, d.user_id, d.name, d.platform, d.public_key, "
            + "d.totp_algorithm, d.totp_digits, d.totp_period, d.state, d.created_at, d.last_used_at";
    private static final String SIGN_IN_COLUMNS = "id, user_id, kind, state, reason, method, number, app, ip, "
            + "location, target_device_id, decided_device_id, remember_requested, result_claimed, created_at, "
            + "expires_at";

    /** What an answer is checked against, read without locks: the device, its user's name, and the sign-in. */
    public record AnswerContext(Device device, String username, Optional<SignIn> signIn) {
    }

    /**
     * The device with its user's name, and the sign-in when it exists; empty when the device does not exist. Not a
     * lock: {@link #decide} checks again, under the lock, what the decision depends on.
     */
    public Future<Optional<AnswerContext>> context(SqlClient sql, UUID deviceId, UUID signInId) {
        return sql.preparedQuery("SELECT " + DEVICE_COLUMNS + ", u.username, " + prefixed("s", "s_")
                        + " FROM devices d JOIN users u ON u.id = d.user_id "
                        + "LEFT JOIN sign_ins s ON s.id = $2 WHERE d.id = $1")
                .execute(Tuple.of(deviceId, signInId))
                .map(rows -> Columns.first(rows).map(row -> new AnswerContext(DeviceStore.device(row),
                        row.getString("username"),
                        row.getUUID("s_id") == null ? Optional.empty() : Optional.of(signIn(row, "s_")))));
    }

    /** The decision a verified answer asks for, on a sign-in-kind challenge. */
    public record Answer(UUID deviceId, UUID userId, String verifiedKey, UUID signInId, SignInState state,
                         Optional<DenialReason> reason, Instant now, AuditEvent event) {
    }

    /** The result of {@link #decide}: whether the device still qualified, and the decided row if this answer won. */
    public record Decided(boolean deviceQualified, Optional<SignIn> signIn, boolean lockedOut) {
    }

    /**
     * In one statement (so one transaction): locks the device row {@code FOR SHARE} if it is still verified, of this
     * user and holds the verified key; decides the pending, unexpired sign-in-kind challenge of that user, as
     * denied ({@code locked_out}) if the user is locked out now; and, when it approved, touches the device, resets
     * the user's failed MFA count and forgets the failures of their username and of the sign-in's address (not a
     * lockout). Unless locked out, the decision's audit event is recorded with the user's name as actor and target.
     * Nothing happens when the device does not qualify or the challenge is no longer pending.
     */
    public Future<Decided> decide(SqlClient sql, Answer answer) {
        String approved = "EXISTS (SELECT 1 FROM decided WHERE state = 'approved')";
        return sql.preparedQuery("WITH dev AS (SELECT id FROM devices WHERE id = $1 AND user_id = $2 "
                        + "AND state = 'verified' AND public_key = $3 FOR SHARE), "
                        + "locked AS (SELECT EXISTS (SELECT 1 FROM attempt_throttles t JOIN users u "
                        + "ON t.kind = 'user' AND t.subject = lower(u.username) "
                        + "WHERE u.id = $2 AND t.locked_out_at IS NOT NULL) AS out), "
                        + "decided AS (UPDATE sign_ins s SET "
                        + "state = CASE WHEN locked.out THEN 'denied' ELSE $5::text END, "
                        + "reason = CASE WHEN locked.out THEN 'locked_out' ELSE $6::text END, "
                        + "method = 'push', decided_device_id = $1, decided_at = $7 FROM locked "
                        + "WHERE s.id = $4 AND s.user_id = $2 AND s.kind = 'sign-in' AND s.state = 'pending' "
                        + "AND s.expires_at > $7 AND EXISTS (SELECT 1 FROM dev) "
                        + "RETURNING " + prefixed("s", "") + ", locked.out AS locked_out), "
                        + "touched AS (UPDATE devices SET last_used_at = $7 WHERE id = $1 AND " + approved + "), "
                        + "reset AS (UPDATE users SET failed_mfa_attempts = 0 WHERE id = $2 "
                        + "AND failed_mfa_attempts <> 0 AND " + approved + "), "
                        + "forgot AS (DELETE FROM attempt_throttles t WHERE t.locked_out_at IS NULL AND " + approved
                        + " AND ((t.kind = 'user' AND t.subject = (SELECT lower(username) FROM users WHERE id = $2)) "
                        + "OR (t.kind = 'address' AND t.subject = (SELECT ip FROM decided)))), "
                        + "audited AS (INSERT INTO audit_events (occurred_at, type, actor, target, outcome, detail) "
                        + "SELECT $8::timestamptz, $9::text, u.username, u.username, $10::text, $11::jsonb "
                        + "FROM decided JOIN users u ON u.id = decided.user_id WHERE NOT decided.locked_out) "
                        + "SELECT EXISTS (SELECT 1 FROM dev) AS device_qualified, decided.* "
                        + "FROM (SELECT 1) AS one LEFT JOIN decided ON true")
                .execute(Tuple.from(new Object[] {answer.deviceId(), answer.userId(), answer.verifiedKey(),
                        answer.signInId(), answer.state().wire(), answer.reason().map(DenialReason::wire).orElse(null),
                        Columns.ts(answer.now()), Columns.ts(answer.event().occurredAt()), answer.event().type(),
                        answer.event().outcome(), new JsonObject(new LinkedHashMap<>(answer.event().detail()))}))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    boolean decided = row.getUUID("id") != null;
                    return new Decided(row.getBoolean("device_qualified"),
                            decided ? Optional.of(SignInStore.signIn(row)) : Optional.empty(),
                            decided && row.getBoolean("locked_out"));
                });
    }

    private static String prefixed(String alias, String prefix) {
        StringBuilder columns = new StringBuilder();
        for (String column : SIGN_IN_COLUMNS.split(", ")) {
            columns.append(columns.length() == 0 ? "" : ", ").append(alias).append('.').append(column)
                    .append(" AS ").append(prefix).append(column);
        }
        return columns.toString();
    }

    private static SignIn signIn(Row row, String p) {
        return new SignIn(row.getUUID(p + "id"), row.getUUID(p + "user_id"),
                SignInKind.fromWire(row.getString(p + "kind")), SignInState.fromWire(row.getString(p + "state")),
                Columns.optionalString(row, p + "reason").map(DenialReason::fromWire),
                Columns.optionalString(row, p + "method").map(SignInMethod::fromWire),
                Columns.optionalString(row, p + "number"), row.getString(p + "app"),
                Columns.optionalString(row, p + "ip"), Columns.optionalString(row, p + "location"),
                Columns.optionalUuid(row, p + "target_device_id"), Columns.optionalUuid(row, p + "decided_device_id"),
                row.getBoolean(p + "remember_requested"), row.getBoolean(p + "result_claimed"),
                Columns.instant(row, p + "created_at"), Columns.instant(row, p + "expires_at"));
    }
}
