package org.countersign.push.testing;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A database queue made on purpose: twice as many {@code pg_sleep(delay)} statements as the pool has connections go
 * through the service's own pool, each sent again when it ends. Every connection is then always busy and as many
 * sleeps always wait for one, ahead of any request that arrives, so each request waits at least {@code delay} for a
 * connection, however fast the machine. The sleeps start spread over one delay, so connections come free steadily
 * (requests complete one after another, as under real overload, not in lockstep batches).
 */
public final class DatabaseSlowdown implements AutoCloseable {
    private final Pool pool;
    private final String sleep;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger outstanding = new AtomicInteger();

    private DatabaseSlowdown(Pool pool, Duration delay) {
        this.pool = pool;
        this.sleep = String.format(Locale.ROOT, "SELECT pg_sleep(%.3f)", delay.toMillis() / 1000.0);
    }

    /** Starts slowing down {@code pool} (of {@code poolSize} connections) until {@link #close()}. */
    public static DatabaseSlowdown start(Vertx vertx, Pool pool, int poolSize, Duration delay) {
        DatabaseSlowdown slowdown = new DatabaseSlowdown(pool, delay);
        int sleepers = 2 * poolSize;
        for (int i = 0; i < sleepers; i++) {
            vertx.setTimer(1 + i * delay.toMillis() / sleepers, id -> slowdown.sleepAgain());
        }
        return slowdown;
    }

    private void sleepAgain() {
        if (!running.get()) {
            return;
        }
        outstanding.incrementAndGet();
        pool.query(sleep).execute().onComplete(done -> {
            outstanding.decrementAndGet();
            sleepAgain();
        });
    }

    /** Stops sending sleeps and waits (boundedly) for those still running. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (int attempt = 0; attempt < 1000 && outstanding.get() > 0; attempt++) {
            Thread.sleep(10);
        }
        if (outstanding.get() > 0) {
            throw new IllegalStateException(outstanding.get() + " sleeps still running after 10 s");
        }
    }
}
