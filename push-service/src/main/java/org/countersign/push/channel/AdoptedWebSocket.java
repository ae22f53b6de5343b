package org.countersign.push.channel;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.impl.ShutdownEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of an upgraded channel's pipeline once {@link WebSocketTakeover} removed Vert.x's: after
 * Netty's frame decoder, encoder and a {@code WebSocketFrameAggregator}, it is the whole WebSocket connection. One
 * small object per channel instead of Vert.x's connection, socket and their queues (docs/performance.md).
 *
 * <p>It does what Vert.x's WebSocket connection did for us: answers pings with pongs, answers the peer's close
 * frame with the same code and closes the TCP connection, closes the TCP connection {@link #CLOSE_TIMEOUT} after
 * our own close frame if the peer never answers it, and turns Vert.x's server shutdown event into
 * {@link Events#onShutdown}. Frame handling, close state and timers run on the channel's event loop only; callers on
 * other threads reach them through Netty's thread-safe writes or a task on that loop. Inbound events go to the
 * channel's Vert.x context ({@link ContextInternal#emit}, which runs them at once when already on it).
 *
 * <p>Back-pressure: a peer that stops reading must not make the node queue pushes without bound. A text frame or
 * ping written while the channel is over Netty's write high-water mark (64 KB not yet taken by the kernel) closes the
 * TCP connection instead; the device reconnects and is sent what is still pending at login.
 */
final class AdoptedWebSocket extends ChannelDuplexHandler implements ChannelSocket {
    /** How long a close frame waits for the peer's answer: Vert.x's default WebSocket closing timeout, as before. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(HttpServerOptions.DEFAULT_WEBSOCKET_CLOSING_TIMEOUT);
    private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);

    private final Channel channel;
    private final ContextInternal context;
    private ChannelHandlerContext ctx;
    private Events events;
    private ScheduledFuture<?> closeTimer;
    /** Written on the event loop, read anywhere: a close frame was sent or received, or the channel is gone. */
    private volatile boolean closed;
    private boolean closeSent;
    private boolean closeReceived;
    private boolean closedNotified;

    AdoptedWebSocket(Channel channel, ContextInternal context) {
        this.channel = Objects.requireNonNull(channel);
        this.context = Objects.requireNonNull(context);
    }

    @Override
    public void listen(Events events) {
        this.events = Objects.requireNonNull(events);
        if (!channel.isActive()) {
            channelGone();
        }
    }

    @Override
    public void sendText(String text) {
        write(new TextWebSocketFrame(text));
    }

    @Override
    public void ping() {
        write(new PingWebSocketFrame(Unpooled.wrappedBuffer(PING)));
    }

    private void write(WebSocketFrame frame) {
        if (closed) {
            frame.release();
        } else if (!channel.isWritable()) {
            frame.release();
            closed = true;
            channel.close();
        } else {
            channel.writeAndFlush(frame, channel.voidPromise());
        }
    }

    @Override
    public void close(short code, String reason) {
        if (channel.eventLoop().inEventLoop()) {
            sendClose(code, reason);
            return;
        }
        try {
            channel.eventLoop().execute(() -> sendClose(code, reason));
        } catch (RejectedExecutionException e) {
            // the event loop is shutting down, and the channel with it
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    private void sendClose(short code, String reason) {
        if (closeSent || ctx == null || !channel.isActive()) {
            return;
        }
        closeSent = true;
        closed = true;
        ChannelFuture written = ctx.writeAndFlush(new CloseWebSocketFrame(code, reason));
        if (closeReceived) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
        closeAfterTimeout();
    }

    /** However the close handshake goes, the connection ends within {@link #CLOSE_TIMEOUT} of our close frame. */
    private void closeAfterTimeout() {
        ChannelHandlerContext context = ctx;
        closeTimer = ctx.executor().schedule(() -> context.close(), CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof CloseWebSocketFrame close) {
                onCloseFrame(close);
            } else if (closeSent) {
                return; // we asked to close: nothing the peer sends now changes anything
            } else if (msg instanceof TextWebSocketFrame text) {
                String message = text.text();
                emit(() -> events.onText(message));
            } else if (msg instanceof BinaryWebSocketFrame) {
                emit(() -> events.onBinary());
            } else if (msg instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()), ctx.voidPromise());
            } else if (msg instanceof PongWebSocketFrame) {
                emit(() -> events.onPong());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The peer's close: the answer to ours (close the connection now), or its own (answer with the same body). */
    private void onCloseFrame(CloseWebSocketFrame frame) {
        closeReceived = true;
        closed = true;
        if (closeSent) {
            ctx.close();
        } else {
            closeSent = true;
            ctx.writeAndFlush(new CloseWebSocketFrame(true, 0, frame.content().retainedDuplicate()))
                    .addListener(ChannelFutureListener.CLOSE);
            closeAfterTimeout(); // should the answer never be written (a peer that stopped reading)
        }
    }

    /** Data frames written after our close frame are dropped here, in write order, on the event loop. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (closeSent) {
            ReferenceCountUtil.release(msg);
            if (!promise.isVoid()) {
                promise.tryFailure(new IOException("WebSocket closed"));
            }
        } else {
            ctx.write(msg, promise);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            ctx.close(); // the connection broke: nobody to tell
            return;
        }
        // a message over the limit (the aggregator), or a frame the decoder refused, after which it discards all
        // input: our close frame's answer will not be read then, and the closing timeout ends the connection, as
        // with Vert.x (closing at once could reset the connection, losing the close frame, while the peer still sends)
        if (!closeSent) {
            emit(() -> events.onUnreadable());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ShutdownEvent) {
            emit(() -> events.onShutdown());
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        channelGone();
        ctx.fireChannelInactive();
    }

    private void channelGone() {
        closed = true;
        if (closeTimer != null) {
            closeTimer.cancel(false);
            closeTimer = null;
        }
        if (!closedNotified && events != null) {
            closedNotified = true;
            emit(() -> events.onClosed());
        }
    }

    private void emit(Runnable event) {
        if (events != null) {
            context.emit(null, ignored -> event.run());
        }
    }
}
