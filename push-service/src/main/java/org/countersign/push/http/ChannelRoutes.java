package org.countersign.push.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.UUID;
import org.countersign.push.ApiError;
import org.countersign.push.channel.ChannelEndpoint;
import org.countersign.push.channel.WebSocketTakeover;

/**
 * {@code GET /api/v1/devices/{deviceId}/channel}: the WebSocket upgrade for a device's push channel. Vert.x does the
 * handshake (size limits, no compression, TLS as configured on the server); then the channel's connection is taken
 * away from Vert.x ({@link WebSocketTakeover}) and the {@code ServerWebSocket}, the upgrade request and its routing
 * context are left to the garbage collector.
 */
final class ChannelRoutes {
    private final ChannelEndpoint endpoint;

    ChannelRoutes(ChannelEndpoint endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint);
    }

    void mount(Router router) {
        router.get("/api/v1/devices/:deviceId/channel").handler(this::upgrade);
    }

    private void upgrade(RoutingContext ctx) {
        UUID deviceId = Ids.parse(ctx.pathParam("deviceId"), "That device");
        if (!ctx.request().canUpgradeToWebSocket()) {
            throw ApiError.badRequest("websocket_required", "This address is a WebSocket: connect with an upgrade.");
        }
        HttpServerRequest request = ctx.request();
        request.toWebSocket()
                .onSuccess(socket -> {
                    try {
                        endpoint.accept(WebSocketTakeover.adopt(request), deviceId);
                    } catch (RuntimeException e) {
                        // a Vert.x whose internals changed: say so to the device rather than leave it silent
                        socket.close((short) 1011, "try again later");
                        throw e;
                    }
                })
                .onFailure(ctx::fail);
    }
}
