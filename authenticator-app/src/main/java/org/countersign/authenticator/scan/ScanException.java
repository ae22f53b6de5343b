package org.countersign.authenticator.scan;

/** Nothing usable could be scanned; the message is a sentence for the person, never a stack trace. */
public final class ScanException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ScanException(String message) {
        super(message);
    }

    public ScanException(String message, Throwable cause) {
        super(message, cause);
    }
}
