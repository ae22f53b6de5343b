package org.countersign.push.domain;

import java.util.Locale;
import java.util.Optional;

/** What a user may do: a plain user, or an administrator of the service. */
public enum Role {
    USER, ADMIN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (Role role : values()) {
            if (role.wire().equalsIgnoreCase(text.trim())) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
