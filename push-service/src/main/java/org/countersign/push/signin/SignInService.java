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
import java.util.function.BiFunction;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.SignInKind;
import org.countersign.push.ApiError;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.crypto.PasswordHasher;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.IpNetwork;
import org.countersign.push.domain.SessionScope;
import org.countersign.push.domain.Settings;
import org.countersign.push.domain.SignIn;
import org.countersign.push.domain.SignInMethod;
import org.countersign.push.domain.SignInState;
import org.countersign.push.domain.User;
import org.countersign.push.store.DeviceStore;
import org.countersign.push.store.PolicyStore;
import org.countersign.push.store.RpClientStore;
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
    private final RpClientStore rpClients = new RpClientStore();
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
        this.fatigue = new PushFatigue(pool, devices, push, waiters, audit);
    }

    /**
     * What one sign-in call carries from its transaction to the work after the commit: the client address its
     * failures count against, the sign-ins its challenge superseded, and whether a push may be sent.
     */
    private static final class Attempt {
        final Optional<String> address;
        List<UUID> superseded = List.of();
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
     * (the relying party checks a TOTP code against it instead) and does not count as a push. {@code alsoRecord}
     * runs in the challenge's transaction (the caller's audit event: one commit fewer per check).
     */
    public Future<SignInResult> startSecondFactor(User user, SignInRequest context, UUID rpClientId, boolean push,
                                                  BiFunction<SqlClient, SignInResult, Future<Void>> alsoRecord) {
        Optional<InetAddress> ip = context.ip().flatMap(IpNetwork::parseAddress);
        if (context.ip().isPresent() && ip.isEmpty()) {
            return Future.failedFuture(ApiError.badRequest("invalid_field", INVALID_IP));
        }
        Attempt attempt = new Attempt(context.ip());
        return attempts.check(pool, user.username(), attempt.address).compose(checked -> pool.withTransaction(sql ->
                        settings.get(sql).compose(current -> policies.enabled(sql).compose(enabled -> {
                            Optional<String> blockedBy = policy.decide(user, current, enabled, ip).blockedBy();
                            return blockedBy.isPresent() ? refuseBlocked(user, context, blockedBy.get())
                                    : devices.countVerified(sql, user.id()).compose(count -> count > 0
                                            ? challenge(sql, user, context, current, attempt)
                                            : Future.failedFuture(ApiError.conflict("no_method", "This user has no "
                                                    + "verified authenticator: they must register one first.")));
                        }))
                        .compose(result -> rpClients.attributeCheck(sql, result.signIn().id(), rpClientId)
                                .compose(ignored -> push || !attempt.push ? Future.succeededFuture()
                                        : fatigue.markCodeOnly(sql, result.signIn().id()))
                                .compose(ignored -> alsoRecord.apply(sql, result))
                                .map(result))))
                .andThen(done -> {
                    if (done.succeeded()) {
                        fatigue.announce(user.id(), attempt.superseded);
                        if (push && attempt.push && done.result().state() == SignInState.PENDING) {
                            deliver(done.result().signIn());
                        }
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
                        fatigue.announce(user.id(), state.superseded);
                        if (done.result().state() == SignInState.PENDING && state.push) {
                            deliver(done.result().signIn());
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
        return devices.countVerified(sql, user.id()).compose(count -> count > 0
                ? challenge(sql, user, request, current, attempt)
                : registrationRequired(sql, user, request, requirement));
    }

    /**
     * Creates the number-matching challenge. In the same transaction the user's older pending challenges are
     * superseded, and {@link PushFatigue} decides whether a push may be sent; when not, the challenge stands for a
     * TOTP code only and the answer says why ({@code pushSuppressed}).
     */
    private Future<SignInResult> challenge(SqlClient sql, User user, SignInRequest request, Settings current,
                                           Attempt attempt) {
        Instant now = clock.instant();
        String number = numbers.next(current.numberDigits());
        SignIn signIn = newSignIn(user, request, SignInState.PENDING, Optional.empty(), Optional.of(number), now,
                now.plus(CHALLENGE_LIFETIME));
        return fatigue.plan(sql, user.id(), user.username(), current, now).compose(plan -> {
            attempt.superseded = plan.superseded();
            attempt.push = plan.suppressed().isEmpty();
            return signIns.insert(sql, signIn)
                    .compose(saved -> plan.suppressed().isEmpty() ? Future.succeededFuture()
                            : fatigue.suppress(sql, signIn.id(), user.username(), plan.suppressed().get()))
                    .compose(saved -> audit.record(sql, "sign_in", user.username(), user.username(), "mfa_requested",
                            Map.of("signInId", signIn.id().toString(), "app", request.app())))
                    .map(ignored -> new SignInResult(signIn, SignInState.PENDING, Optional.empty(),
                            Optional.of(number), Optional.of(signIn.expiresAt()),
                            plan.suppressed().isEmpty() ? List.of("push", "totp") : List.of("totp"),
                            Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty(),
                            plan.suppressed()));
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

    /** Pushes a new request to every verified device of its user that has a live channel. */
    private void deliver(SignIn signIn) {
        devices.activeForUser(pool, signIn.userId()).compose(list -> users.findById(pool, signIn.userId())
                .map(user -> {
                    ApprovalRequest request = approvalRequest(signIn, user.map(User::username).orElse(""));
                    for (Device device : list) {
                        if (device.isVerified()) {
                            push.send(device.id(), request);
                        }
                    }
                    return null;
                }));
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
