package org.countersign.push.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link ClusterMessage}s to the other nodes in batches. Messages collect for {@link #WINDOW} (and, under load,
 * while the previous batch is still on its way); then one statement on the pool, in its own short transaction and
 * never inside a business transaction, sends them packed many to a payload. A NOTIFY in the transaction that writes
 * a challenge would cap commits at about 2,100/s; NOTIFY-only transactions reach about 10,000/s, and each of ours
 * carries up to some two hundred messages (ARCHITECTURE.md §6). Best effort: a failed batch is dropped, because
 * channel logins re-send pending requests and waiters re-read when their wait ends.
 */
final class ClusterNotifier {
    /** How long messages collect before a batch leaves: unnoticeable to a person, many messages under load. */
    static final Duration WINDOW = Duration.ofMillis(5);
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNotifier.class);
    private static final String NOTIFY = "SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload";

    private final Vertx vertx;
    private final Pool pool;
    private final String channel;
    private final String nodeId;
    private final Queue<String> queue = new ConcurrentLinkedQueue<>();
    /** Set while a batch is scheduled or in flight; at most one is. */
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile boolean closed;

    ClusterNotifier(Vertx vertx, Pool pool, String channel, String nodeId) {
        this.vertx = Objects.requireNonNull(vertx);
        this.pool = Objects.requireNonNull(pool);
        this.channel = Objects.requireNonNull(channel);
        this.nodeId = Objects.requireNonNull(nodeId);
    }

    /** Queues the message for the next batch. Safe from any thread; never waits. */
    void announce(ClusterMessage message) {
        if (closed) {
            return;
        }
        queue.add(message.encode());
        scheduleIfIdle();
    }

    /** Stops sending; messages still queued are dropped. */
    void close() {
        closed = true;
        queue.clear();
    }

    private void scheduleIfIdle() {
        if (!queue.isEmpty() && busy.compareAndSet(false, true)) {
            vertx.setTimer(WINDOW.toMillis(), t -> flush());
        }
    }

    private void flush() {
        // a set: the same wake-up or frame asked twice in one window goes once
        Set<String> lines = new LinkedHashSet<>();
        for (String line = queue.poll(); line != null; line = queue.poll()) {
            lines.add(line);
        }
        ClusterPayloads.Packed packed = ClusterPayloads.pack(nodeId, lines);
        if (packed.dropped() > 0) {
            LOG.warn("Left out {} cluster message(s) too long for a notification", packed.dropped());
        }
        send(packed).onComplete(done -> {
            if (done.failed()) {
                // the cause's class only: driver messages may quote the payload
                LOG.warn("Could not notify the other nodes ({} payload(s) lost): {}", packed.payloads().size(),
                        done.cause().getClass().getSimpleName());
            }
            busy.set(false);
            scheduleIfIdle();
        });
    }

    private Future<?> send(ClusterPayloads.Packed packed) {
        if (closed || packed.payloads().isEmpty()) {
            return Future.succeededFuture();
        }
        try {
            return pool.preparedQuery(NOTIFY).execute(Tuple.tuple().addString(channel)
                    .addArrayOfString(packed.payloads().toArray(String[]::new)));
        } catch (RuntimeException e) {
            return Future.failedFuture(e); // a pool closed under us
        }
    }
}
