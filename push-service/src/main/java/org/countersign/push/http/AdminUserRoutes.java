package org.countersign.push.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.countersign.push.ApiError;
import org.countersign.push.admin.BulkMfaUpdate;
import org.countersign.push.admin.UserActions;
import org.countersign.push.admin.UserDetails;
import org.countersign.push.channel.ChannelRegistry;
import org.countersign.push.domain.AppPassword;
import org.countersign.push.domain.User;

/**
 * {@code /api/v1/admin/users/{username}} (the user panel), its manage-user-settings actions, and the bulk MFA
 * update from a CSV file. Admins only.
 */
final class AdminUserRoutes {
    /** The bulk-update address: its body may be up to {@code MfaCsv.MAX_BYTES}, not the usual JSON limit. */
    static final String BULK_PATH = "/api/v1/admin/users/bulk-mfa";
    private static final Set<String> CSV_TYPES = Set.of("text/csv", "application/octet-stream", "text/plain",
            "application/vnd.ms-excel");

    private final UserDetails details;
    private final UserActions actions;
    private final BulkMfaUpdate bulk;
    private final ChannelRegistry channels;
    private final Authentication authentication;

    AdminUserRoutes(UserDetails details, UserActions actions, BulkMfaUpdate bulk, ChannelRegistry channels,
                    Authentication authentication) {
        this.details = Objects.requireNonNull(details);
        this.actions = Objects.requireNonNull(actions);
        this.bulk = Objects.requireNonNull(bulk);
        this.channels = Objects.requireNonNull(channels);
        this.authentication = Objects.requireNonNull(authentication);
    }

    void mount(Router router) {
        router.post(BULK_PATH).respond(this::bulk);
        router.get("/api/v1/admin/users/:username").respond(this::detail);
        router.post("/api/v1/admin/users/:username/actions").respond(this::action);
        router.delete("/api/v1/admin/users/:username/app-passwords/:id").respond(this::deleteAppPassword);
    }

    private Future<JsonObject> detail(RoutingContext ctx) {
        String username = ctx.pathParam("username");
        return authentication.admin(ctx).compose(admin -> details.of(username)).map(this::detailJson);
    }

    private JsonObject detailJson(UserDetails.Detail detail) {
        User user = detail.user();
        JsonObject effective = detail.decision().blocked()
                ? new JsonObject().put("required", false)
                        .put("reason", "policy:" + detail.decision().blockedBy().orElseThrow()).put("blocked", true)
                : new JsonObject().put("required", detail.decision().requirement().required())
                        .put("reason", detail.decision().requirement().reason());
        JsonObject json = new JsonObject()
                .put("username", user.username())
                .put("displayName", user.displayName())
                .put("role", user.role().wire())
                .put("mfaState", user.mfaState().wire())
                .put("effectiveMfa", effective)
                .put("rules", new JsonArray(detail.decision().rules()))
                .put("methodsRegistered", detail.methodsRegistered())
                .put("devices", new JsonArray(detail.devices().stream()
                        .map(device -> AdminRoutes.deviceJson(device, channels)).toList()))
                .put("appPasswordCount", detail.appPasswords().size())
                .put("appPasswords", new JsonArray(detail.appPasswords().stream()
                        .map(AdminUserRoutes::appPasswordJson).toList()))
                .put("failedMfaAttempts", user.failedMfaAttempts())
                .put("pushSuspended", detail.flags().pushSuspended())
                .put("lockedOut", detail.flags().lockedOut())
                .put("createdAt", user.createdAt().toString());
        user.registrationGraceStartedAt().ifPresent(at -> json.put("registrationGraceStartedAt", at.toString()));
        return json;
    }

    static JsonObject appPasswordJson(AppPassword appPassword) {
        JsonObject json = new JsonObject()
                .put("id", appPassword.id().toString())
                .put("name", appPassword.name())
                .put("createdAt", appPassword.createdAt().toString());
        appPassword.lastUsedAt().ifPresent(at -> json.put("lastUsedAt", at.toString()));
        return json;
    }

    private Future<JsonObject> action(RoutingContext ctx) {
        String username = ctx.pathParam("username");
        return authentication.adminChange(ctx, "admin.user_action", () -> username, admin -> {
            JsonObject body = JsonBody.of(ctx);
            JsonFields.onlyKnown(body, Set.of("action"));
            String text = JsonBody.requiredString(body, "action", 64);
            UserActions.Action action = UserActions.Action.parse(text).orElseThrow(() -> ApiError.badRequest(
                    "invalid_field", "action: must be one of " + Arrays.stream(UserActions.Action.values())
                            .map(UserActions.Action::wire).collect(Collectors.joining(", ")) + "."));
            return actions.perform(admin.user().username(), username, action);
        }).map(JsonObject::new);
    }

    /** One app password of a person, deleted by an admin (the person's other app passwords keep working). */
    private Future<JsonObject> deleteAppPassword(RoutingContext ctx) {
        String username = ctx.pathParam("username");
        return authentication.adminChange(ctx, "app_password.deleted", () -> username,
                        admin -> actions.deleteAppPassword(admin.user().username(), username,
                                Ids.parse(ctx.pathParam("id"), "That app password")))
                .map(JsonObject::new);
    }

    private Future<JsonObject> bulk(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        String mediaType = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        Buffer body = ctx.body().buffer();
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
        return authentication.adminChange(ctx, "admin.bulk_mfa", Authentication.NO_TARGET, admin -> {
            if (!CSV_TYPES.contains(mediaType)) {
                throw new ApiError(415, "unsupported_media_type", "Send the file as text/csv (or "
                        + "application/octet-stream), not as " + (type == null ? "nothing" : "'" + mediaType + "'")
                        + ".");
            }
            return bulk.apply(admin.user().username(), bytes);
        })
                .map(report -> {
                    JsonArray rows = new JsonArray();
                    for (BulkMfaUpdate.RowReport row : report.rows()) {
                        JsonObject json = new JsonObject().put("line", row.line()).put("username", row.username())
                                .put("mfaStatus", row.mfaStatus());
                        if (!row.errors().isEmpty()) {
                            json.put("error", String.join(" ", row.errors()));
                        }
                        if (report.applied()) {
                            json.put("previous", row.previous()).put("changed", row.changed());
                        }
                        rows.add(json);
                    }
                    if (!report.applied()) {
                        ctx.response().setStatusCode(400);
                        return new JsonObject().put("error", "invalid_csv").put("message", report.message())
                                .put("rows", rows);
                    }
                    return new JsonObject().put("applied", report.rows().size()).put("changed", report.changed())
                            .put("message", report.message()).put("rows", rows);
                });
    }
}
