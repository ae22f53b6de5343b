package org.countersign.push.domain;

import java.util.Locale;

/**
 * Why a sign-in was denied (ARCHITECTURE.md §3.4), or why it ended without an answer: {@code SUPERSEDED} goes with
 * the state {@code expired} (a newer challenge of the same user replaced it), {@code LOCKED_OUT} with {@code denied}
 * (the user was locked out before the approval was consumed).
 */
public enum DenialReason {
    USER_DENIED, WRONG_NUMBER, FRAUD_REPORTED, DEVICE_REMOVED, SUPERSEDED, LOCKED_OUT,
    /** A relying party's TOTP check with a wrong or replayed code. */
    WRONG_CODE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DenialReason fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
