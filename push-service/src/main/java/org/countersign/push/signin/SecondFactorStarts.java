package org.countersign.push.signin;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.countersign.push.ApiError;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.domain.AuditEvent;
import org.countersign.push.domain.ConditionalAccessPolicy;
import org.countersign.push.domain.IpNetwork;
import org.countersign.push.domain.Settings;
import org.countersign.push.domain.User;
import org.countersign.push.store.ChallengeStore;
import org.countersign.push.store.PolicyStore;
import org.countersign.push.store.SettingsStore;

/**
 * Starts a relying party's second-factor check (docs/relying-parties.md): the relying party checked the password
 * itself, so the check goes straight to the challenge of {@link Challenges}, where every rule on challenges applies
 * (lockout, one pending push per user, push limits, fraud suspension), whatever the user's MFA state.
 */
public final class SecondFactorStarts {
    private final Pool pool;
    private final SettingsStore settings;
    private final MfaPolicy policy;
    private final Challenges challenges;
    private final AttemptGuard attempts;
    private final PolicyStore policies = new PolicyStore();

    public SecondFactorStarts(Pool pool, SettingsStore settings, MfaPolicy policy, Challenges challenges,
                              AuditLog audit, Clock clock) {
        this.pool = Objects.requireNonNull(pool);
        this.settings = Objects.requireNonNull(settings);
        this.policy = Objects.requireNonNull(policy);
        this.challenges = Objects.requireNonNull(challenges);
        this.attempts = new AttemptGuard(ThrottlePolicy.DEFAULT, audit, clock);
    }

    /**
     * Starts the check for {@code user}: refused when a Conditional Access policy blocks the user (403) or no
     * verified device exists (409 {@code no_method}). The challenge is attributed to {@code rpClientId} and never
     * yields a session. With {@code push} false the request is not sent to the devices (the relying party checks a
     * TOTP code against it instead) and does not count as a push. {@code checkEvent} gives, for the check's id, the
     * caller's audit event, recorded in the challenge's transaction after the challenge's own events; its outcome
     * {@code push_sent} becomes {@code push_suppressed_<why>} when no push may be sent. The user's row is locked
     * first, and the throttles, settings and policies are read with it in one round trip; a throttled or locked-out
     * user is refused before anything else.
     */
    public Future<SignInResult> start(User user, SignInRequest context, UUID rpClientId, boolean push,
                                      Function<UUID, Optional<AuditEvent>> checkEvent) {
        Optional<InetAddress> ip = context.ip().flatMap(IpNetwork::parseAddress);
        if (context.ip().isPresent() && ip.isEmpty()) {
            return Future.failedFuture(ApiError.badRequest("invalid_field", SignInService.INVALID_IP));
        }
        ChallengeAttempt attempt = new ChallengeAttempt(context.ip());
        Challenges.Attribution attribution = new Challenges.Attribution(Optional.of(rpClientId), push, checkEvent);
        return pool.withTransaction(sql -> {
                    Future<Settings> current = settings.get(sql);
                    Future<List<ConditionalAccessPolicy>> enabled = policies.enabled(sql);
                    Future<ChallengeStore.LockedUser> locked = challenges.lockUser(sql, user, attempt);
                    return Future.all(current, enabled, locked).compose(all -> attempts
                            .refuseThrottled(locked.result().userThrottle(), locked.result().addressThrottle())
                            .compose(ignored -> {
                                Optional<String> blockedBy = policy.decide(user, current.result(), enabled.result(), ip)
                                        .blockedBy();
                                if (blockedBy.isPresent()) {
                                    return challenges.refuseBlocked(user, context, blockedBy.get());
                                }
                                return locked.result().verifiedDevices().isEmpty()
                                        ? Future.failedFuture(ApiError.conflict("no_method", "This user has no "
                                                + "verified authenticator: they must register one first."))
                                        : challenges.issue(sql, user, context, current.result(), attempt,
                                                locked.result(), attribution);
                            }));
                })
                .recover(challenges::recordIfBlocked)
                .andThen(done -> {
                    if (done.succeeded()) {
                        challenges.afterCommit(done.result(), user.username(), attempt, push);
                    }
                });
    }
}
