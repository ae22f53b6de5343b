package org.countersign.authenticator.cli;

/** A user-facing failure: printed as one line on stderr, exit code 1. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }
}
