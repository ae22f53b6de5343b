package org.countersign.push.db;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * How long each request for a PostgreSQL connection waited, as Vert.x's SQL pools report it through the metrics SPI
 * ({@code enqueue} when a connection is asked for, {@code dequeue} when one is handed over). Installed by
 * {@code ServiceVertx}; no other metric is collected, so every other SPI call stays Vert.x's no-op default.
 *
 * <p>Why a metrics hook: a {@link io.vertx.sqlclient.Pool} does not say how many wait for it, yet during an overload
 * that wait is where the node's work queues (docs/performance.md, overload). The hook costs one
 * {@link System#nanoTime()} at each end of a wait. A request refused because the wait queue is full has no
 * {@code dequeue}: it is simply not a sample.
 */
public final class ConnectionWaits implements VertxMetrics {
    private static final LongConsumer NOBODY = nanos -> { };
    private static final String SQL_POOL = "sql";

    private volatile LongConsumer listener = NOBODY;

    /** A factory for {@code VertxBuilder.withMetrics} that hands every Vert.x built with it this instance. */
    public VertxMetricsFactory factory() {
        return options -> this;
    }

    /** The waits of {@code vertx}'s pools, when it was built with them ({@code ServiceVertx}). */
    public static Optional<ConnectionWaits> of(Vertx vertx) {
        return vertx instanceof VertxInternal internal && internal.metrics() instanceof ConnectionWaits waits
                ? Optional.of(waits) : Optional.empty();
    }

    /** Hands every wait from now on, in nanoseconds, to {@code waited} (one listener; the last one set). */
    public void onWait(LongConsumer waited) {
        listener = waited == null ? NOBODY : waited;
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String poolType, String poolName, int maxPoolSize) {
        if (!SQL_POOL.equals(poolType)) {
            return null;
        }
        return new PoolMetrics<Long, Void>() {
            @Override
            public Long enqueue() {
                return System.nanoTime();
            }

            @Override
            public void dequeue(Long enqueuedAt) {
                listener.accept(System.nanoTime() - enqueuedAt);
            }
        };
    }
}
