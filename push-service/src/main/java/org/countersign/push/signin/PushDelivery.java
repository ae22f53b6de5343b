package org.countersign.push.signin;

import java.util.UUID;
import org.countersign.protocol.ChannelMessage;

/** Sends frames to the live channel of a device, wherever it is held. Fire and forget: delivery is best effort. */
public interface PushDelivery {
    /** Sends the message if the device has a live channel; returns whether one was found. */
    boolean send(UUID deviceId, ChannelMessage message);

    /** Closes the device's live channel, if any, with the given reason. */
    void disconnect(UUID deviceId, String reason);
}
