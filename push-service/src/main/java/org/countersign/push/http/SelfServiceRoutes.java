package org.countersign.push.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.countersign.push.admin.AppPasswords;
import org.countersign.push.admin.UserActions;
import org.countersign.push.signin.LegacySignIn;

/**
 * A person's own app passwords ({@code /api/v1/me/app-passwords}), "sign out everywhere", and the legacy sign-in
 * that app passwords are for ({@code POST /api/v1/legacy/sign-in} with HTTP Basic).
 */
final class SelfServiceRoutes {
    private final AppPasswords appPasswords;
    private final UserActions actions;
    private final LegacySignIn legacy;
    private final Authentication authentication;
    private final AdmissionControl admission;

    SelfServiceRoutes(AppPasswords appPasswords, UserActions actions, LegacySignIn legacy,
                      Authentication authentication, AdmissionControl admission) {
        this.appPasswords = Objects.requireNonNull(appPasswords);
        this.actions = Objects.requireNonNull(actions);
        this.legacy = Objects.requireNonNull(legacy);
        this.authentication = Objects.requireNonNull(authentication);
        this.admission = Objects.requireNonNull(admission);
    }

    /** A legacy sign-in is new work, shed while the node is overloaded. */
    void mount(Router router) {
        router.get("/api/v1/me/app-passwords").respond(this::list);
        router.post("/api/v1/me/app-passwords").handler(AdmissionControl.hashesAPassword()).respond(this::create);
        router.delete("/api/v1/me/app-passwords/:id").respond(this::delete);
        router.post("/api/v1/me/sign-out-everywhere").respond(this::signOutEverywhere);
        admission.newWork(router, "/api/v1/legacy/sign-in")
                .handler(AdmissionControl.hashesAPassword()).respond(this::legacySignIn);
    }

    private Future<JsonObject> list(RoutingContext ctx) {
        return authentication.fullSession(ctx).compose(session -> appPasswords.list(session)
                .compose(list -> appPasswords.allowed().map(allowed -> new JsonObject()
                        .put("allowed", allowed)
                        .put("appPasswords", new JsonArray(list.stream().map(AdminUserRoutes::appPasswordJson)
                                .toList())))));
    }

    private Future<JsonObject> create(RoutingContext ctx) {
        JsonObject body = JsonBody.of(ctx);
        JsonFields.onlyKnown(body, Set.of("name"));
        String name = JsonBody.requiredString(body, "name", 64).trim();
        return authentication.fullSession(ctx).compose(session -> appPasswords.create(session, name))
                .map(created -> {
                    ctx.response().setStatusCode(201);
                    return AdminUserRoutes.appPasswordJson(created.appPassword()).put("password", created.password());
                });
    }

    private Future<JsonObject> delete(RoutingContext ctx) {
        UUID id = Ids.parse(ctx.pathParam("id"), "That app password");
        return authentication.fullSession(ctx).compose(session -> appPasswords.delete(session, id))
                .map(ignored -> new JsonObject().put("id", id.toString()).put("deleted", true));
    }

    private Future<JsonObject> signOutEverywhere(RoutingContext ctx) {
        return authentication.anySession(ctx).compose(session -> actions.signOutEverywhere(session.user()))
                .map(JsonObject::new);
    }

    private Future<JsonObject> legacySignIn(RoutingContext ctx) {
        return legacy.signIn(ctx.request().getHeader("Authorization"))
                .map(username -> new JsonObject().put("ok", true).put("username", username));
    }
}
