package org.countersign.push.db;

/**
 * The PostgreSQL server programs ({@code initdb}, {@code pg_ctl}, {@code postgres}) are not installed where the
 * service looks for them. The message says where it looked and how to install them, or how to use an existing
 * server with {@code --database-url} instead.
 */
public final class PostgresNotFoundException extends EmbeddedPostgresException {

    private static final long serialVersionUID = 1L;

    public PostgresNotFoundException(String message) {
        super(message);
    }
}
