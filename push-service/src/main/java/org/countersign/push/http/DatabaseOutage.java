package org.countersign.push.http;

import io.vertx.core.VertxException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.countersign.push.ApiError;

/**
 * Recognises a failure of the database connection (the server stopped, restarting, unreachable, or no pooled
 * connection within the pool's wait timeout) and answers it as 503 {@code database_unavailable} with
 * {@code Retry-After}: an outage is not a bug, and the client should try again rather than see an incident.
 *
 * <p>SQL errors that are the request's fault or the code's (constraint violations, syntax) are not outages and are
 * left to the failure handler.
 */
final class DatabaseOutage {
    /** Seconds a client is asked to wait before retrying; PostgreSQL restarts take a few seconds. */
    static final int RETRY_AFTER_SECONDS = 5;

    private DatabaseOutage() {
    }

    /** Whether {@code failure}, or one of its causes, says the database could not be reached or used. */
    static boolean isOutage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof PgException pg) {
                return isOutageState(pg.getSqlState());
            }
            if (cause instanceof ClosedConnectionException || cause instanceof ConnectException
                    || cause instanceof TimeoutException
                    || isVertxConnectionFailure(cause)) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE classes 08 (connection), 57P (shutdown, crash, starting up), 53 (out of connections) and 57014 (the
     * statement timeout of {@code DatabasePool} cancelled a query).
     */
    static boolean isOutageState(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P")
                || sqlState.startsWith("53") || sqlState.equals("57014"));
    }

    private static boolean isVertxConnectionFailure(Throwable cause) {
        // Vert.x signals a pool wait timeout and a closed connection with these untyped exceptions
        String name = cause.getClass().getName();
        return name.equals("io.vertx.core.impl.NoStackTraceTimeoutException")
                || name.equals("io.vertx.core.http.ConnectionPoolTooBusyException")
                || cause instanceof VertxException && "Connection closed".equalsIgnoreCase(cause.getMessage());
    }

    static ApiError error() {
        return new ApiError(503, "database_unavailable",
                "The service cannot reach its database right now. Try again in a few seconds.");
    }

    /** Sends the 503 with {@code Retry-After}. */
    static void answer(RoutingContext ctx) {
        if (!ctx.response().ended() && !ctx.response().closed()) {
            ctx.response().putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        }
        FailureHandler.send(ctx, error());
    }
}
