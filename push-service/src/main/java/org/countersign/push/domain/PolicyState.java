package org.countersign.push.domain;

import java.util.Locale;
import java.util.Optional;

/** Whether a Conditional Access policy is evaluated at sign-in. */
public enum PolicyState {
    ENABLED, DISABLED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<PolicyState> parse(String text) {
        for (PolicyState state : values()) {
            if (state.wire().equals(text)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
