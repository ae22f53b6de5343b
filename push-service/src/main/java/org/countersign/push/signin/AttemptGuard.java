package org.countersign.push.signin;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.countersign.push.ApiError;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.domain.DenialReason;
import org.countersign.push.store.SignInStore;
import org.countersign.push.store.ThrottleStore;
import org.countersign.push.store.ThrottleStore.Kind;
import org.countersign.push.store.ThrottleStore.Throttle;

/**
 * Throttles guessing (ARCHITECTURE.md §3.4): failed passwords, TOTP codes and wrong numbers count against the typed
 * username, lowercased, whether or not it exists (so the answers never tell), and against the client address. While a
 * key is throttled or locked out the attempt is refused before anything secret is evaluated. Only a complete
 * sign-in resets the counts; a new push never does. Counters are rows in PostgreSQL, so every node sees them.
 */
public final class AttemptGuard {
    static final String LOCKED_OUT = "This account is locked after too many failed attempts. Ask your admin to "
            + "unlock it.";
    static final String TOO_MANY = "Too many failed attempts. Wait before trying again.";

    private final ThrottleStore throttles = new ThrottleStore();
    private final SignInStore signIns = new SignInStore();
    private final ThrottlePolicy policy;
    private final AuditLog audit;
    private final Clock clock;

    public AttemptGuard(ThrottlePolicy policy, AuditLog audit, Clock clock) {
        this.policy = Objects.requireNonNull(policy);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Fails with 423 {@code locked_out} for a locked-out username, or 429 {@code too_many_attempts} with a
     * {@code Retry-After} while the username or the address must wait.
     */
    public Future<Void> check(SqlClient sql, String username, Optional<String> address) {
        return throttles.find(sql, Kind.USER, username).compose(user -> {
            if (user.flatMap(Throttle::lockedOutAt).isPresent()) {
                return Future.failedFuture(new ApiError(423, "locked_out", LOCKED_OUT));
            }
            Future<Optional<Throttle>> byAddress = address.isPresent()
                    ? throttles.find(sql, Kind.ADDRESS, address.get()) : Future.succeededFuture(Optional.empty());
            return byAddress.compose(addr -> refuseThrottled(user, addr));
        });
    }

    /**
     * As {@link #check}, with the throttle rows of the username and the address already read (e.g. with the user's
     * row locked): the same answers, in the same order.
     */
    public Future<Void> refuseThrottled(Optional<Throttle> user, Optional<Throttle> address) {
        if (user.flatMap(Throttle::lockedOutAt).isPresent()) {
            return Future.failedFuture(new ApiError(423, "locked_out", LOCKED_OUT));
        }
        Instant now = clock.instant();
        Instant until = later(blockedUntil(user), blockedUntil(address));
        if (until.isAfter(now)) {
            long seconds = Math.max(1, (Duration.between(now, until).toMillis() + 999) / 1000);
            return Future.failedFuture(new ApiError(429, "too_many_attempts", TOO_MANY, seconds));
        }
        return Future.succeededFuture();
    }

    /**
     * Counts a failure against the username and the address. At the lockout threshold the user is locked out, the
     * event audited as {@code user.locked_out}, and their pending sign-ins denied.
     */
    public Future<Void> failed(SqlClient sql, String username, Optional<UUID> userId, Optional<String> address) {
        Instant now = clock.instant();
        Future<Void> byUser = throttles.countFailure(sql, Kind.USER, username, now, Optional.empty())
                .compose(failures -> {
                    boolean lockOut = failures >= policy.lockoutAfter();
                    Duration delay = policy.delayAfter(failures, policy.userFreeFailures());
                    if (!lockOut && delay.isZero()) {
                        return Future.succeededFuture();
                    }
                    return throttles.block(sql, Kind.USER, username, now.plus(delay), lockOut, now)
                            .compose(newlyLocked -> newlyLocked ? lockedOut(sql, username, userId, failures, now)
                                    : Future.succeededFuture());
                });
        if (address.isEmpty()) {
            return byUser;
        }
        return byUser.compose(ignored -> throttles.countFailure(sql, Kind.ADDRESS, address.get(), now,
                        Optional.of(now.minus(policy.addressMemory()))))
                .compose(failures -> {
                    Duration delay = policy.delayAfter(failures, policy.addressFreeFailures());
                    return delay.isZero() ? Future.succeededFuture()
                            : throttles.block(sql, Kind.ADDRESS, address.get(), now.plus(delay), false, now)
                                    .mapEmpty();
                });
    }

    /** A complete sign-in: forgets the failures of the username and of the address (not a lockout). */
    public Future<Void> succeeded(SqlClient sql, String username, Optional<String> address) {
        Future<Void> byUser = throttles.reset(sql, Kind.USER, username);
        return address.isEmpty() ? byUser
                : byUser.compose(ignored -> throttles.reset(sql, Kind.ADDRESS, address.get()));
    }

    /** Whether the user is locked out now: an approval is not consumed for a locked-out user. */
    public Future<Boolean> isLockedOut(SqlClient sql, UUID userId) {
        return throttles.isLockedOut(sql, userId);
    }

    private Future<Void> lockedOut(SqlClient sql, String username, Optional<UUID> userId, int failures, Instant now) {
        Future<Void> denied = userId.isEmpty() ? Future.succeededFuture()
                : signIns.denyAllPending(sql, userId.get(), DenialReason.LOCKED_OUT, now).mapEmpty();
        return denied.compose(ignored -> audit.record(sql, "user.locked_out", AuditLog.SYSTEM,
                username.toLowerCase(Locale.ROOT), "locked", Map.of("consecutiveFailures", failures)));
    }

    private static Instant blockedUntil(Optional<Throttle> throttle) {
        return throttle.flatMap(Throttle::blockedUntil).orElse(Instant.EPOCH);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
