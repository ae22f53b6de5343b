package org.countersign.push.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.UUID;
import org.countersign.push.ApiError;
import org.countersign.push.channel.ChannelEndpoint;

/** {@code GET /api/v1/devices/{deviceId}/channel}: the WebSocket upgrade for a device's push channel. */
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
        ctx.request().toWebSocket()
                .onSuccess(socket -> {
                    forgetUpgrade(ctx.response(), socket);
                    endpoint.accept(socket, deviceId);
                })
                .onFailure(ctx::fail);
    }

    /**
     * Vert.x 5.0 keeps the upgrade request and its response for the channel's life, though the handshake wrote the
     * 101 answer and nobody reads either again: drop what they hold (the router's security headers and its
     * headers-end handler, which holds the whole routing context; the handshake's request headers), about 2 KB
     * per channel (docs/performance.md, idle channels).
     */
    private static void forgetUpgrade(HttpServerResponse response, ServerWebSocket socket) {
        response.headersEndHandler(null);
        response.headers().clear();
        socket.headers().clear();
    }
}
