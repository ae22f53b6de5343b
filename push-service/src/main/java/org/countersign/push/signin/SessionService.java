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
import org.countersign.push.crypto.Tokens;
import org.countersign.push.domain.Session;
import org.countersign.push.domain.SessionScope;
import org.countersign.push.store.SessionStore;

/**
 * Issues and checks bearer sessions and "don't ask again" remember tokens. Tokens are returned to the caller once
 * and stored only as SHA-256 hashes.
 */
public final class SessionService {
    public static final Duration FULL_SESSION = Duration.ofHours(12);
    public static final Duration REGISTRATION_SESSION = Duration.ofMinutes(30);

    private final Pool pool;
    private final SessionStore store;
    private final Tokens tokens;
    private final Clock clock;

    public SessionService(Pool pool, SessionStore store, Tokens tokens, Clock clock) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.store = Objects.requireNonNull(store, "store");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Creates a session and returns its bearer token. */
    public Future<String> issue(SqlClient sql, UUID userId, SessionScope scope, boolean mfaCompleted) {
        String token = tokens.newToken();
        Instant now = clock.instant();
        Duration lifetime = scope == SessionScope.FULL ? FULL_SESSION : REGISTRATION_SESSION;
        return store.insertSession(sql, Tokens.hash(token), userId, scope, mfaCompleted, now, now.plus(lifetime))
                .map(token);
    }

    /** Creates a remember token good for {@code days} days of sign-ins without MFA for this user. */
    public Future<String> remember(SqlClient sql, UUID userId, int days) {
        String token = tokens.newToken();
        Instant now = clock.instant();
        return store.insertRemembered(sql, Tokens.hash(token), userId, now, now.plus(Duration.ofDays(days)))
                .map(token);
    }

    public Future<Boolean> isRemembered(SqlClient sql, String rememberToken, UUID userId) {
        if (rememberToken == null || rememberToken.isEmpty()) {
            return Future.succeededFuture(false);
        }
        return store.isRemembered(sql, Tokens.hash(rememberToken), userId, clock.instant());
    }

    /** The session behind an {@code Authorization} header value, or a 401. */
    public Future<Session> authenticate(String authorizationHeader) {
        Optional<String> token = bearer(authorizationHeader);
        if (token.isEmpty()) {
            return Future.failedFuture(ApiError.unauthenticated(
                    "Sign in first and send the session token as 'Authorization: Bearer <token>'."));
        }
        return authenticateToken(token.get());
    }

    /** The session behind a token the caller already extracted (the page cookie), or a 401. */
    public Future<Session> authenticateToken(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return Future.failedFuture(ApiError.unauthenticated("Your session has ended: sign in again."));
        }
        return store.findSession(pool, Tokens.hash(token), clock.instant())
                .compose(session -> session.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(
                        ApiError.unauthenticated("The session token is unknown, expired or revoked: sign in again."))));
    }

    /** Ends one session (sign-out in one browser); harmless when it is unknown or ended already. */
    public Future<Void> revoke(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return Future.succeededFuture();
        }
        return store.revokeSession(pool, Tokens.hash(token), clock.instant()).mapEmpty();
    }

    public Future<Void> revokeEverything(SqlClient sql, UUID userId) {
        Instant now = clock.instant();
        return store.revokeSessions(sql, userId, now)
                .compose(n -> store.revokeRemembered(sql, userId, now))
                .mapEmpty();
    }

    private static Optional<String> bearer(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String trimmed = header.trim();
        if (trimmed.length() < 8 || !trimmed.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = trimmed.substring(7).trim();
        return token.isEmpty() || token.length() > 200 ? Optional.empty() : Optional.of(token);
    }
}
