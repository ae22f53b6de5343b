package org.countersign.push.signin;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.countersign.push.ApiError;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.domain.AuditEvent;
import org.countersign.push.domain.IpNetwork;
import org.countersign.push.domain.User;
import org.countersign.push.store.AccessConfigCache;
import org.countersign.push.store.ChallengeStore;

/**
 * Starts a relying party's second-factor check (docs/relying-parties.md): the relying party checked the password
 * itself, so the check goes straight to the challenge of {@link Challenges}, where every rule on challenges applies
 * (lockout, one pending push per user, push limits, fraud suspension), whatever the user's MFA state.
 */
public final class SecondFactorStarts {
    /** Why a check names no user. */
    public static final ApiError UNKNOWN_USER = new ApiError(404, "unknown_user",
            "There is no user with this username.");

    private final Pool pool;
    private final AccessConfigCache access;
    private final MfaPolicy policy;
    private final Challenges challenges;
    private final AttemptGuard attempts;

    public SecondFactorStarts(Pool pool, AccessConfigCache access, MfaPolicy policy, Challenges challenges,
                              AuditLog audit, Clock clock) {
        this.pool = Objects.requireNonNull(pool);
        this.access = Objects.requireNonNull(access);
        this.policy = Objects.requireNonNull(policy);
        this.challenges = Objects.requireNonNull(challenges);
        this.attempts = new AttemptGuard(ThrottlePolicy.DEFAULT, audit, clock);
    }

    /**
     * Starts the check for the user named {@code context.username()} (in any case): refused when there is no such
     * user ({@link #UNKNOWN_USER}), a Conditional Access policy blocks the user (403) or no verified device exists
     * (409 {@code no_method}). The challenge is attributed to {@code rpClientId} and never yields a session. With
     * {@code push} false the request is not sent to the devices (the relying party checks a TOTP code against it
     * instead) and does not count as a push. {@code checkEvent} gives, for the check's id, the caller's audit event,
     * recorded in the challenge's transaction after the challenge's own events; its outcome {@code push_sent}
     * becomes {@code push_suppressed_<why>} when no push may be sent. The user is found and their row locked by
     * the first statement, which also reads the throttles and the access-config version; a throttled or
     * locked-out user is refused before anything else. The settings and policies are read only when their version
     * is not the one {@link AccessConfigCache} holds.
     */
    public Future<SignInResult> start(SignInRequest context, UUID rpClientId, boolean push,
                                      Function<UUID, Optional<AuditEvent>> checkEvent) {
        Optional<InetAddress> ip = context.ip().flatMap(IpNetwork::parseAddress);
        if (context.ip().isPresent() && ip.isEmpty()) {
            return Future.failedFuture(ApiError.badRequest("invalid_field", SignInService.INVALID_IP));
        }
        ChallengeAttempt attempt = new ChallengeAttempt(context.ip());
        Challenges.Attribution attribution = new Challenges.Attribution(Optional.of(rpClientId), push, checkEvent);
        return pool.withTransaction(sql -> challenges.lockUserNamed(sql, context.username(), attempt, UNKNOWN_USER)
                        .compose(locked -> attempts.refuseThrottled(locked.userThrottle(), locked.addressThrottle())
                                .compose(ignored -> access.at(sql, locked.accessConfigVersion()))
                                .compose(config -> issue(sql, locked, config, context, ip, attempt, attribution))
                                .map(result -> new Started(locked.user(), result))))
                .recover(challenges::recordIfBlocked)
                .andThen(done -> {
                    if (done.succeeded()) {
                        challenges.afterCommit(done.result().result(), done.result().user().username(), attempt,
                                push);
                    }
                })
                .map(Started::result);
    }

    private Future<SignInResult> issue(SqlClient sql, ChallengeStore.LockedUser locked,
                                       AccessConfigCache.AccessConfig config, SignInRequest context,
                                       Optional<InetAddress> ip, ChallengeAttempt attempt,
                                       Challenges.Attribution attribution) {
        User user = locked.user();
        Optional<String> blockedBy = policy.decide(user, config.settings(), config.enabledPolicies(), ip).blockedBy();
        if (blockedBy.isPresent()) {
            return challenges.refuseBlocked(user, context, blockedBy.get());
        }
        return locked.verifiedDevices().isEmpty()
                ? Future.failedFuture(ApiError.conflict("no_method", "This user has no verified authenticator: "
                        + "they must register one first."))
                : challenges.issue(sql, user, context, config.settings(), attempt, locked, attribution);
    }

    /** A started check, with the user it was found for. */
    private record Started(User user, SignInResult result) {
    }
}
