package org.countersign.push.http;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Tells a standing queue from a burst by the time each item waited in it (its sojourn time), after CoDel (Nichols
 * and Jacobson, 2012), for a queue whose length this node cannot count: the database pool's wait for a connection.
 * Everything a node does on PostgreSQL queues there, whether an HTTP request, a device's answer over its channel or
 * a push sent after a commit, so during an overload it is where work waits longest; HTTP latencies alone
 * ({@link StandingQueue}) see that queue only through the requests that cross it.
 *
 * <p>The rule. When every wait of a whole {@link StandingQueue#INTERVAL} was longer than the target, the queue
 * stands; one wait at or under the target ends it (nothing queued before that item, or it would have waited). As
 * the item that ends a standing queue arrives only with traffic, a queue also ends when no wait was seen for an
 * interval: with no work being served there is nothing to measure, and a node must not refuse new work forever.
 *
 * <p>Time is a monotonic nanosecond counter ({@link System#nanoTime()} in the service). Thread-safe: the pool
 * reports waits from every event loop.
 */
public final class StandingDelay {
    private static final long NONE = Long.MIN_VALUE;

    private final long targetNanos;
    private final long intervalNanos = StandingQueue.INTERVAL.toNanos();
    private final LongSupplier nanoTime;

    private long aboveSince = NONE;
    private long lastWaitAt = NONE;

    /**
     * @param target the wait the shortest of an interval may take without counting as a queue (positive)
     * @param nanoTime a monotonic clock in nanoseconds
     */
    public StandingDelay(Duration target, LongSupplier nanoTime) {
        Objects.requireNonNull(target, "target");
        if (target.isNegative() || target.isZero()) {
            throw new IllegalArgumentException("the target must be positive");
        }
        this.targetNanos = target.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** One item left the queue after waiting {@code nanos}. */
    public synchronized void waited(long nanos) {
        long now = nanoTime.getAsLong();
        lastWaitAt = now;
        if (nanos <= targetNanos) {
            aboveSince = NONE;
        } else if (aboveSince == NONE) {
            aboveSince = now;
        }
    }

    /** Whether every wait of at least the last interval exceeded the target, and waits are still being seen. */
    public synchronized boolean standing() {
        long now = nanoTime.getAsLong();
        if (aboveSince == NONE || now - lastWaitAt >= intervalNanos) {
            aboveSince = NONE;
            return false;
        }
        return now - aboveSince >= intervalNanos;
    }
}
