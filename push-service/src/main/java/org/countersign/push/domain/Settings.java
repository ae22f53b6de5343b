package org.countersign.push.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * Service-wide settings an admin controls (ARCHITECTURE.md §4). {@code pushLimitPer10Minutes} bounds the pushes one
 * user receives in a rolling 10 minutes (push fatigue); {@code nistProfile} asks for NIST SP 800-63B rev 4's
 * 6-digit numbers, so it cannot be on with fewer digits.
 */
public record Settings(boolean securityDefaults, Instant securityDefaultsSince, boolean appPasswordsAllowed,
                       int rememberMfaDays, int numberDigits, int pushLimitPer10Minutes, boolean nistProfile) {
    public static final int DEFAULT_PUSH_LIMIT = 10;
    public static final int NIST_NUMBER_DIGITS = 6;

    /** Settings with the default push limit and without the NIST profile. */
    public Settings(boolean securityDefaults, Instant securityDefaultsSince, boolean appPasswordsAllowed,
                    int rememberMfaDays, int numberDigits) {
        this(securityDefaults, securityDefaultsSince, appPasswordsAllowed, rememberMfaDays, numberDigits,
                DEFAULT_PUSH_LIMIT, false);
    }

    public Settings {
        Objects.requireNonNull(securityDefaultsSince, "securityDefaultsSince");
        if (rememberMfaDays < 0 || rememberMfaDays > 365) {
            throw new IllegalArgumentException("rememberMfaDays must be 0..365");
        }
        if (numberDigits < 2 || numberDigits > 6) {
            throw new IllegalArgumentException("numberDigits must be 2..6");
        }
        if (pushLimitPer10Minutes < 1) {
            throw new IllegalArgumentException("pushLimitPer10Minutes must be at least 1");
        }
        if (nistProfile && numberDigits != NIST_NUMBER_DIGITS) {
            throw new IllegalArgumentException("numberDigits: the NIST profile needs 6-digit numbers");
        }
    }
}
