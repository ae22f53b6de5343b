package org.countersign.push.signin;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.countersign.protocol.ApprovalResult;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.domain.DenialReason;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.Settings;
import org.countersign.push.domain.SignInState;
import org.countersign.push.store.DeviceStore;
import org.countersign.push.store.PushFatigueStore;

/**
 * Guards people against push fatigue (MFA bombing): at most one pending push per user (a new challenge supersedes
 * the older ones in its own transaction), at most {@link Settings#pushLimitPer10Minutes()} pushes per user in a
 * rolling 10 minutes, and no pushes at all after a fraud report until an admin clears it. Over a limit the sign-in
 * is still created, for a TOTP code, but nothing is pushed.
 */
public final class PushFatigue {
    public static final Duration PUSH_LIMIT_WINDOW = Duration.ofMinutes(10);
    public static final String PUSH_LIMIT = "push_limit";
    public static final String FRAUD_REPORTED = "fraud_reported";
    /** Not a suppression: a challenge that was only ever meant for a code. */
    public static final String CODE_ONLY = "code_only";

    /** What a new challenge does about pushes: the challenges it superseded, and why no push is sent, if not. */
    public record Plan(List<UUID> superseded, Optional<String> suppressed) {
        public Plan {
            superseded = List.copyOf(superseded);
            Objects.requireNonNull(suppressed, "suppressed");
        }
    }

    private final PushFatigueStore store = new PushFatigueStore();
    private final Pool pool;
    private final DeviceStore devices;
    private final PushDelivery push;
    private final SignInWaiters waiters;
    private final AuditLog audit;

    public PushFatigue(Pool pool, DeviceStore devices, PushDelivery push, SignInWaiters waiters, AuditLog audit) {
        this.pool = Objects.requireNonNull(pool);
        this.devices = Objects.requireNonNull(devices);
        this.push = Objects.requireNonNull(push);
        this.waiters = Objects.requireNonNull(waiters);
        this.audit = Objects.requireNonNull(audit);
    }

    /**
     * In the transaction that creates a challenge, before it is inserted: locks the user's row (so concurrent
     * sign-ins of one user are serialized), supersedes their pending sign-ins, and decides whether to push.
     */
    public Future<Plan> plan(SqlClient sql, UUID userId, String username, Settings current, Instant now) {
        return store.lockUser(sql, userId).compose(suspendedAt -> store.supersedePending(sql, userId, now)
                .compose(superseded -> {
                    if (suspendedAt.isPresent()) {
                        return Future.succeededFuture(new Plan(superseded, Optional.of(FRAUD_REPORTED)));
                    }
                    return store.pushesSince(sql, userId, now.minus(PUSH_LIMIT_WINDOW)).map(sent ->
                            new Plan(superseded, sent >= current.pushLimitPer10Minutes()
                                    ? Optional.of(PUSH_LIMIT) : Optional.empty()));
                })
                .compose(plan -> recordSupersession(sql, username, plan).map(plan)));
    }

    /** Records on the new challenge that no push was sent for it, and audits the suppression. */
    public Future<Void> suppress(SqlClient sql, UUID signInId, String username, String reason) {
        return store.markSuppressed(sql, signInId, reason).compose(ignored -> audit.record(sql,
                "sign_in.push_suppressed", AuditLog.SYSTEM, username, reason,
                Map.of("signInId", signInId.toString())));
    }

    /**
     * Records that a challenge is checked with a code only (a relying party's TOTP check), so it is not counted as a
     * push against the user's limit. Not audited: nothing was withheld from the person.
     */
    public Future<Void> markCodeOnly(SqlClient sql, UUID signInId) {
        return store.markSuppressed(sql, signInId, CODE_ONLY);
    }

    /** After the commit: tells the user's devices and this node's waiters that the superseded sign-ins ended. */
    public void announce(UUID userId, List<UUID> superseded) {
        if (superseded.isEmpty()) {
            return;
        }
        superseded.forEach(waiters::wake);
        devices.activeForUser(pool, userId).onSuccess(list -> {
            for (Device device : list) {
                if (device.isVerified()) {
                    for (UUID id : superseded) {
                        push.send(device.id(), new ApprovalResult(id.toString(), SignInState.EXPIRED.wire(),
                                DenialReason.SUPERSEDED.wire()));
                    }
                }
            }
        });
    }

    private Future<Void> recordSupersession(SqlClient sql, String username, Plan plan) {
        if (plan.superseded().isEmpty()) {
            return Future.succeededFuture();
        }
        return audit.record(sql, "sign_in.superseded", AuditLog.SYSTEM, username, "expired",
                Map.of("signInIds", plan.superseded().stream().map(UUID::toString).toList()));
    }
}
