package org.countersign.push.domain;

import java.util.Locale;

/** A full session may do everything its user may; a registration session may only register a method. */
public enum SessionScope {
    FULL, REGISTRATION;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SessionScope fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
