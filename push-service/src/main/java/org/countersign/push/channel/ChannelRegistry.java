package org.countersign.push.channel;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.countersign.protocol.ChannelMessage;
import org.countersign.push.signin.PushDelivery;

/**
 * The channels this node holds, by device. One channel per device: a newer login replaces the older one. One
 * periodic keepalive pings every channel and closes those that missed two pongs (no timer per channel). What is
 * meant for a device whose channel is not here goes to the other nodes ({@link #forwardMissesTo}).
 */
public final class ChannelRegistry implements PushDelivery {
    private static final int MAX_MISSED_PONGS = 2;

    /** Before the node joins a cluster: nobody else to tell. */
    private static final PushDelivery NOWHERE = new PushDelivery() {
        @Override
        public boolean send(UUID deviceId, ChannelMessage message) {
            return false;
        }

        @Override
        public void disconnect(UUID deviceId, String reason) {
        }
    };

    private final Map<UUID, DeviceChannel> channels = new ConcurrentHashMap<>();
    private long keepaliveTimer = -1;
    private volatile PushDelivery otherNodes = NOWHERE;

    /** Starts pinging every channel every {@code interval}. */
    public void startKeepalive(Vertx vertx, Duration interval) {
        keepaliveTimer = vertx.setPeriodic(interval.toMillis(), t -> sweep());
    }

    public void stopKeepalive(Vertx vertx) {
        if (keepaliveTimer >= 0) {
            vertx.cancelTimer(keepaliveTimer);
        }
    }

    void register(DeviceChannel channel) {
        DeviceChannel previous = channels.put(channel.deviceId, channel);
        if (previous != null && previous != channel) {
            previous.close(CloseCodes.REPLACED, "replaced by a newer connection");
        }
    }

    void unregister(DeviceChannel channel) {
        channels.remove(channel.deviceId, channel);
    }

    /** From now on, messages for devices not held here, and every disconnect, also go to {@code otherNodes}. */
    public void forwardMissesTo(PushDelivery otherNodes) {
        this.otherNodes = Objects.requireNonNull(otherNodes);
    }

    /** Sends here when the channel is on this node (answers true), else hands the message to the other nodes. */
    @Override
    public boolean send(UUID deviceId, ChannelMessage message) {
        return sendHere(deviceId, message) || otherNodes.send(deviceId, message);
    }

    /** Sends the message if this node holds the device's channel; returns whether it does. */
    public boolean sendHere(UUID deviceId, ChannelMessage message) {
        DeviceChannel channel = channels.get(deviceId);
        if (channel == null) {
            return false;
        }
        channel.send(message);
        return true;
    }

    /** Closes the channel here and on every other node: a removed device may hold a stale one elsewhere. */
    @Override
    public void disconnect(UUID deviceId, String reason) {
        disconnectHere(deviceId, reason);
        otherNodes.disconnect(deviceId, reason);
    }

    /** Closes the device's channel if this node holds it, with the removal close code. */
    public void disconnectHere(UUID deviceId, String reason) {
        DeviceChannel channel = channels.remove(deviceId);
        if (channel != null) {
            channel.close(CloseCodes.DEVICE_REMOVED, reason);
        }
    }

    /** Tells every device this node is going away (they reconnect, possibly elsewhere) and forgets them. */
    public void closeAll() {
        for (DeviceChannel channel : channels.values()) {
            unregister(channel);
            channel.close((short) 1001, "service shutting down");
        }
    }

    /** The devices whose channels this node holds now (a snapshot). */
    public List<UUID> heldDeviceIds() {
        return List.copyOf(channels.keySet());
    }

    public boolean isConnected(UUID deviceId) {
        return channels.containsKey(deviceId);
    }

    public int size() {
        return channels.size();
    }

    private void sweep() {
        for (DeviceChannel channel : channels.values()) {
            if (channel.missedPongs >= MAX_MISSED_PONGS) {
                unregister(channel);
                channel.close(CloseCodes.NO_PONG, "no pong");
            } else {
                channel.missedPongs++;
                channel.socket.ping();
            }
        }
    }
}
