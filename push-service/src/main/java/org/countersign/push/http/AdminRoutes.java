package org.countersign.push.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.countersign.push.ApiError;
import org.countersign.push.admin.DeviceRemoval;
import org.countersign.push.admin.NewUser;
import org.countersign.push.admin.UserAdministration;
import org.countersign.push.admin.UserAdministration.UserView;
import org.countersign.push.channel.ChannelRegistry;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.MfaState;
import org.countersign.push.domain.Role;

/** {@code /api/v1/admin}: users, their MFA state and devices, and lost-device removal. Admins only. */
final class AdminRoutes {
    static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}");
    private static final int MIN_PASSWORD = 8;

    private final UserAdministration users;
    private final DeviceRemoval removal;
    private final ChannelRegistry channels;
    private final Authentication authentication;

    AdminRoutes(UserAdministration users, DeviceRemoval removal, ChannelRegistry channels,
                Authentication authentication) {
        this.users = Objects.requireNonNull(users);
        this.removal = Objects.requireNonNull(removal);
        this.channels = Objects.requireNonNull(channels);
        this.authentication = Objects.requireNonNull(authentication);
    }

    void mount(Router router) {
        router.get("/api/v1/admin/users").respond(this::list);
        router.post("/api/v1/admin/users").handler(AdmissionControl.hashesAPassword()).respond(this::create);
        router.patch("/api/v1/admin/users/:username").respond(this::patch);
        router.get("/api/v1/admin/users/:username/devices").respond(this::devices);
        router.delete("/api/v1/admin/devices/:deviceId").respond(this::deleteDevice);
    }

    private Future<JsonObject> list(RoutingContext ctx) {
        return authentication.admin(ctx).compose(admin -> users.list(mfaFilter(ctx.queryParams().get("mfa"))))
                .map(list -> new JsonObject()
                        .put("users", new JsonArray(list.stream().map(AdminRoutes::userJson).toList())));
    }

    private static Optional<MfaState> mfaFilter(String filter) {
        if (filter == null || filter.equalsIgnoreCase("any")) {
            return Optional.empty();
        }
        return Optional.of(MfaState.parse(filter).orElseThrow(() -> ApiError.badRequest("invalid_field",
                "mfa: must be any, enabled, enforced or disabled.")));
    }

    private Future<JsonObject> create(RoutingContext ctx) {
        Supplier<String> named = () -> JsonBody.peekString(ctx, "username");
        return authentication.adminChange(ctx, "admin.user_created", named, admin -> {
            NewUser request = newUser(JsonBody.of(ctx));
            return users.create(admin.user().username(), request)
                    .compose(user -> users.list(Optional.empty()).map(list -> list.stream()
                            .filter(view -> view.user().id().equals(user.id())).findFirst().orElseThrow()));
        }).map(view -> {
            ctx.response().setStatusCode(201);
            return userJson(view);
        });
    }

    private static NewUser newUser(JsonObject body) {
        String username = JsonBody.requiredString(body, "username", 64);
        if (!USERNAME.matcher(username).matches()) {
            throw ApiError.badRequest("invalid_field",
                    "username: use letters, digits and . _ @ + - (starting with a letter or digit), at most 64.");
        }
        String password = JsonBody.requiredString(body, "password", 1024);
        if (password.length() < MIN_PASSWORD) {
            throw ApiError.badRequest("invalid_field", "password: must be at least " + MIN_PASSWORD + " characters.");
        }
        String displayName = JsonBody.optionalString(body, "displayName", 128).orElse(username);
        Role role = JsonBody.optionalString(body, "role", 16).map(text -> Role.parse(text).orElseThrow(
                () -> ApiError.badRequest("invalid_field", "role: must be user or admin."))).orElse(Role.USER);
        MfaState mfa = JsonBody.optionalString(body, "mfaState", 16).map(AdminRoutes::mfaState)
                .orElse(MfaState.DISABLED);
        return new NewUser(username, password, displayName, role, mfa);
    }

    private Future<JsonObject> patch(RoutingContext ctx) {
        String username = ctx.pathParam("username");
        return authentication.adminChange(ctx, "admin.mfa_state_changed", () -> username, admin -> {
            MfaState state = mfaState(JsonBody.requiredString(JsonBody.of(ctx), "mfaState", 16));
            return users.setMfaState(admin.user().username(), username, state);
        }).map(AdminRoutes::userJson);
    }

    private Future<JsonObject> devices(RoutingContext ctx) {
        String username = ctx.pathParam("username");
        return authentication.admin(ctx).compose(admin -> users.devicesOf(username))
                .map(list -> new JsonObject().put("devices",
                        new JsonArray(list.stream().map(device -> deviceJson(device, channels)).toList())));
    }

    private Future<JsonObject> deleteDevice(RoutingContext ctx) {
        return authentication.adminChange(ctx, "device.removed", Authentication.NO_TARGET,
                        admin -> removal.remove(admin.user().username(),
                                Ids.parse(ctx.pathParam("deviceId"), "That device"), Optional.empty()))
                .map(device -> new JsonObject().put("deviceId", device.id().toString()).put("state", "removed"));
    }

    private static MfaState mfaState(String text) {
        return MfaState.parse(text).orElseThrow(() -> ApiError.badRequest("invalid_field",
                "mfaState: must be disabled, enabled or enforced."));
    }

    static JsonObject userJson(UserView view) {
        return new JsonObject()
                .put("username", view.user().username())
                .put("displayName", view.user().displayName())
                .put("role", view.user().role().wire())
                .put("mfaState", view.user().mfaState().wire())
                .put("effectiveMfa", effectiveMfaJson(view))
                .put("methodsRegistered", view.methodsRegistered())
                .put("pushSuspended", view.flags().pushSuspended())
                .put("lockedOut", view.flags().lockedOut());
    }

    /**
     * {@code {required, reason}} as {@link org.countersign.push.signin.MfaPolicy} decides a sign-in from an unknown
     * network; a user an enabled block policy refuses shows {@code {required:false, reason:"policy:<name>",
     * blocked:true}}, as no sign-in of theirs gets as far as MFA.
     */
    static JsonObject effectiveMfaJson(UserView view) {
        if (view.decision().blocked()) {
            return new JsonObject().put("required", false)
                    .put("reason", "policy:" + view.decision().blockedBy().orElseThrow()).put("blocked", true);
        }
        return new JsonObject().put("required", view.effectiveMfa().required())
                .put("reason", view.effectiveMfa().reason());
    }

    static JsonObject deviceJson(Device device, ChannelRegistry channels) {
        JsonObject json = new JsonObject()
                .put("deviceId", device.id().toString())
                .put("name", device.name())
                .put("platform", device.platform())
                .put("state", device.state().wire())
                .put("createdAt", device.createdAt().toString())
                .put("connected", !device.isRemoved() && channels.isConnected(device.id()));
        device.lastUsedAt().ifPresent(at -> json.put("lastUsedAt", at.toString()));
        return json;
    }
}
