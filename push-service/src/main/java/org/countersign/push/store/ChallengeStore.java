package org.countersign.push.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.countersign.push.domain.AuditEvent;
import org.countersign.push.domain.DenialReason;
import org.countersign.push.domain.SignIn;
import org.countersign.push.domain.SignInMethod;
import org.countersign.push.domain.User;
import org.countersign.push.store.ThrottleStore.Throttle;

/**
 * A new number-matching challenge in two statements of its transaction. The first locks the user's row (so that
 * concurrent challenges of one user are serialized, V5) and reads what the challenge depends on; the second, run
 * after the lock is held (so its snapshot sees every challenge committed before), supersedes the user's pending
 * challenges, counts the pushes of the window, inserts the challenge and records its audit events in order.
 */
public final class ChallengeStore {
    private static final String COLUMNS = "id, user_id, kind, state, reason, method, number, app, ip, location, "
            + "target_device_id, decided_device_id, remember_requested, result_claimed, created_at, expires_at";

    /**
     * The locked user as of the lock, their push suspension, verified devices (oldest first) and the throttles of a
     * sign-in; with them the access-config version (V8, {@link AccessConfigCache}) as of this statement.
     */
    public record LockedUser(User user, Optional<Instant> pushSuspendedAt, List<UUID> verifiedDevices,
                             Optional<Throttle> userThrottle, Optional<Throttle> addressThrottle,
                             UUID accessConfigVersion) {
        public LockedUser {
            Objects.requireNonNull(user);
            verifiedDevices = List.copyOf(verifiedDevices);
            Objects.requireNonNull(accessConfigVersion);
        }
    }

    private static final String LOCK_USER = "SELECT " + UserStore.COLUMNS + ", u.push_suspended_at, "
            + "ARRAY(SELECT d.id FROM devices d WHERE d.user_id = u.id AND d.state = 'verified' "
            + "ORDER BY d.created_at) AS verified, "
            + "tu.consecutive_failures AS u_failures, tu.blocked_until AS u_blocked, "
            + "tu.locked_out_at AS u_locked, ta.consecutive_failures AS a_failures, "
            + "ta.blocked_until AS a_blocked, ta.locked_out_at AS a_locked, "
            + "(SELECT version FROM access_config) AS access_config FROM users u "
            + "LEFT JOIN attempt_throttles tu ON tu.kind = 'user' AND tu.subject = lower($1) "
            + "LEFT JOIN attempt_throttles ta ON ta.kind = 'address' AND ta.subject = $2 ";

    /**
     * Locks the user's row until the transaction ends; with it, the throttles of {@code username} (lowercased) and
     * of {@code address}, and the access-config version. Empty when the user does not exist.
     */
    public Future<Optional<LockedUser>> lockUser(SqlClient sql, UUID userId, String username,
                                                 Optional<String> address) {
        return sql.preparedQuery(LOCK_USER + "WHERE u.id = $3 FOR UPDATE OF u")
                .execute(Tuple.of(username, address.orElse(null), userId))
                .map(ChallengeStore::lockedUser);
    }

    /**
     * {@link #lockUser} for the user named {@code username} (in any case), found by the same statement: for a
     * caller that has not read the user yet. Empty when there is no such user.
     */
    public Future<Optional<LockedUser>> lockUserNamed(SqlClient sql, String username, Optional<String> address) {
        return sql.preparedQuery(LOCK_USER + "WHERE lower(u.username) = lower($1) FOR UPDATE OF u")
                .execute(Tuple.of(username, address.orElse(null)))
                .map(ChallengeStore::lockedUser);
    }

    private static Optional<LockedUser> lockedUser(RowSet<Row> rows) {
        return Columns.first(rows).map(row -> new LockedUser(UserStore.user(row),
                Columns.optionalInstant(row, "push_suspended_at"), Arrays.asList(row.getArrayOfUUIDs("verified")),
                throttle(row, "u_"), throttle(row, "a_"), row.getUUID("access_config")));
    }

    /**
     * What {@link #create} needs besides the challenge: the push rules (suspended since the user's row was locked,
     * the limit and its window), whether the challenge is meant for a push at all (else {@code code_only}), the
     * relying party it is attributed to, and the audit events' time, the username, and the relying party's event
     * (its outcome is {@code push_sent}, or {@code push_suppressed_<why>} when no push may be sent).
     */
    public record NewChallenge(SignIn signIn, boolean suspended, int pushLimit, Instant pushesSince, boolean forPush,
                               Optional<UUID> rpClientId, Instant eventTime, String username,
                               Optional<AuditEvent> checkEvent) {
    }

    /** The sign-ins the new challenge superseded, and why no push may be sent for it, if not. */
    public record Created(List<UUID> superseded, Optional<String> suppressed) {
    }

    public Future<Created> create(SqlClient sql, NewChallenge c) {
        SignIn s = c.signIn();
        String ts = "$17::timestamptz";
        String user = "$18::text";
        return sql.preparedQuery("WITH superseded AS (UPDATE sign_ins SET state = 'expired', reason = 'superseded', "
                        + "decided_at = $15 WHERE user_id = $2 AND kind = 'sign-in' AND state = 'pending' "
                        + "AND expires_at > $15 RETURNING id), "
                        + "sent AS (SELECT count(*) AS n FROM sign_ins WHERE user_id = $2 AND kind = 'sign-in' "
                        + "AND number IS NOT NULL AND push_suppressed IS NULL AND created_at > $19), "
                        + "plan AS (SELECT CASE WHEN $20::boolean THEN 'fraud_reported' "
                        + "WHEN sent.n >= $21::int THEN 'push_limit' END AS suppressed FROM sent), "
                        + "inserted AS (INSERT INTO sign_ins (" + COLUMNS + ", push_suppressed, rp_client_id) "
                        + "SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
                        + "COALESCE(plan.suppressed, CASE WHEN $22::boolean THEN NULL ELSE 'code_only' END), "
                        + "$23::uuid FROM plan RETURNING id), "
                        + "events AS (INSERT INTO audit_events (occurred_at, type, actor, target, outcome, detail) "
                        + "SELECT e.occurred_at, e.type, e.actor, e.target, e.outcome, e.detail FROM ("
                        + "SELECT 1 AS ord, " + ts + " AS occurred_at, 'sign_in.superseded'::text AS type, "
                        + "'system'::text AS actor, " + user + " AS target, 'expired'::text AS outcome, "
                        + "jsonb_build_object('signInIds', (SELECT jsonb_agg(id::text) FROM superseded)) AS detail "
                        + "WHERE EXISTS (SELECT 1 FROM superseded) "
                        + "UNION ALL SELECT 2, " + ts + ", 'sign_in.push_suppressed', 'system', " + user + ", "
                        + "plan.suppressed, jsonb_build_object('signInId', $1::text) FROM plan "
                        + "WHERE plan.suppressed IS NOT NULL "
                        + "UNION ALL SELECT 3, " + ts + ", 'sign_in', " + user + ", " + user + ", 'mfa_requested', "
                        + "$24::jsonb "
                        + "UNION ALL SELECT 4, " + ts + ", $25::text, $26::text, $27::text, CASE WHEN plan.suppressed "
                        + "IS NULL THEN $28::text ELSE 'push_suppressed_' || plan.suppressed END, $29::jsonb "
                        + "FROM plan WHERE $25::text IS NOT NULL) AS e ORDER BY e.ord RETURNING id) "
                        + "SELECT ARRAY(SELECT id FROM superseded) AS superseded, plan.suppressed, "
                        + "(SELECT count(*) FROM inserted) AS inserted, (SELECT count(*) FROM events) AS events "
                        + "FROM plan")
                .execute(Tuple.from(new Object[] {s.id(), s.userId(), s.kind().wire(), s.state().wire(),
                        s.reason().map(DenialReason::wire).orElse(null), s.method().map(SignInMethod::wire).orElse(null),
                        s.number().orElse(null), s.app(), s.ip().orElse(null), s.location().orElse(null),
                        s.targetDeviceId().orElse(null), s.decidedDeviceId().orElse(null), s.rememberRequested(),
                        s.resultClaimed() || c.rpClientId().isPresent(), Columns.ts(s.createdAt()),
                        Columns.ts(s.expiresAt()), Columns.ts(c.eventTime()), c.username(),
                        Columns.ts(c.pushesSince()), c.suspended(), c.pushLimit(), c.forPush(),
                        c.rpClientId().orElse(null),
                        json(Map.of("signInId", s.id().toString(), "app", s.app())),
                        c.checkEvent().map(AuditEvent::type).orElse(null),
                        c.checkEvent().map(AuditEvent::actor).orElse(null),
                        c.checkEvent().flatMap(AuditEvent::target).orElse(null),
                        c.checkEvent().map(AuditEvent::outcome).orElse(null),
                        c.checkEvent().map(event -> json(event.detail())).orElse(null)}))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Created(Arrays.asList(row.getArrayOfUUIDs("superseded")),
                            Optional.ofNullable(row.getString("suppressed")));
                });
    }

    private static JsonObject json(Map<String, Object> detail) {
        return new JsonObject(new LinkedHashMap<>(detail));
    }

    private static Optional<Throttle> throttle(Row row, String prefix) {
        Integer failures = row.getInteger(prefix + "failures");
        return failures == null ? Optional.empty() : Optional.of(new Throttle(failures,
                Columns.optionalInstant(row, prefix + "blocked"), Columns.optionalInstant(row, prefix + "locked")));
    }
}
