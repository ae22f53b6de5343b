package org.countersign.push.rp;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client on this node: a client may start {@code ratePerSecond} checks per second, with bursts
 * of up to one second's worth. Limits are per node (n nodes allow n times the rate), so a busy client never waits
 * for a shared counter. Time comes from the injected clock, so tests refill buckets by moving it.
 */
public final class RateLimits {
    /** Clients beyond this many buckets reset the table, which bounds memory (at worst it forgives a burst). */
    static final int MAX_BUCKETS = 10_000;

    private final Clock clock;
    private final Map<UUID, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimits(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    /** Takes one token for the client: empty when allowed, otherwise how long until a token is free. */
    public Optional<Duration> take(UUID clientId, int ratePerSecond) {
        if (buckets.size() > MAX_BUCKETS) {
            buckets.clear();
        }
        Bucket bucket = buckets.computeIfAbsent(clientId, id -> new Bucket(ratePerSecond, clock.millis()));
        return bucket.take(ratePerSecond, clock.millis());
    }

    /** Forgets a client (it was revoked). */
    public void forget(UUID clientId) {
        buckets.remove(clientId);
    }

    private static final class Bucket {
        private double tokens;
        private long updatedAt;

        Bucket(int capacity, long now) {
            this.tokens = capacity;
            this.updatedAt = now;
        }

        synchronized Optional<Duration> take(int ratePerSecond, long now) {
            long elapsed = Math.max(0, now - updatedAt);
            tokens = Math.min(ratePerSecond, tokens + elapsed * ratePerSecond / 1000.0);
            updatedAt = Math.max(updatedAt, now);
            if (tokens >= 1) {
                tokens -= 1;
                return Optional.empty();
            }
            long waitMillis = (long) Math.ceil((1 - tokens) * 1000.0 / ratePerSecond);
            return Optional.of(Duration.ofMillis(Math.max(1, waitMillis)));
        }
    }
}
