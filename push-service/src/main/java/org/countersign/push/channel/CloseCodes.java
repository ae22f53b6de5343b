package org.countersign.push.channel;

/** WebSocket close codes the service uses (4000–4999 is the range for applications). */
public final class CloseCodes {
    /** The login frame was missing, malformed or not signed by the device's key. */
    public static final short LOGIN_REFUSED = 4401;
    /** The device is unknown or was removed. */
    public static final short DEVICE_REMOVED = 4403;
    /** No login within the allowed time. */
    public static final short LOGIN_TIMEOUT = 4408;
    /** A newer connection of the same device took over. */
    public static final short REPLACED = 4409;
    /** Two pings went unanswered. */
    public static final short NO_PONG = 4410;
    /** The node is shutting down: come back, possibly to another node (RFC 6455 "going away"). */
    public static final short GOING_AWAY = 1001;
    /** A frame that is not a protocol message. */
    public static final short BAD_MESSAGE = 4400;
    /** A message over the size limit (the standard code). */
    public static final short TOO_BIG = 1009;

    private CloseCodes() {
    }
}
