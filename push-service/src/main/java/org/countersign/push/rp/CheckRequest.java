package org.countersign.push.rp;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A relying party's request for a second factor, already validated by the HTTP layer: a push to the user's
 * devices, or a TOTP code the relying party collected (then {@code code} is present).
 */
public record CheckRequest(String username, Factor factor, Optional<String> code, String app, Optional<String> ip,
                           Optional<String> location) {
    /** How the second factor is checked. */
    public enum Factor {
        PUSH, TOTP;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public CheckRequest {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(factor, "factor");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(location, "location");
        if ((factor == Factor.TOTP) != code.isPresent()) {
            throw new IllegalArgumentException("a code goes with the totp factor, and only with it");
        }
    }

    @Override
    public String toString() {
        return "CheckRequest[" + username + ", " + factor.wire() + ", app=" + app + ", code redacted]";
    }
}
