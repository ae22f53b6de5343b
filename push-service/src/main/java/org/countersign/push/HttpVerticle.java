package org.countersign.push;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.countersign.push.channel.WebSocketTakeover;
import org.countersign.push.http.ApiRouter;
import org.countersign.push.http.InvalidRequests;

/** One HTTP server instance; several run side by side, one per event loop, sharing the port. */
final class HttpVerticle extends VerticleBase {
    private final Config config;
    private final ApiRouter.Services services;
    private HttpServer server;

    HttpVerticle(Config config, ApiRouter.Services services) {
        this.config = Objects.requireNonNull(config);
        this.services = Objects.requireNonNull(services);
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                // protocol frames are small; this bounds what one device can make the node buffer (the frame
                // decoder the handshake installs keeps this limit after the channel is taken over)
                .setMaxWebSocketFrameSize(WebSocketTakeover.MAX_MESSAGE_BYTES)
                .setMaxWebSocketMessageSize(WebSocketTakeover.MAX_MESSAGE_BYTES)
                // frames are small JSON: no permessage-deflate, so no client can make the node keep a zlib
                // deflater and inflater (about 300 KB, mostly native) for each channel
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false)
                // every response is written on its request's event loop (see SignInWaiters, ClientAuthenticator):
                // an HTTP/1 connection then writes directly instead of through a cross-thread queue, whose first
                // 1,024-slot chunk (4.8 KB) Vert.x 5.0 keeps for the life of each channel upgraded from it
                .setStrictThreadMode(true)
                .setIdleTimeout(0);
        config.tls().ifPresent(tls -> options.setSsl(true).setKeyCertOptions(tls.keyCertOptions()));
        server = vertx.createHttpServer(options)
                .invalidRequestHandler(InvalidRequests::answer)
                .requestHandler(ApiRouter.create(vertx, services));
        return server.listen();
    }

    @Override
    public Future<?> stop() {
        // bounded graceful shutdown: long polls and channels get two seconds, not Vert.x's default thirty
        return server == null ? Future.succeededFuture() : server.shutdown(2, TimeUnit.SECONDS);
    }
}
