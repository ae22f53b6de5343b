package org.countersign.authenticator.push;

/**
 * A call to the push service failed. The message is a sentence for the person: the service's own message for a
 * refused request, or what went wrong on the way (unreachable, timed out, unexpected answer).
 */
public final class PushException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String errorCode;

    public PushException(String message, int status, String errorCode, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    public PushException(String message) {
        this(message, 0, null, null);
    }

    /** The HTTP status of the service's answer, or 0 when there was none. */
    public int status() {
        return status;
    }

    /** The service's {@code error} code (for example {@code invalid_code}), or null. */
    public String errorCode() {
        return errorCode;
    }
}
