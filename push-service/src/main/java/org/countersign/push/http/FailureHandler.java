package org.countersign.push.http;

import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.countersign.protocol.ProtocolException;
import org.countersign.push.ApiError;

/**
 * Turns every failure into {@code {"error","message"}}: bad input is a 4xx naming the problem; anything else is a
 * 500 with an incident id that is logged with the cause. A stack trace never reaches a client.
 */
final class FailureHandler implements Handler<RoutingContext> {
    private static final Logger LOG = Logger.getLogger(FailureHandler.class.getName());
    /** SQLSTATEs of text PostgreSQL cannot hold (a NUL, say, from a percent-encoded path): bad input, not a bug. */
    private static final java.util.Set<String> UNSTORABLE_TEXT = java.util.Set.of("22021", "22P05");

    @Override
    public void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (AdmissionControl.answerIfTooBusy(ctx, failure)) {
            return;
        }
        ApiError error;
        if (failure instanceof ApiError api) {
            error = api;
        } else if (refusal(failure).isPresent()) {
            error = refusal(failure).get();
        } else if (DatabaseOutage.isOutage(failure)) {
            DatabaseOutage.answer(ctx);
            return;
        } else if (failure == null) {
            error = forStatus(ctx.statusCode());
        } else {
            String incident = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "incident " + incident + " on " + ctx.request().method() + " "
                    + ctx.request().path(), failure);
            error = new ApiError(500, "internal_error",
                    "Something went wrong on our side (incident " + incident + "). Try again later.");
        }
        send(ctx, error);
    }

    /**
     * The answer to a failure that is the request's fault, as this handler gives it: a 4xx {@link ApiError}, a
     * protocol or JSON error, text PostgreSQL cannot store. Empty for anything else (a bug, an outage, a 5xx).
     */
    static Optional<ApiError> refusal(Throwable failure) {
        if (failure instanceof ApiError api) {
            return api.status() < 500 ? Optional.of(api) : Optional.empty();
        } else if (failure instanceof ProtocolException protocol) {
            return Optional.of(ApiError.badRequest("invalid_field", protocol.getMessage()));
        } else if (failure instanceof DecodeException) {
            return Optional.of(ApiError.badRequest("invalid_json", "The body is not valid JSON."));
        } else if (failure instanceof PgException pg && UNSTORABLE_TEXT.contains(pg.getSqlState())) {
            return Optional.of(ApiError.badRequest("invalid_field",
                    "The request holds characters that cannot be stored."));
        }
        return Optional.empty();
    }

    static ApiError forStatus(int status) {
        return switch (status) {
            case 404 -> new ApiError(404, "not_found", "There is nothing at this address.");
            case 405 -> new ApiError(405, "method_not_allowed", "This address does not accept that method.");
            case 413 -> new ApiError(413, "body_too_large", "The request body is too large.");
            case 415 -> new ApiError(415, "unsupported_media_type", "Send the body as application/json.");
            case 401 -> ApiError.unauthenticated("Sign in first.");
            case 403 -> ApiError.forbidden("You may not do this.");
            default -> status >= 400 && status < 500
                    ? new ApiError(status, "bad_request", "The request is not valid.")
                    : new ApiError(500, "internal_error", "Something went wrong on our side. Try again later.");
        };
    }

    static void send(RoutingContext ctx, ApiError error) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        JsonObject body = error.toJson();
        if (error.retryAfterSeconds() > 0) {
            ctx.response().putHeader("Retry-After", Long.toString(error.retryAfterSeconds()));
        }
        ctx.response().setStatusCode(error.status())
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .end(body.encode());
    }
}
