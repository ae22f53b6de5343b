package org.countersign.authenticator.vault;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The last measured difference between the local clock and a service's clock, kept in the vault so that
 * {@code code} can warn about it later.
 *
 * @param source     the service's origin, {@code scheme://host[:port]}
 * @param skew       the service's clock minus the local clock (positive: the local clock is behind)
 * @param measuredAt when it was measured, by the local clock
 */
public record ClockCheck(String source, Duration skew, Instant measuredAt) {
    public ClockCheck {
        TotpAccount.requireText(source, "source");
        Objects.requireNonNull(skew, "skew");
        Objects.requireNonNull(measuredAt, "measuredAt");
    }
}
