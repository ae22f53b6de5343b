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
 * <p>The rule. When every wait of a whole {@link StandingQueue#INTERVAL} was longer than the target, and there were
 * at least {@link #MIN_WAITS} of them, the queue stands; one wait at or under the target ends it (nothing queued
 * before that item, or it would have waited). The count keeps a few slow waits from passing for a queue: at start
 * the pool opens its connections while the first requests wait (a benchmark's first sign-in was refused so, with a
 * lower target), where an overload brings hundreds of waits an interval. As the item that ends a standing queue
 * arrives only with traffic, a queue also ends when no wait was seen for a {@link #QUIET} second: with no work being
 * served there is nothing to measure, and a node must not refuse new work forever. (Not after one interval: slow
 * statements that all end together leave gaps longer than that while others still wait.)
 *
 * <p>Time is a monotonic nanosecond counter ({@link System#nanoTime()} in the service). Thread-safe: the pool
 * reports waits from every event loop.
 */
public final class StandingDelay {
    /** How long without any wait ends a standing queue. */
    public static final Duration QUIET = Duration.ofSeconds(1);
    /** The fewest waits above the target, in a row, that make a standing queue. */
    public static final int MIN_WAITS = 32;
    private static final long NONE = Long.MIN_VALUE;

    private final long targetNanos;
    private final long intervalNanos = StandingQueue.INTERVAL.toNanos();
    private final long quietNanos = QUIET.toNanos();
    private final LongSupplier nanoTime;

    private long aboveSince = NONE;
    private int waitsAbove;
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
            waitsAbove = 0;
        } else {
            if (aboveSince == NONE) {
                aboveSince = now;
            }
            waitsAbove++;
        }
    }

    /**
     * Whether every wait of at least the last interval exceeded the target, there were {@link #MIN_WAITS} of them,
     * and waits were seen within the last {@link #QUIET} second.
     */
    public synchronized boolean standing() {
        long now = nanoTime.getAsLong();
        if (aboveSince == NONE || now - lastWaitAt >= quietNanos) {
            aboveSince = NONE;
            waitsAbove = 0;
            return false;
        }
        return now - aboveSince >= intervalNanos && waitsAbove >= MIN_WAITS;
    }
}
