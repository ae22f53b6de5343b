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
import java.util.OptionalLong;
import java.util.UUID;
import org.countersign.protocol.OtpSecret;
import org.countersign.protocol.SignInKind;
import org.countersign.push.ApiError;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.crypto.SecretBox;
import org.countersign.push.domain.SignIn;
import org.countersign.push.domain.SignInMethod;
import org.countersign.push.domain.SignInState;
import org.countersign.push.store.DeviceStore;
import org.countersign.push.store.DeviceStore.TotpCandidate;
import org.countersign.push.store.SignInStore;
import org.countersign.push.store.UserStore;

/**
 * The TOTP fallback (ARCHITECTURE.md §2.2 step 6): a code from any verified device of the user, within one time
 * step either side, each time step accepted once per device (the last consumed step is stored, so neither the
 * same code nor an earlier one of the window can be replayed, on any node).
 */
public final class TotpService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TotpService.class);
    public static final int WINDOW = 1;
    private static final String WRONG_CODE = "The code is not correct, or it was used already. Wait for the next code.";

    private final Pool pool;
    private final SignInStore signIns;
    private final DeviceStore devices;
    private final UserStore users;
    private final SecretBox secrets;
    private final SignInResults results;
    private final SignInWaiters waiters;
    private final AuditLog audit;
    private final Clock clock;
    private final AttemptGuard attempts;

    public TotpService(Pool pool, SignInStore signIns, DeviceStore devices, UserStore users, SecretBox secrets,
                       SignInResults results, SignInWaiters waiters, AuditLog audit, Clock clock) {
        this.pool = Objects.requireNonNull(pool);
        this.signIns = Objects.requireNonNull(signIns);
        this.devices = Objects.requireNonNull(devices);
        this.users = Objects.requireNonNull(users);
        this.secrets = Objects.requireNonNull(secrets);
        this.results = Objects.requireNonNull(results);
        this.waiters = Objects.requireNonNull(waiters);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
        this.attempts = new AttemptGuard(ThrottlePolicy.DEFAULT, audit, clock);
    }

    public Future<SignInResult> verify(UUID signInId, String code, boolean rememberDevice) {
        return verify(signInId, code, rememberDevice, null);
    }

    /** As {@link #verify(UUID, String, boolean)} for a sign-in bound to the browser whose binding is given. */
    public Future<SignInResult> verifyForBrowser(UUID signInId, String code, boolean rememberDevice,
                                                 byte[] browserBinding) {
        return verify(signInId, code, rememberDevice, Objects.requireNonNull(browserBinding));
    }

    private Future<SignInResult> verify(UUID signInId, String code, boolean rememberDevice, byte[] browserBinding) {
        return pool.withTransaction(sql -> signIns.findById(sql, signInId).compose(found -> {
            if (found.isEmpty() || found.get().kind() != SignInKind.SIGN_IN) {
                return Future.failedFuture(ApiError.notFound("That sign-in"));
            }
            SignIn signIn = found.get();
            SignInState state = signIn.effectiveState(clock.instant());
            if (state != SignInState.PENDING) {
                return Future.failedFuture(ApiError.conflict("already_decided",
                        "This sign-in is already " + state.wire() + "."));
            }
            // a throttled or locked-out user (or address) is refused before the code is evaluated
            return users.findById(sql, signIn.userId()).compose(user -> {
                String username = user.map(u -> u.username()).orElse("");
                return attempts.check(sql, username, signIn.ip())
                        .compose(ignored -> devices.verifiedTotpCandidates(sql, signIn.userId()))
                        .compose(candidates -> consumeFirstMatch(sql, candidates, code, clock.instant()))
                        .compose(device -> device.isPresent()
                                ? approve(sql, signIn, username, device.get(), rememberDevice, browserBinding)
                                        .map(Optional::of)
                                : reject(sql, signIn, username));
            });
        })).compose(approved -> approved.map(Future::succeededFuture)
                        .orElseGet(() -> Future.failedFuture(ApiError.badRequest("invalid_code", WRONG_CODE))))
                .andThen(done -> waiters.wake(signInId));
    }

    /** Finds the device whose secret yields the code at a step not used before, and consumes that step. */
    private Future<Optional<UUID>> consumeFirstMatch(SqlClient sql, List<TotpCandidate> candidates, String code,
                                                     Instant now) {
        Future<Optional<UUID>> result = Future.succeededFuture(Optional.empty());
        java.util.concurrent.atomic.AtomicInteger unreadable = new java.util.concurrent.atomic.AtomicInteger();
        for (TotpCandidate candidate : candidates) {
            result = result.compose(found -> {
                if (found.isPresent()) {
                    return Future.succeededFuture(found);
                }
                OptionalLong step;
                try {
                    step = matchingStep(candidate, code, now);
                } catch (SecretBox.SecretBoxException e) {
                    // a key missing from this node's ring (or a damaged row): the operator needs the details, the
                    // client only that the check cannot be made now
                    LOG.error("TOTP secret of device {} cannot be opened: {}", candidate.deviceId(), e.getMessage());
                    unreadable.incrementAndGet();
                    return Future.succeededFuture(Optional.empty());
                }
                if (step.isEmpty() || (candidate.lastStep().isPresent()
                        && step.getAsLong() <= candidate.lastStep().getAsLong())) {
                    return Future.succeededFuture(Optional.empty());
                }
                return devices.consumeTotpStep(sql, candidate.deviceId(), step.getAsLong(), now)
                        .map(consumed -> consumed ? Optional.of(candidate.deviceId()) : Optional.empty());
            });
        }
        return result.compose(found -> found.isEmpty() && unreadable.get() > 0
                ? Future.failedFuture(new ApiError(503, "secret_key_unavailable",
                        "The service cannot check authenticator codes for this account right now. Approve the "
                                + "notification instead, or ask your administrator."))
                : Future.succeededFuture(found));
    }

    private OptionalLong matchingStep(TotpCandidate candidate, String code, Instant now) {
        OtpSecret secret = OtpSecret.of(secrets.open(candidate.sealedSecret(), candidate.userId().toString(),
                candidate.deviceId().toString()));
        try {
            return candidate.totp().matchingStep(secret, code, now, WINDOW);
        } finally {
            secret.wipe();
        }
    }

    private Future<SignInResult> approve(SqlClient sql, SignIn signIn, String username, UUID deviceId,
                                         boolean remember, byte[] browserBinding) {
        Instant now = clock.instant();
        return signIns.decide(sql, signIn.id(), SignInState.APPROVED, Optional.empty(), SignInMethod.TOTP,
                        Optional.of(deviceId), now)
                .compose(decided -> decided.isEmpty()
                        ? Future.failedFuture(ApiError.conflict("already_decided",
                                "This sign-in was decided by another answer."))
                        : users.resetFailedMfa(sql, signIn.userId())
                                .compose(ignored -> attempts.succeeded(sql, username, signIn.ip()))
                                .compose(ignored -> record(sql, signIn, "approved"))
                                .compose(ignored -> results.claim(sql, decided.get(), remember, browserBinding)));
    }

    /**
     * Counts the failure and records it. The rejection leaves the transaction as an empty value, not a failure,
     * so that the count and the record commit.
     */
    private Future<Optional<SignInResult>> reject(SqlClient sql, SignIn signIn, String username) {
        return users.countFailedMfa(sql, signIn.userId())
                .compose(ignored -> attempts.failed(sql, username, Optional.of(signIn.userId()), signIn.ip()))
                .compose(ignored -> record(sql, signIn, "wrong_code"))
                .map(ignored -> Optional.empty());
    }

    private Future<Void> record(SqlClient sql, SignIn signIn, String outcome) {
        return users.findById(sql, signIn.userId()).compose(user -> audit.record(sql, "sign_in.mfa",
                user.map(u -> u.username()).orElse("unknown"), user.map(u -> u.username()).orElse(null), outcome,
                Map.of("signInId", signIn.id().toString(), "method", "totp")));
    }
}
