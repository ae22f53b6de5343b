package org.countersign.protocol;

import java.util.Objects;

/**
 * A value received or built for the wire is invalid. The one error type of this package.
 *
 * <p>{@link #field()} names the offending field (for example {@code url}, {@code digits}, {@code signature});
 * {@link #getMessage()} is a human sentence that starts with that name, e.g.
 * {@code url: must use https (plain http only for a loopback host)}. Messages never contain secret values.
 */
public class ProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String reason;

    /**
     * @param field   the name of the invalid field, as it appears on the wire
     * @param message what is wrong, without the field name (it is prefixed)
     */
    public ProtocolException(String field, String message) {
        this(field, message, null);
    }

    /** As {@link #ProtocolException(String, String)}, keeping the lower-level cause for diagnostics. */
    public ProtocolException(String field, String message, Throwable cause) {
        super(Objects.requireNonNull(field, "field") + ": " + Objects.requireNonNull(message, "message"), cause);
        this.field = field;
        this.reason = message;
    }

    /** The name of the invalid field, as it appears on the wire. */
    public String field() {
        return field;
    }

    /** What is wrong, without the field prefix. */
    public String reason() {
        return reason;
    }
}
