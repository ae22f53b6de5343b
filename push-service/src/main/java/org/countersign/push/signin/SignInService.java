package org.countersign.push.signin;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
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
import org.countersign.push.crypto.PasswordHasher;
import org.countersign.push.domain.AuditEvent;
import org.countersign.push.domain.ConditionalAccessPolicy;
import org.countersign.push.domain.IpNetwork;
import org.countersign.push.domain.SessionScope;
import org.countersign.push.domain.Settings;
import org.countersign.push.domain.SignIn;
import org.countersign.push.domain.SignInMethod;
import org.countersign.push.domain.SignInState;
import org.countersign.push.domain.User;
import org.countersign.push.store.DeviceStore;
import org.countersign.push.store.PolicyStore;
import org.countersign.push.store.ChallengeStore;
import org.countersign.push.store.SettingsStore;
import org.countersign.push.store.SignInStore;
import org.countersign.push.store.UserStore;
import org.countersign.push.store.UserStore.Credentials;

/**
 * Starts sign-ins (ARCHITECTURE.md §2.2): checks the password, asks the policy whether MFA is needed and, when it
 * is, creates the number-matching challenge and pushes the request to every verified device of the user.
 */
public final class SignInService {
    public static final Duration CHALLENGE_LIFETIME = Duration.ofSeconds(90);
    private static final String INVALID_CREDENTIALS = "The username or password is incorrect.";
    /** The answer for a malformed {@code ip}; the HTTP layer gives it before the password is checked. */
    public static final String INVALID_IP =
            "ip: must be an IPv4 or IPv6 address, such as 203.0.113.7 or 2001:db8::7.";

    private final Pool pool;
    private final UserStore users;
    private final DeviceStore devices;
    private final SignInStore signIns;
    private final SettingsStore settings;
    private final PasswordHasher passwords;
    private final SessionService sessions;
    private final MfaPolicy policy;
    private final ChallengeNumbers numbers;
    private final PushDelivery push;
    private final AuditLog audit;
    private final Clock clock;
    private final PolicyStore policies = new PolicyStore();
    private final ChallengeStore challenges = new ChallengeStore();
    private final AttemptGuard attempts;
    private final PushFatigue fatigue;

    public SignInService(Pool pool, UserStore users, DeviceStore devices, SignInStore signIns, SettingsStore settings,
                         PasswordHasher passwords, SessionService sessions, MfaPolicy policy,
                         ChallengeNumbers numbers, PushDelivery push, SignInWaiters waiters, AuditLog audit,
                         Clock clock) {
        this.pool = Objects.requireNonNull(pool);
        this.users = Objects.requireNonNull(users);
        this.devices = Objects.requireNonNull(devices);
        this.signIns = Objects.requireNonNull(signIns);
        this.settings = Objects.requireNonNull(settings);
        this.passwords = Objects.requireNonNull(passwords);
        this.sessions = Objects.requireNonNull(sessions);
        this.policy = Objects.requireNonNull(policy);
        this.numbers = Objects.requireNonNull(numbers);
        this.push = Objects.requireNonNull(push);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
        this.attempts = new AttemptGuard(ThrottlePolicy.DEFAULT, audit, clock);
        this.fatigue = new PushFatigue(push, waiters);
    }

    /**
     * What one sign-in call carries from its transaction to the work after the commit: the client address its
     * failures count against, the sign-ins its challenge superseded, and whether a push may be sent.
     */
    private static final class Attempt {
        final Optional<String> address;
        List<UUID> superseded = List.of();
        List<UUID> devices = List.of();
        boolean push;

        Attempt(Optional<String> address) {
            this.address = address;
        }
    }

    public Future<SignInResult> start(SignInRequest request) {
        return start(request, null);
    }

    /**
     * Starts a sign-in for a browser page: the new sign-in is bound, in the same transaction, to the browser whose
     * cs_pending cookie hashes to {@code browserBinding}, so that only that browser can collect its session.
     */
    public Future<SignInResult> start(SignInRequest request, byte[] browserBinding) {
        return start(request, browserBinding, Optional.empty());
    }

    /**
     * As {@link #start(SignInRequest, byte[])}, with the TCP peer of the caller: failures count against the
     * request's {@code ip} when given, else against {@code peer}. A throttled or locked-out username or address is
     * refused before the password is evaluated (the same for unknown usernames).
     */
    public Future<SignInResult> start(SignInRequest request, byte[] browserBinding, Optional<String> peer) {
        Attempt attempt = new Attempt(request.ip().or(() -> peer));
        return attempts.check(pool, request.username(), attempt.address)
                .compose(ignored -> users.findCredentials(pool, request.username()))
                .compose(found -> checkPassword(found, request, attempt))
                .compose(user -> begin(user, request, browserBinding, 1, attempt));
    }

    /**
     * "Send another request": a new sign-in for a user whose password the same browser's first attempt checked,
     * with that attempt's context ({@code context}'s password is not used), as attempt number {@code attempt}.
     */
    public Future<SignInResult> restart(UUID userId, SignInRequest context, byte[] browserBinding, int attempt) {
        Attempt state = new Attempt(context.ip());
        return users.findById(pool, userId).compose(user -> user.isPresent()
                ? attempts.check(pool, user.get().username(), state.address).compose(ignored ->
                        begin(user.get(), context, Objects.requireNonNull(browserBinding), attempt, state))
                : Future.failedFuture(ApiError.notFound("That account")));
    }

    /**
     * A second-factor check for a relying party that checked the password itself (docs/relying-parties.md): the
     * same challenge as a sign-in (so every rule on challenges applies: lockout, one pending push per user, push
     * limits, fraud suspension), whatever the user's MFA state, refused when a Conditional Access policy blocks the
     * user (403) or no verified device exists (409 {@code no_method}). The challenge is attributed to
     * {@code rpClientId} and never yields a session. With {@code push} false the request is not sent to the devices
     * (the relying party checks a TOTP code against it instead) and does not count as a push. {@code checkEvent}
     * gives, for the check's id, the caller's audit event, recorded in the challenge's transaction after the
     * challenge's own events; its outcome {@code push_sent} becomes {@code push_suppressed_<why>} when no push may be
     * sent. The user's row is locked first, and the throttles, settings and policies are read with it in one round
     * trip; a throttled or locked-out user is refused before anything else.
     */
    public Future<SignInResult> startSecondFactor(User user, SignInRequest context, UUID rpClientId, boolean push,
                                                  Function<UUID, Optional<AuditEvent>> checkEvent) {
        Optional<InetAddress> ip = context.ip().flatMap(IpNetwork::parseAddress);
        if (context.ip().isPresent() && ip.isEmpty()) {
            return Future.failedFuture(ApiError.badRequest("invalid_field", INVALID_IP));
        }
        Attempt attempt = new Attempt(context.ip());
        Attribution attribution = new Attribution(Optional.of(rpClientId), push, checkEvent);
        return pool.withTransaction(sql -> {
                    Future<Settings> current = settings.get(sql);
                    Future<List<ConditionalAccessPolicy>> enabled = policies.enabled(sql);
                    Future<ChallengeStore.LockedUser> locked = lockUser(sql, user, attempt);
                    return Future.all(current, enabled, locked).compose(all -> attempts
                            .refuseThrottled(locked.result().userThrottle(), locked.result().addressThrottle())
                            .compose(ignored -> {
                                Optional<String> blockedBy = policy.decide(user, current.result(), enabled.result(), ip)
                                        .blockedBy();
                                if (blockedBy.isPresent()) {
                                    return refuseBlocked(user, context, blockedBy.get());
                                }
                                return locked.result().verifiedDevices().isEmpty()
                                        ? Future.failedFuture(ApiError.conflict("no_method", "This user has no "
                                                + "verified authenticator: they must register one first."))
                                        : challenge(sql, user, context, current.result(), attempt, locked.result(),
                                                attribution);
                            }));
                })
                .andThen(done -> {
                    if (done.succeeded()) {
                        fatigue.announce(attempt.superseded, attempt.devices);
                        if (push && attempt.push && done.result().state() == SignInState.PENDING) {
                            deliver(done.result().signIn(), user.username(), attempt.devices);
                        }
                    }
                });
    }

    /** Who a challenge is for besides the person: a relying party's attribution and its audit event. */
    private record Attribution(Optional<UUID> rpClientId, boolean forPush,
                               Function<UUID, Optional<AuditEvent>> checkEvent) {
        static final Attribution NONE = new Attribution(Optional.empty(), true, id -> Optional.empty());
    }

    /** Locks the user's row (see {@link ChallengeStore#lockUser}); the devices are kept for the push. */
    private Future<ChallengeStore.LockedUser> lockUser(SqlClient sql, User user, Attempt attempt) {
        return challenges.lockUser(sql, user.id(), user.username(), attempt.address)
                .compose(found -> found.map(Future::succeededFuture)
                        .orElseGet(() -> Future.failedFuture(ApiError.notFound("That account"))))
                .andThen(done -> {
                    if (done.succeeded()) {
                        attempt.devices = done.result().verifiedDevices();
                    }
                });
    }

    private Future<SignInResult> begin(User user, SignInRequest request, byte[] browserBinding, int attempt,
                                       Attempt state) {
        return pool.withTransaction(sql -> decide(sql, user, request, state).compose(result -> browserBinding == null
                        ? Future.succeededFuture(result)
                        : signIns.bindToBrowser(sql, result.signIn().id(), browserBinding, attempt).map(result)))
                .andThen(done -> {
                    if (done.succeeded()) {
                        fatigue.announce(state.superseded, state.devices);
                        if (done.result().state() == SignInState.PENDING && state.push) {
                            deliver(done.result().signIn(), user.username(), state.devices);
                        }
                    }
                });
    }

    private Future<User> checkPassword(Optional<Credentials> found, SignInRequest request, Attempt attempt) {
        if (found.isEmpty()) {
            return passwords.verifyDecoy(request.password())
                    .compose(ignored -> failPassword(request.username(), Optional.empty(), "unknown_user", attempt));
        }
        Credentials credentials = found.get();
        return passwords.verify(request.password(), credentials.passwordHash())
                .compose(ok -> ok ? Future.succeededFuture(credentials.user())
                        : failPassword(request.username(), Optional.of(credentials.user()), "wrong_password",
                                attempt));
    }

    /** Counts the failure against the typed username (as typed, known or not) and the address, and records it. */
    private Future<User> failPassword(String typed, Optional<User> user, String why, Attempt attempt) {
        String username = user.map(User::username).orElse(typed);
        return pool.withTransaction(sql -> attempts.failed(sql, typed, user.map(User::id), attempt.address)
                        .compose(ignored -> audit.record(sql, "sign_in.password", username, username, "failure",
                                Map.of("reason", why))))
                .transform(ignored -> Future.failedFuture(new ApiError(401, "invalid_credentials",
                        INVALID_CREDENTIALS)));
    }

    /**
     * Evaluates the sign-in in the order of {@link MfaPolicy} (after the password check, so a wrong password learns
     * nothing about policies). A block is recorded outside this transaction, which the refusal rolls back.
     */
    private Future<SignInResult> decide(SqlClient sql, User user, SignInRequest request, Attempt attempt) {
        Optional<InetAddress> ip = request.ip().flatMap(IpNetwork::parseAddress);
        if (request.ip().isPresent() && ip.isEmpty()) {
            return Future.failedFuture(ApiError.badRequest("invalid_field", INVALID_IP));
        }
        return settings.get(sql).compose(current -> policies.enabled(sql).compose(enabled -> {
            AccessDecision decision = policy.decide(user, current, enabled, ip);
            return decision.blockedBy().isPresent()
                    ? refuseBlocked(user, request, decision.blockedBy().get())
                    : decide(sql, user, request, current, decision.requirement(), attempt);
        }));
    }

    private Future<SignInResult> refuseBlocked(User user, SignInRequest request, String policyName) {
        return audit.record(pool, "sign_in", user.username(), user.username(), "blocked_by_policy",
                        Map.of("policy", policyName, "app", request.app(), "ip", request.ip().orElse("")))
                .transform(ignored -> Future.failedFuture(new ApiError(403, "blocked_by_policy",
                        "Sign-in blocked by the Conditional Access policy '" + policyName
                                + "'. Ask your admin if you need access.")));
    }

    private Future<SignInResult> decide(SqlClient sql, User user, SignInRequest request, Settings current,
                                        MfaRequirement requirement, Attempt attempt) {
        if (!requirement.required()) {
            return approveWithoutMfa(sql, user, request, SignInMethod.NONE, false, attempt);
        }
        return sessions.isRemembered(sql, request.rememberToken().orElse(null), user.id())
                .compose(remembered -> remembered
                        ? approveWithoutMfa(sql, user, request, SignInMethod.REMEMBERED, true, attempt)
                        : challengeOrRegister(sql, user, request, requirement, current, attempt));
    }

    private Future<SignInResult> approveWithoutMfa(SqlClient sql, User user, SignInRequest request,
                                                   SignInMethod method, boolean mfaCompleted, Attempt attempt) {
        Instant now = clock.instant();
        SignIn signIn = newSignIn(user, request, SignInState.APPROVED, Optional.of(method), Optional.empty(), now, now)
                .withResultClaimed();
        return attempts.succeeded(sql, user.username(), attempt.address)
                .compose(ignored -> signIns.insert(sql, signIn))
                .compose(saved -> sessions.issue(sql, user.id(), SessionScope.FULL, mfaCompleted))
                .compose(token -> audit.record(sql, "sign_in", user.username(), user.username(), "approved",
                                Map.of("signInId", signIn.id().toString(), "method", method.wire(), "app", request.app()))
                        .map(SignInResult.of(signIn, SignInState.APPROVED).withTokens(token, Optional.empty())));
    }

    private Future<SignInResult> challengeOrRegister(SqlClient sql, User user, SignInRequest request,
                                                     MfaRequirement requirement, Settings current, Attempt attempt) {
        return lockUser(sql, user, attempt).compose(locked -> !locked.verifiedDevices().isEmpty()
                ? challenge(sql, user, request, current, attempt, locked, Attribution.NONE)
                : registrationRequired(sql, user, request, requirement));
    }

    /**
     * Creates the number-matching challenge, with the user's row locked. In one statement the user's older pending
     * challenges are superseded, the push rules of {@link PushFatigue} decide whether a push may be sent (when not,
     * the challenge stands for a TOTP code only and the answer says why, {@code pushSuppressed}), the challenge is
     * inserted and its audit events are recorded ({@link ChallengeStore#create}).
     */
    private Future<SignInResult> challenge(SqlClient sql, User user, SignInRequest request, Settings current,
                                           Attempt attempt, ChallengeStore.LockedUser locked,
                                           Attribution attribution) {
        Instant now = clock.instant();
        String number = numbers.next(current.numberDigits());
        SignIn signIn = newSignIn(user, request, SignInState.PENDING, Optional.empty(), Optional.of(number), now,
                now.plus(CHALLENGE_LIFETIME));
        return challenges.create(sql, new ChallengeStore.NewChallenge(signIn, locked.pushSuspendedAt().isPresent(),
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

    private Future<SignInResult> registrationRequired(SqlClient sql, User user, SignInRequest request,
                                                      MfaRequirement requirement) {
        Instant now = clock.instant();
        SignIn signIn = newSignIn(user, request, SignInState.REGISTRATION_REQUIRED, Optional.empty(),
                Optional.empty(), now, now);
        return users.startRegistrationGrace(sql, user.id(), now).compose(graceStart -> {
            boolean skippable = policy.registrationSkippable(requirement, graceStart, now);
            OptionalInt daysLeft = "security_defaults".equals(requirement.reason())
                    ? OptionalInt.of(policy.graceDaysLeft(graceStart, now)) : OptionalInt.empty();
            SessionScope scope = skippable ? SessionScope.FULL : SessionScope.REGISTRATION;
            return signIns.insert(sql, signIn)
                    .compose(saved -> sessions.issue(sql, user.id(), scope, false))
                    .compose(token -> audit.record(sql, "sign_in", user.username(), user.username(),
                                    "registration_required", Map.of("signInId", signIn.id().toString(),
                                            "reason", requirement.reason(), "skippable", skippable))
                            .map(new SignInResult(signIn, SignInState.REGISTRATION_REQUIRED, Optional.empty(),
                                    Optional.empty(), Optional.empty(), List.of(), Optional.of(token),
                                    Optional.empty(), Optional.of(skippable), daysLeft)));
        });
    }

    /**
     * Pushes a new request to the user's verified devices that have a live channel: those read with the user's row
     * locked in the challenge's transaction, so no read is needed after the commit.
     */
    private void deliver(SignIn signIn, String username, List<UUID> verifiedDevices) {
        ApprovalRequest request = approvalRequest(signIn, username);
        for (UUID device : verifiedDevices) {
            push.send(device, request);
        }
    }

    /** The frame a device sees for a sign-in: its context, never its number. */
    public static ApprovalRequest approvalRequest(SignIn signIn, String username) {
        return new ApprovalRequest(signIn.id().toString(), signIn.kind(), username, signIn.app(),
                signIn.ip().orElse(null), signIn.location().orElse(null), signIn.createdAt(), signIn.expiresAt());
    }

    private static SignIn newSignIn(User user, SignInRequest request, SignInState state, Optional<SignInMethod> method,
                                    Optional<String> number, Instant now, Instant expiresAt) {
        return new SignIn(UUID.randomUUID(), user.id(), SignInKind.SIGN_IN, state, Optional.empty(), method, number,
                request.app(), request.ip(), request.location(), Optional.empty(), Optional.empty(),
                request.rememberDevice(), false, now, expiresAt);
    }
}
