package org.countersign.push.domain;

import java.util.Locale;

/** Why a sign-in was denied (ARCHITECTURE.md §3.4). */
public enum DenialReason {
    USER_DENIED, WRONG_NUMBER, FRAUD_REPORTED, DEVICE_REMOVED,
    /** A relying party's TOTP check with a wrong or replayed code. */
    WRONG_CODE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DenialReason fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
