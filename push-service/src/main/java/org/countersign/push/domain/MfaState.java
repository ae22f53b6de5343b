package org.countersign.push.domain;

import java.util.Locale;
import java.util.Optional;

/** Per-user MFA state, as in the admin documents: disabled, enabled (must register), enforced. */
public enum MfaState {
    DISABLED, ENABLED, ENFORCED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code disabled|enabled|enforced}, ignoring case; empty for anything else. */
    public static Optional<MfaState> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (MfaState state : values()) {
            if (state.wire().equalsIgnoreCase(text.trim())) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
