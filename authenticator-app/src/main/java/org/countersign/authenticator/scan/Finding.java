package org.countersign.authenticator.scan;

import java.util.Objects;

/**
 * One thing {@link OtpAuthDoctor} noticed in a URI. The message is a sentence that never repeats the secret.
 *
 * @param severity how much it matters
 * @param message  what is wrong or unusual, and what normalising does about it
 */
public record Finding(Severity severity, String message) {
    /** How much a finding matters. */
    public enum Severity {
        /** Unusual but harmless; normalising tidies it. */
        NOTE,
        /** Works here, but may break in other apps or weakens the account. */
        WARNING,
        /** The URI cannot be used. */
        ERROR
    }

    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }
}
