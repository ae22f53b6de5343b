package org.countersign.push.channel;

/**
 * A device's WebSocket as the channel code sees it: text and pings out, a close with code and reason, and the
 * peer's events in. Kept to what {@link ChannelEndpoint} and {@link ChannelRegistry} need, so that neither depends
 * on how the connection is carried ({@link AdoptedWebSocket}: on the Netty pipeline Vert.x upgraded).
 *
 * <p>Threading: {@link #sendText}, {@link #ping}, {@link #close} and {@link #isClosed} may be called from any thread
 * (pushes come from other event loops and the cluster bus); frames written from one thread arrive in the order they
 * were written. Every {@link Events} callback runs on the Vert.x context that accepted the upgrade, so what it
 * starts (database queries, timers) completes there too.
 */
public interface ChannelSocket {
    /** Starts delivering the peer's events to {@code events}. Call once, on the socket's context. */
    void listen(Events events);

    /** Sends one text message; dropped once the socket is closing. */
    void sendText(String text);

    /** Sends a ping, which the peer answers with a pong ({@link Events#onPong}). */
    void ping();

    /**
     * Closes with a WebSocket close frame carrying {@code code} and {@code reason}, then the TCP connection once the
     * peer answered with its close frame, or after a timeout if it never does. Does nothing once closing.
     */
    void close(short code, String reason);

    /** Whether a close frame was sent or received, or the connection is gone: nothing more will be sent. */
    boolean isClosed();

    /** What the peer does, delivered on the socket's context. */
    interface Events {
        /** A complete text message (fragments already joined). */
        void onText(String text);

        /** A complete binary message (its content is dropped). */
        void onBinary();

        /** The answer to one of our pings. */
        void onPong();

        /** A message over the size limit, or a frame that breaks the protocol. */
        void onUnreadable();

        /** The node's HTTP server is shutting down and asks its connections to go. */
        void onShutdown();

        /** The TCP connection is closed; called once, last. */
        void onClosed();
    }
}
