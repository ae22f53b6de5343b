package org.countersign.push.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@code /health} for load balancers: 200 {@code {"status":"ok","database":"up"}} when the database answers within
 * two seconds, 503 {@code {"status":"unavailable","database":"down"}} (with {@code Retry-After}) otherwise.
 */
final class HealthRoutes {
    private final Pool pool;

    HealthRoutes(Pool pool) {
        this.pool = Objects.requireNonNull(pool);
    }

    void mount(Router router) {
        router.get("/health").handler(this::health);
    }

    private void health(RoutingContext ctx) {
        pool.query("SELECT 1").execute().timeout(2, TimeUnit.SECONDS).onComplete(result -> {
            boolean up = result.succeeded();
            if (!up) {
                ctx.response().putHeader("Retry-After", Integer.toString(DatabaseOutage.RETRY_AFTER_SECONDS));
            }
            ctx.response().setStatusCode(up ? 200 : 503)
                    .putHeader("Content-Type", "application/json; charset=utf-8")
                    .end(new JsonObject().put("status", up ? "ok" : "unavailable")
                            .put("database", up ? "up" : "down").encode());
        });
    }
}
