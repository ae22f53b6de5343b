package org.countersign.authenticator.push;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * Exponential backoff with jitter for reconnecting a channel: attempt n waits between half and all of
 * {@code min(max, initial * 2^n)}, so many devices cut off at once do not all come back in the same second.
 */
public record Backoff(Duration initial, Duration max) {
    /** 1 s, doubling up to 30 s. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max");
        }
    }

    /** The wait before reconnect attempt {@code attempt} (0 for the first). */
    public Duration delay(int attempt, Random random) {
        long initialMillis = initial.toMillis();
        long maxMillis = max.toMillis();
        int doublings = Math.min(Math.max(attempt, 0), 30);
        long ceiling = initialMillis > (maxMillis >> doublings) ? maxMillis : Math.min(maxMillis, initialMillis << doublings);
        long half = ceiling / 2;
        return Duration.ofMillis(half + (long) (random.nextDouble() * (ceiling - half + 1)));
    }
}
