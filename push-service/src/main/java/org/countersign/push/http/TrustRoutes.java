package org.countersign.push.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import org.countersign.push.audit.AuditVerification;
import org.countersign.push.rotation.SecretReencryption;

/**
 * Admin views of the service's trust machinery: {@code GET /api/v1/admin/activity/verify} checks the audit hash chain
 * ({@code {intact, sealed, unsealed, firstBroken?:{eventId?, position, problem}}}), and
 * {@code GET /api/v1/admin/secret-keys} shows the key ring and how many TOTP secrets each key seals, so an admin can
 * see when a rotation is complete (key ids and counts only, never key material).
 */
public final class TrustRoutes {
    /** What the routes need. */
    public record Services(SecretReencryption reencryption, AuditVerification audit) {
        public Services {
            Objects.requireNonNull(reencryption);
            Objects.requireNonNull(audit);
        }
    }

    private final Services services;
    private final Authentication authentication;

    TrustRoutes(Services services, Authentication authentication) {
        this.services = Objects.requireNonNull(services);
        this.authentication = Objects.requireNonNull(authentication);
    }

    void mount(Router router) {
        router.get("/api/v1/admin/activity/verify").handler(ctx -> answer(ctx,
                authentication.admin(ctx).compose(admin -> services.audit().verify()).map(r -> r.toJson())));
        router.get("/api/v1/admin/secret-keys").handler(ctx -> answer(ctx,
                authentication.admin(ctx).compose(admin -> services.reencryption().status())));
    }

    private static void answer(RoutingContext ctx, Future<JsonObject> result) {
        result.onComplete(done -> {
            if (done.failed()) {
                ctx.fail(done.cause());
            } else {
                ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
                        .end(done.result().encode());
            }
        });
    }
}
