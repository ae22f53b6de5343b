package org.countersign.push.signin;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.countersign.push.ApiError;
import org.countersign.push.crypto.Tokens;
import org.countersign.push.domain.DenialReason;
import org.countersign.push.domain.SignInState;
import org.countersign.push.store.SignInStore;
import org.countersign.push.store.SignInStore.BrowserAttempt;

/**
 * Sign-ins started by the service's own /sign-in page (docs/web-sessions.md). The browser holds a random binding
 * token (the cs_pending cookie); the sign-in rows hold only its hash, and every step after the password (status,
 * TOTP, "Send another request") finds the sign-in through it, so only the browser that typed the password can
 * collect the session. The logic itself is {@link SignInService}'s, {@link SignInResults}' and
 * {@link TotpService}'s.
 */
public final class BrowserSignIns {
    /** "Send another request" works this long after the password was typed, as the cs_pending cookie lives. */
    public static final Duration RETRY_WINDOW = Duration.ofMinutes(10);
    /** Requests one password may produce, so that a stolen password cannot be turned into a stream of pushes. */
    public static final int MAX_ATTEMPTS = 5;
    private static final Set<DenialReason> RETRYABLE = Set.of(DenialReason.USER_DENIED, DenialReason.WRONG_NUMBER);

    private final Pool pool;
    private final SignInStore store;
    private final SignInService signIns;
    private final SignInResults results;
    private final TotpService totp;
    private final Tokens tokens;
    private final Clock clock;

    public BrowserSignIns(Pool pool, SignInStore store, SignInService signIns, SignInResults results, TotpService totp,
                          Tokens tokens, Clock clock) {
        this.pool = Objects.requireNonNull(pool);
        this.store = Objects.requireNonNull(store);
        this.signIns = Objects.requireNonNull(signIns);
        this.results = Objects.requireNonNull(results);
        this.totp = Objects.requireNonNull(totp);
        this.tokens = Objects.requireNonNull(tokens);
        this.clock = Objects.requireNonNull(clock);
    }

    /** A fresh binding token for a browser that is about to sign in (the value of its cs_pending cookie). */
    public String newBinding() {
        return tokens.newToken();
    }

    /** Checks the password and starts the sign-in, bound to {@code binding}. */
    public Future<SignInResult> start(SignInRequest request, String binding) {
        return signIns.start(request, Tokens.hash(binding));
    }

    /** The browser's current sign-in, waiting up to {@code waitSeconds} for a decision; collects its session once. */
    public Future<SignInResult> status(String binding, int waitSeconds) {
        byte[] hash = Tokens.hash(binding);
        return latest(hash).compose(attempt ->
                results.readForBrowser(attempt.signIn().id(), waitSeconds, hash, false));
    }

    /**
     * "Don't ask again for N days", ticked or unticked while the browser waits: recorded on its pending sign-in, so
     * that the long poll in flight hands out a remember token with the session (no poll has to be restarted, and a
     * restarted poll could lose the session to the abandoned one).
     */
    public Future<Void> remember(String binding, boolean remember) {
        return store.rememberForBrowser(pool, Tokens.hash(binding), remember).mapEmpty();
    }

    /** The TOTP fallback for the browser's current sign-in. */
    public Future<SignInResult> totp(String binding, String code, boolean remember) {
        byte[] hash = Tokens.hash(binding);
        return latest(hash).compose(attempt -> totp.verifyForBrowser(attempt.signIn().id(), code, remember, hash));
    }

    /**
     * "Send another request": a new challenge for the same person, without the password again, only while the
     * browser's current sign-in expired or was denied by the person (not reported as fraud), within
     * {@link #RETRY_WINDOW} of the password and {@link #MAX_ATTEMPTS} requests.
     */
    public Future<SignInResult> retry(String binding) {
        byte[] hash = Tokens.hash(binding);
        return latest(hash).compose(attempt -> {
            Instant now = clock.instant();
            SignInState state = attempt.signIn().effectiveState(now);
            boolean retryable = state == SignInState.EXPIRED || (state == SignInState.DENIED
                    && attempt.signIn().reason().map(RETRYABLE::contains).orElse(false));
            if (!retryable) {
                return Future.failedFuture(ApiError.conflict("cannot_retry", state == SignInState.PENDING
                        ? "This request is still waiting for your answer."
                        : "This sign-in cannot be sent again. Sign in with your password."));
            }
            if (!now.isBefore(attempt.startedAt().plus(RETRY_WINDOW)) || attempt.attempt() >= MAX_ATTEMPTS) {
                return Future.failedFuture(ApiError.conflict("sign_in_again",
                        "It has been too long or too many requests: sign in with your password again."));
            }
            SignInRequest context = new SignInRequest("", "", attempt.signIn().app(), attempt.signIn().ip(),
                    attempt.signIn().location(), Optional.empty(), attempt.signIn().rememberRequested());
            return signIns.restart(attempt.signIn().userId(), context, hash, attempt.attempt() + 1);
        });
    }

    private Future<BrowserAttempt> latest(byte[] hash) {
        return store.latestForBrowser(pool, hash).compose(found -> found.map(Future::succeededFuture)
                .orElseGet(() -> Future.failedFuture(new ApiError(404, "no_sign_in",
                        "There is no sign-in in progress in this browser. Sign in with your password."))));
    }
}
