package org.countersign.push.signin;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.countersign.push.ApiError;
import org.countersign.push.domain.SessionScope;
import org.countersign.push.domain.SignIn;
import org.countersign.push.domain.SignInState;
import org.countersign.push.store.ConsumptionStore;
import org.countersign.push.store.SettingsStore;
import org.countersign.push.store.SignInStore;

/**
 * Reads the outcome of a sign-in, waiting up to a bound for it (long poll). The first read of an approved
 * sign-in claims its session (and remember token when asked for); later reads show the state only.
 */
public final class SignInResults {
    public static final int MAX_WAIT_SECONDS = 60;

    private final Pool pool;
    private final SignInStore signIns;
    private final SettingsStore settings;
    private final SessionService sessions;
    private final SignInWaiters waiters;
    private final SignInExpiry expiry;
    private final Clock clock;
    private final ConsumptionStore consumption = new ConsumptionStore();

    public SignInResults(Pool pool, SignInStore signIns, SettingsStore settings, SessionService sessions,
                         SignInWaiters waiters, SignInExpiry expiry, Clock clock) {
        this.pool = Objects.requireNonNull(pool);
        this.signIns = Objects.requireNonNull(signIns);
        this.settings = Objects.requireNonNull(settings);
        this.sessions = Objects.requireNonNull(sessions);
        this.waiters = Objects.requireNonNull(waiters);
        this.expiry = Objects.requireNonNull(expiry);
        this.clock = Objects.requireNonNull(clock);
    }

    public Future<SignInResult> read(UUID signInId, int waitSeconds) {
        return read(signInId, Optional.empty(), waitSeconds, null, false);
    }

    /**
     * As {@link #read(UUID, int)} for a relying party's check: a sign-in that is not a check of {@code rpClientId}
     * is not found, as if it did not exist.
     */
    public Future<SignInResult> readCheck(UUID checkId, UUID rpClientId, int waitSeconds) {
        return read(checkId, Optional.of(rpClientId), waitSeconds, null, false);
    }

    /**
     * As {@link #read(UUID, int)} for a sign-in started by a browser page: only the browser whose cs_pending cookie
     * hashes to {@code browserBinding} can claim the session, with a remember token when {@code remember} is set.
     */
    public Future<SignInResult> readForBrowser(UUID signInId, int waitSeconds, byte[] browserBinding,
                                               boolean remember) {
        return read(signInId, Optional.empty(), waitSeconds, Objects.requireNonNull(browserBinding), remember);
    }

    /**
     * One read of the row, then, while it is pending and the caller waits, the wait: registered before the read, so
     * that a decision committed after the read still wakes it. A decision made on this node hands over its committed
     * row; any other wake-up (another node, the timeout, the sign-in's expiry) reads the row once more.
     */
    private Future<SignInResult> read(UUID signInId, Optional<UUID> rpClientId, int waitSeconds,
                                      byte[] browserBinding, boolean remember) {
        if (waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
            return Future.failedFuture(ApiError.badRequest("invalid_field",
                    "waitSeconds must be a whole number from 0 to " + MAX_WAIT_SECONDS + "."));
        }
        if (waitSeconds == 0) {
            return find(signInId, rpClientId).compose(signIn -> settle(signIn, browserBinding, remember));
        }
        SignInWaiters.Wait waiting = waiters.register(signInId, Duration.ofSeconds(waitSeconds));
        return find(signInId, rpClientId)
                .onFailure(failure -> waiting.cancel())
                .compose(signIn -> {
                    Instant now = clock.instant();
                    if (signIn.effectiveState(now) != SignInState.PENDING) {
                        waiting.cancel();
                        return Future.succeededFuture(signIn);
                    }
                    waiting.endWithin(Duration.between(now, signIn.expiresAt()).plusMillis(50));
                    return waiting.woken().compose(decided -> decided
                            .map(Future::succeededFuture)
                            .orElseGet(() -> find(signInId, Optional.empty())));
                })
                .compose(found -> settle(found, browserBinding, remember));
    }

    private Future<SignIn> find(UUID signInId, Optional<UUID> rpClientId) {
        Future<Optional<SignIn>> found = rpClientId.isPresent()
                ? signIns.findCheck(pool, signInId, rpClientId.get())
                : signIns.findById(pool, signInId);
        return found.compose(row -> row
                .map(Future::succeededFuture)
                .orElseGet(() -> Future.failedFuture(ApiError.notFound(rpClientId.isPresent()
                        ? "That check" : "That sign-in"))));
    }

    /**
     * Records an expiry that is due (with its audit event, unless the sweep or another reader did first) and hands out
     * the session of an approved sign-in once.
     */
    private Future<SignInResult> settle(SignIn signIn, byte[] browserBinding, boolean remember) {
        Instant now = clock.instant();
        SignInState state = signIn.effectiveState(now);
        if (state == SignInState.EXPIRED && signIn.state() == SignInState.PENDING) {
            return pool.withTransaction(sql -> expiry.expireIfDue(sql, signIn.id()))
                    .map(SignInResult.of(signIn, state));
        }
        if (state != SignInState.APPROVED || signIn.resultClaimed()) {
            return Future.succeededFuture(SignInResult.of(signIn, state));
        }
        return pool.withTransaction(sql -> claim(sql, signIn, remember, browserBinding));
    }

    /**
     * Hands out the session of an approved sign-in, if nobody has yet; otherwise shows the state only. A remember
     * token comes with it when the sign-in asked for one or {@code remember} is set.
     */
    public Future<SignInResult> claim(SqlClient sql, SignIn signIn, boolean remember) {
        return claim(sql, signIn, remember, null);
    }

    /**
     * As {@link #claim(SqlClient, SignIn, boolean)}; a browser-bound sign-in needs its browser's binding. The user's
     * lockout and the approving device are checked again first: a sign-in approved before either changed is denied
     * instead of yielding a session.
     */
    public Future<SignInResult> claim(SqlClient sql, SignIn signIn, boolean remember, byte[] browserBinding) {
        return consumption.refusal(sql, signIn.id()).compose(refusal -> refusal.isEmpty()
                ? claimChecked(sql, signIn, remember, browserBinding)
                : consumption.denyUncollected(sql, signIn.id(), refusal.get(), clock.instant())
                        .compose(denied -> signIns.findById(sql, signIn.id()))
                        .map(current -> current.map(row -> SignInResult.of(row, row.state()))
                                .orElse(SignInResult.of(signIn, SignInState.DENIED))));
    }

    private Future<SignInResult> claimChecked(SqlClient sql, SignIn signIn, boolean remember, byte[] browserBinding) {
        Future<Boolean> claiming = browserBinding == null ? signIns.claimResult(sql, signIn.id())
                : signIns.claimResultForBrowser(sql, signIn.id(), browserBinding);
        return claiming.compose(claimed -> {
            SignInResult plain = SignInResult.of(signIn, SignInState.APPROVED);
            if (!claimed) {
                // collected already, or denied since it was read (its device was removed): show the row as it is now
                return signIns.findById(sql, signIn.id())
                        .map(current -> current.map(row -> SignInResult.of(row, row.state())).orElse(plain));
            }
            return sessions.issue(sql, signIn.userId(), SessionScope.FULL, true)
                    .compose(token -> rememberIfAsked(sql, signIn, remember)
                            .map(rememberToken -> plain.withTokens(token, rememberToken)));
        });
    }

    private Future<Optional<String>> rememberIfAsked(SqlClient sql, SignIn signIn, boolean remember) {
        if (!signIn.rememberRequested() && !remember) {
            return Future.succeededFuture(Optional.empty());
        }
        return settings.get(sql).compose(current -> current.rememberMfaDays() == 0
                ? Future.succeededFuture(Optional.<String>empty())
                : sessions.remember(sql, signIn.userId(), current.rememberMfaDays()).map(Optional::of));
    }
}
