package org.countersign.push.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.countersign.push.ApiError;
import org.countersign.push.admin.AdminRefusals;
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
    private static final String REGISTRATION_ONLY =
            "This session may only register a sign-in method: register one, then sign in again.";

    /** For {@link #adminChange} when the change names nobody and nothing (the path says what it was). */
    static final Supplier<String> NO_TARGET = () -> null;

    private final SessionService sessions;
    private final CsrfTokens csrf;
    private final AdminRefusals refusals;

    Authentication(SessionService sessions, CsrfTokens csrf, AdminRefusals refusals) {
        this.sessions = Objects.requireNonNull(sessions);
        this.csrf = Objects.requireNonNull(csrf);
        this.refusals = Objects.requireNonNull(refusals);
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
                : Future.failedFuture(ApiError.forbidden(REGISTRATION_ONLY)));
    }

    /**
     * A full session of an admin. Anyone else with a valid session is turned away with 403 {@code forbidden}, and the
     * attempt is recorded as {@code admin.forbidden} (a call without a valid session is a 401, not recorded).
     */
    Future<Session> admin(RoutingContext ctx) {
        return anySession(ctx).compose(session -> {
            ApiError refusal = !session.isFull() ? ApiError.forbidden(REGISTRATION_ONLY)
                    : !session.user().isAdmin() ? ApiError.forbidden("Only admins may do this.") : null;
            if (refusal == null) {
                return Future.succeededFuture(session);
            }
            return refusals.forbidden(session.user().username(), ctx.request().path(), refusal)
                    .transform(recorded -> Future.failedFuture(refusal));
        });
    }

    /**
     * Runs an admin's change: the admin is authenticated first (so only an admin learns what is wrong with a body),
     * then {@code action}. When the change is refused (any 4xx, thrown or failed), the refusal is recorded as
     * {@code type} with outcome {@code refused}, the error, the address and {@code target} (asked for only then;
     * {@link #NO_TARGET} when the change has none), after the action's transaction rolled back; the caller still gets
     * the refusal.
     */
    <T> Future<T> adminChange(RoutingContext ctx, String type, Supplier<String> target,
                              Function<Session, Future<T>> action) {
        return admin(ctx).compose(admin -> {
            Future<T> attempt;
            try {
                attempt = action.apply(admin);
            } catch (RuntimeException e) {
                attempt = Future.failedFuture(e);
            }
            return attempt.recover(failure -> FailureHandler.refusal(failure)
                    .map(error -> refusals.refused(type, admin.user().username(), target.get(), ctx.request().path(),
                                    error)
                            .<T>transform(recorded -> Future.failedFuture(failure)))
                    .orElseGet(() -> Future.failedFuture(failure)));
        });
    }
}
