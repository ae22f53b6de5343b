package org.countersign.push.channel;

import io.vertx.core.http.ServerWebSocket;
import java.util.Objects;
import java.util.UUID;
import org.countersign.protocol.ChannelMessage;

/** One logged-in device connection. Kept small: a node holds many thousands of them. */
final class DeviceChannel {
    final UUID deviceId;
    final ServerWebSocket socket;
    /** Pings sent since the last pong; touched only by the keepalive and the socket's pong handler. */
    volatile int missedPongs;

    DeviceChannel(UUID deviceId, ServerWebSocket socket) {
        this.deviceId = Objects.requireNonNull(deviceId);
        this.socket = Objects.requireNonNull(socket);
    }

    void send(ChannelMessage message) {
        if (!socket.isClosed()) {
            socket.writeTextMessage(message.encode());
        }
    }

    void close(short code, String reason) {
        if (!socket.isClosed()) {
            socket.close(code, reason);
        }
    }
}
