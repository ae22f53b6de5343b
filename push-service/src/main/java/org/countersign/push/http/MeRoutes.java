package org.countersign.push.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.countersign.push.ApiError;
import org.countersign.push.admin.DeviceRemoval;
import org.countersign.push.channel.ChannelRegistry;
import org.countersign.push.store.DeviceStore;

/** {@code /api/v1/me}: a person's own sign-in methods, and removing their own lost device. */
final class MeRoutes {
    private final DeviceStore devices;
    private final Pool pool;
    private final DeviceRemoval removal;
    private final ChannelRegistry channels;
    private final Authentication authentication;

    MeRoutes(Pool pool, DeviceStore devices, DeviceRemoval removal, ChannelRegistry channels,
             Authentication authentication) {
        this.pool = Objects.requireNonNull(pool);
        this.devices = Objects.requireNonNull(devices);
        this.removal = Objects.requireNonNull(removal);
        this.channels = Objects.requireNonNull(channels);
        this.authentication = Objects.requireNonNull(authentication);
    }

    void mount(Router router) {
        router.get("/api/v1/me/methods").respond(this::methods);
        router.delete("/api/v1/me/devices/:deviceId").respond(this::deleteDevice);
    }

    private Future<JsonObject> methods(RoutingContext ctx) {
        return authentication.anySession(ctx)
                .compose(session -> devices.activeForUser(pool, session.user().id()))
                .map(list -> new JsonObject().put("methods", new JsonArray(list.stream()
                        .map(device -> AdminRoutes.deviceJson(device, channels).put("type", "authenticator_app"))
                        .toList())));
    }

    /** Removing a device needs a sign-in completed with MFA: a password alone must not unplug someone's phone. */
    private Future<JsonObject> deleteDevice(RoutingContext ctx) {
        UUID deviceId = Ids.parse(ctx.pathParam("deviceId"), "That device");
        return authentication.fullSession(ctx).compose(session -> {
            if (!session.mfaCompleted()) {
                return Future.failedFuture(new ApiError(403, "mfa_required",
                        "Removing a device needs a sign-in completed with MFA. Ask an admin if you lost your only one."));
            }
            return removal.remove(session.user().username(), deviceId, Optional.of(session.user().id()));
        }).map(device -> new JsonObject().put("deviceId", device.id().toString()).put("state", "removed"));
    }
}
