package org.countersign.authenticator.gui;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** Decides when the app locks itself: after {@code timeout} without a key press or a mouse action. */
public final class IdleLock {
    /** Five minutes, as the design says. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private final Clock clock;
    private final Duration timeout;
    private volatile Instant lastActivity;

    /** @param timeout zero or negative means never */
    public IdleLock(Clock clock, Duration timeout) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.lastActivity = clock.instant();
    }

    public Duration timeout() {
        return timeout;
    }

    /** The person did something. */
    public void activity() {
        lastActivity = clock.instant();
    }

    /** Whether the idle time has been reached. */
    public boolean shouldLock() {
        return !timeout.isZero() && !timeout.isNegative()
                && !clock.instant().isBefore(lastActivity.plus(timeout));
    }
}
