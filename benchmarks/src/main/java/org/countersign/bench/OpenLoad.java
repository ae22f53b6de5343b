package org.countersign.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;

/**
 * An open-model load: operation {@code i} is due at {@code t0 + i / rate} whatever happened to earlier ones, and
 * is handed that intended start time, from which its latency is measured. A ticker on one event loop starts every
 * operation that is due (1 ms resolution); a slow system therefore sees the requests pile up, as real users would
 * keep arriving, instead of the generator politely waiting (coordinated omission).
 */
public final class OpenLoad {

    /** What the schedule did: operations started, the most in flight at once, and how late the ticker ran. */
    public record Stats(long started, int maxInFlight, double maxTickerLagMillis, double seconds) {
    }

    private OpenLoad() {
    }

    /**
     * Runs {@code op} at {@code ratePerSecond} for {@code duration}; completes when every started operation has
     * completed (each operation bounds its own time).
     */
    public static Future<Stats> run(Vertx vertx, double ratePerSecond, Duration duration, LongFunction<Future<?>> op) {
        Promise<Stats> done = Promise.promise();
        Context context = vertx.getOrCreateContext();
        context.runOnContext(v -> new Run(vertx, ratePerSecond, duration, op, done).start());
        return done.future();
    }

    private static final class Run {
        private final Vertx vertx;
        private final double rate;
        private final long total;
        private final LongFunction<Future<?>> op;
        private final Promise<Stats> done;
        private final AtomicInteger inFlight = new AtomicInteger();
        private long t0;
        private long started;
        private int maxInFlight;
        private long maxLag;
        private volatile boolean scheduleOver;
        private long timer;

        Run(Vertx vertx, double rate, Duration duration, LongFunction<Future<?>> op, Promise<Stats> done) {
            this.vertx = vertx;
            this.rate = rate;
            this.total = Math.max(1, Math.round(rate * duration.toNanos() / 1e9));
            this.op = op;
            this.done = done;
        }

        void start() {
            t0 = System.nanoTime();
            timer = vertx.setPeriodic(1, id -> tick());
            tick();
        }

        private void tick() {
            long now = System.nanoTime();
            long due = Math.min(total, (long) Math.floor((now - t0) * rate / 1e9) + 1);
            while (started < due) {
                long intended = t0 + (long) (started * 1e9 / rate);
                maxLag = Math.max(maxLag, now - intended);
                started++;
                maxInFlight = Math.max(maxInFlight, inFlight.incrementAndGet());
                Future<?> running;
                try {
                    running = op.apply(intended);
                } catch (RuntimeException e) {
                    running = Future.failedFuture(e);
                }
                running.onComplete(ignored -> finished());
            }
            if (started >= total && !scheduleOver) {
                scheduleOver = true;
                vertx.cancelTimer(timer);
                if (inFlight.get() == 0) {
                    complete();
                }
            }
        }

        private void finished() {
            if (inFlight.decrementAndGet() == 0 && scheduleOver) {
                complete();
            }
        }

        private void complete() {
            done.tryComplete(new Stats(started, maxInFlight, maxLag / 1e6, (System.nanoTime() - t0) / 1e9));
        }
    }
}
