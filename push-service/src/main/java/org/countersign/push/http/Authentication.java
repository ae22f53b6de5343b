package org.countersign.push.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import org.countersign.push.ApiError;
import org.countersign.push.domain.Session;
import org.countersign.push.signin.SessionService;

/** Finds the caller's session from {@code Authorization: Bearer} and checks what it may do. */
final class Authentication {
    private final SessionService sessions;

    Authentication(SessionService sessions) {
        this.sessions = Objects.requireNonNull(sessions);
    }

    /** Any valid session, including one good only for registering a method. */
    Future<Session> anySession(RoutingContext ctx) {
        return sessions.authenticate(ctx.request().getHeader("Authorization"));
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
