package org.countersign.push.channel;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.net.impl.VertxHandler;

/**
 * Takes a device's connection away from Vert.x once Vert.x's HTTP server has done the WebSocket handshake: the
 * only class that knows Vert.x's internals.
 *
 * <p>Why: after the upgrade, Vert.x 5.0 keeps per channel a WebSocket connection with an eagerly allocated 1,024-slot
 * outbound queue (4.8 KB), its {@code ServerWebSocket} (0.9 KB), and, through the connection factory its pipeline
 * handler keeps in a final field, the HTTP/1 connection, request and response the channel was upgraded from
 * (1.9 KB): about 7.6 of an idle channel's 10.3 KB (docs/performance.md, idle channels). Removing that handler
 * from the pipeline frees all of them; Netty's frame decoder and encoder, which the handshake installed with the
 * server's options (frame size, no extensions), stay, followed by a {@link WebSocketFrameAggregator} and our
 * {@link AdoptedWebSocket}.
 *
 * <p>Vert.x API used (public, but internal or implementation packages of Vert.x 5.0; checked against 5.0.12 by
 * {@code ChannelTakeoverTest}): the request's context ({@link HttpServerRequestInternal#context}), the connection's
 * Netty channel ({@link HttpServerConnection#channelHandlerContext}; Vert.x Web wraps the {@code ServerWebSocket},
 * so {@code WebSocketInternal} is out of reach), the {@link VertxHandler} to remove and, in
 * {@link AdoptedWebSocket}, the server's shutdown event. No reflection.
 */
public final class WebSocketTakeover {
    /** The largest message a device may send, in bytes; also the server's WebSocket frame limit. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024;

    private WebSocketTakeover() {
    }

    /**
     * Takes over the connection of {@code upgraded}, whose {@code toWebSocket()} just succeeded; call on its event
     * loop, before returning to it, and forget the {@code ServerWebSocket} Vert.x returned. The socket's events run
     * on the request's context, as Vert.x's handlers did.
     *
     * @throws IllegalStateException if the pipeline is not the one Vert.x 5.0 leaves after a handshake (nothing was
     *                               changed then; close the {@code ServerWebSocket})
     */
    public static ChannelSocket adopt(HttpServerRequest upgraded) {
        ContextInternal context = ((HttpServerRequestInternal) upgraded).context();
        Channel channel = ((HttpServerConnection) upgraded.connection()).channelHandlerContext().channel();
        if (!channel.eventLoop().inEventLoop()) {
            throw new IllegalStateException("a WebSocket is taken over on its event loop only");
        }
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(WebSocketFrameDecoder.class) == null || pipeline.get(WebSocketFrameEncoder.class) == null
                || pipeline.get(VertxHandler.class) == null) {
            throw new IllegalStateException("not a pipeline Vert.x upgraded: " + pipeline.names());
        }
        pipeline.remove(VertxHandler.class);
        AdoptedWebSocket socket = new AdoptedWebSocket(channel, context);
        pipeline.addLast("countersign-frame-aggregator", new WebSocketFrameAggregator(MAX_MESSAGE_BYTES));
        pipeline.addLast("countersign-channel", socket);
        // Vert.x may have paused reading for the HTTP request; nobody else will resume it now
        channel.config().setAutoRead(true);
        return socket;
    }
}
