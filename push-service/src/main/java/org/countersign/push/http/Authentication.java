package org.countersign.push.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.Optional;
import org.countersign.push.ApiError;
import org.countersign.push.crypto.CsrfTokens;
import org.countersign.push.domain.Session;
import org.countersign.push.signin.SessionService;
import org.countersign.push.web.SessionCookies;

/**
 * Finds the caller's session from {@code Authorization: Bearer} or, for the pages, the {@code cs_session} cookie,
 * and checks what it may do. A cookie call that changes state must carry the session's {@code X-CSRF-Token}
 * (docs/web-sessions.md); a Bearer call needs none, as no browser sends that header by itself.
 */
final class Authentication {
    private final SessionService sessions;
    private final CsrfTokens csrf;

    Authentication(SessionService sessions, CsrfTokens csrf) {
        this.sessions = Objects.requireNonNull(sessions);
        this.csrf = Objects.requireNonNull(csrf);
    }

    /** Any valid session, including one good only for registering a method. */
    Future<Session> anySession(RoutingContext ctx) {
        String authorization = ctx.request().getHeader("Authorization");
        Optional<String> cookie = SessionCookies.read(ctx, SessionCookies.SESSION);
        if (authorization != null || cookie.isEmpty()) {
            return sessions.authenticate(authorization);
        }
        HttpMethod method = ctx.request().method();
        boolean changesState = method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH
                || method == HttpMethod.DELETE;
        if (changesState && !csrf.matches(cookie.get(), ctx.request().getHeader("X-CSRF-Token"))) {
            return Future.failedFuture(new ApiError(403, "csrf_failed",
                    "This page is out of date or the request did not come from it. Reload the page and try again."));
        }
        return sessions.authenticateToken(cookie.get());
    }

    /** A session good for everything its user may do. */
    Future<Session> fullSession(RoutingContext ctx) {
        return anySession(ctx).compose(session -> session.isFull() ? Future.succeededFuture(session)
                : Future.failedFuture(ApiError.forbidden(
                        "This session may only register a sign-in method: register one, then sign in again.")));
    }

    /** A full session of an admin. */
    Future<Session> admin(RoutingContext ctx) {
        return fullSession(ctx).compose(session -> session.user().isAdmin() ? Future.succeededFuture(session)
                : Future.failedFuture(ApiError.forbidden("Only admins may do this.")));
    }
}
