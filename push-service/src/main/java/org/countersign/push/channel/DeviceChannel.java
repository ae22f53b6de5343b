package org.countersign.push.channel;

import java.util.Objects;
import java.util.UUID;
import org.countersign.protocol.ChannelMessage;

/** One logged-in device connection. Kept small: a node holds many thousands of them. */
final class DeviceChannel {
    final UUID deviceId;
    final ChannelSocket socket;
    /** Pings sent since the last pong; touched only by the keepalive and the socket's pong event. */
    volatile int missedPongs;

    DeviceChannel(UUID deviceId, ChannelSocket socket) {
        this.deviceId = Objects.requireNonNull(deviceId);
        this.socket = Objects.requireNonNull(socket);
    }

    void send(ChannelMessage message) {
        if (!socket.isClosed()) {
            socket.sendText(message.encode());
        }
    }

    void close(short code, String reason) {
        socket.close(code, reason);
    }
}
