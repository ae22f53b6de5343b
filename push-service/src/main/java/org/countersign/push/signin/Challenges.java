package org.countersign.push.signin;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Function;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.SignInKind;
import org.countersign.push.ApiError;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.domain.AuditEvent;
import org.countersign.push.domain.Settings;
import org.countersign.push.domain.SignIn;
import org.countersign.push.domain.SignInMethod;
import org.countersign.push.domain.SignInState;
import org.countersign.push.domain.User;
import org.countersign.push.store.ChallengeStore;

/**
 * Issues number-matching challenges (ARCHITECTURE.md §2.2) for both ways a sign-in reaches its second factor: a
 * password sign-in ({@link SignInService}) and a relying party's check ({@link SecondFactorStarts}). In the caller's
 * transaction the user's row is locked and the challenge created; after the commit the superseded challenges are
 * withdrawn from the devices and the new one is pushed to them.
 */
public final class Challenges {
    private final Pool pool;
    private final ChallengeNumbers numbers;
    private final PushDelivery push;
    private final PushFatigue fatigue;
    private final AuditLog audit;
    private final Clock clock;
    private final ChallengeStore store = new ChallengeStore();

    public Challenges(Pool pool, ChallengeNumbers numbers, PushDelivery push, SignInWaiters waiters, AuditLog audit,
                      Clock clock) {
        this.pool = Objects.requireNonNull(pool);
        this.numbers = Objects.requireNonNull(numbers);
        this.push = Objects.requireNonNull(push);
        this.fatigue = new PushFatigue(push, waiters);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Who a challenge is for besides the person: a relying party's attribution and its audit event. */
    record Attribution(Optional<UUID> rpClientId, boolean forPush, Function<UUID, Optional<AuditEvent>> checkEvent) {
        static final Attribution NONE = new Attribution(Optional.empty(), true, id -> Optional.empty());
    }

    /** Locks the user's row (see {@link ChallengeStore#lockUser}); the devices are kept for the push. */
    Future<ChallengeStore.LockedUser> lockUser(SqlClient sql, User user, ChallengeAttempt attempt) {
        return kept(store.lockUser(sql, user.id(), user.username(), attempt.address), attempt,
                ApiError.notFound("That account"));
    }

    /**
     * Finds and locks the user named {@code username} in one statement ({@link ChallengeStore#lockUserNamed});
     * fails with {@code unknown} when there is no such user.
     */
    Future<ChallengeStore.LockedUser> lockUserNamed(SqlClient sql, String username, ChallengeAttempt attempt,
                                                    ApiError unknown) {
        return kept(store.lockUserNamed(sql, username, attempt.address), attempt, unknown);
    }

    private static Future<ChallengeStore.LockedUser> kept(Future<Optional<ChallengeStore.LockedUser>> locking,
                                                          ChallengeAttempt attempt, ApiError unknown) {
        return locking.compose(found -> found.map(Future::succeededFuture)
                        .orElseGet(() -> Future.failedFuture(unknown)))
                .andThen(done -> {
                    if (done.succeeded()) {
                        attempt.devices = done.result().verifiedDevices();
                    }
                });
    }

    /**
     * Creates the challenge, with the user's row locked. In one statement the user's older pending challenges are
     * superseded, the push rules of {@link PushFatigue} decide whether a push may be sent (when not, the challenge
     * stands for a TOTP code only and the answer says why, {@code pushSuppressed}), the challenge is inserted and its
     * audit events are recorded ({@link ChallengeStore#create}).
     */
    Future<SignInResult> issue(SqlClient sql, User user, SignInRequest request, Settings current,
                               ChallengeAttempt attempt, ChallengeStore.LockedUser locked, Attribution attribution) {
        Instant now = clock.instant();
        String number = numbers.next(current.numberDigits());
        SignIn signIn = newSignIn(user, request, SignInState.PENDING, Optional.empty(), Optional.of(number), now,
                now.plus(SignInService.CHALLENGE_LIFETIME));
        return store.create(sql, new ChallengeStore.NewChallenge(signIn, locked.pushSuspendedAt().isPresent(),
                        current.pushLimitPer10Minutes(), now.minus(PushFatigue.PUSH_LIMIT_WINDOW),
                        attribution.forPush(), attribution.rpClientId(), clock.instant(), user.username(),
                        attribution.checkEvent().apply(signIn.id())))
                .map(created -> {
                    attempt.superseded = created.superseded();
                    attempt.push = created.suppressed().isEmpty();
                    return new SignInResult(signIn, SignInState.PENDING, Optional.empty(),
                            Optional.of(number), Optional.of(signIn.expiresAt()),
                            created.suppressed().isEmpty() ? List.of("push", "totp") : List.of("totp"),
                            Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty(),
                            created.suppressed());
                });
    }

    /**
     * After the commit: withdraws the superseded challenges from the devices, and pushes the new one (when it is
     * still pending, pushes are wanted and the push rules allowed one) to the user's verified devices that have a
     * live channel, those read with the row locked, so no read is needed here.
     */
    void afterCommit(SignInResult result, String username, ChallengeAttempt attempt, boolean wantsPush) {
        fatigue.announce(attempt.superseded, attempt.devices);
        if (wantsPush && attempt.push && result.state() == SignInState.PENDING) {
            ApprovalRequest request = SignInService.approvalRequest(result.signIn(), username);
            for (UUID device : attempt.devices) {
                push.send(device, request);
            }
        }
    }

    /**
     * A Conditional Access policy blocks the user: fails the caller's transaction (which rolls back what it did) with
     * a {@link PolicyBlock}, which {@link #recordIfBlocked} records and answers once that transaction has ended.
     */
    Future<SignInResult> refuseBlocked(User user, SignInRequest request, String policyName) {
        return Future.failedFuture(new PolicyBlock(user.username(), request.app(), request.ip().orElse(""),
                policyName));
    }

    /**
     * For a transaction's failure, once the transaction has ended: a {@link PolicyBlock} is recorded on a connection
     * of its own and answered 403 {@code blocked_by_policy}; any other failure is passed on. Recording the block
     * while the transaction still held its connection would ask the pool for a second one: with every connection
     * held by such a transaction, each would wait for the next until the pool's timeout.
     */
    <T> Future<T> recordIfBlocked(Throwable failure) {
        if (!(failure instanceof PolicyBlock block)) {
            return Future.failedFuture(failure);
        }
        return audit.record(pool, "sign_in", block.username, block.username, "blocked_by_policy",
                        Map.of("policy", block.policyName, "app", block.app, "ip", block.ip))
                .transform(ignored -> Future.failedFuture(new ApiError(403, "blocked_by_policy",
                        "Sign-in blocked by the Conditional Access policy '" + block.policyName
                                + "'. Ask your admin if you need access.")));
    }

    /** A sign-in or check refused by a Conditional Access policy, carried out of the transaction that found it. */
    private static final class PolicyBlock extends RuntimeException {
        private final String username;
        private final String app;
        private final String ip;
        private final String policyName;

        PolicyBlock(String username, String app, String ip, String policyName) {
            super("blocked by policy " + policyName, null, false, false);
            this.username = username;
            this.app = app;
            this.ip = ip;
            this.policyName = policyName;
        }
    }

    static SignIn newSignIn(User user, SignInRequest request, SignInState state, Optional<SignInMethod> method,
                            Optional<String> number, Instant now, Instant expiresAt) {
        return new SignIn(UUID.randomUUID(), user.id(), SignInKind.SIGN_IN, state, Optional.empty(), method, number,
                request.app(), request.ip(), request.location(), Optional.empty(), Optional.empty(),
                request.rememberDevice(), false, now, expiresAt);
    }
}
