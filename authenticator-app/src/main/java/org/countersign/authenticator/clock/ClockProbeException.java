package org.countersign.authenticator.clock;

/** A clock could not be measured; the message is a sentence for the person. */
public final class ClockProbeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClockProbeException(String message) {
        super(message);
    }

    public ClockProbeException(String message, Throwable cause) {
        super(message, cause);
    }
}
