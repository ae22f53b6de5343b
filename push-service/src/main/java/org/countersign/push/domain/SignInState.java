package org.countersign.push.domain;

import java.util.Locale;

/** Sign-in states of ARCHITECTURE.md §3.4, plus the answer for a user who must first register a method. */
public enum SignInState {
    PENDING, APPROVED, DENIED, EXPIRED, REGISTRATION_REQUIRED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SignInState fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }

    public boolean isFinal() {
        return this != PENDING;
    }
}
