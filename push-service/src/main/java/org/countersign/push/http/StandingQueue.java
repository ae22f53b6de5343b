package org.countersign.push.http;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Tells a standing queue from a burst, after CoDel (Nichols and Jacobson, "Controlling Queue Delay", 2012), applied
 * to a node's requests: it decides whether new work should be refused so that work already admitted finishes.
 *
 * <p>Why the minimum latency, not the mean or a percentile: every request's latency is its service time plus the
 * time it waited (for the event loop, a database connection, a lock). Service times differ, but if even the fastest
 * request of the last interval took longer than the target, nothing got through without waiting: requests are
 * queueing faster than they are served. A burst, a garbage-collection pause or one slow query also push latencies
 * up, but some request completes quickly within the interval, and the node absorbs it without refusing anything.
 * Measuring the queue this way needs no knowledge of where the queue is.
 *
 * <p>The rule. The latencies are samples of requests that do not wait on purpose (the caller leaves out long polls,
 * password hashing and failures). Once samples have stayed above the target for a whole {@link #INTERVAL}, the
 * node is <em>overloaded</em> and {@link #admitsNewWork()} answers false. It admits again as soon as one sample is
 * at or under the target (the minimum fell below it) or the queue is empty: no request left in service, or only the
 * one asking. As in CoDel, an empty queue also restarts the count, so slow requests that each had the node to
 * themselves (an export at night) are never taken for a queue. A slow database or a saturated processor makes every
 * request slow, so the target must stay above the service time of the fastest requests; see {@code Config}.
 *
 * <p>Time is a monotonic nanosecond counter ({@link System#nanoTime()} in the service), not the service's
 * {@code Clock}, which is wall time and which tests stop. Thread-safe: every event loop of the node shares one; the
 * lock guards a few fields and is never held while waiting for anything.
 */
public final class StandingQueue {
    /** How long latencies must stay above the target to count as a queue (CoDel's interval). */
    public static final Duration INTERVAL = Duration.ofMillis(100);
    private static final long NONE = Long.MIN_VALUE;

    private final long targetNanos;
    private final long intervalNanos = INTERVAL.toNanos();
    private final LongSupplier nanoTime;

    private int inService;
    private long aboveSince = NONE;
    private boolean overloaded;

    /**
     * @param target the latency the fastest request of an interval may take without counting as a queue (positive)
     * @param nanoTime a monotonic clock in nanoseconds
     */
    public StandingQueue(Duration target, LongSupplier nanoTime) {
        Objects.requireNonNull(target, "target");
        if (target.isNegative() || target.isZero()) {
            throw new IllegalArgumentException("the latency target must be positive");
        }
        this.targetNanos = target.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    public Duration target() {
        return Duration.ofNanos(targetNanos);
    }

    /** A request is being served (it counts towards the queue until {@link #departed}). */
    public synchronized void arrived() {
        inService++;
    }

    /** A request ended without a sample: refused, failed, or slow on purpose. */
    public synchronized void departed() {
        inService--;
        if (inService == 0) {
            drained();
        }
    }

    /** A request ended, and {@code latency} (from received to answered) is a sample of the queue. */
    public synchronized void departed(Duration latency) {
        inService--;
        if (latency.toNanos() <= targetNanos || inService == 0) {
            drained();
            return;
        }
        long now = nanoTime.getAsLong();
        if (aboveSince == NONE) {
            aboveSince = now;
        } else if (now - aboveSince >= intervalNanos) {
            overloaded = true;
        }
    }

    /**
     * Whether a request that starts new work may proceed. Asked by a request that has {@link #arrived}, so the
     * queue is empty when it is the only one being served.
     */
    public synchronized boolean admitsNewWork() {
        if (inService <= 1) {
            drained();
        }
        return !overloaded;
    }

    /** No standing queue: a request went through without waiting, or none is left waiting. */
    private void drained() {
        aboveSince = NONE;
        overloaded = false;
    }

    /** Requests being served now (for tests). */
    public synchronized int inService() {
        return inService;
    }
}
