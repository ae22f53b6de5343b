package org.countersign.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A latency histogram in nanoseconds (1 µs to 2 minutes, 3 significant digits) that event loops record into
 * concurrently, reported in milliseconds. Values are measured from each operation's intended start, so a stalled
 * system cannot hide its queueing delay (no coordinated omission).
 */
public final class Latencies {
    private static final long HIGHEST = TimeUnit.MINUTES.toNanos(2);

    private final Histogram histogram = new ConcurrentHistogram(1_000, HIGHEST, 3);

    public void record(long nanos) {
        histogram.recordValue(Math.max(1_000, Math.min(HIGHEST, nanos)));
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /** The given percentile in milliseconds, or 0 when nothing was recorded. */
    public double percentileMillis(double percentile) {
        return count() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1e6;
    }

    public double maxMillis() {
        return count() == 0 ? 0 : histogram.getMaxValue() / 1e6;
    }

    /** Adds p50, p99, p99.9 and max (milliseconds) under {@code prefix}. */
    public Result.Builder addTo(Result.Builder result, String prefix) {
        return result.millis(prefix + "P50Ms", percentileMillis(50))
                .millis(prefix + "P99Ms", percentileMillis(99))
                .millis(prefix + "P999Ms", percentileMillis(99.9))
                .millis(prefix + "MaxMs", maxMillis());
    }
}
