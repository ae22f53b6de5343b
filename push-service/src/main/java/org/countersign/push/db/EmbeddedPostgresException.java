package org.countersign.push.db;

/**
 * The embedded PostgreSQL server could not be prepared, started or stopped. The message is a sentence meant for
 * the person running the service: what went wrong and what to do about it (it may include the tail of the server
 * log). It never contains the database password.
 */
public class EmbeddedPostgresException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EmbeddedPostgresException(String message) {
        super(message);
    }

    public EmbeddedPostgresException(String message, Throwable cause) {
        super(message, cause);
    }
}
