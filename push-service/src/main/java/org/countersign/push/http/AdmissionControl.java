package org.countersign.push.http;

import io.vertx.core.Handler;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;
import org.countersign.push.ApiError;

/**
 * Overload shedding: at most {@code maxInFlight} requests are served at once on this node; one more is answered at
 * once with 503 {@code overloaded} and {@code Retry-After: 1}, before any database work, so that a flood makes the
 * node refuse the excess instead of queueing it until everything times out. {@code /health} (load balancers must
 * see a busy node as alive) and WebSocket upgrades (channels live for hours) are not counted. A database pool whose
 * wait queue is full is the same condition one layer down and is answered the same way.
 */
public final class AdmissionControl implements Handler<RoutingContext> {
    static final String RETRY_AFTER_SECONDS = "1";

    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();

    public AdmissionControl(int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be positive");
        }
        this.maxInFlight = maxInFlight;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (exempt(ctx)) {
            ctx.next();
            return;
        }
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            refuse(ctx);
            return;
        }
        ctx.addEndHandler(done -> inFlight.decrementAndGet());
        ctx.next();
    }

    /** Requests being served now on this node (for tests and metrics). */
    public int inFlight() {
        return inFlight.get();
    }

    private static boolean exempt(RoutingContext ctx) {
        String upgrade = ctx.request().getHeader(HttpHeaders.UPGRADE);
        return "/health".equals(ctx.normalizedPath()) || (upgrade != null && upgrade.equalsIgnoreCase("websocket"));
    }

    private static void refuse(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        FailureHandler.send(ctx, overloaded());
    }

    static ApiError overloaded() {
        return new ApiError(503, "overloaded", "The service is busy. Try again in a second.");
    }

    /**
     * Answers a failure that means "too busy" (the database pool's wait queue is full) with 503 {@code overloaded};
     * false for any other failure, which the caller handles.
     */
    static boolean answerIfTooBusy(RoutingContext ctx, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectionPoolTooBusyException) {
                refuse(ctx);
                return true;
            }
        }
        return false;
    }
}
