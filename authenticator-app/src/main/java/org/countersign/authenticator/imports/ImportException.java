package org.countersign.authenticator.imports;

/** A source that cannot be imported at all (wrong password, not the format it claims); a sentence for the person. */
public final class ImportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
