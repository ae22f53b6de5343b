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
import org.countersign.protocol.ApprovalRequest;
import org.countersign.push.ApiError;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.crypto.PasswordHasher;
import org.countersign.push.domain.IpNetwork;
import org.countersign.push.domain.SessionScope;
import org.countersign.push.domain.Settings;
import org.countersign.push.domain.SignIn;
import org.countersign.push.domain.SignInMethod;
import org.countersign.push.domain.SignInState;
import org.countersign.push.domain.User;
import org.countersign.push.store.PolicyStore;
import org.countersign.push.store.SettingsStore;
import org.countersign.push.store.SignInStore;
import org.countersign.push.store.UserStore;
import org.countersign.push.store.UserStore.Credentials;

/**
 * Starts password sign-ins (ARCHITECTURE.md §2.2): checks the password, asks the policy whether MFA is needed and,
 * when it is, has {@link Challenges} create the number-matching challenge and push the request to every verified
 * device of the user. A relying party's check, which skips the password, starts at {@link SecondFactorStarts}.
 */
public final class SignInService {
    public static final Duration CHALLENGE_LIFETIME = Duration.ofSeconds(90);
    private static final String INVALID_CREDENTIALS = "The username or password is incorrect.";
    /** The answer for a malformed {@code ip}; the HTTP layer gives it before the password is checked. */
    public static final String INVALID_IP =
            "ip: must be an IPv4 or IPv6 address, such as 203.0.113.7 or 2001:db8::7.";

    private final Pool pool;
    private final UserStore users;
    private final SignInStore signIns;
    private final SettingsStore settings;
    private final PasswordHasher passwords;
    private final SessionService sessions;
    private final MfaPolicy policy;
    private final Challenges challenges;
    private final AuditLog audit;
    private final Clock clock;
    private final PolicyStore policies = new PolicyStore();
    private final AttemptGuard attempts;

    public SignInService(Pool pool, UserStore users, SignInStore signIns, SettingsStore settings,
                         PasswordHasher passwords, SessionService sessions, MfaPolicy policy, Challenges challenges,
                         AuditLog audit, Clock clock) {
        this.pool = Objects.requireNonNull(pool);
        this.users = Objects.requireNonNull(users);
        this.signIns = Objects.requireNonNull(signIns);
        this.settings = Objects.requireNonNull(settings);
        this.passwords = Objects.requireNonNull(passwords);
        this.sessions = Objects.requireNonNull(sessions);
        this.policy = Objects.requireNonNull(policy);
        this.challenges = Objects.requireNonNull(challenges);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
        this.attempts = new AttemptGuard(ThrottlePolicy.DEFAULT, audit, clock);
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
        ChallengeAttempt attempt = new ChallengeAttempt(request.ip().or(() -> peer));
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
        ChallengeAttempt state = new ChallengeAttempt(context.ip());
        return users.findById(pool, userId).compose(user -> user.isPresent()
                ? attempts.check(pool, user.get().username(), state.address).compose(ignored ->
                        begin(user.get(), context, Objects.requireNonNull(browserBinding), attempt, state))
                : Future.failedFuture(ApiError.notFound("That account")));
    }

    private Future<SignInResult> begin(User user, SignInRequest request, byte[] browserBinding, int attempt,
                                       ChallengeAttempt state) {
        return pool.withTransaction(sql -> decide(sql, user, request, state).compose(result -> browserBinding == null
                        ? Future.succeededFuture(result)
                        : signIns.bindToBrowser(sql, result.signIn().id(), browserBinding, attempt).map(result)))
                .recover(challenges::recordIfBlocked)
                .andThen(done -> {
                    if (done.succeeded()) {
                        challenges.afterCommit(done.result(), user.username(), state, true);
                    }
                });
    }

    private Future<User> checkPassword(Optional<Credentials> found, SignInRequest request, ChallengeAttempt attempt) {
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
    private Future<User> failPassword(String typed, Optional<User> user, String why, ChallengeAttempt attempt) {
        String username = user.map(User::username).orElse(typed);
        return pool.withTransaction(sql -> attempts.failed(sql, typed, user.map(User::id), attempt.address)
                        .compose(ignored -> audit.record(sql, "sign_in.password", username, username, "failure",
                                Map.of("reason", why))))
                .transform(ignored -> Future.failedFuture(new ApiError(401, "invalid_credentials",
                        INVALID_CREDENTIALS)));
    }

    /**
     * Evaluates the sign-in in the order of {@link MfaPolicy} (after the password check, so a wrong password learns
     * nothing about policies). A block fails this transaction, and is recorded once it has rolled back.
     */
    private Future<SignInResult> decide(SqlClient sql, User user, SignInRequest request, ChallengeAttempt attempt) {
        Optional<InetAddress> ip = request.ip().flatMap(IpNetwork::parseAddress);
        if (request.ip().isPresent() && ip.isEmpty()) {
            return Future.failedFuture(ApiError.badRequest("invalid_field", INVALID_IP));
        }
        return settings.get(sql).compose(current -> policies.enabled(sql).compose(enabled -> {
            AccessDecision decision = policy.decide(user, current, enabled, ip);
            return decision.blockedBy().isPresent()
                    ? challenges.refuseBlocked(user, request, decision.blockedBy().get())
                    : decide(sql, user, request, current, decision.requirement(), attempt);
        }));
    }

    private Future<SignInResult> decide(SqlClient sql, User user, SignInRequest request, Settings current,
                                        MfaRequirement requirement, ChallengeAttempt attempt) {
        if (!requirement.required()) {
            return approveWithoutMfa(sql, user, request, SignInMethod.NONE, false, attempt);
        }
        return sessions.isRemembered(sql, request.rememberToken().orElse(null), user.id())
                .compose(remembered -> remembered
                        ? approveWithoutMfa(sql, user, request, SignInMethod.REMEMBERED, true, attempt)
                        : challengeOrRegister(sql, user, request, requirement, current, attempt));
    }

    private Future<SignInResult> approveWithoutMfa(SqlClient sql, User user, SignInRequest request,
                                                   SignInMethod method, boolean mfaCompleted,
                                                   ChallengeAttempt attempt) {
        Instant now = clock.instant();
        SignIn signIn = Challenges.newSignIn(user, request, SignInState.APPROVED, Optional.of(method),
                Optional.empty(), now, now).withResultClaimed();
        return attempts.succeeded(sql, user.username(), attempt.address)
                .compose(ignored -> signIns.insert(sql, signIn))
                .compose(saved -> sessions.issue(sql, user.id(), SessionScope.FULL, mfaCompleted))
                .compose(token -> audit.record(sql, "sign_in", user.username(), user.username(), "approved",
                                Map.of("signInId", signIn.id().toString(), "method", method.wire(), "app", request.app()))
                        .map(SignInResult.of(signIn, SignInState.APPROVED).withTokens(token, Optional.empty())));
    }

    private Future<SignInResult> challengeOrRegister(SqlClient sql, User user, SignInRequest request,
                                                     MfaRequirement requirement, Settings current,
                                                     ChallengeAttempt attempt) {
        return challenges.lockUser(sql, user, attempt).compose(locked -> !locked.verifiedDevices().isEmpty()
                ? challenges.issue(sql, user, request, current, attempt, locked, Challenges.Attribution.NONE)
                : registrationRequired(sql, user, request, requirement));
    }

    private Future<SignInResult> registrationRequired(SqlClient sql, User user, SignInRequest request,
                                                      MfaRequirement requirement) {
        Instant now = clock.instant();
        SignIn signIn = Challenges.newSignIn(user, request, SignInState.REGISTRATION_REQUIRED, Optional.empty(),
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

    /** The frame a device sees for a sign-in: its context, never its number. */
    public static ApprovalRequest approvalRequest(SignIn signIn, String username) {
        return new ApprovalRequest(signIn.id().toString(), signIn.kind(), username, signIn.app(),
                signIn.ip().orElse(null), signIn.location().orElse(null), signIn.createdAt(), signIn.expiresAt());
    }

}
