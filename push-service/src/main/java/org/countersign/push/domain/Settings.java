package org.countersign.push.domain;

import java.time.Instant;
import java.util.Objects;

/** Service-wide settings an admin controls (ARCHITECTURE.md §4). */
public record Settings(boolean securityDefaults, Instant securityDefaultsSince, boolean appPasswordsAllowed,
                       int rememberMfaDays, int numberDigits) {
    public Settings {
        Objects.requireNonNull(securityDefaultsSince, "securityDefaultsSince");
        if (rememberMfaDays < 0 || rememberMfaDays > 365) {
            throw new IllegalArgumentException("rememberMfaDays must be 0..365");
        }
        if (numberDigits < 2 || numberDigits > 6) {
            throw new IllegalArgumentException("numberDigits must be 2..6");
        }
    }
}
