package org.countersign.push.domain;

import java.util.Locale;
import java.util.Optional;

/** What a Conditional Access policy does to the sign-ins it applies to. */
public enum PolicyGrant {
    REQUIRE_MFA, BLOCK;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<PolicyGrant> parse(String text) {
        for (PolicyGrant grant : values()) {
            if (grant.wire().equals(text)) {
                return Optional.of(grant);
            }
        }
        return Optional.empty();
    }
}
