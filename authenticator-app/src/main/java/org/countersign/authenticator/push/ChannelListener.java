package org.countersign.authenticator.push;

import java.time.Duration;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.DeviceAdded;

/**
 * What a {@link ChannelClient} reports. Calls come from the client's network threads, one at a time per channel;
 * keep them short and hand work to your own thread. An exception thrown here is ignored.
 */
public interface ChannelListener {

    /** A sign-in asks for this device's approval. The same request may arrive again after a reconnect. */
    void onRequest(PushAccount account, ApprovalRequest request);

    /** The channel is logged in and will deliver requests. */
    default void onReady(PushAccount account) {
    }

    /** The service's verdict on an answer sent over the channel. */
    default void onResult(PushAccount account, ApprovalResult result) {
    }

    /**
     * A new device was added to this account: the person should know, as it may be someone else's. A result for a
     * sign-in this device did not answer ({@code expired}, reason {@code superseded}) comes through
     * {@link #onResult}: the prompt for it should go.
     */
    default void onDeviceAdded(PushAccount account, DeviceAdded notice) {
    }

    /** The connection failed or dropped; the client tries again after {@code retryIn}. */
    default void onDisconnected(PushAccount account, String reason, Duration retryIn) {
    }

    /**
     * The service closed the channel, with its status code and reason (for example that the device was removed).
     *
     * @param reconnecting whether the client will try again (only for closes that mean "come back later")
     */
    default void onClosedByService(PushAccount account, int statusCode, String reason, boolean reconnecting) {
    }

    /** The service sent a frame that is not a valid channel message; it was skipped. */
    default void onProtocolError(PushAccount account, String message) {
    }
}
